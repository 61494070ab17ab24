// One send pipeline for the three ways a dtalk client sends (/record/push,
// /record/push2, socket op 7): translate the Common, name the target, and
// make one core send. The sender is always the authenticated user (`from`
// is overwritten); a resend with the same client seq returns the stored
// message (core's idempotent client ids) and is not delivered again.

import type { Core } from '../../../core/core.ts';
import { fail } from '../../../core/errors.ts';
import { parseId } from '../../../core/ids.ts';
import { RuleSet } from '../../../core/messages/context.ts';
import type { DtalkCaller } from '../auth.ts';
import type { DtalkNames } from '../names.ts';
import { Channel, type Common } from '../proto/messages.ts';
import { inputOf } from './translate.ts';

export interface SendAck {
  mid: number;
  datetime: number;
}

export async function sendCommon(core: Core, names: DtalkNames, caller: DtalkCaller, c: Common): Promise<SendAck> {
  const input = await inputOf(c, names.forApp(caller.appId));
  let target: { groupId: number } | { userId: number };
  if (c.channelType === Channel.toGroup) {
    const groupId = parseId(c.target);
    if (groupId === undefined) throw fail('group_not_found', `group ${c.target} does not exist`);
    target = { groupId };
  } else {
    target = { userId: await names.idOf(caller.appId, c.target) };
  }
  // dtalk's own limits (the 1 MiB body, not the native text limit): core's `dtalk` rule set.
  const { message } = await core.messages.send(caller.appId, caller.userId, target, input, undefined, RuleSet.dtalk);
  return { mid: message.id, datetime: message.createdAt };
}
