import { useStore } from './hooks.ts';

/**
 * A dot on a user's avatar: green while online, grey once known offline,
 * nothing when unknown. Inside a link whose name starts with the person's
 * name (the conversation list), the dot is decorative and the state is read
 * after the name instead (`PresenceText`), so the link is still found by it.
 */
export function PresenceDot(props: { userId: number; decorative?: boolean }) {
  const p = useStore().live.presence.get(props.userId);
  if (!p) return null;
  const label = p.online ? 'online' : 'offline';
  if (props.decorative) return <span class={`presence-dot${p.online ? ' online' : ''}`} aria-hidden="true" title={p.online ? 'Online' : 'Offline'} />;
  return <span class={`presence-dot${p.online ? ' online' : ''}`} role="img" aria-label={label} title={p.online ? 'Online' : 'Offline'} />;
}

/** The state a decorative dot shows, for screen readers only. */
export function PresenceText(props: { userId: number }) {
  const p = useStore().live.presence.get(props.userId);
  if (!p) return null;
  return <span class="visually-hidden">{p.online ? ', online' : ', offline'}</span>;
}

/** "online", "last seen 5 min ago", or nothing (unknown, or hidden by the user). */
export function lastSeenText(p: { online: boolean; lastSeenAt?: number } | undefined, now = Date.now()): string | undefined {
  if (!p) return undefined;
  if (p.online) return 'online';
  if (p.lastSeenAt === undefined) return 'offline';
  const min = Math.floor((now - p.lastSeenAt) / 60_000);
  if (min < 1) return 'last seen just now';
  if (min < 60) return `last seen ${min} min ago`;
  const h = Math.floor(min / 60);
  if (h < 24) return `last seen ${h} h ago`;
  return `last seen ${new Date(p.lastSeenAt).toLocaleDateString()}`;
}
