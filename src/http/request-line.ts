// Which path a request was for, when Node refuses it before any route runs.
//
// Node answers a request whose line and headers exceed `maxHeaderSize` (and
// malformed HTTP) in its `clientError` event, with only the chunk that broke
// the limit (`err.rawPacket`). Past a few KiB a request arrives in several
// chunks, so that chunk rarely holds the request line, and without it no
// dialect can be chosen for the answer. Node exposes no earlier hook on the
// bytes of a request head, so this watches the connection's HTTP parser: the
// first chunk of each request head is read (one copy per request, never a
// body chunk) for its request line; the path of the last request that
// completed its headers on the connection is the fallback.
//
// The parser's callback slots are found by their function names once; if a
// future Node renames them, tracking is off and the answer falls back to the
// request line in `rawPacket`, or to the native envelope.

import type { Server } from 'node:http';
import type { Socket } from 'node:net';

interface Tracked {
  /** The path in the request line of the head being received, when its first chunk had one. */
  path?: string;
  /** The path of the last request whose headers were complete. */
  lastPath?: string;
  /** The next chunk starts a request head. */
  fresh: boolean;
  headersDone: boolean;
  /** A message completed in the chunk being executed. */
  completed: boolean;
}

type Slots = { headersComplete: string; messageComplete: string; execute: string };
type Parser = Record<string | symbol, unknown> & { getCurrentBuffer?: () => Buffer };

const STATE = Symbol('parley.requestLine');
const WRAPPED = Symbol('parley.requestLineWrapped');

type Callback = ((this: Parser, ...a: unknown[]) => unknown) & { [WRAPPED]?: true };
const REQUEST_LINE = /^([A-Z]{1,20}) (\S{1,2048})/;

let slots: Slots | null | undefined;

function findSlots(parser: Parser): Slots | null {
  const named = (name: string) => Object.keys(parser).find((k) => typeof parser[k] === 'function' && (parser[k] as { name: string }).name === name);
  const headersComplete = named('parserOnHeadersComplete');
  const messageComplete = named('parserOnMessageComplete');
  const execute = named('bound onParserExecute');
  return headersComplete && messageComplete && execute ? { headersComplete, messageComplete, execute } : null;
}

/** The path of a request line at the start of `bytes`, if there is one. */
export function pathOfRequestLine(bytes: Buffer | undefined): string | undefined {
  if (!bytes || bytes.length === 0) return undefined;
  const m = REQUEST_LINE.exec(bytes.subarray(0, 2100).toString('latin1'));
  return m ? m[2] : undefined;
}

/** The path of the request a connection was receiving when Node refused it (best effort). */
export function pathOfSocket(socket: Socket): string | undefined {
  const parser = (socket as Socket & { parser?: Parser }).parser;
  const st = parser?.[STATE] as Tracked | undefined;
  return st?.path ?? st?.lastPath;
}

/** Runs `before` ahead of the parser's callback in `slot`, unless that callback already does. */
function wrapOnce(parser: Parser, slot: string, before: (t: Tracked, args: unknown[]) => void): void {
  const original = parser[slot] as Callback;
  if (original[WRAPPED]) return;
  const wrapped: Callback = function (this: Parser, ...a: unknown[]) {
    const t = this[STATE] as Tracked | undefined;
    if (t) before(t, a);
    return original.apply(this, a);
  };
  wrapped[WRAPPED] = true;
  parser[slot] = wrapped;
}

/** Starts watching each new connection of `server` for its request lines. */
export function trackRequestLines(server: Server): void {
  server.on('connection', (socket: Socket) => {
    const parser = (socket as Socket & { parser?: Parser }).parser;
    if (!parser) return;
    if (slots === undefined) slots = findSlots(parser);
    if (!slots) return;
    const s = slots;
    const st: Tracked = { fresh: true, headersDone: false, completed: false };
    parser[STATE] = st;
    // Parsers are pooled and reused (by client requests too, where the state is
    // simply unused): the per-message callbacks are wrapped once per parser.
    wrapOnce(parser, s.headersComplete, (t, a) => {
      t.headersDone = true;
      t.fresh = false;
      t.path = undefined;
      // (versionMajor, versionMinor, headers, method, url, …); the url is
      // empty when many headers made Node flush it early into `_url`.
      const url = typeof a[4] === 'string' && a[4] !== '' ? a[4] : undefined;
      if (url) t.lastPath = url;
    });
    wrapOnce(parser, s.messageComplete, (t) => {
      t.headersDone = false;
      t.completed = true;
    });
    // Set anew by Node for every connection (bound to the socket).
    const onExecute = parser[s.execute] as (...a: unknown[]) => unknown;
    parser[s.execute] = (...a: unknown[]) => {
      if (st.completed) {
        // This chunk ended a message: the next one starts a new head.
        st.completed = false;
        st.fresh = true;
      } else if (st.fresh && !st.headersDone) {
        st.fresh = false;
        st.path = pathOfRequestLine(parser.getCurrentBuffer?.());
      }
      return onExecute(...a);
    };
  });
}
