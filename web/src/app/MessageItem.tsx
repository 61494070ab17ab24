import { useEffect, useState } from 'preact/hooks';
import type { Message } from '@parley/sdk';
import { FileAttachment, ImageAttachment } from './Attachment.tsx';
import { timeOf } from './format.ts';
import { linkParts } from './links.ts';
import { noticeText } from './notices.ts';
import { useStore } from './hooks.ts';
import { Reactions } from './Reactions.tsx';
import { EditedMark, EditMessage, MessageTools } from './EditMessage.tsx';
import { keyOfMessage } from './keys.ts';
import { ReplyQuote } from './ReplyQuote.tsx';

/** How long after sending the sender may still revoke (the server's default window). */
const REVOKE_WINDOW_MS = 2 * 60_000;

/** Plain text with @mentions of known members highlighted. */
function Mentions(props: { text: string; mentions: Set<string> }) {
  const parts = props.text.split(/(@[\p{L}\p{N}_.+-]+)/u);
  return <>{parts.map((p, i) => (p.startsWith('@') && props.mentions.has(p.slice(1)) ? <mark key={i} class="mention">{p}</mark> : p))}</>;
}

/** Text with http(s) links clickable (see links.ts) and mentions highlighted. */
function Text(props: { text: string; mentions: Set<string> }) {
  return (
    <p class="text">
      {linkParts(props.text).map((p, i) =>
        'href' in p ? (
          <a key={i} href={p.href} target="_blank" rel="noopener noreferrer">{p.text}</a>
        ) : (
          <Mentions key={i} text={p.text} mentions={props.mentions} />
        ),
      )}
    </p>
  );
}

/**
 * One message. `showSender` starts a run (same sender, same minute) and
 * `showMeta` ends it: a run shows its time once, under its last message.
 */
export function MessageItem(props: { m: Message; readMark: boolean; showSender: boolean; showMeta: boolean; mentionables: Set<string> }) {
  const s = useStore();
  const { m } = props;
  const mine = m.senderId === s.me?.id;
  const sender = m.senderId ? s.users.get(m.senderId) : undefined;
  const [, tick] = useState(0);
  const canRevoke = mine && m.type !== 'revoked' && Date.now() - m.createdAt < REVOKE_WINDOW_MS;
  useEffect(() => {
    if (!canRevoke) return;
    const t = setTimeout(() => tick((n) => n + 1), REVOKE_WINDOW_MS - (Date.now() - m.createdAt) + 50);
    return () => clearTimeout(t);
  }, [canRevoke, m.createdAt]);

  if (m.type === 'notice') return <li class="notice" data-seq={m.seq}>{noticeText(m, (id) => s.displayName(id))}</li>;
  const who = sender?.displayName || sender?.handle || 'Someone';
  if (m.type === 'revoked') {
    return (
      <li class={`msg revoked${mine ? ' mine' : ''}`} data-seq={m.seq} data-id={m.id}>
        <p class="text"><em>{mine ? 'You revoked a message' : `${who} revoked a message`}</em></p>
        {props.showMeta && <span class="meta"><time dateTime={new Date(m.createdAt).toISOString()}>{timeOf(m.createdAt)}</time></span>}
      </li>
    );
  }
  let content;
  let media = false;
  switch (m.type) {
    case 'text':
      content = <Text text={String(m.body.text ?? '')} mentions={props.mentionables} />;
      break;
    case 'image':
      content = <ImageAttachment body={m.body} />;
      media = true;
      break;
    case 'file':
      content = <FileAttachment body={m.body} />;
      break;
    default:
      content = <p class="text"><em>[{m.type} message]</em></p>;
  }
  return (
    <li class={`msg${mine ? ' mine' : ''}${props.showMeta ? ' run-end' : ''}${s.highlight === m.id ? ' hit' : ''}`} data-seq={m.seq} data-id={m.id} aria-current={s.highlight === m.id ? 'true' : undefined}>
      {props.showSender && !mine && <span class="sender">{who}</span>}
      {m.replyTo && s.me && keyOfMessage(m, s.me.id) && <ReplyQuote quote={m.replyTo} conv={keyOfMessage(m, s.me.id)!} />}
      <div class="bubble-row">
        <div class={`bubble${media ? ' media' : ''}`}>{s.editing === m.id ? <EditMessage m={m} /> : <>{content}<EditedMark m={m} /></>}</div>
        <MessageTools m={m} />
        {/* Beside the bubble, out of the flow: nothing moves when the revoke window closes. */}
        {canRevoke && (
          <button type="button" class="link revoke" onClick={() => void s.revoke(m)} aria-label="Revoke this message">
            Revoke
          </button>
        )}
      </div>
      <Reactions m={m} />
      {(props.showMeta || props.readMark || (mine && typeof m.readCount === 'number')) && (
        <span class="meta">
          <time dateTime={new Date(m.createdAt).toISOString()} title={new Date(m.createdAt).toLocaleString()}>{timeOf(m.createdAt)}</time>
          {mine && typeof m.readCount === 'number' && <span class="receipt">· Read by {m.readCount}</span>}
          {props.readMark && <span class="receipt">· Read</span>}
        </span>
      )}
    </li>
  );
}
