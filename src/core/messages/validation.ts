// Validation of what senders supply, in core so that every transport (native
// HTTP, WebSocket, each dialect) gets the same limits. Each type declares its
// fields; unknown fields are refused (a typo must not be silently dropped),
// except in `custom` and `x-…` types whose body is free JSON by design.

import { fail } from '../errors.ts';
import { checkStructuredValue } from '../text.ts';
import { MessageType, type MessageInput, type MessageTypeName } from './model.ts';

export interface MessageLimits {
  /** Largest text (characters) of a text or notice message. */
  maxTextChars: number;
  /** Largest JSON size (bytes) of body + ext together. */
  maxBytes: number;
}

type FieldKind = 'string' | 'url' | 'int' | 'number' | 'bool' | 'json' | 'ids' | 'anchors' | 'strings' | 'base64';
interface Field {
  kind: FieldKind;
  required?: boolean;
  max?: number;
  min?: number;
}

const url: Field = { kind: 'url', required: true, max: 2048 };
const optUrl: Field = { kind: 'url', max: 2048 };
const name: Field = { kind: 'string', max: 512 };
const dim: Field = { kind: 'int', min: 0, max: 100_000 };
const size: Field = { kind: 'int', min: 0, max: Number.MAX_SAFE_INTEGER };
const seconds: Field = { kind: 'number', min: 0, max: 86_400 * 7 };
const short: Field = { kind: 'string', max: 256 };

// Field names chosen so each dialect maps one to one: lanying/xim `content` →
// text, Easemob `msg` → text, dtalk `mediaUrl` → url, `time` → duration, …
const schemas: Record<Exclude<MessageTypeName, 'revoked' | `x-${string}`>, Record<string, Field> | 'free'> = {
  text: { text: { kind: 'string', required: true, min: 1 }, mentions: { kind: 'ids', max: 1000 }, mentionAll: { kind: 'bool' }, mentionNames: { kind: 'strings', max: 1000 }, anchors: { kind: 'anchors', max: 100 } },
  image: { url, width: dim, height: dim, size, preview: optUrl, name, secret: short, md5: short },
  audio: { url, duration: seconds, size, name, secret: short, md5: short },
  video: { url, duration: seconds, cover: optUrl, width: dim, height: dim, size, title: name, name, secret: short, md5: short },
  file: { url, name: { ...name, required: true }, size, md5: short, secret: short },
  location: { lat: { kind: 'number', required: true, min: -90, max: 90 }, lng: { kind: 'number', required: true, min: -180, max: 180 }, address: name, name },
  card: { title: name, label: name, subtitle: name, summary: { kind: 'string', max: 4096 }, image: optUrl, url: optUrl, cardType: { kind: 'int', min: 0, max: 1_000_000 }, display: { kind: 'int', min: 0, max: 1_000_000 }, extra: { kind: 'json' } },
  contact: { userId: { kind: 'int', min: 1, max: Number.MAX_SAFE_INTEGER }, handle: short, name, avatar: optUrl, extra: { kind: 'json' } },
  notice: { text: { kind: 'string' }, kind: short, data: { kind: 'json' }, anchors: { kind: 'anchors', max: 100 } },
  custom: 'free',
  // `data`: the bytes as standard base64 (padded), bounded by maxBytes;
  // `scheme`: how the sender's clients read them (free text, e.g. "aes-cbc").
  encrypted: { data: { kind: 'base64', required: true }, scheme: short },
  call: { callId: { kind: 'int', required: true, min: 1, max: Number.MAX_SAFE_INTEGER }, media: short, status: short, reason: short, durationMs: { kind: 'int', min: 0, max: Number.MAX_SAFE_INTEGER }, answeredAt: size, endedAt: size, parties: { kind: 'ids', max: 1000 }, invitees: { kind: 'ids', max: 1000 }, answered: { kind: 'bool' } },
};

/** Types only the server writes (group events, call records). */
const SERVER_TYPES = new Set<string>([MessageType.notice, MessageType.call]);

const DIALECT_TYPE = /^x-[a-z0-9][a-z0-9._-]{0,47}$/;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
const CLIENT_ID = /^[\x21-\x7e]{1,128}$/;

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function checkField(path: string, f: Field, v: unknown, limits: MessageLimits): void {
  const bad = (why: string) => fail('invalid_argument', `${path} ${why}`, { field: path });
  switch (f.kind) {
    case 'string':
    case 'url': {
      if (typeof v !== 'string') throw bad('must be a string');
      const max = f.max ?? limits.maxTextChars;
      if (v.length > max) throw bad(`is longer than ${max} characters`);
      if (f.min !== undefined && v.trim().length < f.min) throw bad('must not be empty');
      if (f.kind === 'url' && f.required && v.length === 0) throw bad('must not be empty');
      return;
    }
    case 'int':
    case 'number': {
      if (typeof v !== 'number' || !Number.isFinite(v) || (f.kind === 'int' && !Number.isSafeInteger(v))) throw bad(`must be ${f.kind === 'int' ? 'an integer' : 'a number'}`);
      if ((f.min !== undefined && v < f.min) || (f.max !== undefined && v > f.max)) throw bad(`must be between ${f.min} and ${f.max}`);
      return;
    }
    case 'bool':
      if (typeof v !== 'boolean') throw bad('must be true or false');
      return;
    case 'json':
      return; // size is checked on the whole message
    case 'base64':
      // Canonical standard base64, so the bytes read back are the bytes sent.
      if (typeof v !== 'string' || v.length === 0 || !BASE64.test(v) || Buffer.from(v, 'base64').toString('base64') !== v) throw bad('must be non-empty standard base64 (with padding)');
      return; // size is checked on the whole message
    case 'ids':
      if (!Array.isArray(v) || v.length > (f.max ?? 1000) || !v.every((x) => Number.isSafeInteger(x) && (x as number) > 0)) throw bad('must be a list of user ids');
      return;
    case 'strings':
      if (!Array.isArray(v) || v.length > (f.max ?? 1000) || !v.every((x) => typeof x === 'string' && x.length <= 256)) throw bad('must be a list of strings');
      return;
    case 'anchors':
      if (!Array.isArray(v) || v.length > (f.max ?? 100)) throw bad(`must be a list of at most ${f.max} anchors`);
      v.forEach((a, i) => {
        if (!isPlainObject(a) || typeof a.href !== 'string' || !Number.isSafeInteger(a.start) || !Number.isSafeInteger(a.len) || (a.start as number) < 0 || (a.len as number) < 0) {
          throw fail('invalid_argument', `${path}[${i}] must have href, start and len`, { field: `${path}[${i}]` });
        }
      });
      return;
    default: {
      const never: never = f.kind;
      throw new Error(`unknown field kind ${String(never)}`);
    }
  }
}

/** Checks a send; returns the normalised input or throws invalid_argument / payload_too_large. */
export function validateMessage(input: MessageInput, limits: MessageLimits, opts: { serverWritten: boolean }): Required<Omit<MessageInput, 'replyTo' | 'threadRootId'>> & { type: MessageTypeName } {
  const { type } = input;
  if (typeof type !== 'string') throw fail('invalid_argument', 'type must be a string', { field: 'type' });
  if (!isPlainObject(input.body)) throw fail('invalid_argument', 'body must be an object', { field: 'body' });
  if (input.ext !== undefined && input.ext !== null && !isPlainObject(input.ext)) throw fail('invalid_argument', 'ext must be an object', { field: 'ext' });
  if (input.clientId !== undefined && input.clientId !== null && (typeof input.clientId !== 'string' || !CLIENT_ID.test(input.clientId))) {
    throw fail('invalid_argument', 'clientId must be 1 to 128 printable ASCII characters', { field: 'clientId' });
  }
  if (type === MessageType.revoked) throw fail('invalid_argument', 'a revoked marker cannot be sent', { field: 'type' });
  if (SERVER_TYPES.has(type) && !opts.serverWritten) throw fail('invalid_argument', `${type} messages are written by the server`, { field: 'type' });
  if (!DIALECT_TYPE.test(type)) {
    const schema = (schemas as Record<string, Record<string, Field> | 'free' | undefined>)[type];
    if (schema === undefined) throw fail('invalid_argument', `unknown message type "${type}"`, { field: 'type' });
    if (schema !== 'free') {
      for (const key of Object.keys(input.body)) {
        if (!(key in schema)) throw fail('invalid_argument', `body.${key} is not a field of a ${type} message`, { field: `body.${key}` });
      }
      for (const [key, f] of Object.entries(schema)) {
        const v = input.body[key];
        if (v === undefined || v === null) {
          if (f.required) throw fail('invalid_argument', `body.${key} is required for a ${type} message`, { field: `body.${key}` });
          continue;
        }
        checkField(`body.${key}`, f, v, limits);
      }
    }
  }
  // Before anything serialises them: NUL and over-deep nesting (core/text.ts).
  checkStructuredValue(input.body, 'body');
  checkStructuredValue(input.ext, 'ext');
  const bytes = Buffer.byteLength(JSON.stringify(input.body)) + (input.ext ? Buffer.byteLength(JSON.stringify(input.ext)) : 0);
  if (bytes > limits.maxBytes) throw fail('payload_too_large', `the message is ${bytes} bytes; the limit is ${limits.maxBytes}`);
  return { type: type as MessageTypeName, body: input.body, ext: input.ext ?? null, clientId: input.clientId ?? null };
}
