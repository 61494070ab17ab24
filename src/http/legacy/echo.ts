// The four session headers every legacy answer echoes (legacy-group-api.md:
// "Response: headers { uid, accessToken, client, expire }"), spelt as the
// document spells them. Fastify's reply.header() keys headers by their
// lowercase name and writes them so (`accesstoken`), and iOS clients look
// `allHeaderFields` up case-sensitively: the echo goes through Node's
// setHeader, which writes the name with the case it was given.

import type { FastifyReply, FastifyRequest } from 'fastify';

/** Request header (lowercase, as Node keys it) → the document's spelling on the wire. */
const ECHOED: Record<string, string> = { uid: 'uid', accesstoken: 'accessToken', client: 'client', expire: 'expire' };

/** What Node lets a header value hold (it refuses control characters other than tab). */
const FIELD_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/;

/**
 * Echoes each of the four headers the request carried, value as sent, on
 * every answer (success or failure). An empty value is echoed empty: the
 * document's own example sends `accessToken: ""`. HTTP strips the blanks
 * around a value before Parley sees it, so a whitespace-only `client`
 * arrives, and is echoed, as an empty value.
 */
export function echoSessionHeaders(req: FastifyRequest, reply: FastifyReply): void {
  for (const [name, wire] of Object.entries(ECHOED)) {
    const v = req.headers[name];
    const value = Array.isArray(v) ? v[0] : v;
    if (value !== undefined && FIELD_VALUE.test(value)) reply.raw.setHeader(wire, value);
  }
}
