import { Type } from '@sinclair/typebox';
import { Id } from '../schemas.ts';

// JSON Schemas of GET /v1/search (they also feed /openapi.json).

export const SearchQuery = Type.Object(
  {
    q: Type.String({ minLength: 1, maxLength: 256, description: 'Words or text to find: Latin words match by prefix, case and accents ignored; Chinese, Japanese and Korean match any substring of two or more characters; "quoted" pieces must be adjacent' }),
    groupId: Type.Optional(Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER, description: 'Only this group' })),
    userId: Type.Optional(Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER, description: 'Only the private chat with this user' })),
    senderId: Type.Optional(Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER, description: 'Only messages from this user' })),
    type: Type.Optional(Type.String({ minLength: 1, maxLength: 50, description: 'Only messages of this type (text, file, …)' })),
    from: Type.Optional(Type.Integer({ minimum: 0, description: 'Only messages created at or after this time (ms since the epoch)' })),
    to: Type.Optional(Type.Integer({ minimum: 0, description: 'Only messages created at or before this time (ms since the epoch)' })),
    order: Type.Optional(Type.Union([Type.Literal('newest'), Type.Literal('relevance')], { description: 'newest (default) or relevance' })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 20 })),
    cursor: Type.Optional(Type.String({ maxLength: 512, description: "The previous page's `next`, sent with the same query and filters" })),
  },
  { additionalProperties: false },
);

const Range = Type.Object({ start: Type.Integer({ description: 'UTF-16 offset' }), length: Type.Integer() });

export const SearchPage = Type.Object({
  items: Type.Array(
    Type.Object({
      message: Type.Ref('Message'),
      conversation: Type.Object({
        id: Id,
        kind: Type.Union([Type.Literal('group'), Type.Literal('private')]),
        groupId: Type.Union([Id, Type.Null()]),
        peerId: Type.Union([Id, Type.Null()], { description: "Private chats: the searcher's peer" }),
      }),
      text: Type.String({ description: 'The searchable text `matches` refers to (a text message\'s text, a file\'s name…)' }),
      matches: Type.Array(Range),
      excerpt: Type.Object({ text: Type.String(), matches: Type.Array(Range) }, { description: 'A short window of `text` around the first match' }),
    }),
  ),
  next: Type.Optional(Type.String({ description: 'Cursor of the next page; absent on the last' })),
});
