// Answers no route gives — a request line and headers larger than
// `maxHeaderSize` (431), HTTP that does not parse (400), a head that never
// finishes arriving (408), all written before routing, and a path no route
// serves (404) — in the envelope of the dialect whose path the request was for. Fastify's own answer (`{"error":"Request Header
// Fields Too Large",…}`) is in no dialect's envelope, and a dialect client
// must never see a body it cannot read. Each dialect declares its paths and
// its envelope (`early-answer.ts` in its folder); anything else gets the
// native error body.

import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyBaseLogger, FastifyReply, FastifyRequest } from 'fastify';
import { ParleyError } from '../core/errors.ts';
import type { DialectName } from './internal-errors.ts';
import { pathOfRequestLine, pathOfSocket } from './request-line.ts';

export interface EarlyAnswer {
  /** Whose envelope this is (also the `dialect` label of the request metrics). */
  readonly dialect: DialectName;
  /** Path prefixes the dialect serves; the longest prefix that matches a request's path wins. */
  readonly prefixes: readonly string[];
  /** The dialect's body for the error. */
  body(error: ParleyError): unknown;
}

const native: EarlyAnswer = { dialect: 'native', prefixes: [], body: (e) => ({ error: { code: e.code, message: e.message } }) };

/** The answer for a request path: the dialect with the longest matching prefix, else native. */
export function answerFor(answers: readonly EarlyAnswer[], path: string | undefined): EarlyAnswer {
  let best = native;
  let length = -1;
  if (path === undefined) return best;
  for (const a of answers) {
    for (const p of a.prefixes) {
      if (p.length > length && path.startsWith(p)) {
        best = a;
        length = p.length;
      }
    }
  }
  return best;
}

type ClientError = Error & { code?: string; rawPacket?: Buffer };

function classify(err: ClientError, maxHeaderBytes: number): { status: number; error: ParleyError } {
  if (err.code === 'HPE_HEADER_OVERFLOW') return { status: 431, error: new ParleyError('payload_too_large', `the request line and headers are larger than ${maxHeaderBytes} bytes`) };
  if (err.code === 'ERR_HTTP_REQUEST_TIMEOUT') return { status: 408, error: new ParleyError('invalid_argument', 'the request did not arrive in time') };
  return { status: 400, error: new ParleyError('invalid_argument', `the request is not valid HTTP (${err.code ?? 'parse error'})`) };
}

/**
 * The root not-found handler: a path no route serves, answered 404 in the
 * envelope of the dialect whose prefix it falls under (xim and legacy, each
 * under a prefix of its own, answer their misses themselves).
 */
export function routeNotFound(answers: readonly EarlyAnswer[]) {
  return (req: FastifyRequest, reply: FastifyReply) => {
    const path = req.url.split('?')[0];
    return reply.code(404).send(answerFor(answers, path).body(new ParleyError('not_found', `no route ${req.method} ${path}`)));
  };
}

/** How long a refused connection may keep sending before it is cut: the client reads the answer meanwhile. */
const DRAIN_MS = 5_000;
const answered = new WeakSet<Socket>();

/** Fastify's `clientErrorHandler`: the dialect's envelope, then the connection is closed. */
export function clientErrorHandler(answers: readonly EarlyAnswer[], maxHeaderBytes: number, log: FastifyBaseLogger) {
  return (e: Error, socket: Socket): void => {
    const err = e as ClientError;
    // A reset connection is gone; a refused one keeps erroring on every chunk it still sends.
    if (err.code === 'ECONNRESET' || socket.destroyed || answered.has(socket)) return;
    answered.add(socket);
    const { status, error } = classify(err, maxHeaderBytes);
    const path = pathOfRequestLine(err.rawPacket) ?? pathOfSocket(socket);
    log.debug({ err, path, status }, 'request refused before routing');
    if (!socket.writable) {
      socket.destroy();
      return;
    }
    const body = JSON.stringify(answerFor(answers, path).body(error));
    // end(), not destroy(): closing with unread bytes in the socket would send
    // a reset, and the client could lose the answer while it is still sending.
    socket.end(`HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
    setTimeout(() => socket.destroy(), DRAIN_MS).unref();
  };
}
