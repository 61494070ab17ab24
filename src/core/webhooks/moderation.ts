// The moderation hook: before a user's message is stored, the app's hook is
// asked (one signed POST, strict timeout) and answers accept, refuse with a
// reason the sender sees, or replace the text. It runs before the message
// joins the group-commit queue, so no transaction is ever held over HTTP.
// When the hook fails (timeout, network, not 2xx, an answer that is not one
// of the three) the setting `onFailure` decides: accept or refuse.

import type { Clock } from '../clock.ts';
import { fail } from '../errors.ts';
import type { IdGenerator } from '../ids.ts';
import type { Store } from '../ports.ts';
import type { Conversation, MessageInput } from '../messages/model.ts';
import type { WebhookDirectory } from './directory.ts';
import type { WebhookTransport } from './ports.ts';
import { signedHeaders } from './signature.ts';

export interface ModerationSettings {
  timeoutMs: number;
  /** What a send does when the hook could not decide (timeout, error, unusable answer). */
  onFailure: 'accept' | 'refuse';
}

/** A validated message before it is stored (what validateMessage returns: a quote is checked apart). */
export type Candidate = Required<Omit<MessageInput, 'replyTo' | 'threadRootId'>>;

export type ModerationVerdict = 'none' | 'accept' | 'refuse' | 'replace' | 'failed_accept' | 'failed_refuse';

/** What core's send asks before storing (MessagingContext.beforeSend): the message to store, or a `message_refused` error. */
export type BeforeSend = (appId: number, senderId: number, conversation: Conversation, message: Candidate) => Promise<Candidate>;

export interface ModerationDeps {
  store: Store;
  clock: Clock;
  ids: IdGenerator;
  directory: WebhookDirectory;
  transport: WebhookTransport | undefined;
  settings: ModerationSettings;
  onVerdict?: (appId: number, verdict: ModerationVerdict) => void;
}

export function moderationCheck(d: ModerationDeps): BeforeSend {
  return async (appId, senderId, conversation, message) => {
    const hook = (await d.directory.of(d.store, appId)).moderation;
    if (!hook) return message;
    const id = d.ids.next();
    const body = JSON.stringify({
      id,
      type: 'message.before_send',
      time: d.clock.now(),
      appId,
      event: {
        senderId,
        conversation: { id: conversation.id, kind: conversation.kind, groupId: conversation.groupId, ...(conversation.kind === 'private' ? { recipientId: conversation.userA === senderId ? conversation.userB : conversation.userA } : {}) },
        message,
      },
    });
    const verdict = await ask(d, hook.url, hook.secret, String(id), body);
    if (verdict.action === 'accept') {
      d.onVerdict?.(appId, 'accept');
      return message;
    }
    if (verdict.action === 'refuse') {
      d.onVerdict?.(appId, 'refuse');
      throw fail('message_refused', verdict.reason ? `the message was refused: ${verdict.reason}` : 'the message was refused by the app', { reason: verdict.reason ?? null });
    }
    if (verdict.action === 'replace' && typeof message.body.text === 'string') {
      d.onVerdict?.(appId, 'replace');
      return { ...message, body: { ...message.body, text: verdict.text } };
    }
    const problem = verdict.action === 'replace' ? 'answered replace for a message without text' : verdict.problem;
    if (d.settings.onFailure === 'accept') {
      d.onVerdict?.(appId, 'failed_accept');
      return message;
    }
    d.onVerdict?.(appId, 'failed_refuse');
    throw fail('message_refused', `the message could not be checked: the app's moderation hook ${problem}`, { reason: null });
  };
}

type Answer = { action: 'accept' } | { action: 'refuse'; reason: string | undefined } | { action: 'replace'; text: string } | { action: 'failed'; problem: string };

async function ask(d: ModerationDeps, url: string, secret: string, id: string, body: string): Promise<Answer> {
  if (!d.transport) return { action: 'failed', problem: 'cannot be called from this process' };
  const headers = { 'content-type': 'application/json', 'user-agent': 'Parley-Webhooks/1', ...signedHeaders(secret, id, Math.floor(d.clock.now() / 1000), body) };
  let status: number;
  let text: string;
  try {
    ({ status, body: text } = await d.transport.post(url, body, headers, d.settings.timeoutMs));
  } catch (e) {
    return { action: 'failed', problem: (e as Error)?.name === 'TimeoutError' ? `did not answer within ${d.settings.timeoutMs} ms` : 'could not be reached' };
  }
  if (status < 200 || status > 299) return { action: 'failed', problem: `answered HTTP ${status}` };
  let a: unknown;
  try {
    a = JSON.parse(text);
  } catch {
    return { action: 'failed', problem: 'answered something that is not JSON' };
  }
  const o = (typeof a === 'object' && a !== null ? a : {}) as Record<string, unknown>;
  if (o.action === 'accept') return { action: 'accept' };
  if (o.action === 'refuse') return { action: 'refuse', reason: typeof o.reason === 'string' && o.reason !== '' ? o.reason.slice(0, 500) : undefined };
  if (o.action === 'replace' && typeof o.text === 'string') return { action: 'replace', text: o.text };
  return { action: 'failed', problem: 'answered neither accept, refuse nor replace {text}' };
}
