import type { Kysely } from 'kysely';

// One current announcement per group (issue 13 item 9): the group's `notice`
// field (legacy notice, xim broadcast, native notice) and lanying's
// announcement history were two stores. From now on core keeps
// `notice` = the text of the newest announcement ('' = none). This folds what
// is already stored into that shape:
// - a group with a notice that is not its newest announcement's text gets the
//   notice as its newest announcement (title '', no author, dated the group's
//   last change): three dialects showed it, so it is what members last saw;
// - a group with announcements but no notice shows its newest one's text.
// Announcement ids sort by age; the folded ones take ids above every stored
// announcement and group id, so they are the newest, and below any id the
// running server will make (ids start with the time they are made).

interface Row {
  id: number | string;
  app_id: number | string;
  notice: string;
  updated_at: number | string;
}

const textOf = (a: { title: string; content: string }) => (a.content.trim() !== '' ? a.content : a.title);

// A migration sees the schema as it was, not as the code's types say.
export async function up(db: Kysely<any>): Promise<void> {
  const groups: Row[] = await db
    .selectFrom('groups')
    .select(['id', 'app_id', 'notice', 'updated_at'])
    .where((eb) => eb.or([eb('notice', '!=', ''), eb('id', 'in', eb.selectFrom('group_announcements').select('group_id'))]))
    .execute();
  if (groups.length === 0) return;
  const announcements: { id: number | string; group_id: number | string; title: string; content: string }[] = await db
    .selectFrom('group_announcements')
    .select(['id', 'group_id', 'title', 'content'])
    .orderBy('id', 'desc')
    .execute();
  const newest = new Map<number, { title: string; content: string }>();
  for (const a of announcements) if (!newest.has(Number(a.group_id))) newest.set(Number(a.group_id), a);
  const maxGroup = Math.max(...groups.map((g) => Number(g.id)));
  const maxAnnouncement = announcements.length > 0 ? Number(announcements[0].id) : 0;
  let next = Math.max(maxGroup, maxAnnouncement) + 1;
  for (const g of groups) {
    const id = Number(g.id);
    const a = newest.get(id);
    const notice = g.notice.trim() === '' ? '' : g.notice;
    if (notice === '') {
      if (a) await db.updateTable('groups').set({ notice: textOf(a) }).where('id', '=', id).execute();
      else if (g.notice !== '') await db.updateTable('groups').set({ notice: '' }).where('id', '=', id).execute();
    } else if (!a || textOf(a) !== notice) {
      const at = Number(g.updated_at);
      await db.insertInto('group_announcements').values({ id: next++, app_id: Number(g.app_id), group_id: id, title: '', content: notice, author_id: null, created_at: at, updated_at: at }).execute();
    }
  }
}

export async function down(): Promise<void> {
  // The folded announcements are ordinary history now; nothing to undo.
}
