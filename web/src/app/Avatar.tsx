/** Initials on a colour derived from the name (no image needed). */
export function Avatar(props: { name: string; size?: number; group?: boolean }) {
  const initials = props.name.trim().split(/\s+/).slice(0, 2).map((w) => w[0]?.toUpperCase() ?? '').join('') || '?';
  let h = 0;
  for (const ch of props.name) h = (h * 31 + ch.charCodeAt(0)) % 360;
  const size = props.size ?? 40;
  return (
    <span class={`avatar${props.group ? ' group' : ''}`} aria-hidden="true" style={{ width: `${size}px`, height: `${size}px`, background: `hsl(${h} 55% 42%)`, fontSize: `${Math.round(size * 0.4)}px` }}>
      {initials}
    </span>
  );
}
