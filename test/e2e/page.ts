// What the browser tests share besides the browsers: the page's landmarks, a
// send through the composer, and real PNG images made here so the tests ship
// no binary.

import { deflateSync } from 'node:zlib';
import type { Person } from './browser.ts';

export const messages = (p: Person) => p.page.getByRole('list', { name: 'Messages' });
export const sidebar = (p: Person) => p.page.getByRole('navigation', { name: 'Conversations' });
export const conversation = (p: Person, name: string) => sidebar(p).getByRole('link', { name: new RegExp(`^${name}`) });

/** Types and sends a text, then waits until it shows in the conversation. */
export async function send(p: Person, text: string): Promise<void> {
  await p.page.getByLabel('Message', { exact: true }).fill(text);
  await p.page.getByRole('button', { name: 'Send', exact: true }).click();
  await messages(p).getByText(text).first().waitFor();
}

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
const crc = (b: Buffer) => {
  let c = 0xffffffff;
  for (const x of b) c = crcTable[(c ^ x) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
};
const chunk = (type: string, data: Buffer) => {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type), data]);
  const c = Buffer.alloc(4);
  c.writeUInt32BE(crc(td));
  return Buffer.concat([len, td, c]);
};

/** An 8-bit RGB PNG of w×h whose pixel at (x, y) is `colour(x, y)`. */
export function png(w: number, h: number, colour: (x: number, y: number) => [number, number, number]): Buffer {
  const raw = Buffer.alloc((w * 3 + 1) * h);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) raw.set(colour(x, y), y * (w * 3 + 1) + 1 + x * 3);
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0);
  ihdr.writeUInt32BE(h, 4);
  ihdr.set([8, 2, 0, 0, 0], 8);
  return Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}
