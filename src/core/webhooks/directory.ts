// Each process caches, per app, which endpoints want which categories and the
// app's moderation hook, so that a change in an app without webhooks costs a
// map lookup and nothing else. A change to an app's hooks drops its entry here
// and (through the bus, src/bus/webhook-sync.ts) in every other process; a
// lost notification drops everything (fail closed: re-read, never trust).
// Entries also expire after `ttlMs`, which bounds a notification that was lost
// without anyone noticing.

import type { Clock } from '../clock.ts';
import type { Repositories } from '../ports.ts';
import type { ModerationHook, WebhookCategory } from './model.ts';

export interface AppHooks {
  endpoints: readonly { id: number; categories: readonly WebhookCategory[] }[];
  moderation: ModerationHook | undefined;
}

export class WebhookDirectory {
  readonly #clock: Clock;
  readonly #ttlMs: number;
  readonly #apps = new Map<number, { hooks: AppHooks; at: number }>();
  /** Bumped by every forget: a read that started before it must not fill the cache. */
  #generation = 0;

  constructor(clock: Clock, ttlMs: number) {
    this.#clock = clock;
    this.#ttlMs = ttlMs;
  }

  /** The app's hooks, read through `repos` (a change's own transaction, or the store) when not cached. */
  async of(repos: Pick<Repositories, 'webhooks'>, appId: number): Promise<AppHooks> {
    const hit = this.#apps.get(appId);
    const now = this.#clock.now();
    if (hit && now - hit.at < this.#ttlMs) return hit.hooks;
    const generation = this.#generation;
    const [endpoints, moderation] = [await repos.webhooks.registry.endpoints(appId), await repos.webhooks.registry.moderation(appId)];
    const hooks: AppHooks = { endpoints: endpoints.map((e) => ({ id: e.id, categories: e.categories })), moderation };
    if (generation === this.#generation) this.#apps.set(appId, { hooks, at: now });
    return hooks;
  }

  /** Whether the cached answer says the app has an endpoint at all (no read; unknown apps say true). */
  mayHaveEndpoints(appId: number): boolean {
    const hit = this.#apps.get(appId);
    return !hit || hit.hooks.endpoints.length > 0;
  }

  forget(appId?: number): void {
    this.#generation++;
    if (appId === undefined) this.#apps.clear();
    else this.#apps.delete(appId);
  }
}
