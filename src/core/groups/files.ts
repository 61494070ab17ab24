// Group files: metadata of a stored file (name, size, type, url, optional
// blob-store key) shared in a group. Members register and read; the uploader
// or the staff rename and delete.

import { decodeCursor, encodeCursor, isPositiveInt } from '../cursor.ts';
import { fail } from '../errors.ts';
import type { GroupContext } from './context.ts';
import type { Actor, GroupFile, Paged } from './model.ts';
import { GroupAction, can } from './permissions.ts';

export interface NewGroupFile {
  name: string;
  size: number;
  type?: string;
  url: string;
  objectKey?: string | null;
}

function checkName(name: string): void {
  if (typeof name !== 'string' || name.trim() === '' || name.length > 512) throw fail('invalid_argument', 'a file name must be 1 to 512 characters');
}

export class GroupFiles {
  readonly #c: GroupContext;
  constructor(c: GroupContext) {
    this.#c = c;
  }

  async add(actor: Actor, groupId: number, input: NewGroupFile): Promise<GroupFile> {
    checkName(input.name);
    if (!Number.isSafeInteger(input.size) || input.size < 0) throw fail('invalid_argument', 'size must be a non-negative integer');
    if (typeof input.url !== 'string' || input.url.length === 0 || input.url.length > 4096) throw fail('invalid_argument', 'url must be 1 to 4096 characters');
    if ((input.type ?? '').length > 255) throw fail('invalid_argument', 'type is longer than 255 characters');
    if (input.objectKey != null && input.objectKey.length > 1024) throw fail('invalid_argument', 'objectKey is longer than 1024 characters');
    const c = this.#c;
    return c.mutate(async (tx, emit) => {
      const { group } = await c.authorize(tx, actor, groupId, GroupAction.uploadFile);
      const now = c.now();
      const f: GroupFile = { id: c.d.ids.next(), appId: group.appId, groupId: group.id, name: input.name, size: input.size, type: input.type ?? '', url: input.url, objectKey: input.objectKey ?? null, uploaderId: actor.userId, createdAt: now, updatedAt: now };
      await tx.groups.files.insert(f);
      emit({ type: 'group.file_added', appId: group.appId, groupId: group.id, actorId: actor.userId, at: now, audience: { groupId: group.id }, file: f });
      return f;
    });
  }

  async rename(actor: Actor, groupId: number, fileId: number, name: string): Promise<GroupFile> {
    checkName(name);
    const c = this.#c;
    return c.mutate(async (tx, emit) => {
      const { group, standing } = await c.authorize(tx, actor, groupId, GroupAction.readContent);
      const f = await tx.groups.files.get(fileId);
      if (!f || f.groupId !== group.id) throw fail('group_file_not_found', `file ${fileId} does not exist`);
      if (f.uploaderId !== actor.userId && !can(GroupAction.manageFiles, standing, group)) throw fail('group_admin_required', 'only the uploader or an admin may change this file');
      const now = c.now();
      await tx.groups.files.update(f.id, { name, updatedAt: now });
      const updated = { ...f, name, updatedAt: now };
      emit({ type: 'group.file_renamed', appId: group.appId, groupId: group.id, actorId: actor.userId, at: now, audience: { groupId: group.id }, file: updated });
      return updated;
    });
  }

  /** Deletes the metadata; returns it so the caller may also delete the stored object. */
  async delete(actor: Actor, groupId: number, fileId: number): Promise<GroupFile> {
    const c = this.#c;
    return c.mutate(async (tx, emit) => {
      const { group, standing } = await c.authorize(tx, actor, groupId, GroupAction.readContent, { allowDismissed: true });
      const f = await tx.groups.files.get(fileId);
      if (!f || f.groupId !== group.id) throw fail('group_file_not_found', `file ${fileId} does not exist`);
      if (f.uploaderId !== actor.userId && !can(GroupAction.manageFiles, standing, group)) throw fail('group_admin_required', 'only the uploader or an admin may delete this file');
      if (!(await tx.groups.files.delete(f.id))) throw fail('group_file_not_found', `file ${fileId} does not exist`);
      emit({ type: 'group.file_deleted', appId: group.appId, groupId: group.id, actorId: actor.userId, at: c.now(), audience: { groupId: group.id }, fileId: f.id });
      return f;
    });
  }

  async get(actor: Actor, groupId: number, fileId: number): Promise<GroupFile> {
    const c = this.#c;
    const { group } = await c.authorize(c.d.store, actor, groupId, GroupAction.readContent, { allowDismissed: true });
    const f = await c.d.store.groups.files.get(fileId);
    if (!f || f.groupId !== group.id) throw fail('group_file_not_found', `file ${fileId} does not exist`);
    return f;
  }

  async list(actor: Actor, groupId: number, opts: { cursor?: string; limit: number }): Promise<Paged<GroupFile>> {
    const c = this.#c;
    const { group } = await c.authorize(c.d.store, actor, groupId, GroupAction.readContent, { allowDismissed: true });
    const before = opts.cursor ? decodeCursor(opts.cursor, isPositiveInt) : Number.MAX_SAFE_INTEGER;
    const limit = Math.min(Math.max(opts.limit, 1), 1000);
    const repo = c.d.store.groups.files;
    const rows = await repo.list(group.id, before, limit + 1);
    const more = rows.length > limit;
    const page = more ? rows.slice(0, limit) : rows;
    return { items: page, total: await repo.count(group.id), ...(more ? { next: encodeCursor(page[page.length - 1].id) } : {}) };
  }
}
