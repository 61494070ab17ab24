// Group info (name, avatar, description, notice, ext…), settings (capacity,
// policies, switches) and the group-wide mute. A new notice is also the
// group's newest announcement (current-announcement.ts).

import { fail } from '../errors.ts';
import type { Emit, GroupContext } from './context.ts';
import { normalNotice, postNoticeAsAnnouncement } from './current-announcement.ts';
import type { Repositories } from '../ports.ts';
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
    const p = patch.notice === undefined ? patch : { ...patch, notice: normalNotice(patch.notice) };
    // A changed, non-empty notice joins the announcement history as its newest; an empty one clears it (the history stays).
    const announce = async (tx: Repositories, emit: Emit, before: Group, now: number) => {
      if (p.notice !== undefined && p.notice !== before.notice) await postNoticeAsAnnouncement(this.#c, tx, emit, before, p.notice, actor.userId, now);
    };
    return this.#change(actor, groupId, patch.kind !== undefined ? GroupAction.updateSettings : infoAction(opts), () => p, changed, announce);
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

  async #change(actor: Actor, groupId: number, action: GroupAction, make: (g: Group) => Partial<Group>, changed: string[], alongside?: (tx: Repositories, emit: Emit, before: Group, now: number) => Promise<void>): Promise<Group> {
    const c = this.#c;
    return c.mutate(async (tx, emit) => {
      const { group } = await c.authorize(tx, actor, groupId, action, { lock: true });
      const now = c.now();
      const patch = { ...make(group), updatedAt: now };
      await tx.groups.groups.update(group.id, patch);
      await alongside?.(tx, emit, group, now);
      const updated = { ...group, ...patch };
      emit({ type: 'group.updated', appId: group.appId, groupId: group.id, actorId: actor.userId, at: now, audience: { groupId: group.id }, group: updated, changed });
      return updated;
    });
  }
}
