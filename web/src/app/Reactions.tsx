import { useState } from 'preact/hooks';
import type { Message } from '@parley/sdk';
import { canPin, setPinned, toggleReaction } from './annotations.ts';
import { errorText, useStore } from './hooks.ts';

/** The picker's choices: the reactions people use most; any emoji works through the API. */
const COMMON = ['👍', '❤️', '😂', '🎉', '😮', '😢'];

/**
 * Under a bubble: its reactions (mine highlighted; who reacted in the title,
 * read on hover or focus), and the message's actions: react (a small
 * picker) and pin/unpin where I may.
 */
export function Reactions(props: { m: Message }) {
  const s = useStore();
  const { m } = props;
  const [picking, setPicking] = useState(false);
  // Names per emoji, with the count they were read at: a list read before a change is not shown after it.
  const [who, setWho] = useState<Record<string, { count: number; names: string }>>({});
  const [error, setError] = useState<string>();
  const list = m.reactions ?? [];

  const act = (f: () => Promise<void>) => {
    setPicking(false);
    setError(undefined);
    f().catch((e: unknown) => setError(errorText(e)));
  };
  const loadWho = (emoji: string, count: number) => {
    s.api.messages.reactors(m.id, emoji, 20).then(
      (r) => setWho((w) => ({ ...w, [emoji]: { count, names: r.items.map((x) => s.displayName(x.userId)).join(', ') + (r.next ? ' and others' : '') } })),
      () => undefined,
    );
  };
  const namesOf = (emoji: string, count: number) => (who[emoji]?.count === count ? who[emoji].names : undefined);

  return (
    <>
      {list.length > 0 && (
        <div class="reactions" role="group" aria-label="Reactions">
          {list.map((r) => (
            <button
              type="button"
              key={r.emoji}
              class={`reaction${r.me ? ' me' : ''}`}
              aria-pressed={r.me}
              title={namesOf(r.emoji, r.count) ?? `${r.count} reacted`}
              aria-label={`${r.emoji} ${r.count}${namesOf(r.emoji, r.count) ? `: ${namesOf(r.emoji, r.count)}` : ''}`}
              onMouseEnter={() => loadWho(r.emoji, r.count)}
              onFocus={() => loadWho(r.emoji, r.count)}
              onClick={() => act(() => toggleReaction(s, m, r.emoji))}
            >
              {r.emoji} <span class="count">{r.count}</span>
            </button>
          ))}
        </div>
      )}
      <div class="msg-actions">
        <button type="button" class="icon-action" aria-label="Add reaction" aria-expanded={picking} title="React" onClick={() => setPicking(!picking)}>☺</button>
        {canPin(s, m) && (
          <button type="button" class="icon-action" aria-label={m.pinned ? 'Unpin message' : 'Pin message'} title={m.pinned ? 'Unpin' : 'Pin'} aria-pressed={!!m.pinned} onClick={() => act(() => setPinned(s, m, !m.pinned))}>
            📌
          </button>
        )}
      </div>
      {picking && (
        <div class="picker" role="menu" aria-label="Pick a reaction">
          {COMMON.map((e) => (
            <button type="button" role="menuitem" key={e} aria-label={`React with ${e}`} onClick={() => act(() => toggleReaction(s, m, e))}>{e}</button>
          ))}
        </div>
      )}
      {error && <span class="error" role="alert">{error}</span>}
    </>
  );
}
