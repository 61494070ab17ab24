// Group info (name, avatar, description, notice, ext…), settings (capacity,
// policies, switches) and the group-wide mute.

import { fail } from '../errors.ts';
import type { GroupContext } from './context.ts';
import type { Actor, Group, GroupInfo, GroupSettings } from './model.ts';
import { muteDeadline, type MuteSpec } from './mute.ts';
import { GroupAction } from './permissions.ts';
import { checkInfo, checkSettings } from './validate.ts';

export interface InfoRule {
  /** Only the owner and admins edit, whatever the group's memberModify says. */
  staffOnly?: boolean;
}

// Staff-only editing is the permission table's settings row (owner, admins, app admin).
const infoAction = (o: InfoRule): GroupAction => (o.staffOnly ? GroupAction.updateSettings : GroupAction.updateInfo);

export class Settings {
  readonly #c: GroupContext;
  constructor(c: GroupContext) {
    this.#c = c;
  }

  /**
   * Edits the group's info: staff, or members when memberModify is on.
   * Changing the kind needs staff. `staffOnly` is a dialect's stricter rule
   * (legacy: "only admins edit group data", whatever memberModify says).
   */
  async updateInfo(actor: Actor, groupId: number, patch: Partial<GroupInfo>, opts: InfoRule = {}): Promise<Group> {
    checkInfo(patch);
    const changed = Object.keys(patch).filter((k) => patch[k as keyof GroupInfo] !== undefined);
    if (changed.length === 0) throw fail('invalid_argument', 'nothing to change');
    return this.#change(actor, groupId, patch.kind !== undefined ? GroupAction.updateSettings : infoAction(opts), () => patch, changed);
  }

  /** Resolves when the actor may edit the group's info (e.g. before handing out an avatar upload). */
  async assertMayUpdateInfo(actor: Actor, groupId: number, opts: InfoRule = {}): Promise<Group> {
    return (await this.#c.authorize(this.#c.d.store, actor, groupId, infoAction(opts))).group;
  }

  async updateSettings(actor: Actor, groupId: number, patch: Partial<GroupSettings>): Promise<Group> {
    const changed = Object.keys(patch).filter((k) => patch[k as keyof GroupSettings] !== undefined);
    if (changed.length === 0) throw fail('invalid_argument', 'nothing to change');
    return this.#change(actor, groupId, GroupAction.updateSettings, (g) => {
      checkSettings(patch, this.#c.d.limits, g.memberCount);
      return patch;
    }, changed);
  }

  /** Mute-all: only owner and admins may speak until the deadline (or for ever). */
  async muteAll(actor: Actor, groupId: number, spec: MuteSpec): Promise<Group> {
    const deadline = muteDeadline(spec, this.#c.now());
    return this.#change(actor, groupId, GroupAction.muteAll, () => ({ muteAllUntil: deadline }), ['muteAllUntil']);
  }

  async unmuteAll(actor: Actor, groupId: number): Promise<Group> {
    return this.#change(actor, groupId, GroupAction.muteAll, () => ({ muteAllUntil: null }), ['muteAllUntil']);
  }

  async #change(actor: Actor, groupId: number, action: GroupAction, make: (g: Group) => Partial<Group>, changed: string[]): Promise<Group> {
    const c = this.#c;
    return c.mutate(async (tx, emit) => {
      const { group } = await c.authorize(tx, actor, groupId, action, { lock: true });
      const now = c.now();
      const patch = { ...make(group), updatedAt: now };
      await tx.groups.groups.update(group.id, patch);
      const updated = { ...group, ...patch };
      emit({ type: 'group.updated', appId: group.appId, groupId: group.id, actorId: actor.userId, at: now, audience: { groupId: group.id }, group: updated, changed });
      return updated;
    });
  }
}
