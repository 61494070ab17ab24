// Shared set-up for the group tests: users with tokens, and a group with an
// owner, an admin, a member, an outsider and a blocked user.
import assert from 'node:assert/strict';
import { client } from '../../support/http.ts';
import { makeUser } from '../../support/fixtures.ts';
import type { TestServer } from '../../support/server.ts';

export type Api = ReturnType<typeof client>;
export interface Person {
  id: number;
  api: Api;
}

export async function person(s: TestServer): Promise<Person> {
  const u = await makeUser(s);
  return { id: u.id, api: client(s.url, u.token) };
}

export async function people(s: TestServer, n: number): Promise<Person[]> {
  const out: Person[] = [];
  for (let i = 0; i < n; i++) out.push(await person(s));
  return out;
}

export interface Cast {
  groupId: number;
  owner: Person;
  admin: Person;
  member: Person;
  outsider: Person;
  blocked: Person;
}

/** A group with one of each standing. `settings` are applied at creation. */
export async function cast(s: TestServer, settings: Record<string, unknown> = {}): Promise<Cast> {
  const [owner, admin, member, outsider, blocked] = await people(s, 5);
  const created = await owner.api.post('/v1/groups', { name: 'cast', memberIds: [admin.id, member.id, blocked.id], settings });
  assert.equal(created.status, 201, created.text);
  const groupId = created.body.group.id as number;
  assert.equal((await owner.api.post(`/v1/groups/${groupId}/admins`, { userIds: [admin.id] })).body.results[0].ok, true);
  const b = await owner.api.post(`/v1/groups/${groupId}/blocks`, { userIds: [blocked.id] });
  assert.equal(b.body.results[0].ok, true, b.text);
  return { groupId, owner, admin, member, outsider, blocked };
}

export async function memberIds(api: Api, groupId: number): Promise<number[]> {
  const r = await api.get(`/v1/groups/${groupId}/members`, { query: { limit: 200 } });
  assert.equal(r.status, 200, r.text);
  return r.body.items.map((m: { userId: number }) => m.userId).sort();
}
