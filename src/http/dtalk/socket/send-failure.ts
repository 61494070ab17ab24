// What a failed op 7 gets back. The client waits for an op 8 for every send
// (txchat/client-desktop FzmMessageProtocolConnection: the pending send is
// settled only by op 8 with its ack), so a refused send must answer too.

import { isParleyError } from '../../../core/errors.ts';
import { DtalkCode } from '../errors.ts';
import { isUnreadableMessage } from '../records/parse.ts';
/**
 * The op 8 body of a failed send: the dialect's JSON envelope as HTTP would
 * answer it (-10500 发送失败 for anything the pipeline refuses, -1000 for a
 * failure inside the server), so the client that waits for its op 8 gets it
 * and can tell it from a CommonAck (which is protobuf, not JSON).
 */
export function sendFailure(e: unknown): Uint8Array {
  const status = isUnreadableMessage(e) || isParleyError(e) ? DtalkCode.sendFailed : DtalkCode.unexpected;
  return Buffer.from(JSON.stringify({ result: status.result, message: status.message, data: isUnreadableMessage(e) || isParleyError(e) ? (e as Error).message : null }));
}
