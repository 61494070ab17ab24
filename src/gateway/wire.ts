// A server-to-client WebSocket text frame built once per delivery and written
// as is to every socket it goes to, instead of each socket framing the same
// bytes again (what gorilla/websocket calls a prepared message). Server
// frames are unmasked (RFC 6455 §5.1), and this server never compresses
// (perMessageDeflate is off in http/app.ts), so one frame's bytes are valid
// on every connection.

/** FIN and the text opcode (RFC 6455 §5.2). */
const FIN_TEXT = 0x81;

/** The whole frame for `text`: header, then the UTF-8 payload. */
export function textFrame(text: string): { wire: Buffer; payload: Buffer } {
  const n = Buffer.byteLength(text, 'utf8');
  const head = n < 126 ? 2 : n < 65_536 ? 4 : 10;
  const wire = Buffer.allocUnsafe(head + n);
  wire[0] = FIN_TEXT;
  if (n < 126) wire[1] = n;
  else if (n < 65_536) {
    wire[1] = 126;
    wire.writeUInt16BE(n, 2);
  } else {
    wire[1] = 127;
    // Frames here are far below 2^32 bytes (PARLEY_WS_MAX_FRAME, message size limits).
    wire.writeUInt32BE(0, 2);
    wire.writeUInt32BE(n, 6);
  }
  wire.write(text, head, 'utf8');
  return { wire, payload: wire.subarray(head) };
}
