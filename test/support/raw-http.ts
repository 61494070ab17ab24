// One HTTP/1.1 exchange over a plain socket, for tests that must see the
// bytes on the wire: header-name case, field order in the body text, and
// answers Node writes before any route runs (header overflow).

import net from 'node:net';

export interface RawReply {
  status: number;
  /** Header lines as received, name case kept: [name, value]. */
  headers: [string, string][];
  body: string;
}

/** Sends `head` (request line and headers, without the blank line) and `body`; reads until the server closes. */
export function rawRequest(base: string, head: string, body = ''): Promise<RawReply> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(port), hostname);
    const chunks: Buffer[] = [];
    socket.on('data', (c) => chunks.push(c));
    socket.on('error', reject);
    socket.on('end', () => {
      const all = Buffer.concat(chunks);
      const split = all.indexOf('\r\n\r\n');
      const lines = all.subarray(0, split).toString('latin1').split('\r\n');
      const status = Number(lines[0].split(' ')[1]);
      const headers = lines.slice(1).map((l): [string, string] => [l.slice(0, l.indexOf(':')), l.slice(l.indexOf(':') + 1).trim()]);
      const rest = all.subarray(split + 4);
      const chunked = headers.some(([n, v]) => n.toLowerCase() === 'transfer-encoding' && v === 'chunked');
      resolve({ status, headers, body: (chunked ? unchunk(rest) : rest).toString('utf8') });
    });
    const length = Buffer.byteLength(body);
    // write(), not end(): a half-closed connection makes Node drop a response still being made; Connection: close ends it.
    socket.write(`${head}\r\nHost: ${hostname}\r\nConnection: close\r\n${length > 0 ? `Content-Length: ${length}\r\n` : ''}\r\n${body}`);
  });
}

function unchunk(b: Buffer): Buffer {
  const parts: Buffer[] = [];
  let rest = b;
  for (;;) {
    const eol = rest.indexOf('\r\n');
    const size = parseInt(rest.subarray(0, eol).toString('latin1'), 16);
    if (!size) return Buffer.concat(parts);
    parts.push(rest.subarray(eol + 2, eol + 2 + size));
    rest = rest.subarray(eol + 2 + size + 2);
  }
}
