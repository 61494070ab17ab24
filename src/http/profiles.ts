// Loads the users a dialect answer shows (senders, owners, members) by id, in
// one pass; an id that names no user of the app is simply absent, and the
// dialect shows its zero values, as the originals do for deleted accounts.

import type { Core } from '../core/core.ts';
import type { User } from '../core/model.ts';

export async function usersById(core: Core, appId: number, ids: readonly number[]): Promise<Map<number, User>> {
  const unique = [...new Set(ids)];
  const found = await Promise.all(unique.map((id) => core.users.get(appId, id).catch(() => undefined)));
  return new Map(found.filter((u): u is User => u !== undefined).map((u) => [u.id, u]));
}
