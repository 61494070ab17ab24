// Row shapes of the messaging tables (see migrations/0003-messages.ts).
// A message is stored once per conversation; a reader's position is one row.

import type { Generated } from 'kysely';

export interface ConversationsTable {
  id: number;
  app_id: number;
  /** 'group' | 'private' */
  kind: string;
  group_id: number | null;
  user_a: number | null;
  user_b: number | null;
  last_seq: number;
  last_pos: number;
  created_at: number;
}

export interface MessagesTable {
  id: number;
  app_id: number;
  conversation_id: number;
  seq: number;
  pos: number;
  sender_id: number | null;
  client_id: string | null;
  type: string;
  /** JSON text */
  body: string;
  /** JSON text or null */
  ext: string | null;
  created_at: number;
  revoked_at: number | null;
  revoked_by: number | null;
  /** The quoted message of a reply (migration 0012). */
  reply_to: number | null;
  /** The thread's root message, when the sender named one (dtalk reference.topic). */
  thread_root: number | null;
  edited_at: number | null;
  edit_count: Generated<number>;
}

/** One row: the sync stream's head, the highest position handed out (see repos/message-stream.ts). */
export interface MessageStreamTable {
  id: number;
  last_pos: number;
}

/** PostgreSQL: positions handed out to a write that has not committed yet (see repos/message-stream.ts). */
export interface MessageStreamClaimsTable {
  pos_from: number;
  pos_to: number;
  /** Database clock, ms: claims left behind by a dead writer are reaped after a while. */
  claimed_at: number;
}

export interface ReadPositionsTable {
  conversation_id: number;
  user_id: number;
  seq: number;
  updated_at: number;
}

export interface MessageFocusTable {
  message_id: number;
  user_id: number;
  created_at: number;
}

export interface MessagesTables {
  conversations: ConversationsTable;
  messages: MessagesTable;
  message_stream: MessageStreamTable;
  message_stream_claims: MessageStreamClaimsTable;
  read_positions: ReadPositionsTable;
  message_focus: MessageFocusTable;
}
