// Row shapes of reactions and pins (see migrations/0013-reactions-pins.ts).

export interface MessageReactionsTable {
  message_id: number;
  emoji: string;
  user_id: number;
  created_at: number;
}

export interface MessagePinsTable {
  message_id: number;
  conversation_id: number;
  pinned_by: number;
  pinned_at: number;
}

export interface AnnotationTables {
  message_reactions: MessageReactionsTable;
  message_pins: MessagePinsTable;
}
