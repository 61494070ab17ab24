// Webhook HTTP through node:http / node:https with keep-alive agents: one
// POST with a hard timeout (the whole exchange, connect included), no
// redirects followed (a signed delivery goes where it was registered,
// nowhere else), and at most ANSWER_BYTES of the answer read (a moderation
// verdict is tiny; a delivery's answer body is not used). Chosen over the
// built-in fetch for the send path: fetch's WHATWG streams cost several times
// the CPU per call (bench/webhooks/README.md).

import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { HttpAnswer, WebhookTransport } from '../core/webhooks/ports.ts';

const ANSWER_BYTES = 64 * 1024;
const agents = { http: new HttpAgent({ keepAlive: true, maxSockets: 256 }), https: new HttpsAgent({ keepAlive: true, maxSockets: 256 }) };

/** The error a caller sees when no answer came in time (core tells it by its name). */
class TimeoutError extends Error {
  override name = 'TimeoutError';
}

export const httpTransport: WebhookTransport = {
  post(url, body, headers, timeoutMs): Promise<HttpAnswer> {
    return new Promise((resolve, reject) => {
      const u = new URL(url);
      const secure = u.protocol === 'https:';
      const payload = Buffer.from(body, 'utf8');
      const req = (secure ? httpsRequest : httpRequest)(u, { method: 'POST', agent: secure ? agents.https : agents.http, headers: { ...headers, 'content-length': String(payload.length) } }, (res) => {
        readCapped(res).then((text) => {
          clearTimeout(timer);
          resolve({ status: res.statusCode ?? 0, body: text });
        }, fail);
      });
      const timer = setTimeout(() => {
        req.destroy(new TimeoutError(`no answer within ${timeoutMs} ms`));
      }, timeoutMs);
      function fail(e: unknown) {
        clearTimeout(timer);
        reject(e);
      }
      req.on('error', fail);
      req.end(payload);
    });
  },
};

function readCapped(res: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    res.on('data', (c: Buffer) => {
      if (size >= ANSWER_BYTES) return;
      chunks.push(c);
      size += c.length;
    });
    res.on('end', () => resolve(Buffer.concat(chunks).subarray(0, ANSWER_BYTES).toString('utf8')));
    res.on('error', reject);
  });
}
