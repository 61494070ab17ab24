// Parley's JavaScript SDK (browser and any runtime with fetch and WebSocket).
export { ParleyClient, type HistoryOptions, type SearchOptions } from './client.ts';
export { ParleySocket, type SocketOptions, type SocketState } from './socket.ts';
export type { UploadProgress } from './upload.ts';
export * from './types.ts';
export { ConversationMirror, conversationKey } from './mirror.ts';
export { SendError, type Gap } from './socket.ts';
