// §5–§10: records. Sends (/record/push: multipart part `message` holding the
// business envelope; /record/push2: a whole serialized frame), revoke, focus,
// sync-record (base64 envelopes) and pri-chat-record (JSON records), on core
// messages (the original's source "/record/push…", "Storage, sync and history",
// "Revoke and focus").

import type { FastifyRequest } from 'fastify';
import type { Core } from '../../../core/core.ts';
import { fail, isParleyError } from '../../../core/errors.ts';
import { RuleSet } from '../../../core/messages/context.ts';
import type { Message } from '../../../core/messages/model.ts';
import { badRequest } from '../bind.ts';
import { DtalkCode, DtalkFailure } from '../errors.ts';
import type { DtalkNames } from '../names.ts';
import { ProtoDecodeError } from '../proto/codec.ts';
import { commonEnvelope, type Common } from '../proto/messages.ts';
import { withBody, type DtalkRequest, type DtalkRoute } from '../route.ts';
import { commonFromEnvelope, commonFromWireProto, RefusedMessage } from '../records/parse.ts';
import { sendCommon } from '../records/send.ts';
import { commonOf, contentOf, isShownToDtalk, seqOf, type StoredMessage } from '../records/translate.ts';

/** The original's gateway limit applies to message uploads too. */
const PUSH_LIMIT = 1_048_576;

/** Reads the file part `message` (other parts, e.g. a `file` text field, are accepted and ignored). */
async function messagePart(raw: FastifyRequest): Promise<Buffer> {
  if (!raw.isMultipart()) throw new DtalkFailure(DtalkCode.unexpected, null, 'the request is not multipart/form-data');
  let found: Buffer | undefined;
  try {
    for await (const part of raw.parts({ limits: { fileSize: PUSH_LIMIT } })) {
      if (part.type !== 'file') continue;
      const bytes = await part.toBuffer();
      if (part.fieldname === 'message' && found === undefined) found = bytes;
    }
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (code === 'FST_REQ_FILE_TOO_LARGE' || code === 'FST_FILES_LIMIT' || code === 'FST_PARTS_LIMIT') throw new DtalkFailure(DtalkCode.fileTooLarge);
    throw new DtalkFailure(DtalkCode.unexpected, null, `multipart body could not be read: ${(e as Error).message}`);
  }
  if (found === undefined) throw new DtalkFailure(DtalkCode.unexpected, null, 'the multipart part `message` is missing');
  if (found.length === 0) throw new DtalkFailure(DtalkCode.execFailed, null, 'the `message` part is empty');
  return found;
}

/** Runs a send; every failure of the pipeline is -10500 as in the original. */
async function push(core: Core, names: DtalkNames, req: DtalkRequest, parse: (b: Uint8Array) => Common): Promise<unknown> {
  const bytes = await messagePart(req.raw);
  try {
    const ack = await sendCommon(core, names, req.caller, parse(bytes));
    return { logId: ack.mid, datetime: ack.datetime };
  } catch (e) {
    if (e instanceof RefusedMessage || e instanceof ProtoDecodeError || isParleyError(e)) {
      req.raw.log.info({ err: e }, 'dtalk push refused');
      throw new DtalkFailure(DtalkCode.sendFailed, null, (e as Error).message);
    }
    throw e;
  }
}

const asStored = (m: Message): StoredMessage => m;

/** A 64-bit log id from the request; ids Parley issues are < 2^53, so a larger one names no message. */
function messageId(v: number | bigint): number {
  const n = Number(v);
  if (!Number.isSafeInteger(n) || n <= 0) throw fail('message_not_found', `message ${String(v)} does not exist`);
  return n;
}

const ChannelType = { private: 0, group: 1 } as const;

async function kindMatches(core: Core, req: DtalkRequest, id: number, type: number): Promise<void> {
  const m = await core.messages.get(req.caller.appId, req.caller.userId, id);
  if ((type === ChannelType.group) !== (m.kind === 'group')) throw fail('message_not_found', `message ${id} is not a ${type === 1 ? 'group' : 'private'} message`);
}

export function recordRoutes(core: Core, names: DtalkNames, maxPage: () => number): DtalkRoute[] {
  return [
    {
      path: '/record/push',
      body: 'multipart',
      form: { fields: {}, files: { message: { description: 'The message in its business envelope', protobuf: 'imparse.proto.Proto' } } },
      bodyLimit: PUSH_LIMIT,
      handler: (req) => push(core, names, req, commonFromEnvelope),
    },
    {
      path: '/record/push2',
      body: 'multipart',
      form: { fields: {}, files: { message: { description: 'A whole serialized frame (op 7) holding the message in its business envelope', protobuf: 'im.protocol.Proto' } } },
      bodyLimit: PUSH_LIMIT,
      handler: (req) => push(core, names, req, commonFromWireProto),
    },
    {
      path: '/app/record/revoke',
      // The original answers permission failures with a plain -1000; -1019 says what happened.
      errors: { group_admin_required: DtalkCode.permissionDenied },
      ...withBody({ type: { kind: 'int', optional: true, options: [0, 1] }, logId: { kind: 'int' } }, async (req, { type, logId }) => {
        const id = messageId(logId);
        await kindMatches(core, req, id, Number(type));
        await core.messages.revoke(req.caller.appId, req.caller.userId, id, RuleSet.dtalk);
        return {};
      }),
    },
    {
      path: '/app/record/focus',
      errors: { conflict: DtalkCode.noSuchInfo },
      ...withBody({ type: { kind: 'int', optional: true, options: [0, 1] }, logId: { kind: 'int' } }, async (req, { type, logId }) => {
        const id = messageId(logId);
        await kindMatches(core, req, id, Number(type));
        await core.messages.focus(req.caller.appId, req.caller.userId, id);
        return {};
      }),
    },
    {
      path: '/app/record/sync-record',
      ...withBody({ count: { kind: 'int', range: [1, 1000] }, start: { kind: 'int', optional: true } }, async (req, { count, start }) => {
        const records = await syncRecords(core, names, req, Number(count), start, maxPage());
        return { record_count: records.length, records };
      }),
    },
    {
      path: '/app/record/pri-chat-record',
      ...withBody({ targetId: { kind: 'string' }, count: { kind: 'int', range: [1, 100] }, logId: { kind: 'string' } }, async (req, b) => {
        const records = await privateRecords(core, names, req, b.targetId, Number(b.count), b.logId);
        return { record_count: records.length, records };
      }),
    },
  ];
}

/**
 * sync-record: the newest `count` private and the newest `count` group
 * messages with a log id above `start`, each oldest first, private first;
 * each a base64 business envelope. Revoked messages are gone (the original
 * deletes their content).
 */
async function syncRecords(core: Core, names: DtalkNames, req: DtalkRequest, count: number, start: number | bigint, pageSize: number): Promise<string[]> {
  const { appId, userId } = req.caller;
  const after = Number(start);
  if (after >= Number.MAX_SAFE_INTEGER) return [];
  let since = 0;
  if (after > 0) {
    try {
      since = (await core.messages.get(appId, userId, after)).pos;
    } catch (e) {
      if (!isParleyError(e)) throw e; // unknown start: read the whole stream, filtered by id
    }
  }
  const keep = { private: [] as Message[], group: [] as Message[] };
  for (let pages = 0; pages < 1000; pages++) {
    const page = await core.messages.sync(appId, userId, { since, limit: pageSize });
    for (const m of page.items) {
      if (m.id <= after || !isShownToDtalk(m)) continue;
      const list = keep[m.kind];
      list.push(m);
      if (list.length > count) list.shift();
    }
    since = page.position;
    if (!page.more) break;
  }
  const resolve = names.forApp(appId);
  const out: string[] = [];
  for (const m of [...keep.private.sort(byId), ...keep.group.sort(byId)]) {
    const c = await commonOf(asStored(m), resolve);
    if (c) out.push(Buffer.from(commonEnvelope(c)).toString('base64'));
  }
  return out;
}

const byId = (a: Message, b: Message) => a.id - b.id;

/** pri-chat-record: messages with `targetId` older than `logId`, newest first, as JSON records. */
async function privateRecords(core: Core, names: DtalkNames, req: DtalkRequest, targetId: string, count: number, logId: string): Promise<unknown[]> {
  const { appId, userId } = req.caller;
  if (!/^-?[0-9]{0,20}$/.test(logId)) throw badRequest(`the value "${logId}" cannot parsed as int`);
  const before = logId === '' ? 0 : Number(logId);
  if (before <= 0 || targetId === '') return []; // the original: "" → 0 → nothing older
  const peer = await names.idOf(appId, targetId);
  const found: Message[] = [];
  let cursor: string | undefined;
  for (let pages = 0; pages < 100 && found.length < count; pages++) {
    const page = await core.messages.history(appId, userId, { userId: peer }, cursor ? { cursor } : { order: 'desc', limit: Math.min(Math.max(count, 20), 200) });
    for (const m of page.items) if (m.id < before && isShownToDtalk(m) && found.length < count) found.push(m);
    if (!page.more || !page.next) break;
    cursor = page.next;
  }
  const resolve = names.forApp(appId);
  const out: unknown[] = [];
  for (const m of found) {
    const c = await commonOf(asStored(m), resolve);
    if (!c) continue;
    out.push({
      logId: String(m.id),
      msgId: seqOf(m),
      fromId: c.from,
      targetId: c.target,
      msgType: c.msgType,
      content: await contentOf(asStored(m), resolve),
      createTime: m.createdAt,
    });
  }
  return out;
}
