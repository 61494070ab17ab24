// The permission matrix: every group action against owner, admin, member,
// non-member and blocked user (under the settings that matter), checking the
// answer and what was stored. Each cell gets a fresh group so cells cannot
// influence each other.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../../support/server.ts';
import type { Reply } from '../../support/http.ts';
import { cast, person, type Cast, type Person } from './groups-helpers.ts';

type Who = 'owner' | 'admin' | 'member' | 'outsider' | 'blocked';
const WHO: Who[] = ['owner', 'admin', 'member', 'outsider', 'blocked'];
type Expect = Record<Who, 'ok' | string>;

interface Row {
  action: string;
  settings?: Record<string, unknown>;
  expect: Expect;
  run(s: TestServer, c: Cast, me: Person, extra: Person): Promise<Reply>;
  /** Whether the change is in the store (omitted for reads). */
  stored?(s: TestServer, c: Cast, me: Person, extra: Person): Promise<boolean>;
}

const NM = 'not_group_member';
const BL = 'blocked_from_group';
const staffOnly = (member: string): Expect => ({ owner: 'ok', admin: 'ok', member, outsider: NM, blocked: BL });
const everyMember: Expect = { owner: 'ok', admin: 'ok', member: 'ok', outsider: NM, blocked: BL };
const ownerOnly: Expect = { owner: 'ok', admin: 'group_owner_required', member: 'group_owner_required', outsider: NM, blocked: BL };

const member = (s: TestServer, g: number, u: number) => s.core.store.groups.members.get(g, u);
const group = async (s: TestServer, g: number) => {
  const x = await s.core.store.groups.groups.get(g);
  if (!x) throw new Error('group vanished');
  return x;
};
/** A target the actor acts on: the member, or (when the actor is the member) the admin. */
const targetOf = (c: Cast, me: Person) => (me.id === c.member.id ? c.admin : c.member);

const rows: Row[] = [
  { action: 'view the group', expect: everyMember, run: (_s, c, me) => me.api.get(`/v1/groups/${c.groupId}`) },
  { action: 'list members', expect: everyMember, run: (_s, c, me) => me.api.get(`/v1/groups/${c.groupId}/members`) },
  {
    action: 'edit info (memberModify off)',
    expect: staffOnly('modify_not_allowed'),
    run: (_s, c, me) => me.api.patch(`/v1/groups/${c.groupId}`, { name: 'changed' }),
    stored: async (s, c) => (await group(s, c.groupId)).name === 'changed',
  },
  {
    action: 'edit info (memberModify on)',
    settings: { memberModify: true },
    expect: everyMember,
    run: (_s, c, me) => me.api.patch(`/v1/groups/${c.groupId}`, { name: 'changed' }),
    stored: async (s, c) => (await group(s, c.groupId)).name === 'changed',
  },
  {
    action: 'change settings',
    expect: staffOnly('group_admin_required'),
    run: (_s, c, me) => me.api.patch(`/v1/groups/${c.groupId}/settings`, { readReceipts: true }),
    stored: async (s, c) => (await group(s, c.groupId)).readReceipts,
  },
  {
    action: 'dismiss',
    expect: ownerOnly,
    run: (_s, c, me) => me.api.delete(`/v1/groups/${c.groupId}`),
    stored: async (s, c) => (await group(s, c.groupId)).status === 'dismissed',
  },
  {
    action: 'transfer ownership',
    expect: ownerOnly,
    run: (_s, c, me) => me.api.post(`/v1/groups/${c.groupId}/transfer`, { userId: targetOf(c, me).id }),
    stored: async (s, c) => (await group(s, c.groupId)).ownerId !== c.owner.id,
  },
  {
    action: 'appoint an admin',
    expect: ownerOnly,
    run: (_s, c, me) => me.api.post(`/v1/groups/${c.groupId}/admins`, { userIds: [c.member.id] }),
    stored: async (s, c) => (await member(s, c.groupId, c.member.id))?.role === 'admin',
  },
  {
    action: 'add a user (invitePolicy members)',
    expect: everyMember,
    run: (_s, c, me, x) => me.api.post(`/v1/groups/${c.groupId}/members`, { userIds: [x.id] }),
    stored: async (s, c, _me, x) => (await member(s, c.groupId, x.id)) !== undefined,
  },
  {
    action: 'add a user (invitePolicy admins)',
    settings: { invitePolicy: 'admins' },
    expect: staffOnly('invite_not_allowed'),
    run: (_s, c, me, x) => me.api.post(`/v1/groups/${c.groupId}/members`, { userIds: [x.id] }),
    stored: async (s, c, _me, x) => (await member(s, c.groupId, x.id)) !== undefined,
  },
  {
    action: 'invite a user',
    expect: everyMember,
    run: (_s, c, me, x) => me.api.post(`/v1/groups/${c.groupId}/invitations`, { userIds: [x.id] }),
    stored: async (s, c, me, x) => (await s.core.store.groups.invitations.findPending(c.groupId, x.id, me.id)) !== undefined,
  },
  {
    action: 'kick',
    expect: staffOnly('group_admin_required'),
    run: (_s, c, me) => me.api.post(`/v1/groups/${c.groupId}/members/remove`, { userIds: [targetOf(c, me).id] }),
    stored: async (s, c, me) => (await member(s, c.groupId, targetOf(c, me).id)) === undefined,
  },
  {
    action: 'mute a member',
    expect: staffOnly('group_admin_required'),
    run: (_s, c, me) => me.api.post(`/v1/groups/${c.groupId}/mutes`, { userIds: [c.member.id], minutes: 5 }),
    stored: async (s, c) => (await member(s, c.groupId, c.member.id))?.mutedUntil != null,
  },
  {
    action: 'mute everyone',
    expect: staffOnly('group_admin_required'),
    run: (_s, c, me) => me.api.put(`/v1/groups/${c.groupId}/mute-all`, { forever: true }),
    stored: async (s, c) => (await group(s, c.groupId)).muteAllUntil !== null,
  },
  {
    action: 'block a user',
    expect: staffOnly('group_admin_required'),
    run: (_s, c, me, x) => me.api.post(`/v1/groups/${c.groupId}/blocks`, { userIds: [x.id] }),
    stored: async (s, c, _me, x) => (await s.core.store.groups.blocks.getMany(c.groupId, [x.id])).length === 1,
  },
  { action: 'list blocked users', expect: staffOnly('group_admin_required'), run: (_s, c, me) => me.api.get(`/v1/groups/${c.groupId}/blocks`) },
  { action: 'list applications', expect: staffOnly('group_admin_required'), run: (_s, c, me) => me.api.get(`/v1/groups/${c.groupId}/applications`) },
  {
    action: 'apply to join',
    expect: { owner: 'already_group_member', admin: 'already_group_member', member: 'already_group_member', outsider: 'ok', blocked: BL },
    run: (_s, c, me) => me.api.post(`/v1/groups/${c.groupId}/applications`, {}),
    stored: async (s, c, me) => (await s.core.store.groups.applications.getByApplicant(c.groupId, me.id)) !== undefined,
  },
  {
    action: 'leave',
    expect: { owner: 'owner_cannot_leave', admin: 'ok', member: 'ok', outsider: NM, blocked: BL },
    run: (_s, c, me) => me.api.post(`/v1/groups/${c.groupId}/leave`),
    stored: async (s, c, me) => (await member(s, c.groupId, me.id)) === undefined && (await group(s, c.groupId)).memberCount === 2,
  },
  {
    action: 'leave (adminsMayLeave off)',
    settings: { adminsMayLeave: false },
    expect: { owner: 'owner_cannot_leave', admin: 'admin_cannot_leave', member: 'ok', outsider: NM, blocked: BL },
    run: (_s, c, me) => me.api.post(`/v1/groups/${c.groupId}/leave`),
    stored: async (s, c, me) => (await member(s, c.groupId, me.id)) === undefined && (await group(s, c.groupId)).memberCount === 2,
  },
  { action: 'sign a QR code', expect: everyMember, run: (_s, c, me) => me.api.post(`/v1/groups/${c.groupId}/qr-codes`) },
  { action: 'sign a QR code (invitePolicy admins)', settings: { invitePolicy: 'admins' }, expect: staffOnly('invite_not_allowed'), run: (_s, c, me) => me.api.post(`/v1/groups/${c.groupId}/qr-codes`) },
  {
    action: 'post an announcement',
    expect: staffOnly('modify_not_allowed'),
    run: (_s, c, me) => me.api.post(`/v1/groups/${c.groupId}/announcements`, { title: 't', content: 'c' }),
    stored: async (s, c) => (await s.core.store.groups.announcements.count(c.groupId)) === 1,
  },
  {
    action: 'share a file',
    expect: everyMember,
    run: (_s, c, me) => me.api.post(`/v1/groups/${c.groupId}/files`, { name: 'f', size: 1, url: 'https://f' }),
    stored: async (s, c) => (await s.core.store.groups.files.count(c.groupId)) === 1,
  },
  {
    action: 'set own display name',
    expect: everyMember,
    run: (_s, c, me) => me.api.patch(`/v1/groups/${c.groupId}/members/${me.id}`, { displayName: 'nick' }),
    stored: async (s, c, me) => (await member(s, c.groupId, me.id))?.displayName === 'nick',
  },
  {
    action: 'send a message (gate)',
    expect: everyMember,
    run: async (s, c, me) => {
      try {
        await s.core.groupGate.assertCanSend(s.appId, c.groupId, me.id);
        return { status: 200, body: {}, headers: new Headers(), text: '' };
      } catch (e) {
        return { status: 403, body: { error: { code: (e as { code: string }).code } }, headers: new Headers(), text: '' };
      }
    },
  },
];

describe('native groups: permission matrix', () => {
  let s: TestServer;
  before(async () => {
    s = await startTestServer();
  });
  after(() => s.stop());

  for (const row of rows) {
    test(row.action, async () => {
      // Cells are independent (a fresh group each), so they run side by side.
      await Promise.all(
        WHO.map(async (who) => {
          const c = await cast(s, row.settings ?? {});
          const extra = await person(s);
          const me = c[who];
          const r = await row.run(s, c, me, extra);
          const want = row.expect[who];
          const label = `${row.action} as ${who}: ${r.text}`;
          if (want === 'ok') assert.ok(r.status >= 200 && r.status < 300, label);
          else {
            assert.ok(r.status >= 400 && r.status < 500, label);
            assert.equal(r.body.error.code, want, label);
          }
          if (row.stored) assert.equal(await row.stored(s, c, me, extra), want === 'ok', `stored state after ${row.action} as ${who}`);
        }),
      );
    });
  }
});
