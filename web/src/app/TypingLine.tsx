import { useStore } from './hooks.ts';
import type { ConvKey } from './keys.ts';

/** "Alice is typing…" under the messages of a conversation, while someone is. */
export function TypingLine(props: { conv: ConvKey }) {
  const s = useStore();
  const names = s.live.typists(props.conv).map((id) => {
    const u = s.users.get(id);
    return u ? u.displayName || u.handle : 'Someone';
  });
  const text = names.length === 0 ? '' : names.length === 1 ? `${names[0]} is typing…` : names.length === 2 ? `${names[0]} and ${names[1]} are typing…` : `${names.length} people are typing…`;
  // Always rendered (empty when nobody types) so the layout does not jump and screen readers hear the change.
  return <p class="typing-line" role="status" aria-live="polite">{text}</p>;
}
