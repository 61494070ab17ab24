// Which events drop cached group rules (in this process, and through the
// cache relay in every other): group events only, one group when they name
// it. Calls, messages, users, tokens and devices change no group rule, so a
// busy call signalling channel never empties the caches of a cluster.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { DomainEvent } from '../../../src/core/events.ts';
import { groupRulesChangedBy } from '../../../src/core/messages/gate-cache.ts';

const ev = (e: Record<string, unknown>) => e as unknown as DomainEvent;

test('group events name their group; other events change no group rule', () => {
  assert.equal(groupRulesChangedBy(ev({ type: 'group.members_muted', appId: 1, groupId: 42, userIds: [7] })), 42);
  assert.equal(groupRulesChangedBy(ev({ type: 'group.updated', appId: 1, group: { id: 43 } })), 43);
  assert.equal(groupRulesChangedBy(ev({ type: 'group.dismissed', appId: 1 })), 'all', 'a rule-changing event that names no group drops every group');
  assert.equal(groupRulesChangedBy(ev({ type: 'group.something_new', appId: 1, groupId: 44 })), 44, 'an event this list does not know drops its group (failing closed)');
  for (const type of ['call.started', 'call.stopped', 'message.sent', 'message.delivered', 'user.updated', 'token.revoked', 'device.signed_in', 'conversation.read']) {
    assert.equal(groupRulesChangedBy(ev({ type, appId: 1, groupId: null })), undefined, type);
  }
});

test("joins and other events that leave every member's standing alone keep a large group's cached answers", () => {
  for (const type of ['group.created', 'group.members_joined', 'group.member_updated', 'group.application_created', 'group.announcement_posted', 'group.file_added']) {
    assert.equal(groupRulesChangedBy(ev({ type, appId: 1, groupId: 42, userIds: [7] })), undefined, type);
  }
  for (const type of ['group.member_left', 'group.members_removed', 'group.roles_changed', 'group.members_unmuted', 'group.owner_transferred', 'group.members_blocked']) {
    assert.equal(groupRulesChangedBy(ev({ type, appId: 1, groupId: 42, userIds: [7] })), 42, type);
  }
});
