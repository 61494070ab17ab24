// Parley's stored messages in the app's flattened Easemob record format
// (legacy-group-api.md §8; Easemob "聊天消息导出"): `payload.bodies[0]` lifted
// to the top level, `from`/`to` as the app's ids (strings). The document knows
// four body types (txt, img, loc, audio); every other Parley type becomes a
// `txt` record with a bracketed description, so an old client shows a line
// rather than dropping the record.

import type { Message } from '../../core/messages/model.ts';

export interface LegacyRecord {
  fromId: string;
  msg_id: string;
  chat_type: 'chat' | 'groupchat';
  msg?: string;
  type: 'txt' | 'img' | 'loc' | 'audio';
  length?: number;
  url?: string;
  filename?: string;
  secret?: string;
  lat?: number;
  lng?: number;
  addr?: string;
  timestamp: number;
  toId: string;
}

const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const num = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : 0);

/** The file name of a URL when the message carries none (Easemob always has one). */
const nameOf = (url: string, name: unknown) => str(name) || decodeURIComponent(url.split('?')[0].split('/').pop() ?? '');

/** The document's field order (§8): old clients parse records by position or diff them as text. */
const FIELD_ORDER = ['fromId', 'msg_id', 'chat_type', 'msg', 'type', 'length', 'url', 'filename', 'secret', 'lat', 'lng', 'addr', 'timestamp', 'toId'] as const;

export function toLegacyRecord(m: Message): LegacyRecord {
  return inDocumentOrder(fieldsOf(m));
}

/** The same fields, as an object whose keys follow FIELD_ORDER (absent fields stay absent). */
function inDocumentOrder(r: LegacyRecord): LegacyRecord {
  const out: Record<string, unknown> = {};
  for (const k of FIELD_ORDER) if (r[k] !== undefined) out[k] = r[k];
  return out as unknown as LegacyRecord;
}

function fieldsOf(m: Message): LegacyRecord {
  const base = {
    fromId: m.senderId === null ? '' : String(m.senderId),
    msg_id: String(m.id),
    chat_type: m.kind === 'group' ? ('groupchat' as const) : ('chat' as const),
    timestamp: m.createdAt,
    toId: String(m.kind === 'group' ? m.groupId : m.recipientId),
  };
  const b = m.body;
  switch (m.type as string) {
    case 'text':
      return { ...base, type: 'txt', msg: str(b.text) };
    case 'image': {
      const url = str(b.url);
      return { ...base, type: 'img', msg: '', url, filename: nameOf(url, b.name), secret: str(b.secret) };
    }
    case 'audio': {
      const url = str(b.url);
      return { ...base, type: 'audio', msg: '', url, filename: nameOf(url, b.name), secret: str(b.secret), length: Math.round(num(b.duration)) };
    }
    case 'location':
      return { ...base, type: 'loc', msg: '', lat: num(b.lat), lng: num(b.lng), addr: str(b.address) || str(b.name) };
    default:
      return { ...base, type: 'txt', msg: describe(m) };
  }
}

function describe(m: Message): string {
  const b = m.body;
  switch (m.type as string) {
    case 'video':
      return `[视频] ${str(b.url)}`.trim();
    case 'file':
      return `[文件] ${str(b.name)} ${str(b.url)}`.trim();
    case 'card':
      return `[卡片] ${str(b.title)} ${str(b.url)}`.trim();
    case 'contact':
      return `[名片] ${str(b.name) || str(b.handle)}`.trim();
    case 'notice':
      return str(b.text) || `[通知] ${str(b.kind)}`;
    case 'revoked':
      return '[消息已撤回]';
    default:
      return `[${m.type}]`;
  }
}
