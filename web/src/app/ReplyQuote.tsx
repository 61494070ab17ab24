import type { Message, ReplySummary } from '@parley/sdk';
import { useStore } from './hooks.ts';
import type { ConvKey } from './keys.ts';

/**
 * The quote a reply shows: who said what. The quoted message as this client
 * holds it now wins over the summary that came with the reply, so an edit
 * or a revoke seen live shows at once in every reply quoting it.
 */
function quoteOf(quote: ReplySummary, held: Message | undefined): { senderId: number | null; revoked: boolean; hidden: boolean; excerpt: string } {
  if (held) {
    if (held.type === 'revoked') return { senderId: held.senderId, revoked: true, hidden: false, excerpt: '' };
    const text = typeof held.body.text === 'string' && held.type === 'text' ? held.body.text : `[${held.type}]`;
    return { senderId: held.senderId, revoked: false, hidden: false, excerpt: text.replace(/\s+/g, ' ').trim() };
  }
  return { senderId: quote.senderId, revoked: quote.revoked === true, hidden: quote.hidden === true, excerpt: quote.excerpt };
}

/** A quote inside a reply; a click brings the quoted message into view. */
export function ReplyQuote(props: { quote: ReplySummary; conv: ConvKey }) {
  const s = useStore();
  const held = s.threads.get(props.conv)?.items.find((m) => m.id === props.quote.id);
  const q = quoteOf(props.quote, held);
  const who = q.senderId === null ? '' : q.senderId === s.me?.id ? 'You' : s.displayName(q.senderId);
  const what = q.revoked ? 'Message revoked' : q.hidden ? 'An earlier message' : q.excerpt;
  return (
    <button type="button" class={`reply-quote${q.revoked ? ' revoked' : ''}`} disabled={q.hidden} aria-label={`Reply to ${who || 'a message'}: ${what}. Show the original`} onClick={() => void s.jumpTo(props.conv, props.quote.id)}>
      {who && <strong>{who}</strong>}
      <span class="excerpt">{q.revoked ? <em>{what}</em> : what}</span>
    </button>
  );
}

/** Above the composer: the message the next send replies to, with a way out. */
export function ReplyingTo(props: { conv: ConvKey }) {
  const s = useStore();
  const m = s.replyingTo.get(props.conv);
  if (!m) return null;
  const who = m.senderId === s.me?.id ? 'yourself' : m.senderId ? s.displayName(m.senderId) : 'a notice';
  const text = m.type === 'text' ? String(m.body.text ?? '') : `[${m.type}]`;
  return (
    <div class="replying" role="status" aria-label={`Replying to ${who}`}>
      <div class="replying-quote">
        <strong>Replying to {who}</strong>
        <span class="excerpt">{text}</span>
      </div>
      <button type="button" class="icon" aria-label="Cancel reply" onClick={() => s.replyTo(props.conv, undefined)}>×</button>
    </div>
  );
}
