import { useEffect, useState } from 'preact/hooks';
import { Avatar } from './Avatar.tsx';
import { PresenceDot, PresenceText } from './PresenceDot.tsx';
import { Dialog } from './Dialog.tsx';
import { preview, timeOf } from './format.ts';
import { errorText, useHashRoute, useStore } from './hooks.ts';
import { plural } from './format.ts';
import { groupKey, userKey, type ConvKey } from './keys.ts';
import { store } from './store.ts';
import { Search } from './Search.tsx';
import { ParleyError } from '@parley/sdk';

const go = (key: ConvKey) => {
  location.hash = `#/${key}`;
};

/** The conversation list with the actions that start a conversation. */
export function Sidebar() {
  const s = useStore();
  const [dialog, setDialog] = useState<'group' | 'chat' | 'join' | undefined>();
  // An invite link (#/join/<groupId>[/<qr code>]) opens the Join dialog filled in.
  const invite = inviteOf(useHashRoute());
  useEffect(() => {
    if (invite) setDialog('join');
  }, [invite?.groupId, invite?.code]);
  const list = [...s.conversations.values()].sort((a, b) => (b.lastMessage?.createdAt ?? 0) - (a.lastMessage?.createdAt ?? 0) || b.key.localeCompare(a.key));
  const me = s.me!;
  return (
    <nav class="sidebar" aria-label="Conversations">
      <header class="me">
        <Avatar name={me.displayName || me.handle} size={36} />
        <div class="who">
          <strong>{me.displayName || me.handle}</strong>
          <span class="handle">@{me.handle}</span>
          <span class={`status ${s.socketState}`} role="status">{s.socketState === 'online' ? 'Online' : s.socketState === 'connecting' ? 'Connecting…' : 'Offline — reconnecting'}</span>
        </div>
        <button type="button" class="ghost" onClick={() => void s.logOut()}>Sign out</button>
      </header>
      <div class="actions">
        <button type="button" onClick={() => setDialog('chat')}>New chat</button>
        <button type="button" onClick={() => setDialog('group')}>New group</button>
        <button type="button" onClick={() => setDialog('join')}>Join group</button>
      </div>
      <Search />
      {s.invitations.length > 0 && (
        <section class="invitations" aria-label="Invitations">
          <h2>Invitations</h2>
          <ul>
            {s.invitations.map((inv) => {
              const inviter = inv.inviterId ? s.users.get(inv.inviterId) : undefined;
              return (
                <li key={inv.id}>
                  <span>
                    <strong>{s.groups.get(inv.groupId)?.name ?? `Group ${inv.groupId}`}</strong>
                    {inviter && <span class="hint"> from {inviter.displayName}</span>}
                  </span>
                  <span class="buttons">
                    <button type="button" class="primary" onClick={() => void s.answerInvitation(inv, true).then(() => go(groupKey(inv.groupId)))}>Accept</button>
                    <button type="button" class="ghost" onClick={() => void s.answerInvitation(inv, false)}>Decline</button>
                  </span>
                </li>
              );
            })}
          </ul>
        </section>
      )}
      <ul class="conv-list">
        {list.length === 0 && <li class="empty">No conversations yet. Start a chat or create a group.</li>}
        {list.map((c) => {
          const title = s.title(c.key);
          const last = c.lastMessage;
          const mineLast = !!last?.senderId && last.senderId === me.id && last.type !== 'revoked';
          const sender = !mineLast && last?.senderId && c.key[0] === 'g' ? s.users.get(last.senderId) : undefined;
          const requests = c.key[0] === 'g' ? (s.joinRequests.get(Number(c.key.slice(1))) ?? 0) : 0;
          return (
            <li key={c.key}>
              <a href={`#/${c.key}`} class={`conv${c.key === s.active ? ' active' : ''}`} aria-current={c.key === s.active ? 'page' : undefined}>
                <span class="avatar-wrap">
                  <Avatar name={title} group={c.key[0] === 'g'} />
                  {c.key[0] === 'u' && <PresenceDot userId={Number(c.key.slice(1))} decorative />}
                </span>
                <span class="conv-main">
                  <span class="conv-top">
                    <span class="conv-title">{title}</span>
                    {c.key[0] === 'u' && <PresenceText userId={Number(c.key.slice(1))} />}
                    {last && <time class="conv-time">{timeOf(last.createdAt)}</time>}
                  </span>
                  <span class="conv-bottom">
                    <span class="conv-preview">{mineLast ? 'You: ' : sender ? `${sender.displayName || sender.handle}: ` : ''}{preview(last, (id) => s.displayName(id))}</span>
                    {requests > 0 && <span class="badge requests" title="Requests to join" aria-label={`${plural(requests, 'request')} to join`}>+{requests}</span>}
                    {c.mentions > 0 && <span class="badge mention-badge" aria-label={`${plural(c.mentions, 'mention')} of you`}>@</span>}
                    {c.unread > 0 && <span class="badge" aria-label={`${c.unread} unread`}>{c.unread >= 999 ? '999+' : c.unread}</span>}
                  </span>
                </span>
              </a>
            </li>
          );
        })}
      </ul>
      {dialog === 'chat' && <NewChat onClose={() => setDialog(undefined)} />}
      {dialog === 'group' && <NewGroup onClose={() => setDialog(undefined)} />}
      {dialog === 'join' && <JoinGroup invite={invite} onClose={() => { setDialog(undefined); if (invite) location.hash = '#/'; }} />}
    </nav>
  );
}

function useSubmit(run: () => Promise<void>) {
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError('');
    try {
      await run();
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };
  return { error, busy, submit };
}

function NewChat(props: { onClose: () => void }) {
  const s = useStore();
  const [handle, setHandle] = useState('');
  const f = useSubmit(async () => {
    const u = await userNamed(handle.trim().replace(/^@/, ''));
    if (u.id === s.me?.id) throw new Error('that is you: pick someone else');
    s.users.set(u.id, u);
    props.onClose();
    go(userKey(u.id));
  });
  return (
    <Dialog title="New chat" onClose={props.onClose}>
      <form onSubmit={f.submit}>
        <label>
          Username
          <input name="chatHandle" required value={handle} onInput={(e) => setHandle(e.currentTarget.value)} autoFocus />
        </label>
        {f.error && <p class="error" role="alert">{f.error}</p>}
        <button type="submit" class="primary" disabled={f.busy}>Start chat</button>
      </form>
    </Dialog>
  );
}

/** One user by handle; an unknown one fails with the same words everywhere. */
async function userNamed(handle: string) {
  try {
    return await store.api.users.byHandle(handle);
  } catch (e) {
    if (e instanceof ParleyError && (e.status === 404 || e.status === 400)) throw new Error(`no user named "${handle}"`);
    throw e;
  }
}

/** Usernames typed as "sam, @lee" → user ids (fails naming the unknown one). */
export async function idsOf(handles: string): Promise<number[]> {
  const names = handles.split(/[\s,]+/).map((h) => h.replace(/^@/, '')).filter(Boolean);
  const s = store;
  const users = await Promise.all(names.map(userNamed));
  for (const u of users) s.users.set(u.id, u);
  return users.map((u) => u.id);
}

function NewGroup(props: { onClose: () => void }) {
  const s = useStore();
  const [name, setName] = useState('');
  const [members, setMembers] = useState('');
  const f = useSubmit(async () => {
    const ids = await idsOf(members);
    const g = await s.api.groups.create({ name: name.trim(), ...(ids.length ? { memberIds: ids } : {}) });
    s.groups.set(g.id, g);
    await s.refreshConversations();
    props.onClose();
    go(groupKey(g.id));
  });
  return (
    <Dialog title="New group" onClose={props.onClose}>
      <form onSubmit={f.submit}>
        <label>
          Group name
          <input name="groupName" required maxLength={100} value={name} onInput={(e) => setName(e.currentTarget.value)} autoFocus />
        </label>
        <label>
          Members <span class="hint">(usernames, optional)</span>
           <input name="groupMembers" placeholder="usernames, separated by commas" value={members} onInput={(e) => setMembers(e.currentTarget.value)} />
        </label>
        {f.error && <p class="error" role="alert">{f.error}</p>}
        <button type="submit" class="primary" disabled={f.busy}>Create group</button>
      </form>
    </Dialog>
  );
}

/** What an invite link carries: `#/join/<groupId>`, or `#/join/<groupId>/<signed QR code>` (joins at once). */
export function inviteOf(route: string): { groupId: number; code?: string } | undefined {
  const m = /^join\/([1-9][0-9]{0,15})(?:\/([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+))?$/.exec(route);
  return m ? { groupId: Number(m[1]), ...(m[2] ? { code: m[2] } : {}) } : undefined;
}

function JoinGroup(props: { invite?: { groupId: number; code?: string }; onClose: () => void }) {
  const s = useStore();
  const [id, setId] = useState(props.invite ? String(props.invite.groupId) : '');
  const [reason, setReason] = useState('');
  const [done, setDone] = useState('');
  const code = props.invite?.code;
  const name = props.invite ? s.groups.get(props.invite.groupId)?.name : undefined;
  useEffect(() => {
    if (props.invite) s.group(props.invite.groupId, false, true);
  }, [props.invite?.groupId]);
  const joined = async (groupId: number) => {
    await s.refreshConversations();
    props.onClose();
    go(groupKey(groupId));
  };
  const f = useSubmit(async () => {
    if (code) return joined((await s.api.groups.redeemQrCode(code)).groupId);
    const groupId = Number(id.trim());
    if (!Number.isSafeInteger(groupId) || groupId <= 0) throw new Error('a group id is a number');
    let r;
    try {
      r = await s.api.groups.apply(groupId, reason.trim() || undefined);
    } catch (e) {
      if (e instanceof ParleyError && e.code === 'join_refused') throw new Error('This group does not accept requests to join; ask a member to invite you.');
      throw e;
    }
    if (r.outcome === 'joined') await joined(groupId);
    else setDone('Request sent. An admin of the group will review it.');
  });
  return (
    <Dialog title={name ? `Join ${name}` : 'Join a group'} onClose={props.onClose}>
      <form onSubmit={f.submit}>
        {code ? (
          <p>This invite joins you to <strong>{name ?? `group ${props.invite?.groupId}`}</strong> at once.</p>
        ) : (
          <>
            <label>
              Group id <span class="hint">(or open an invite link)</span>
              <input name="joinGroupId" inputMode="numeric" required value={id} disabled={!!done} onInput={(e) => setId(e.currentTarget.value)} autoFocus />
            </label>
            <label>
              Message to the admins <span class="hint">(optional)</span>
              <input name="joinReason" maxLength={200} value={reason} disabled={!!done} onInput={(e) => setReason(e.currentTarget.value)} />
            </label>
          </>
        )}
        {f.error && <p class="error" role="alert">{f.error}</p>}
        {done && <p class="ok" role="status">{done}</p>}
        {done ? (
          <button type="button" class="primary" onClick={props.onClose}>Done</button>
        ) : (
          <button type="submit" class="primary" disabled={f.busy}>{code ? 'Join group' : 'Ask to join'}</button>
        )}
      </form>
    </Dialog>
  );
}

export { useSubmit };
