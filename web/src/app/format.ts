import type { Message } from '../sdk/index.ts';

export function timeOf(ms: number): string {
  const d = new Date(ms);
  const today = new Date();
  return d.toDateString() === today.toDateString()
    ? d.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })
    : d.toLocaleDateString([], { month: 'short', day: 'numeric' });
}

/** One line for the conversation list. */
export function preview(m: Message | null): string {
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
      return String(m.body.text ?? 'Group update');
    default:
      return `[${m.type}]`;
  }
}

export function sizeOf(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}
