// Managing an app's webhooks: its endpoints and its moderation hook, for app
// admins (the native API) and operators (the CLI). Every change drops the
// app's cached hooks here and, through `onChange` listeners (the bus relay),
// in every other process.

import { authorize } from '../auth/principals.ts';
import type { Clock } from '../clock.ts';
import { fail } from '../errors.ts';
import type { IdGenerator } from '../ids.ts';
import type { Principal } from '../model.ts';
import type { Store } from '../ports.ts';
import type { WebhookDirectory } from './directory.ts';
import { newWebhookSecret } from './signature.ts';
import { WebhookCategories, type ModerationHook, type WebhookCategory, type WebhookEndpoint } from './model.ts';

export interface WebhooksDeps {
  store: Store;
  clock: Clock;
  ids: IdGenerator;
  directory: WebhookDirectory;
  /** Consecutive failures after which an endpoint counts as failing. */
  failingAfter: number;
}

export interface EndpointInput {
  url: string;
  /** Generated (`whsec_…`) when absent. */
  secret?: string;
  categories: readonly string[];
}

/** An endpoint as the API shows it: with its health. */
export interface EndpointView extends WebhookEndpoint {
  failing: boolean;
}

const MAX_ENDPOINTS_PER_APP = 20;

export class Webhooks {
  readonly #d: WebhooksDeps;
  readonly #listeners = new Set<(appId: number) => void>();
  readonly #anywhere = new Set<() => void>();

  constructor(deps: WebhooksDeps) {
    this.#d = deps;
  }

  /** Hears every change to an app's hooks made through this process. */
  onChange(listener: (appId: number) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Hears every change to hooks, made through this process or told of by another (the outbox worker wakes). */
  onChangeAnywhere(listener: () => void): () => void {
    this.#anywhere.add(listener);
    return () => this.#anywhere.delete(listener);
  }

  /** Another process changed an app's hooks (without an app: any may have changed). */
  changedElsewhere(appId?: number): void {
    this.#d.directory.forget(appId);
    for (const l of this.#anywhere) l();
  }

  get failingAfter(): number {
    return this.#d.failingAfter;
  }

  addEndpointBy(p: Principal, input: EndpointInput): Promise<EndpointView> {
    authorize(p, 'webhooks.manage');
    return this.addEndpoint(p.appId, input);
  }

  async addEndpoint(appId: number, input: EndpointInput): Promise<EndpointView> {
    const endpoint: WebhookEndpoint = {
      id: this.#d.ids.next(),
      appId,
      url: hookUrl(input.url),
      secret: input.secret === undefined ? newWebhookSecret() : hookSecret(input.secret),
      categories: categoriesOf(input.categories),
      createdAt: this.#d.clock.now(),
      consecutiveFailures: 0,
      lastError: null,
      lastFailureAt: null,
      lastSuccessAt: null,
    };
    if ((await this.#d.store.webhooks.registry.endpoints(appId)).length >= MAX_ENDPOINTS_PER_APP) throw fail('conflict', `an app has at most ${MAX_ENDPOINTS_PER_APP} webhook endpoints`);
    await this.#d.store.webhooks.registry.insertEndpoint(endpoint);
    this.#changed(appId);
    return this.#view(endpoint);
  }

  listEndpointsBy(p: Principal): Promise<EndpointView[]> {
    authorize(p, 'webhooks.manage');
    return this.listEndpoints(p.appId);
  }

  async listEndpoints(appId: number): Promise<EndpointView[]> {
    return (await this.#d.store.webhooks.registry.endpoints(appId)).map((e) => this.#view(e));
  }

  async endpointBy(p: Principal, id: number): Promise<EndpointView> {
    authorize(p, 'webhooks.manage');
    const e = await this.#d.store.webhooks.registry.endpoint(p.appId, id);
    if (!e) throw fail('not_found', `webhook endpoint ${id} does not exist`);
    return this.#view(e);
  }

  async updateEndpointBy(p: Principal, id: number, patch: Partial<EndpointInput>): Promise<EndpointView> {
    authorize(p, 'webhooks.manage');
    const changes = {
      ...(patch.url !== undefined ? { url: hookUrl(patch.url) } : {}),
      ...(patch.secret !== undefined ? { secret: hookSecret(patch.secret) } : {}),
      ...(patch.categories !== undefined ? { categories: categoriesOf(patch.categories) } : {}),
    };
    if (!(await this.#d.store.webhooks.registry.updateEndpoint(p.appId, id, changes))) throw fail('not_found', `webhook endpoint ${id} does not exist`);
    this.#changed(p.appId);
    return this.endpointBy(p, id);
  }

  removeEndpointBy(p: Principal, id: number): Promise<void> {
    authorize(p, 'webhooks.manage');
    return this.removeEndpoint(p.appId, id);
  }

  /** Removes the endpoint with the deliveries still waiting for it. */
  async removeEndpoint(appId: number, id: number): Promise<void> {
    const gone = await this.#d.store.transaction((tx) => tx.webhooks.registry.deleteEndpoint(appId, id));
    if (!gone) throw fail('not_found', `webhook endpoint ${id} does not exist`);
    this.#changed(appId);
  }

  async moderationBy(p: Principal): Promise<ModerationHook> {
    authorize(p, 'webhooks.manage');
    const hook = await this.#d.store.webhooks.registry.moderation(p.appId);
    if (!hook) throw fail('not_found', 'this app has no moderation hook');
    return hook;
  }

  async setModerationBy(p: Principal, input: { url: string; secret?: string }): Promise<ModerationHook> {
    authorize(p, 'webhooks.manage');
    const hook: ModerationHook = { appId: p.appId, url: hookUrl(input.url), secret: input.secret === undefined ? newWebhookSecret() : hookSecret(input.secret), createdAt: this.#d.clock.now() };
    await this.#d.store.webhooks.registry.putModeration(hook);
    this.#changed(p.appId);
    return hook;
  }

  async removeModerationBy(p: Principal): Promise<void> {
    authorize(p, 'webhooks.manage');
    if (!(await this.#d.store.webhooks.registry.deleteModeration(p.appId))) throw fail('not_found', 'this app has no moderation hook');
    this.#changed(p.appId);
  }

  /** Deliveries waiting in the outbox (all apps without `appId`). */
  waiting(appId?: number): Promise<number> {
    return this.#d.store.webhooks.outbox.count(appId);
  }

  #view(e: WebhookEndpoint): EndpointView {
    return { ...e, failing: e.consecutiveFailures >= this.#d.failingAfter };
  }

  #changed(appId: number): void {
    this.#d.directory.forget(appId);
    for (const l of this.#listeners) l(appId);
    for (const l of this.#anywhere) l();
  }
}

function hookUrl(raw: string): string {
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    throw fail('invalid_argument', 'url must be an absolute http:// or https:// URL', { field: 'url' });
  }
  if ((u.protocol !== 'http:' && u.protocol !== 'https:') || raw.length > 2048) throw fail('invalid_argument', 'url must be an absolute http:// or https:// URL of at most 2048 characters', { field: 'url' });
  if (u.username || u.password) throw fail('invalid_argument', 'url must not carry credentials: deliveries are signed with the secret', { field: 'url' });
  return u.toString();
}

function hookSecret(raw: string): string {
  if (!/^[\x21-\x7e]{16,128}$/.test(raw)) throw fail('invalid_argument', 'secret must be 16-128 printable ASCII characters without spaces', { field: 'secret' });
  return raw;
}

function categoriesOf(raw: readonly string[]): WebhookCategory[] {
  const unique = [...new Set(raw)];
  if (unique.length === 0) throw fail('invalid_argument', `events must name at least one of ${WebhookCategories.join(', ')}`, { field: 'events' });
  for (const c of unique) if (!(WebhookCategories as readonly string[]).includes(c)) throw fail('invalid_argument', `"${c}" is not an event category (${WebhookCategories.join(', ')})`, { field: 'events' });
  return unique as WebhookCategory[];
}
