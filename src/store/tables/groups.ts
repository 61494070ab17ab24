// Row shapes of the group tables (see src/core/groups/model.ts for meanings).
// Times are integer ms; booleans 0/1; JSON as text. Mute deadlines use the
// core sentinel MUTE_FOREVER (src/core/groups/mute.ts) for "for ever".

export interface GroupsTable {
  id: number;
  app_id: number;
  kind: string;
  status: string;
  name: string;
  public_name: string;
  avatar: string;
  description: string;
  notice: string;
  ext: string;
  /** JSON object of dialect-specific extras (projectName, qrCodeUrl, …). */
  attrs: string;
  owner_id: number;
  creator_id: number;
  mark_id: string;
  crypto_key: string;
  business_type: string | null;
  business_id: string | null;
  capacity: number;
  member_count: number;
  join_policy: string;
  invite_policy: string;
  member_modify: number;
  read_receipts: number;
  history_visible: number;
  allow_friending: number;
  is_public: number;
  admins_may_leave: number;
  hide_member_info: number;
  broadcast: number;
  members_may_react: number;
  slow_mode_seconds: number;
  notice_member_threshold: number;
  mute_all_until: number | null;
  created_at: number;
  updated_at: number;
  dismissed_at: number | null;
}

export interface GroupMembersTable {
  group_id: number;
  user_id: number;
  role: string;
  display_name: string;
  joined_at: number;
  inviter_id: number | null;
  muted_until: number | null;
  message_mute_mode: number;
  push_mode: number;
  updated_at: number;
  /** When slow mode last let the member post (ms); null = never. */
  last_posted_at: number | null;
}

export interface GroupBlocksTable {
  group_id: number;
  user_id: number;
  blocked_by: number | null;
  created_at: number;
}

export interface GroupApplicationsTable {
  id: number;
  app_id: number;
  group_id: number;
  applicant_id: number;
  inviter_id: number | null;
  reason: string;
  status: string;
  handled_by: number | null;
  created_at: number;
  updated_at: number;
  expires_at: number;
}

export interface GroupInvitationsTable {
  id: number;
  app_id: number;
  group_id: number;
  inviter_id: number;
  invitee_id: number;
  reason: string;
  status: string;
  created_at: number;
  updated_at: number;
  expires_at: number;
}

export interface GroupAnnouncementsTable {
  id: number;
  app_id: number;
  group_id: number;
  title: string;
  content: string;
  author_id: number | null;
  created_at: number;
  updated_at: number;
}

export interface GroupFilesTable {
  id: number;
  app_id: number;
  group_id: number;
  name: string;
  size: number;
  type: string;
  url: string;
  object_key: string | null;
  uploader_id: number | null;
  created_at: number;
  updated_at: number;
}

export interface GroupTables {
  groups: GroupsTable;
  group_members: GroupMembersTable;
  group_blocks: GroupBlocksTable;
  group_applications: GroupApplicationsTable;
  group_invitations: GroupInvitationsTable;
  group_announcements: GroupAnnouncementsTable;
  group_files: GroupFilesTable;
}
