import { useState } from 'preact/hooks';
import type { SearchHit } from '@parley/sdk';
import { timeOf } from './format.ts';
import { errorText, useStore } from './hooks.ts';
import { groupKey, userKey, type ConvKey } from './keys.ts';

/** The excerpt with its matches marked. */
function Excerpt(props: { hit: SearchHit }) {
  const { text, matches } = props.hit.excerpt;
  const parts = [];
  let at = 0;
  for (const [i, m] of matches.entries()) {
    if (m.start > at) parts.push(text.slice(at, m.start));
    parts.push(<mark key={i}>{text.slice(m.start, m.start + m.length)}</mark>);
    at = m.start + m.length;
  }
  parts.push(text.slice(at));
  return <span class="search-excerpt">{parts}</span>;
}

const keyOfHit = (h: SearchHit): ConvKey | undefined => (h.conversation.groupId ? groupKey(h.conversation.groupId) : h.conversation.peerId ? userKey(h.conversation.peerId) : undefined);

/** Search over every message the user may read; a hit opens its conversation at that message. */
export function Search() {
  const s = useStore();
  const [q, setQ] = useState('');
  const [hits, setHits] = useState<SearchHit[] | undefined>();
  const [next, setNext] = useState<string | undefined>();
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);

  async function run(more: boolean) {
    if (!q.trim()) return;
    setBusy(true);
    setError(undefined);
    try {
      const page = await s.api.messages.search(q, { limit: 20, ...(more && next ? { cursor: next } : {}) });
      setHits(more ? [...(hits ?? []), ...page.items] : page.items);
      setNext(page.next);
      for (const h of page.items) if (h.message.senderId) s.displayName(h.message.senderId);
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section class="search" aria-label="Search messages">
      <form role="search" onSubmit={(e) => (e.preventDefault(), void run(false))}>
        <input type="search" placeholder="Search messages" aria-label="Search messages" value={q} onInput={(e) => setQ((e.target as HTMLInputElement).value)} />
        {hits && (
          <button type="button" class="icon" aria-label="Clear search" onClick={() => (setHits(undefined), setQ(''), setNext(undefined))}>×</button>
        )}
      </form>
      {error && <p class="error" role="alert">{error}</p>}
      {hits && (
        <ul class="search-results" aria-label="Search results">
          {hits.length === 0 && <li class="empty">{busy ? 'Searching…' : 'Nothing found.'}</li>}
          {hits.map((h) => {
            const key = keyOfHit(h);
            return (
              <li key={h.message.id}>
                <button type="button" class="search-hit" disabled={!key} onClick={() => key && void s.jumpTo(key, h.message.id)}>
                  <span class="conv-top">
                    <span class="conv-title">{key ? s.title(key) : 'Conversation'}</span>
                    <time class="conv-time">{timeOf(h.message.createdAt)}</time>
                  </span>
                  <Excerpt hit={h} />
                </button>
              </li>
            );
          })}
          {next && (
            <li>
              <button type="button" class="link" disabled={busy} onClick={() => void run(true)}>More results</button>
            </li>
          )}
        </ul>
      )}
    </section>
  );
}
