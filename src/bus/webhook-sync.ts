// Keeps every process's cache of apps' webhook hooks (src/core/webhooks/
// directory.ts) in step: a change made through one process is announced on
// the bus, and the others drop that app's entry. When the bus says
// notifications may have been lost, everything is dropped (fail closed: read
// again rather than trust a list that may be stale); the cache's expiry
// bounds a loss nobody noticed.

import { randomBytes } from 'node:crypto';
import type { Bus } from '../core/bus.ts';
import type { Webhooks } from '../core/webhooks/webhooks.ts';

export const webhookTopic = (busPrefix: string) => `${busPrefix}.webhooks`;

/** Starts relaying; resolves (once subscribed) with the function that stops it. */
export async function relayWebhookChanges(webhooks: Webhooks, bus: Bus, topic: string): Promise<() => void> {
  if (bus.scope === 'process') return () => {};
  const origin = randomBytes(6).toString('hex');
  const unsubscribe = await bus.subscribe(topic, (payload) => {
    const [from, which] = payload.split(' ');
    if (from === origin) return;
    const appId = Number(which);
    webhooks.changedElsewhere(Number.isSafeInteger(appId) && appId > 0 ? appId : undefined);
  });
  const offChanges = webhooks.onChange((appId) => bus.publish(topic, `${origin} ${appId}`));
  const offInterrupted = bus.onInterrupted(() => webhooks.changedElsewhere());
  return () => {
    offChanges();
    offInterrupted();
    unsubscribe();
  };
}

/** Announces this process's changes only (an admin command). */
export function announceWebhookChanges(webhooks: Webhooks, bus: Bus, busPrefix: string): () => void {
  const origin = randomBytes(6).toString('hex');
  return webhooks.onChange((appId) => bus.publish(webhookTopic(busPrefix), `${origin} ${appId}`));
}
