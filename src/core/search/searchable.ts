// Which words of a message can be found. Only what a person typed or named:
// a text, a file's or media's name, a place, a card's title and summary.
// Encrypted bytes, revoke markers, server notices and call records have no
// searchable text, and dialect types (x-*) are opaque to core.

import { MessageType, type MessageBody, type MessageTypeName } from '../messages/model.ts';
import type { AppendOutcome } from '../messages/ports.ts';
import { indexTerms } from './tokenize.ts';
import type { SearchDocument } from './ports.ts';

const FIELDS: Partial<Record<MessageTypeName, readonly string[]>> = {
  [MessageType.text]: ['text'],
  [MessageType.file]: ['name'],
  [MessageType.image]: ['name'],
  [MessageType.audio]: ['name'],
  [MessageType.video]: ['title', 'name'],
  [MessageType.location]: ['name', 'address'],
  [MessageType.card]: ['title', 'subtitle', 'summary'],
};

/** The message's searchable text (fields joined by a newline), or '' when it has none. */
export function searchableText(type: MessageTypeName, body: MessageBody): string {
  const fields = FIELDS[type];
  if (!fields) return '';
  return fields
    .map((f) => body[f])
    .filter((v): v is string => typeof v === 'string' && v.length > 0)
    .join('\n');
}

/** The index documents of freshly stored messages (resends were indexed the first time). */
export function documentsOf(outcomes: readonly AppendOutcome[]): SearchDocument[] {
  const docs: SearchDocument[] = [];
  for (const o of outcomes) {
    if (o.duplicate) continue;
    const terms = indexTerms(searchableText(o.stored.type, o.stored.body));
    if (terms.length > 0) docs.push({ messageId: o.stored.id, terms });
  }
  return docs;
}
