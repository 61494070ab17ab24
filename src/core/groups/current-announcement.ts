// A group has ONE current announcement, whichever dialect reads or writes it
// (issue 13 item 9): legacy `notice`, xim `broadcast` and native `notice`
// read the group's `notice` field; lanying reads `/group/announcement/*`, a
// history newest first. The invariant that joins them, kept by core in the
// same transaction as every change of either:
//
//   group.notice = the text of the group's newest announcement,
//                  or '' when it has none or the notice was cleared.
//
// So writing `notice` (updateInfo, create) posts a new announcement, and
// posting, editing or deleting the newest announcement rewrites `notice`.
// Clearing `notice` keeps the history: the group then has no current
// announcement (lanying `announcement/last` answers "none") until the next
// one is posted.

import type { Emit, GroupContext } from './context.ts';
import type { Announcement, Group } from './model.ts';
import type { Repositories } from '../ports.ts';

/** What a one-field dialect shows of an announcement: its content, else its title. */
export function noticeText(a: Pick<Announcement, 'title' | 'content'>): string {
  return a.content.trim() !== '' ? a.content : a.title;
}

/** A notice of blanks only is no notice. */
export function normalNotice(text: string): string {
  return text.trim() === '' ? '' : text;
}

/** The newest announcement of a group. */
export async function newestAnnouncement(tx: Repositories, groupId: number): Promise<Announcement | undefined> {
  const [a] = await tx.groups.announcements.list(groupId, Number.MAX_SAFE_INTEGER, 1);
  return a;
}

/** Records a notice written as a group field as the group's newest announcement (its author the actor). */
export async function postNoticeAsAnnouncement(c: GroupContext, tx: Repositories, emit: Emit, group: Group, text: string, actorId: number | null, now: number): Promise<void> {
  if (text === '') return;
  const a: Announcement = { id: c.d.ids.next(), appId: group.appId, groupId: group.id, title: '', content: text, authorId: actorId, createdAt: now, updatedAt: now };
  await tx.groups.announcements.insert(a);
  emit({ type: 'group.announcement_posted', appId: group.appId, groupId: group.id, actorId, at: now, audience: { groupId: group.id }, announcement: a });
}

/** Sets the group's notice field to `text` (when it differs), as a group.updated change naming `notice`. */
export async function showAsNotice(tx: Repositories, emit: Emit, group: Group, text: string, actorId: number | null, now: number): Promise<void> {
  if (group.notice === text) return;
  await tx.groups.groups.update(group.id, { notice: text, updatedAt: now });
  emit({ type: 'group.updated', appId: group.appId, groupId: group.id, actorId, at: now, audience: { groupId: group.id }, group: { ...group, notice: text, updatedAt: now }, changed: ['notice'] });
}
