// How Lanying clients get a token (the original's source, token.md): register with a
// username and password, then log in by name, by user id or by login name.
// Users are core users (handle = username); core's accounts hash and check
// passwords under the same sign-up switch and sign-in limits as every dialect.

import { Type } from '@sinclair/typebox';
import { fail } from '../../../core/errors.ts';
import type { User } from '../../../core/model.ts';
import { WireId, wireId } from '../../wire-ids.ts';
import { requireAppId } from '../auth.ts';
import { ok, Reply } from '../envelope.ts';
import { LanyingCode, LanyingReject } from '../errors.ts';
import type { LanyingApp } from '../plugin.ts';

const Password = Type.String({ minLength: 1, maxLength: 256 });
const DeviceGuid = Type.Optional(Type.String({ maxLength: 256 }));

const RegisterBody = Type.Object({ username: Type.String({ minLength: 1, maxLength: 64 }), password: Password });
const ByName = Type.Object({ name: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })), mobile: Type.Optional(Type.String({ maxLength: 32 })), password: Password, device_guid: DeviceGuid });
const ById = Type.Object({ user_id: WireId, password: Password, device_guid: DeviceGuid });
const ByLogin = Type.Object({ login_name: Type.String({ minLength: 1, maxLength: 64 }), password: Password, device_guid: DeviceGuid });

const TokenData = Type.Object({ token: Type.String(), user_id: Type.Integer(), expire: Type.Integer() });
const Registered = Type.Object({ user_id: Type.Integer(), username: Type.String() });

export function accountRoutes(app: LanyingApp): void {
  const { core } = app;
  const pub = { lanyingPublic: true };

  const issue = async (appId: number, user: User) => {
    const { token, record } = await core.tokens.issue({ appId, kind: 'user', userId: user.id });
    return ok({ token, user_id: user.id, expire: record.expiresAt ?? 0 });
  };

  app.post('/user/register/v2', { config: pub, schema: { body: RegisterBody, response: { 200: Reply(Registered) } } }, async (req) => {
    const appId = await requireAppId(core, req);
    // Core's handle rule, the same in every dialect (README: usernames).
    const user = await core.accounts.register(appId, { handle: req.body.username, password: req.body.password }, req.ip);
    return ok({ user_id: user.id, username: user.handle });
  });

  app.post('/token/user', { config: pub, schema: { body: ByName, response: { 200: Reply(TokenData) } } }, async (req) => {
    const appId = await requireAppId(core, req);
    // Parley keeps no verified phone numbers, so `mobile` cannot name a user.
    if (req.body.name === undefined) throw new LanyingReject(LanyingCode.userNotFound, req.body.mobile === undefined ? 'name is required' : 'login by mobile is not available on this server');
    return issue(appId, await core.accounts.checkPassword(appId, { handle: req.body.name }, req.body.password, req.ip));
  });

  app.post('/token/id', { config: pub, schema: { body: ById, response: { 200: Reply(TokenData) } } }, async (req) => {
    const appId = await requireAppId(core, req);
    const id = wireId(req.body.user_id);
    if (id === undefined) throw fail('invalid_argument', 'user_id must be a user id');
    // Same answer (and the same work) for an unknown id and a wrong password.
    return issue(appId, await core.accounts.checkPassword(appId, { userId: id }, req.body.password, req.ip));
  });

  app.post('/token/login', { config: pub, schema: { body: ByLogin, response: { 200: Reply(TokenData) } } }, async (req) => {
    const appId = await requireAppId(core, req);
    return issue(appId, await core.accounts.checkPassword(appId, { handle: req.body.login_name }, req.body.password, req.ip));
  });
}
