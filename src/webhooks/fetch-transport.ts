// Webhook HTTP through Node's built-in fetch (undici): one POST with a hard
// timeout (AbortSignal.timeout), no redirects followed (a signed delivery
// goes where it was registered, nowhere else), and at most ANSWER_BYTES of
// the answer read (a moderation verdict is tiny; a delivery's answer body is
// not used at all).

import type { HttpAnswer, WebhookTransport } from '../core/webhooks/ports.ts';

const ANSWER_BYTES = 64 * 1024;

export const fetchTransport: WebhookTransport = {
  async post(url, body, headers, timeoutMs): Promise<HttpAnswer> {
    const signal = AbortSignal.timeout(timeoutMs);
    const res = await fetch(url, { method: 'POST', body, headers, redirect: 'manual', signal });
    return { status: res.status, body: await readCapped(res) };
  },
};

async function readCapped(res: Response): Promise<string> {
  if (!res.body) return '';
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      size += value.byteLength;
      if (size >= ANSWER_BYTES) break;
    }
  } finally {
    // Whatever was not read is not wanted: free the connection.
    await reader.cancel().catch(() => {});
  }
  return Buffer.concat(chunks).subarray(0, ANSWER_BYTES).toString('utf8');
}
