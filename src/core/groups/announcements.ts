// Announcements: posted and edited by staff (or members when memberModify is
// on), read by members; newest first. The newest is the group's current
// announcement, shown as its `notice` field too (current-announcement.ts).

import { decodeCursor, encodeCursor, isPositiveInt } from '../cursor.ts';
import { fail } from '../errors.ts';
import { checkLine, checkParagraphs } from '../text.ts';
import type { GroupContext } from './context.ts';
import { newestAnnouncement, noticeText, showAsNotice } from './current-announcement.ts';
import type { Actor, Announcement, Paged } from './model.ts';
import { GroupAction } from './permissions.ts';

const MAX_TITLE = 256;
const MAX_CONTENT = 16 * 1024;

function check(p: { title?: string; content?: string }): void {
  if (p.title !== undefined && p.title.length > MAX_TITLE) throw fail('invalid_argument', `title is longer than ${MAX_TITLE} characters`);
  if (p.content !== undefined && p.content.length > MAX_CONTENT) throw fail('invalid_argument', `content is longer than ${MAX_CONTENT} characters`);
  checkLine(p.title, 'title');
  checkParagraphs(p.content, 'content');
}

export class Announcements {
  readonly #c: GroupContext;
  constructor(c: GroupContext) {
    this.#c = c;
  }

  async post(actor: Actor, groupId: number, input: { title: string; content: string }): Promise<Announcement> {
    check(input);
    if (input.title.trim() === '' && input.content.trim() === '') throw fail('invalid_argument', 'an announcement needs a title or content');
    const c = this.#c;
    return c.mutate(async (tx, emit) => {
      // Locked: the group's notice changes with it, and two posts must agree on which is newest.
      const { group } = await c.authorize(tx, actor, groupId, GroupAction.postAnnouncement, { lock: true });
      const now = c.now();
      const a: Announcement = { id: c.d.ids.next(), appId: group.appId, groupId: group.id, title: input.title, content: input.content, authorId: actor.userId, createdAt: now, updatedAt: now };
      await tx.groups.announcements.insert(a);
      emit({ type: 'group.announcement_posted', appId: group.appId, groupId: group.id, actorId: actor.userId, at: now, audience: { groupId: group.id }, announcement: a });
      await showAsNotice(tx, emit, group, noticeText(a), actor.userId, now);
      return a;
    });
  }

  async edit(actor: Actor, groupId: number, id: number, patch: { title?: string; content?: string }): Promise<Announcement> {
    check(patch);
    if (patch.title === undefined && patch.content === undefined) throw fail('invalid_argument', 'nothing to change');
    const c = this.#c;
    return c.mutate(async (tx, emit) => {
      const { group } = await c.authorize(tx, actor, groupId, GroupAction.postAnnouncement, { lock: true });
      const a = await tx.groups.announcements.get(id);
      if (!a || a.groupId !== group.id) throw fail('announcement_not_found', `announcement ${id} does not exist`);
      const now = c.now();
      const p = { ...patch, updatedAt: now };
      await tx.groups.announcements.update(id, p);
      const updated = { ...a, ...p };
      emit({ type: 'group.announcement_updated', appId: group.appId, groupId: group.id, actorId: actor.userId, at: now, audience: { groupId: group.id }, announcement: updated });
      // Editing the current announcement edits the notice; a cleared notice stays cleared.
      if (group.notice !== '' && (await newestAnnouncement(tx, group.id))?.id === id) await showAsNotice(tx, emit, group, noticeText(updated), actor.userId, now);
      return updated;
    });
  }

  async delete(actor: Actor, groupId: number, id: number): Promise<void> {
    const c = this.#c;
    await c.mutate(async (tx, emit) => {
      const { group } = await c.authorize(tx, actor, groupId, GroupAction.postAnnouncement, { lock: true });
      const a = await tx.groups.announcements.get(id);
      const wasCurrent = group.notice !== '' && (await newestAnnouncement(tx, group.id))?.id === id;
      if (!a || a.groupId !== group.id || !(await tx.groups.announcements.delete(id))) throw fail('announcement_not_found', `announcement ${id} does not exist`);
      const now = c.now();
      emit({ type: 'group.announcement_deleted', appId: group.appId, groupId: group.id, actorId: actor.userId, at: now, audience: { groupId: group.id }, announcementId: id });
      // Withdrawing the current announcement makes the one before it current (lanying's `last`), or none.
      if (wasCurrent) {
        const previous = await newestAnnouncement(tx, group.id);
        await showAsNotice(tx, emit, group, previous ? noticeText(previous) : '', actor.userId, now);
      }
    });
  }

  async get(actor: Actor, groupId: number, id: number): Promise<Announcement> {
    const c = this.#c;
    const { group } = await c.authorize(c.d.store, actor, groupId, GroupAction.readContent, { allowDismissed: true });
    const a = await c.d.store.groups.announcements.get(id);
    if (!a || a.groupId !== group.id) throw fail('announcement_not_found', `announcement ${id} does not exist`);
    return a;
  }

  /** The current announcement: the newest, unless the group's notice was cleared after it. */
  async latest(actor: Actor, groupId: number): Promise<Announcement> {
    const c = this.#c;
    const { group } = await c.authorize(c.d.store, actor, groupId, GroupAction.readContent, { allowDismissed: true });
    const a = group.notice === '' ? undefined : await newestAnnouncement(c.d.store, group.id);
    if (!a) throw fail('announcement_not_found', 'the group has no announcement');
    return a;
  }

  async list(actor: Actor, groupId: number, opts: { cursor?: string; limit: number }): Promise<Paged<Announcement>> {
    const c = this.#c;
    const { group } = await c.authorize(c.d.store, actor, groupId, GroupAction.readContent, { allowDismissed: true });
    const before = opts.cursor ? decodeCursor(opts.cursor, isPositiveInt) : Number.MAX_SAFE_INTEGER;
    const limit = Math.min(Math.max(opts.limit, 1), 1000);
    const repo = c.d.store.groups.announcements;
    const rows = await repo.list(group.id, before, limit + 1);
    const more = rows.length > limit;
    const page = more ? rows.slice(0, limit) : rows;
    return { items: page, total: await repo.count(group.id), ...(more ? { next: encodeCursor(page[page.length - 1].id) } : {}) };
  }
}
