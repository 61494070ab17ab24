// Links inside message text. Only http(s) addresses become links (never
// `javascript:`, `data:` or anything else a sender might type), and they open
// in a new tab with no access back to this page (rel="noopener noreferrer").

export type TextPart = { text: string } | { href: string; text: string };

const URL_IN_TEXT = /\bhttps?:\/\/[^\s<>"'`]+/giu;
// Punctuation that ends a sentence rather than the address ("see https://x.org.").
const TRAILING = /[.,;:!?)\]}'"»”’]+$/u;

/** The address as a safe link target, or undefined when it is not plain http(s). */
export function safeHref(raw: string): string | undefined {
  try {
    const u = new URL(raw);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.href : undefined;
  } catch {
    return undefined;
  }
}

/** Splits text into plain runs and links, in order. */
export function linkParts(text: string): TextPart[] {
  const out: TextPart[] = [];
  let at = 0;
  for (const m of text.matchAll(URL_IN_TEXT)) {
    const raw = m[0].replace(TRAILING, '');
    const href = safeHref(raw);
    if (!href || m.index === undefined) continue;
    if (m.index > at) out.push({ text: text.slice(at, m.index) });
    out.push({ href, text: raw });
    at = m.index + raw.length;
  }
  if (at < text.length) out.push({ text: text.slice(at) });
  return out;
}
