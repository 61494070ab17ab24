// Webhooks of the caller's app (app-admin token): endpoints that receive
// signed deliveries of the app's events, and the optional moderation hook
// asked before each send. docs/webhooks.md describes deliveries and checks.

import { Type } from '@sinclair/typebox';
import { WebhookCategories } from '../../../core/webhooks/model.ts';
import type { EndpointView } from '../../../core/webhooks/webhooks.ts';
import type { NativeApp } from '../plugin.ts';
import { authenticate } from '../auth.ts';
import { Id, IdParam, errors } from '../schemas.ts';

const Category = Type.Union(WebhookCategories.map((c) => Type.Literal(c)), { description: 'An event category (docs/webhooks.md lists the event types of each)' });
const Url = Type.String({ minLength: 1, maxLength: 2048, description: 'Absolute http:// or https:// URL' });
const Secret = Type.String({ minLength: 16, maxLength: 128, description: 'Signing secret; generated (whsec_…) when absent' });

const EndpointBody = Type.Object({ url: Url, secret: Type.Optional(Secret), events: Type.Array(Category, { minItems: 1, maxItems: WebhookCategories.length }) }, { additionalProperties: false });
const EndpointPatch = Type.Object({ url: Type.Optional(Url), secret: Type.Optional(Secret), events: Type.Optional(Type.Array(Category, { minItems: 1, maxItems: WebhookCategories.length })) }, { additionalProperties: false });

const Endpoint = Type.Object({
  id: Id,
  url: Type.String(),
  events: Type.Array(Type.String()),
  createdAt: Type.Integer(),
  failing: Type.Boolean({ description: 'At least PARLEY_WEBHOOK_FAILING_AFTER deliveries failed in a row' }),
  consecutiveFailures: Type.Integer(),
  lastError: Type.Union([Type.String(), Type.Null()]),
  lastFailureAt: Type.Union([Type.Integer(), Type.Null()]),
  lastSuccessAt: Type.Union([Type.Integer(), Type.Null()]),
});
const EndpointWithSecret = Type.Object({ ...Endpoint.properties, secret: Type.String() });
const EndpointList = Type.Object({ items: Type.Array(Endpoint), waiting: Type.Integer({ description: 'Deliveries of this app waiting in the outbox' }) });

const ModerationBody = Type.Object({ url: Url, secret: Type.Optional(Secret) }, { additionalProperties: false });
const Moderation = Type.Object({ url: Type.String(), createdAt: Type.Integer() });
const ModerationWithSecret = Type.Object({ ...Moderation.properties, secret: Type.String() });

const shown = (e: EndpointView) => ({ id: e.id, url: e.url, events: e.categories, createdAt: e.createdAt, failing: e.failing, consecutiveFailures: e.consecutiveFailures, lastError: e.lastError, lastFailureAt: e.lastFailureAt, lastSuccessAt: e.lastSuccessAt });

export function webhookRoutes(app: NativeApp): void {
  const { core } = app;
  const tags = ['webhooks'];

  app.post('/webhooks', { schema: { tags, summary: 'Register a webhook endpoint (admin); the answer carries its signing secret', body: EndpointBody, response: { 201: EndpointWithSecret, ...errors } } }, async (req, reply) => {
    const e = await core.webhooks.addEndpointBy(await authenticate(core, req), { url: req.body.url, categories: req.body.events, ...(req.body.secret !== undefined ? { secret: req.body.secret } : {}) });
    reply.code(201);
    return { ...shown(e), secret: e.secret };
  });

  app.get('/webhooks', { schema: { tags, summary: "The app's webhook endpoints and their health (admin)", response: { 200: EndpointList, ...errors } } }, async (req) => {
    const p = await authenticate(core, req);
    const items = (await core.webhooks.listEndpointsBy(p)).map(shown);
    return { items, waiting: await core.webhooks.waiting(p.appId) };
  });

  app.get('/webhooks/moderation', { schema: { tags, summary: "The app's moderation hook (admin)", response: { 200: Moderation, ...errors } } }, async (req) => {
    const h = await core.webhooks.moderationBy(await authenticate(core, req));
    return { url: h.url, createdAt: h.createdAt };
  });

  app.put('/webhooks/moderation', { schema: { tags, summary: 'Set the moderation hook asked before each send (admin); the answer carries its signing secret', body: ModerationBody, response: { 200: ModerationWithSecret, ...errors } } }, async (req) => {
    const h = await core.webhooks.setModerationBy(await authenticate(core, req), { url: req.body.url, ...(req.body.secret !== undefined ? { secret: req.body.secret } : {}) });
    return { url: h.url, createdAt: h.createdAt, secret: h.secret };
  });

  app.delete('/webhooks/moderation', { schema: { tags, summary: 'Remove the moderation hook (admin)', response: { 204: Type.Null(), ...errors } } }, async (req, reply) => {
    await core.webhooks.removeModerationBy(await authenticate(core, req));
    reply.code(204);
    return null;
  });

  app.get('/webhooks/:id', { schema: { tags, summary: 'One webhook endpoint (admin)', params: IdParam, response: { 200: Endpoint, ...errors } } }, async (req) => {
    return shown(await core.webhooks.endpointBy(await authenticate(core, req), Number(req.params.id)));
  });

  app.patch('/webhooks/:id', { schema: { tags, summary: 'Change a webhook endpoint (admin)', params: IdParam, body: EndpointPatch, response: { 200: Endpoint, ...errors } } }, async (req) => {
    const { url, secret, events } = req.body;
    return shown(await core.webhooks.updateEndpointBy(await authenticate(core, req), Number(req.params.id), { ...(url !== undefined ? { url } : {}), ...(secret !== undefined ? { secret } : {}), ...(events !== undefined ? { categories: events } : {}) }));
  });

  app.delete('/webhooks/:id', { schema: { tags, summary: 'Remove a webhook endpoint and its waiting deliveries (admin)', params: IdParam, response: { 204: Type.Null(), ...errors } } }, async (req, reply) => {
    await core.webhooks.removeEndpointBy(await authenticate(core, req), Number(req.params.id));
    reply.code(204);
    return null;
  });
}
