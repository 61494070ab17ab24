// Groups as one service: the GroupGate messages consume, plus one object per
// concept (lifecycle, settings, roles, membership, moderation, profiles,
// applications, invitations, QR codes, announcements, files).

import { GroupContext, type GroupDeps, type GroupLimits } from './context.ts';
import type { GroupGate, GroupMembership, GroupReadAccess, GroupRole, SendStanding } from './gate.ts';
import { StoreGroupGate } from './gate-impl.ts';
import { Lifecycle } from './lifecycle.ts';
import { Membership } from './membership.ts';
import { Moderation } from './moderation.ts';
import { Roles } from './roles.ts';
import { Settings } from './settings.ts';
import { Applications } from './applications.ts';
import { Invitations } from './invitations.ts';
import { QrCodes } from './qrcodes.ts';
import { Profiles } from './profile.ts';
import { Announcements } from './announcements.ts';
import { GroupFiles } from './files.ts';

export const defaultGroupLimits: GroupLimits = {
  defaultCapacity: 2000,
  maxCapacity: 100_000,
  maxAdmins: 10,
  applicationTtlMs: 7 * 86_400_000,
  invitationTtlMs: 7 * 86_400_000,
  qrCodeTtlMs: 7 * 86_400_000,
};

export class Groups implements GroupGate {
  readonly lifecycle: Lifecycle;
  readonly settings: Settings;
  readonly roles: Roles;
  readonly members: Membership;
  readonly moderation: Moderation;
  readonly applications: Applications;
  readonly invitations: Invitations;
  readonly qrCodes: QrCodes;
  readonly profiles: Profiles;
  readonly announcements: Announcements;
  readonly files: GroupFiles;
  readonly limits: GroupLimits;
  readonly #gate: StoreGroupGate;

  constructor(deps: GroupDeps) {
    const c = new GroupContext(deps);
    this.limits = deps.limits;
    this.lifecycle = new Lifecycle(c);
    this.settings = new Settings(c);
    this.roles = new Roles(c);
    this.members = new Membership(c);
    this.moderation = new Moderation(c);
    this.applications = new Applications(c);
    this.invitations = new Invitations(c, this.applications);
    this.qrCodes = new QrCodes(c);
    this.profiles = new Profiles(c);
    this.announcements = new Announcements(c);
    this.files = new GroupFiles(c);
    this.#gate = new StoreGroupGate(deps.store, deps.clock);
  }

  standing(appId: number, groupId: number, userId: number): Promise<SendStanding> {
    return this.#gate.standing(appId, groupId, userId);
  }
  assertCanSend(appId: number, groupId: number, userId: number): Promise<GroupRole> {
    return this.#gate.assertCanSend(appId, groupId, userId);
  }
  assertCanPost(appId: number, groupId: number, userId: number): Promise<GroupRole> {
    return this.#gate.assertCanPost(appId, groupId, userId);
  }
  assertCanReact(appId: number, groupId: number, userId: number): Promise<GroupRole> {
    return this.#gate.assertCanReact(appId, groupId, userId);
  }
  takeSlowModeTurn(appId: number, groupId: number, userId: number, seconds: number): Promise<void> {
    return this.#gate.takeSlowModeTurn(appId, groupId, userId, seconds);
  }
  readAccess(appId: number, groupId: number, userId: number): Promise<GroupReadAccess> {
    return this.#gate.readAccess(appId, groupId, userId);
  }
  groupIdsOf(appId: number, userId: number): Promise<number[]> {
    return this.#gate.groupIdsOf(appId, userId);
  }

  membershipsOf(appId: number, userId: number): Promise<GroupMembership[]> {
    return this.#gate.membershipsOf(appId, userId);
  }
  memberCount(appId: number, groupId: number): Promise<number> {
    return this.#gate.memberCount(appId, groupId);
  }
}
