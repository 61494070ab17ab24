import { useEffect, useState } from 'preact/hooks';
import { loadPins, pinnedLists } from './annotations.ts';
import { preview } from './format.ts';
import { useStore } from './hooks.ts';
import type { ConvKey } from './keys.ts';

/**
 * The conversation's pinned messages, one at a time under the header:
 * clicking shows the message (scrolled to and highlighted) and moves on to
 * the next pin, newest first, as Telegram does.
 */
export function PinnedBar(props: { conv: ConvKey }) {
  const s = useStore();
  const [index, setIndex] = useState(0);
  const online = s.socketState === 'online';
  // Only a group's members may read its pins: wait until the group says I am one.
  const id = Number(props.conv.slice(1));
  const readable = props.conv[0] === 'u' || !!s.groups.get(id)?.role;
  // Read on opening, and again after a reconnect (pins may have changed meanwhile).
  useEffect(() => {
    setIndex(0);
    if (readable) void loadPins(s, props.conv);
  }, [props.conv, online, readable]);
  const list = pinnedLists.get(props.conv) ?? [];
  if (list.length === 0) return null;
  const i = index % list.length;
  const p = list[i];
  return (
    <div class="pinned-bar" role="region" aria-label="Pinned messages">
      <button
        type="button"
        class="pinned-jump"
        title="Show the pinned message"
        onClick={() => {
          setIndex(i + 1);
          void s.jumpTo(props.conv, p.message.id);
        }}
      >
        <span class="pin-label">📌 Pinned{list.length > 1 ? ` · ${i + 1} of ${list.length}` : ''}</span>
        <span class="pin-text">{preview(p.message, (id) => s.displayName(id))}</span>
      </button>
    </div>
  );
}
