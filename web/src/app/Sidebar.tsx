import { useState } from 'preact/hooks';
import { Avatar } from './Avatar.tsx';
import { Dialog } from './Dialog.tsx';
import { preview, timeOf } from './format.ts';
import { errorText, useStore } from './hooks.ts';
import { groupKey, userKey, type ConvKey } from './keys.ts';
import { store } from './store.ts';
import { Search } from './Search.tsx';
import { ParleyError } from '../sdk/index.ts';

const go = (key: ConvKey) => {
  location.hash = `#/${key}`;
};

/** The conversation list with the actions that start a conversation. */
export function Sidebar() {
  const s = useStore();
  const [dialog, setDialog] = useState<'group' | 'chat' | 'join' | undefined>();
  const list = [...s.conversations.values()].sort((a, b) => (b.lastMessage?.createdAt ?? 0) - (a.lastMessage?.createdAt ?? 0) || b.key.localeCompare(a.key));
  const me = s.me!;
  return (
    <nav class="sidebar" aria-label="Conversations">
      <header class="me">
        <Avatar name={me.displayName || me.handle} size={36} />
        <div class="who">
          <strong>{me.displayName || me.handle}</strong>
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
          const sender = last?.senderId && c.key[0] === 'g' ? s.users.get(last.senderId) : undefined;
          return (
            <li key={c.key}>
              <a href={`#/${c.key}`} class={`conv${c.key === s.active ? ' active' : ''}`} aria-current={c.key === s.active ? 'page' : undefined}>
                <Avatar name={title} group={c.key[0] === 'g'} />
                <span class="conv-main">
                  <span class="conv-top">
                    <span class="conv-title">{title}</span>
                    {last && <time class="conv-time">{timeOf(last.createdAt)}</time>}
                  </span>
                  <span class="conv-bottom">
                    <span class="conv-preview">{sender ? `${sender.displayName}: ` : ''}{preview(last, (id) => s.displayName(id))}</span>
                    {c.unread > 0 && <span class="badge" aria-label={`${c.unread} unread`}>{c.unread}</span>}
                  </span>
                </span>
              </a>
            </li>
          );
        })}
      </ul>
      {dialog === 'chat' && <NewChat onClose={() => setDialog(undefined)} />}
      {dialog === 'group' && <NewGroup onClose={() => setDialog(undefined)} />}
      {dialog === 'join' && <JoinGroup onClose={() => setDialog(undefined)} />}
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
    const u = await s.api.users.byHandle(handle.trim());
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

/** Usernames typed as "ann, bob" → user ids (fails naming the unknown one). */
export async function idsOf(handles: string): Promise<number[]> {
  const names = handles.split(/[\s,]+/).map((h) => h.replace(/^@/, '')).filter(Boolean);
  const s = store;
  const users = await Promise.all(names.map(async (n) => {
    try {
      return await s.api.users.byHandle(n);
    } catch {
      throw new Error(`no user named "${n}"`);
    }
  }));
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
          <input name="groupMembers" placeholder="ann, bob" value={members} onInput={(e) => setMembers(e.currentTarget.value)} />
        </label>
        {f.error && <p class="error" role="alert">{f.error}</p>}
        <button type="submit" class="primary" disabled={f.busy}>Create group</button>
      </form>
    </Dialog>
  );
}

function JoinGroup(props: { onClose: () => void }) {
  const s = useStore();
  const [id, setId] = useState('');
  const [reason, setReason] = useState('');
  const [done, setDone] = useState('');
  const f = useSubmit(async () => {
    const groupId = Number(id.trim());
    if (!Number.isSafeInteger(groupId) || groupId <= 0) throw new Error('a group id is a number');
    let r;
    try {
      r = await s.api.groups.apply(groupId, reason.trim() || undefined);
    } catch (e) {
      if (e instanceof ParleyError && e.code === 'join_refused') throw new Error('This group does not accept requests to join; ask a member to invite you.');
      throw e;
    }
    if (r.outcome === 'joined') {
      await s.refreshConversations();
      props.onClose();
      go(groupKey(groupId));
    } else setDone('Request sent. An admin of the group will review it.');
  });
  return (
    <Dialog title="Join a group" onClose={props.onClose}>
      <form onSubmit={f.submit}>
        <label>
          Group id
          <input name="joinGroupId" inputMode="numeric" required value={id} onInput={(e) => setId(e.currentTarget.value)} autoFocus />
        </label>
        <label>
          Message to the admins <span class="hint">(optional)</span>
          <input name="joinReason" maxLength={200} value={reason} onInput={(e) => setReason(e.currentTarget.value)} />
        </label>
        {f.error && <p class="error" role="alert">{f.error}</p>}
        {done && <p class="ok" role="status">{done}</p>}
        <button type="submit" class="primary" disabled={f.busy}>Ask to join</button>
      </form>
    </Dialog>
  );
}

export { useSubmit };
