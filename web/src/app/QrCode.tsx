import { encode } from 'uqr';

/**
 * A QR code drawn as inline SVG (uqr encodes; no canvas, no data: URL, so
 * the server's self-only Content-Security-Policy allows it). Dark modules on
 * white with the standard 4-module quiet zone, so phone cameras read it in
 * either colour scheme.
 */
export function QrCode(props: { text: string; label: string; size?: number }) {
  const qr = encode(props.text, { ecc: 'M', border: 4 });
  let d = '';
  qr.data.forEach((row, y) => row.forEach((dark, x) => {
    if (dark) d += `M${x} ${y}h1v1h-1z`;
  }));
  const size = props.size ?? 200;
  return (
    <svg class="qr" role="img" aria-label={props.label} width={size} height={size} viewBox={`0 0 ${qr.size} ${qr.size}`} shape-rendering="crispEdges">
      <rect width={qr.size} height={qr.size} fill="#fff" />
      <path d={d} fill="#000" />
    </svg>
  );
}
