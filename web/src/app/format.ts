import type { Message } from '@parley/sdk';
import { noticeText } from './notices.ts';

export function timeOf(ms: number): string {
  const d = new Date(ms);
  const today = new Date();
  return d.toDateString() === today.toDateString()
    ? d.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })
    : d.toLocaleDateString([], { month: 'short', day: 'numeric' });
}

/** "1 member", "3 members". */
export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** The calendar day of a time, for date separators ("Today", "Yesterday", "Mon, Dec 1"). */
export function dayOf(ms: number): string {
  const d = new Date(ms);
  const today = new Date();
  const yesterday = new Date(today.getFullYear(), today.getMonth(), today.getDate() - 1);
  if (d.toDateString() === today.toDateString()) return 'Today';
  if (d.toDateString() === yesterday.toDateString()) return 'Yesterday';
  return d.toLocaleDateString([], { weekday: 'short', month: 'short', day: 'numeric', ...(d.getFullYear() === today.getFullYear() ? {} : { year: 'numeric' }) });
}

/** Same sender within the same minute: shown as one run with one time. */
export function sameRun(a: Message, b: Message): boolean {
  return a.senderId === b.senderId && a.type !== 'notice' && b.type !== 'notice' && Math.floor(a.createdAt / 60_000) === Math.floor(b.createdAt / 60_000);
}

/** One line for the conversation list. */
export function preview(m: Message | null, nameOf: (id: number) => string): string {
  if (!m) return 'No messages yet';
  switch (m.type) {
    case 'text':
      return String(m.body.text ?? '');
    case 'image':
      return 'Photo';
    case 'file':
      return `File: ${String(m.body.name ?? 'file')}`;
    case 'revoked':
      return 'Message revoked';
    case 'notice':
      return noticeText(m, nameOf);
    default:
      return `[${m.type}]`;
  }
}

export function sizeOf(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}
