import { Type } from '@sinclair/typebox';
import { Id } from '../schemas.ts';

// Schemas of the reaction and pin routes (docs/messages.md, "Reactions" and "Pins").

export const ReactionParams = Type.Object({
  id: Type.String({ pattern: '^[0-9]{1,16}$' }),
  emoji: Type.String({ minLength: 1, maxLength: 32, description: 'One emoji, percent-encoded in the path (e.g. %F0%9F%91%8D for 👍)' }),
});

export const PageQuery = Type.Object({
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
  cursor: Type.Optional(Type.String({ maxLength: 512, description: "The previous page's `next`" })),
});

export const ReactorPage = Type.Object({
  items: Type.Array(Type.Object({ userId: Id, at: Type.Integer({ description: 'When they reacted (ms)' }) })),
  next: Type.Optional(Type.String({ description: 'Pass as `cursor` for the next page' })),
});

export const PinPage = Type.Object({
  items: Type.Array(
    Type.Object({
      pinnedBy: Id,
      pinnedAt: Type.Integer(),
      message: Type.Ref('Message'),
    }),
  ),
  next: Type.Optional(Type.String({ description: 'Pass as `cursor` for the next page' })),
});
