import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { User } from '@parley/sdk';
import { Avatar } from './Avatar.tsx';
import { dayOf, plural, sameRun } from './format.ts';
import { Composer } from './Composer.tsx';
import { GroupPanel } from './GroupPanel.tsx';
import { useStore } from './hooks.ts';
import type { ConvKey } from './keys.ts';
import { MessageItem } from './MessageItem.tsx';
import { PinnedBar } from './PinnedBar.tsx';
import { PresenceDot, lastSeenText } from './PresenceDot.tsx';
import { TypingLine } from './TypingLine.tsx';

/** One conversation: its header, the scrolling history, and the composer. */
export function ConversationView(props: { conv: ConvKey }) {
  const s = useStore();
  const key = props.conv;
  const isGroup = key[0] === 'g';
  const id = Number(key.slice(1));
  const thread = s.threads.get(key);
  const conv = s.conversations.get(key);
  const [panel, setPanel] = useState(false);
  const list = useRef<HTMLOListElement>(null);
  const atBottom = useRef(true);
  const firstSeq = useRef<number | undefined>(undefined);
  const prevHeight = useRef(0);
  const scrolledTo = useRef<number | undefined>(undefined);

  useEffect(() => {
    setPanel(false);
    atBottom.current = true;
    if (isGroup) void s.loadMembers(id);
  }, [key]);

  // Presence of the peer: read when the chat opens, and again once it has a first message (only then may it be shown).
  const hasMessages = (thread?.items.length ?? 0) > 0;
  useEffect(() => {
    if (!isGroup) void s.live.watch([id]).catch(() => undefined);
  }, [key, hasMessages]);

  // Keep the view pinned to the newest message, and keep the reading place when older ones are prepended.
  const items = thread?.items ?? [];
  useLayoutEffect(() => {
    const el = list.current;
    if (!el) return;
    const first = items[0]?.seq;
    if (firstSeq.current !== undefined && first !== undefined && first < firstSeq.current && !atBottom.current) {
      el.scrollTop += el.scrollHeight - prevHeight.current;
    } else if (atBottom.current) {
      el.scrollTop = el.scrollHeight;
    }
    firstSeq.current = first;
    prevHeight.current = el.scrollHeight;
    // A search hit: bring it into view once it is loaded (and stop pinning to the bottom).
    if (s.highlight !== undefined && scrolledTo.current !== s.highlight) {
      const hit = el.querySelector<HTMLElement>(`[data-id="${s.highlight}"]`);
      if (hit) {
        scrolledTo.current = s.highlight;
        atBottom.current = false;
        hit.scrollIntoView({ block: 'center' });
        prevHeight.current = el.scrollHeight;
      }
    }
  });

  const onScroll = () => {
    const el = list.current;
    if (!el) return;
    atBottom.current = el.scrollHeight - el.scrollTop - el.clientHeight < 40;
    prevHeight.current = el.scrollHeight;
    if (el.scrollTop < 80 && thread?.more && !thread.loading) void s.loadOlder(key);
  };

  const group = isGroup ? s.groups.get(id) : undefined;
  const memberList = isGroup ? (s.members.get(id) ?? []) : [];
  const members: User[] = memberList.map((m) => s.users.get(m.userId)).filter((u): u is User => !!u);
  const peer = isGroup ? undefined : s.users.get(id);
  const mentionables = new Set([...members.map((u) => u.handle), ...(peer ? [peer.handle] : []), ...(s.me ? [s.me.handle] : [])]);
  // Private chats: "Read" goes under my newest message the peer has read.
  const lastReadMine = isGroup || !conv ? undefined : items.filter((m) => m.senderId === s.me?.id && m.seq <= conv.peerReadSeq).at(-1)?.id;
  const title = s.title(key);
  // Owners and admins see waiting requests to join without opening the panel.
  const requests = isGroup ? (s.joinRequests.get(id) ?? 0) : 0;
  const meMember = memberList.find((m) => m.userId === s.me?.id);
  const disabled = isGroup && s.members.has(id) && !meMember ? 'You are not a member of this group.' : undefined;

  return (
    <section class="conversation" aria-label={`Conversation: ${title}`}>
      <header class="conv-header">
        <a href="#/" class="icon back" aria-label="Back to conversations">‹</a>
        <span class="avatar-wrap">
          <Avatar name={title} size={36} group={isGroup} />
          {!isGroup && <PresenceDot userId={id} />}
        </span>
        <div class="conv-heading">
          <h1>{title}</h1>
          <span class="hint">
            {isGroup ? plural(group?.memberCount ?? memberList.length, 'member') : [`@${s.users.get(id)?.handle ?? ''}`, lastSeenText(s.live.presence.get(id))].filter(Boolean).join(' · ')}
          </span>
        </div>
        {(conv?.lastSeq ?? 0) > 0 && (
          <button type="button" class="ghost mark-unread" aria-label="Mark unread" title="Mark unread" onClick={() => void s.markUnread(key)}><span class="label">Mark unread</span></button>
        )}
        {isGroup && (
          <button type="button" class="ghost" aria-expanded={panel} aria-controls="group-panel" onClick={() => setPanel(!panel)}>
            Group info
            {requests > 0 && <span class="badge" aria-label={`, ${plural(requests, 'request')} to join`}>{requests}</span>}
          </button>
        )}
      </header>
      <PinnedBar conv={key} />
      {group?.notice && <p class="announcement"><strong>Announcement:</strong> {group.notice}</p>}
      <div class="conv-body">
        <div class="messages-wrap">
          <ol class="messages" ref={list} onScroll={onScroll} aria-label="Messages" aria-live="polite" tabIndex={0}>
            <li class="history-edge">
              {thread?.loading ? 'Loading…' : thread?.more ? (
                <button type="button" class="link" onClick={() => void s.loadOlder(key)}>Load earlier messages</button>
              ) : items.length > 0 ? 'Beginning of the conversation' : 'No messages yet. Say hello!'}
            </li>
            {items.map((m, i) => {
              const prev = items[i - 1];
              const next = items[i + 1];
              const newDay = !prev || dayOf(prev.createdAt) !== dayOf(m.createdAt);
              const item = (
                <MessageItem key={m.id} m={m} readMark={m.id === lastReadMine} showSender={isGroup && (newDay || !sameRun(prev, m))} showMeta={!next || !sameRun(m, next) || dayOf(next.createdAt) !== dayOf(m.createdAt)} mentionables={mentionables} />
              );
              if (!newDay) return item;
              return [<li key={`day-${m.id}`} class="day" role="separator" aria-label={dayOf(m.createdAt)}><span>{dayOf(m.createdAt)}</span></li>, item];
            })}
          </ol>
          <TypingLine conv={key} />
          <Composer conv={key} members={members} disabled={disabled} />
        </div>
        {panel && isGroup && <GroupPanel groupId={id} onClose={() => setPanel(false)} />}
      </div>
    </section>
  );
}
