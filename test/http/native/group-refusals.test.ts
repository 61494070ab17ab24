// The error codes the native group routes declare for their actions
// (src/http/native/routes/group-refusals.ts) against core's permission table:
// every refusal assertCan gives, for every standing and every setting that
// changes the answer, is in the action's declared set — and each declared
// code is one assertCan really gives (or the context adds), so neither side
// can move without the other.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isParleyError, type ErrorCode } from '../../../src/core/errors.ts';
import type { Group } from '../../../src/core/groups/model.ts';
import { GroupAction, assertCan, type Standing } from '../../../src/core/groups/permissions.ts';
import { actionRefusals, groupRefusals } from '../../../src/http/native/routes/group-refusals.ts';

const STANDINGS: Standing[] = ['owner', 'admin', 'member', 'app_admin', 'outsider', 'blocked'];

/** Groups that differ in every setting the permission table reads. */
function variants(): Group[] {
  const out: Group[] = [];
  for (const invitePolicy of ['members', 'admins', 'members_approval'] as const) {
    for (const memberModify of [true, false]) {
      for (const adminsMayLeave of [true, false]) {
        out.push({ id: 5, appId: 1, status: 'active', invitePolicy, memberModify, adminsMayLeave } as Group);
      }
    }
  }
  return out;
}

function refusals(action: GroupAction): Set<ErrorCode> {
  const seen = new Set<ErrorCode>();
  for (const g of variants()) {
    for (const standing of STANDINGS) {
      try {
        assertCan(action, standing, g);
      } catch (e) {
        assert.ok(isParleyError(e), `${action} ${standing}: ${String(e)}`);
        seen.add(e.code);
      }
    }
  }
  return seen;
}

test('each action declares exactly the refusals core’s permission table gives', () => {
  for (const action of Object.values(GroupAction)) {
    const given = [...refusals(action)].sort();
    assert.deepEqual(given, [...actionRefusals[action]].sort(), action);
  }
});

test('an operation on a group adds not found, and dismissed or suspended unless it only reads', () => {
  assert.deepEqual(groupRefusals('view', { reads: true }), ['group_not_found', 'blocked_from_group', 'not_group_member']);
  assert.ok(groupRefusals('kick').includes('group_dismissed'));
  assert.ok(groupRefusals('kick').includes('group_suspended'));
});
