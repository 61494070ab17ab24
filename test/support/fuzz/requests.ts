// One fuzz case (credentials, how the body is sent, which fields are wrong
// and how) and its rendering into a concrete HTTP request for a route.

import fc from 'fast-check';
import type { Field, Route } from './catalog.ts';
import { RawJson, SNEAKY, encode, hostileValue, show, toJson, toText } from './values.ts';

export type Creds = 'none' | 'forged' | 'owner' | 'member' | 'admin';
export type Encoding = 'natural' | 'json' | 'form' | 'multipart' | 'truncatedMultipart' | 'oversizedMultipart' | 'rawBytes' | 'none';
export type BodyShape = 'valid' | 'mutated' | 'sneaky' | 'sneakyAll' | 'truncatedJson' | 'deepJson' | 'nonObject' | 'oversize';

export interface Case {
  creds: Creds;
  encoding: Encoding;
  shape: BodyShape;
  /** Per field (by position, wrapping): keep it valid, drop it, or give it a hostile value. */
  fields: ({ op: 'keep' } | { op: 'drop' } | { op: 'set'; value: unknown })[];
  /** Fields no document defines. */
  extra: Record<string, unknown>;
  /** A Content-Type that does not match the body (or none at all). */
  contentType: string | null | undefined;
  /** For `sneaky`: which field (by position, wrapping) gets which right-typed hostile value (wrapping). */
  target: number;
  sneaky: number;
  /** For `sneakyAll`: every field of this kind gets the hostile value (enumerations excepted: they would stop the request at validation), the others stay valid. */
  only?: Field['kind'];
  /** Where a truncation cuts (a fraction of the whole). */
  cut: number;
  /** Junk appended to the query string as-is. */
  rawQuery: string | undefined;
}

export const caseArb: fc.Arbitrary<Case> = fc.record({
  creds: fc.constantFrom<Creds>('owner', 'owner', 'member', 'admin', 'none', 'forged'),
  encoding: fc.oneof(
    { arbitrary: fc.constant<Encoding>('natural'), weight: 8 },
    { arbitrary: fc.constantFrom<Encoding>('json', 'form', 'multipart', 'truncatedMultipart', 'rawBytes', 'none'), weight: 4 },
    { arbitrary: fc.constant<Encoding>('oversizedMultipart'), weight: 1 },
  ),
  shape: fc.oneof(
    { arbitrary: fc.constantFrom<BodyShape>('valid', 'mutated'), weight: 6 },
    { arbitrary: fc.constant<BodyShape>('sneaky'), weight: 6 },
    { arbitrary: fc.constantFrom<BodyShape>('truncatedJson', 'deepJson', 'nonObject'), weight: 3 },
    { arbitrary: fc.constant<BodyShape>('oversize'), weight: 1 },
  ),
  fields: fc.array(
    fc.oneof(
      { arbitrary: fc.constant({ op: 'keep' as const }), weight: 4 },
      { arbitrary: fc.constant({ op: 'drop' as const }), weight: 1 },
      { arbitrary: hostileValue.map((value) => ({ op: 'set' as const, value })), weight: 3 },
    ),
    { minLength: 1, maxLength: 6 },
  ),
  extra: fc.oneof({ arbitrary: fc.constant({}), weight: 3 }, { arbitrary: fc.dictionary(fc.string({ maxLength: 10 }), hostileValue, { maxKeys: 3 }), weight: 1 }),
  contentType: fc.oneof(
    { arbitrary: fc.constant(undefined), weight: 8 },
    { arbitrary: fc.constantFrom<string | null>(null, 'text/plain', 'application/xml', 'application/json; charset=latin1', 'multipart/form-data', 'application/x-www-form-urlencoded', 'application/octet-stream', '*/*', 'application/json;;;'), weight: 1 },
  ),
  target: fc.nat(64),
  sneaky: fc.nat(64),
  cut: fc.double({ min: 0.05, max: 0.95, noNaN: true }),
  rawQuery: fc.oneof({ arbitrary: fc.constant(undefined), weight: 6 }, { arbitrary: fc.constantFrom('%', '%zz', '%00=%00', 'a=%ff%fe', '=&&=', 'limit=-1&cursor=%80', 'x[y]=1&x[y][z]=2', '__proto__[a]=1', 'constructor[prototype][a]=1'), weight: 1 }),
});

export interface Rendered {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: Uint8Array<ArrayBuffer> | undefined;
  /** What was sent, for a failure report. */
  label: string;
}

/** What a route needs from the test world to build valid requests. */
export interface World {
  base: string;
  /** Headers of a caller for a dialect. */
  creds(route: Route, who: Creds): Record<string, string>;
  /** A valid value for a field (aimed at the fixture group, its member, its message…). */
  valid(route: Route, field: Field): unknown;
  /** The body limit past which an oversize body goes. */
  bodyLimit: number;
}

const BOUNDARY = '----parleyfuzz7MA4YWxkTrZu0gW';

function multipart(fields: [string, unknown][], fileBytes: number): Uint8Array<ArrayBuffer> {
  const chunks: Buffer[] = [];
  for (const [name, v] of fields) {
    const file = name === 'file' || name === 'message';
    if (file) {
      chunks.push(Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="${name}"; filename="fuzz.bin"\r\nContent-Type: application/octet-stream\r\n\r\n`));
      chunks.push(fileBytes > 0 ? Buffer.alloc(fileBytes, 0x61) : Buffer.from(toText(v)));
      chunks.push(Buffer.from('\r\n'));
    } else {
      chunks.push(Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="${name.replace(/["\r\n]/g, '_')}"\r\n\r\n${toText(v)}\r\n`));
    }
  }
  if (fileBytes > 0 && !fields.some(([n]) => n === 'file' || n === 'message')) {
    chunks.push(Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="big.bin"\r\n\r\n`), Buffer.alloc(fileBytes, 0x62), Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${BOUNDARY}--\r\n`));
  return new Uint8Array(Buffer.concat(chunks));
}

const utf8 = (s: string) => new Uint8Array(Buffer.from(s, 'utf8'));

export function render(route: Route, c: Case, world: World): Rendered {
  const values = new Map<Field, unknown>();
  const notes: string[] = [];
  const target = route.fields.length ? c.target % route.fields.length : -1;
  route.fields.forEach((f, i) => {
    if ((c.shape === 'sneaky' && i === target) || (c.shape === 'sneakyAll' && f.kind === c.only && !f.choices)) {
      const pool = SNEAKY[f.kind];
      const value = pool[c.sneaky % pool.length];
      values.set(f, value);
      notes.push(`${f.name}=${show(value)}`);
      return;
    }
    const op = c.shape === 'valid' || c.shape === 'sneaky' || c.shape === 'sneakyAll' ? { op: 'keep' as const } : c.fields[i % c.fields.length];
    if (op.op === 'drop') notes.push(`-${f.name}`);
    else if (op.op === 'set') {
      values.set(f, op.value);
      notes.push(`${f.name}=${show(op.value)}`);
    } else values.set(f, world.valid(route, f));
  });
  for (const [k, v] of Object.entries(c.extra)) notes.push(`+${k}=${show(v)}`);

  let path = route.path;
  for (const f of route.fields.filter((x) => x.where === 'path')) path = path.replace(`{${f.name}}`, encode(values.has(f) ? toText(values.get(f)) : ''));
  const query: string[] = [];
  const bodyFields: [string, unknown][] = [];
  for (const [f, v] of values) {
    if (f.where === 'query') for (const item of Array.isArray(v) && route.dialect !== 'native' ? v : [v]) query.push(`${encode(f.name)}=${encode(toText(item))}`);
    if (f.where === 'body') bodyFields.push([f.name, v]);
  }
  for (const [k, v] of Object.entries(c.extra)) (route.method === 'GET' ? query.push(`${encode(k)}=${encode(toText(v))}`) : bodyFields.push([k, v]));
  if (c.rawQuery) query.push(c.rawQuery);

  const headers: Record<string, string> = { ...world.creds(route, c.creds) };
  let body: Uint8Array<ArrayBuffer> | undefined;
  let encoding = c.encoding === 'natural' ? (route.body === 'raw' ? 'rawBytes' : route.body) : c.encoding;
  if (route.method === 'GET' || route.method === 'HEAD') encoding = 'none';
  const object = () => `{${bodyFields.map(([k, v]) => `${JSON.stringify(k)}:${toJson(v)}`).join(',')}}`;
  switch (encoding) {
    case 'json': {
      let text = object();
      if (c.shape === 'truncatedJson') text = text.slice(0, Math.max(1, Math.floor(text.length * c.cut)));
      if (c.shape === 'deepJson') text = toJson(new RawJson(`${'['.repeat(10_000)}${']'.repeat(10_000)}`));
      if (c.shape === 'nonObject') text = ['[]', '"text"', 'null', '42', 'true', '[{}]'][Math.floor(c.cut * 6)];
      if (c.shape === 'oversize') text = `{"pad":"${'z'.repeat(world.bodyLimit + 1024)}"}`;
      body = utf8(text);
      headers['content-type'] = 'application/json';
      break;
    }
    case 'form': {
      let text = bodyFields.map(([k, v]) => `${encode(k)}=${encode(toText(v))}`).join('&');
      if (c.shape === 'oversize') text += `&pad=${'z'.repeat(world.bodyLimit + 1024)}`;
      if (c.shape === 'truncatedJson') text = text.slice(0, Math.floor(text.length * c.cut));
      body = utf8(text);
      headers['content-type'] = 'application/x-www-form-urlencoded';
      break;
    }
    case 'multipart':
    case 'truncatedMultipart':
    case 'oversizedMultipart': {
      const bytes = multipart(bodyFields, encoding === 'oversizedMultipart' ? world.bodyLimit + 4096 : 0);
      body = encoding === 'truncatedMultipart' ? bytes.slice(0, Math.max(1, Math.floor(bytes.length * c.cut))) : bytes;
      headers['content-type'] = `multipart/form-data; boundary=${BOUNDARY}`;
      break;
    }
    case 'rawBytes': {
      const n = c.shape === 'oversize' ? world.bodyLimit + 1024 : 16 + Math.floor(c.cut * 512);
      const bytes = new Uint8Array(n);
      for (let i = 0; i < n; i++) bytes[i] = (i * 131 + Math.floor(c.cut * 997)) & 0xff;
      body = bytes;
      headers['content-type'] = 'application/octet-stream';
      break;
    }
    case 'none':
      break;
  }
  if (c.contentType === null) delete headers['content-type'];
  else if (c.contentType !== undefined && body !== undefined) headers['content-type'] = c.contentType;
  const url = `${world.base}${path}${query.length ? `?${query.join('&')}` : ''}`;
  const size = body ? ` ${body.length}B` : '';
  const label = `creds=${c.creds} ${encoding}/${c.shape}${size}${c.contentType !== undefined ? ` ct=${JSON.stringify(c.contentType)}` : ''}${c.rawQuery ? ` q+=${c.rawQuery}` : ''} ${notes.join(' ')}`.slice(0, 400);
  return { method: route.method, url, headers, body, label };
}
