// Wires webhooks into a running server: the outbox worker (woken by this
// process's own committed events, polling for the rest while some endpoint
// exists, told of endpoint changes) and the metrics
// operators watch: deliveries and moderation verdicts by outcome, and the
// endpoints failing right now.

import { Counter, Gauge } from 'prom-client';
import type { Config } from '../config.ts';
import type { ReportBackgroundFailure } from '../core/background.ts';
import type { Core } from '../core/core.ts';
import { WebhookDelivery } from '../core/webhooks/delivery.ts';
import { routeOf } from '../core/webhooks/event-types.ts';
import type { WebhookTransport } from '../core/webhooks/ports.ts';
import type { Metrics } from '../http/ops.ts';

export function startWebhookDelivery(core: Core, config: Config, transport: WebhookTransport, metrics: Metrics, report: ReportBackgroundFailure, owner: string): { stop(): Promise<void> } {
  const deliveries = new Counter({ name: 'parley_webhook_deliveries_total', help: 'Webhook delivery attempts by app and outcome (delivered; failed: retried later; dropped: retry time over)', labelNames: ['app', 'outcome'], registers: [metrics.registry] });
  const delivery = new WebhookDelivery({
    outbox: core.store.webhooks.outbox,
    registry: core.store.webhooks.registry,
    transport,
    clock: core.clock,
    owner,
    report,
    settings: {
      timeoutMs: config.webhookTimeoutMs,
      retryMs: config.webhookRetryHours * 3_600_000,
      retryBaseMs: config.webhookRetryBaseMs,
      retryCapMs: 3_600_000,
      concurrency: config.webhookConcurrency,
      pollMs: config.webhookPollMs,
      // As long as a process trusts its cache of an app's endpoints: a lost bus notice costs the same wait for both.
      recheckMs: Math.max(config.webhookPollMs, config.groupRuleCacheMs),
    },
    onOutcome: (appId, outcome) => deliveries.inc({ app: String(appId), outcome }),
  });
  // A committed event that webhooks carry may have left deliveries: look at once instead of at the next poll.
  const off = core.events.on((e) => {
    if (routeOf(e)) delivery.wake();
  });
  // An endpoint added or removed, here or in another process (the bus relay): the worker wakes or goes idle.
  const offHooks = core.webhooks.onChangeAnywhere(() => void delivery.endpointsChanged());
  delivery.start();
  return {
    async stop() {
      off();
      offHooks();
      await delivery.stop();
    },
  };
}

/** The failing-endpoint gauge (read from the store at each scrape, so every process reports the cluster's truth) and moderation verdicts. */
export function webhookMetrics(core: Core, metrics: Metrics): void {
  const verdicts = new Counter({ name: 'parley_moderation_verdicts_total', help: 'Moderation hook verdicts by app (accept, refuse, replace; failed_accept / failed_refuse: the hook failed and the setting decided)', labelNames: ['app', 'verdict'], registers: [metrics.registry] });
  core.hooks.moderationVerdict = (appId, verdict) => verdicts.inc({ app: String(appId), verdict });
  new Gauge({
    name: 'parley_webhook_endpoint_failing',
    help: 'Webhook endpoints of the app with at least PARLEY_WEBHOOK_FAILING_AFTER consecutive failed deliveries',
    labelNames: ['app'],
    registers: [metrics.registry],
    async collect() {
      this.reset();
      for (const { appId, count } of await core.store.webhooks.registry.failingCounts(core.webhooks.failingAfter)) this.set({ app: String(appId) }, count);
    },
  });
}
