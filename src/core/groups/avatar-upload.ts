// An upload slot for a group's avatar (lanying's SDK asks for one before it
// sets the avatar URL with 4.25). Only someone who may edit the group's info
// gets one; the object is public, since avatars are fetched by any client.

import type { Files } from '../files/files.ts';
import type { UploadCredential, Uploads } from '../files/uploads.ts';
import type { Actor } from './model.ts';
import type { Groups } from './groups.ts';

const AVATAR_MAX_BYTES = 5 * 1024 * 1024;

export async function groupAvatarUpload(
  deps: { groups: Groups; uploads: Uploads; files: Pick<Files, 'settings'> },
  actor: Actor,
  groupId: number,
): Promise<UploadCredential> {
  await deps.groups.settings.assertMayUpdateInfo(actor, groupId);
  // The upload is owned by the acting user (or the app when an admin token acts for it).
  const principal = { appId: actor.appId, userId: actor.userId, isAdmin: actor.appAdmin, tokenId: 0 };
  // 5 MiB, or less where the server stores nothing that large.
  const maxBytes = Math.min(AVATAR_MAX_BYTES, deps.files.settings.maxObjectSize);
  return deps.uploads.issueCredential(principal, { visibility: 'public', maxBytes, via: 'parley', filename: `group-${groupId}-avatar` });
}
