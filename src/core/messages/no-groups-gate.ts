// The GroupGate used until the groups module is wired in core.ts: there are
// no groups, so every group operation answers group_not_found and users are
// members of none. Private conversations work fully without groups.

import { fail } from '../errors.ts';
import type { GroupGate } from '../groups/gate.ts';

export const noGroupsGate: GroupGate = {
  assertCanSend: async (_appId, groupId) => {
    throw fail('group_not_found', `group ${groupId} does not exist`);
  },
  readAccess: async (_appId, groupId) => {
    throw fail('group_not_found', `group ${groupId} does not exist`);
  },
  groupIdsOf: async () => [],
  memberCount: async (_appId, groupId) => {
    throw fail('group_not_found', `group ${groupId} does not exist`);
  },
};
