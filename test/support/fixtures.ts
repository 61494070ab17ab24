import type { TestServer } from './server.ts';

let seq = 0;

/** Creates a user with a user token, through core (tests of other things need users fast). */
export async function makeUser(server: TestServer, handle?: string): Promise<{ id: number; handle: string; token: string }> {
  const h = handle ?? `user${++seq}_${Math.random().toString(36).slice(2, 8)}`;
  const user = await server.core.users.create(server.appId, { handle: h });
  const { token } = await server.core.tokens.issue({ appId: server.appId, kind: 'user', userId: user.id });
  return { id: user.id, handle: h, token };
}
