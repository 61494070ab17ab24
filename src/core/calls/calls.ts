// Call signalling: start, answer, reject, busy, hang up, look up; the ring
// deadline is applied on every access and by sweep() (run periodically by the
// server), both on the injected clock. Every committed change emits events
// with their audience; a finished call is handed to the call recorder (a
// call-record message in the conversation).

import type { ReportBackgroundFailure } from '../background.ts';
import { untilDone, type RetryOptions } from '../backoff.ts';
import type { Clock } from '../clock.ts';
import { fail } from '../errors.ts';
import type { EventHub } from '../events.ts';
import type { GroupGate } from '../groups/gate.ts';
import type { IdGenerator } from '../ids.ts';
import type { Store } from '../ports.ts';
import { callView, type CallEvent, type CallView } from './events.ts';
import { noOutbox, type EventOutbox } from '../webhooks/outbox.ts';
import { applyAction, settleDeadline, type CallAction, type Transition } from './machine.ts';
import { partiesOf, type Call, type CallTicket, type Media } from './model.ts';
import { issueTicket, type TrtcSettings } from './tickets.ts';

const MAX_INVITEES = 50;
const MAX_ROOM = 2_147_483_646;

/**
 * Reading a call commits its deadline's effect without a lock (a read must not
 * queue behind changes); a save against a version another change already
 * replaced is reloaded and tried again after a jittered, growing pause (10 ms
 * doubling up to 250 ms). Changes by the parties (#act) take the row lock
 * instead and never collide.
 */
const CHANGE_RETRIES: RetryOptions = { attempts: 8, policy: { baseMs: 10, capMs: 250 } };
const tooFast = () => fail('conflict', 'the call is changing too fast; try again');

export interface CallsSettings {
  ringTimeoutSeconds: number;
  /** null: calls signal, but no media tickets are issued. */
  trtc: TrtcSettings | null;
}

/** Writes the record of a finished call into its conversation (the messages core). */
export type CallRecorder = (call: CallView) => Promise<void>;

export interface CallsDeps {
  store: Store;
  clock: Clock;
  ids: IdGenerator;
  events: EventHub;
  settings: CallsSettings;
  /** Group membership, when the groups core is wired: invitees of a group call must be members. */
  groupGate?: () => GroupGate | undefined;
  recorder?: () => CallRecorder | undefined;
  /** A record that could not be written is reported here (the call has finished either way). */
  report: ReportBackgroundFailure;
  /** Webhook deliveries of call events, written in each change's transaction. */
  outbox?: EventOutbox;
}

export interface AnswerResult {
  call: CallView;
  /** The answering user's media ticket; null when TRTC is not configured. */
  ticket: CallTicket | null;
  mediaConfigured: boolean;
}

export class Calls {
  readonly #d: CallsDeps;
  constructor(deps: CallsDeps) {
    this.#d = deps;
  }

  get mediaConfigured(): boolean {
    return this.#d.settings.trtc !== null;
  }

  get ringTimeoutSeconds(): number {
    return this.#d.settings.ringTimeoutSeconds;
  }

  async start(appId: number, callerId: number, input: { invitees: readonly number[]; groupId?: number | null; media: Media }): Promise<CallView> {
    const { store, clock, ids, settings } = this.#d;
    if (input.media !== 'audio' && input.media !== 'video') throw fail('invalid_argument', 'media must be audio or video');
    const invitees = [...new Set(input.invitees)];
    if (invitees.length === 0) throw fail('invalid_argument', 'a call needs at least one invitee');
    if (invitees.length > MAX_INVITEES) throw fail('invalid_argument', `a call may ring at most ${MAX_INVITEES} invitees`);
    if (invitees.includes(callerId)) throw fail('cannot_act_on_self', 'the caller cannot invite themselves');
    const groupId = input.groupId ?? null;
    if (groupId === null && invitees.length > 1) throw fail('invalid_argument', 'a private call has exactly one invitee; pass groupId for a group call');
    const found = await store.users.getMany([callerId, ...invitees]);
    for (const id of [callerId, ...invitees]) {
      if (!found.some((u) => u.id === id && u.appId === appId)) throw fail('user_not_found', `user ${id} does not exist`, { userId: id });
    }
    const gate = groupId !== null ? this.#d.groupGate?.() : undefined;
    if (gate && groupId !== null) {
      // Starting a group call speaks in the group (its record is a message
      // there): the caller must be allowed to send — not muted, the group
      // neither dismissed nor suspended. Everyone rung must be a member.
      await gate.assertCanSend(appId, groupId, callerId);
      for (const id of invitees) await gate.readAccess(appId, groupId, id);
    }
    const now = clock.now();
    const id = ids.next();
    const call: Call = {
      id,
      appId,
      callerId,
      groupId,
      media: input.media,
      status: 'ringing',
      stopReason: null,
      roomId: 1 + (id % MAX_ROOM),
      createdAt: now,
      deadline: now + settings.ringTimeoutSeconds * 1000,
      answeredAt: null,
      endedAt: null,
      version: 1,
      parties: [{ userId: callerId, role: 'caller', state: 'joined', updatedAt: now }, ...invitees.map((u) => ({ userId: u, role: 'invitee' as const, state: 'ringing' as const, updatedAt: now }))],
    };
    const view = callView(call);
    const started: CallEvent = { type: 'call.started', appId, call: view, audience: { users: partiesOf(call) } };
    await store.transaction(async (tx) => {
      await tx.calls.insert(call);
      await this.#outbox.record(tx, [started]);
    });
    this.#d.events.emit(started);
    return view;
  }

  /** The call, for its parties only (the deadline is applied first). */
  async get(appId: number, userId: number, callId: number): Promise<CallView> {
    const call = await this.#settled(appId, callId);
    if (!call.parties.some((p) => p.userId === userId)) throw fail('not_call_party', 'only the caller and the invitees may see this call');
    return callView(call);
  }

  async answer(appId: number, userId: number, callId: number): Promise<AnswerResult> {
    const call = await this.#act(appId, callId, { kind: 'answer', userId });
    const ticket = await this.#ticketFor(userId, call);
    return { call: callView(call), ticket, mediaConfigured: this.mediaConfigured };
  }

  async reject(appId: number, userId: number, callId: number): Promise<CallView> {
    return callView(await this.#act(appId, callId, { kind: 'reject', userId }));
  }

  async busy(appId: number, userId: number, callId: number): Promise<CallView> {
    return callView(await this.#act(appId, callId, { kind: 'busy', userId }));
  }

  async hangup(appId: number, userId: number, callId: number): Promise<CallView> {
    return callView(await this.#act(appId, callId, { kind: 'hangup', userId }));
  }

  /** A fresh media ticket for a party who is in the call (e.g. after a reconnect). */
  async ticket(appId: number, userId: number, callId: number): Promise<CallTicket> {
    const call = await this.#settled(appId, callId);
    const me = call.parties.find((p) => p.userId === userId);
    if (!me) throw fail('not_call_party', 'only the caller and the invitees may act on this call');
    if (call.status === 'finished' || me.state !== 'joined') throw fail('call_finished', 'you are not in this call');
    const t = await this.#ticketFor(userId, call);
    if (!t) throw fail('media_not_configured', 'call media (TRTC) is not configured on this server');
    return t;
  }

  /** Applies the ring deadline to every call past it; returns how many changed. */
  async sweep(limit = 200): Promise<number> {
    const ids = await this.#d.store.calls.listRingingBefore(this.#d.clock.now(), limit);
    let n = 0;
    for (const id of ids) {
      const call = await this.#d.store.calls.get(id);
      if (call && (await this.#settled(call.appId, id)).version !== call.version) n += 1;
    }
    return n;
  }

  /** Loads a call and commits the deadline's effect if it has passed. */
  async #settled(appId: number, callId: number): Promise<Call> {
    return untilDone(async () => {
      const call = await this.#d.store.calls.get(callId);
      if (!call || call.appId !== appId) throw fail('call_not_found', `call ${callId} does not exist`);
      const t = settleDeadline(call, this.#d.clock.now());
      if (!t) return call;
      if (!(await this.#save(t))) return undefined;
      await this.#publish(call, t);
      return t.call;
    }, CHANGE_RETRIES, tooFast);
  }

  /**
   * One change to a call, made under the call's row lock: concurrent replies
   * to one call (a dozen invitees declining at once) queue up on the lock
   * instead of colliding and retrying. The deadline's effect, if it has
   * passed, is committed in the same transaction, before the action.
   */
  async #act(appId: number, callId: number, action: CallAction): Promise<Call> {
    const now = this.#d.clock.now();
    const done = await this.#d.store.transaction(async (tx) => {
      const call = await tx.calls.lock(callId);
      if (!call || call.appId !== appId) throw fail('call_not_found', `call ${callId} does not exist`);
      const settled = settleDeadline(call, now);
      const current = settled ? settled.call : call;
      // Under the lock nobody else saves this call; a lost save would be a bug, refused rather than hidden.
      if (settled && !(await tx.calls.save(settled.call))) throw tooFast();
      const t = applyAction(current, action, now);
      if (!(await tx.calls.save(t.call))) throw tooFast();
      // Webhooks never carry a media ticket: the deliveries are written here, without one.
      await this.#outbox.record(tx, [...(settled ? transitionEvents(settled, undefined, null) : []), ...transitionEvents(t, action, null)]);
      return { call, settled, current, t };
    });
    if (done.settled) await this.#publish(done.call, done.settled);
    await this.#publish(done.current, done.t, action);
    return done.t.call;
  }

  #save(t: Transition): Promise<boolean> {
    return this.#d.store.transaction(async (tx) => {
      const saved = await tx.calls.save(t.call);
      if (saved) await this.#outbox.record(tx, transitionEvents(t, undefined, null));
      return saved;
    });
  }

  get #outbox(): EventOutbox {
    return this.#d.outbox ?? noOutbox;
  }

  /** Events after commit; the record of a finished call last. */
  async #publish(before: Call, t: Transition, action?: CallAction): Promise<void> {
    const ticket = action?.kind === 'answer' ? await this.#ticketFor(t.call.callerId, t.call) : null;
    for (const e of transitionEvents(t, action, ticket)) this.#d.events.emit(e);
    if (t.stopped && before.status !== 'finished') await this.#record(callView(t.call));
  }

  async #record(call: CallView): Promise<void> {
    const recorder = this.#d.recorder?.();
    if (!recorder) return;
    try {
      await recorder(call);
    } catch (error) {
      // The call has finished either way; a failed record must not undo that.
      this.#d.report({ task: 'call_record', appId: call.appId, subject: { callId: call.id }, error });
    }
  }

  async #ticketFor(userId: number, call: Call): Promise<CallTicket | null> {
    const trtc = this.#d.settings.trtc;
    if (!trtc) return null;
    const user = await this.#d.store.users.get(userId);
    if (!user) throw fail('user_not_found', `user ${userId} does not exist`);
    return issueTicket(trtc, user.handle, call.roomId, this.#d.clock.now());
  }
}

/** A transition's events, in the order they are told; `ticket` goes in call.accepted (to the caller alone). */
function transitionEvents(t: Transition, action: CallAction | undefined, ticket: CallTicket | null): CallEvent[] {
  const call = callView(t.call);
  const everyone = { users: partiesOf(t.call) };
  const out: CallEvent[] = [];
  if (action?.kind === 'answer') out.push({ type: 'call.accepted', appId: call.appId, call, userId: action.userId, ticket, audience: { users: [call.callerId] } });
  if (t.stopped) out.push({ type: 'call.stopped', appId: call.appId, call, reason: t.stopped.reason, by: t.stopped.by, audience: everyone });
  else if (t.changed.length > 0) out.push({ type: 'call.updated', appId: call.appId, call, changes: t.changed, audience: everyone });
  return out;
}
