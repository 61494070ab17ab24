// The one tokeniser of search: the index and the query both go through it, so
// a query term and an indexed term are equal exactly when the text matched.
// Engines receive text that is already split into space-separated tokens;
// they only store and intersect them (docs/search.md says why per script).
//
// - Every script: NFKC (full-width letters, ligatures and compatibility forms
//   become their plain forms) and lowercase.
// - Latin, Greek, Cyrillic: accents dropped (NFD, combining marks removed), so
//   `café` and `cafe` are one term. Words come from Intl.Segmenter (ICU's
//   word-break rules: Thai, Lao and the like are split by ICU's dictionaries)
//   and are cut again at anything but letters and digits, so `@alice`,
//   `don't` or `foo_bar` give the same terms on every engine.
// - Han, kana and hangul (no spaces between words): each run is indexed as
//   its overlapping character bigrams, followed by its last character alone,
//   so every substring of two or more characters is a run of adjacent
//   bigrams, and every single character begins some term.
// - Emoji, punctuation and symbols are not terms.

const CJK_RUN = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\u30fc\u3005]+/gu;
const ACCENTED = /([\p{Script=Latin}\p{Script=Greek}\p{Script=Cyrillic}])\p{M}+/gu;
const ASCII = /^[\x00-\x7f]*$/;
const ASCII_NOT_WORD = /[^a-z0-9]+/;
const NOT_WORD = /[^\p{L}\p{N}\p{M}]+/u;
const segmenter = new Intl.Segmenter('und', { granularity: 'word' });

/**
 * A word is kept to its first 64 characters, in the index and in queries
 * alike (PostgreSQL refuses lexemes over 2 KiB; nobody searches by the 65th
 * letter of a word); a longer query word then matches as a prefix.
 */
export const MAX_WORD_CHARS = 64;
/** Terms indexed per message: PostgreSQL positions end at 16383, and a 1 MiB text must not make a 10 MiB index row. */
export const MAX_TERMS = 16_383;

const clip = (w: string) => (w.length <= MAX_WORD_CHARS ? w : [...w].slice(0, MAX_WORD_CHARS).join(''));

/** Folds case, width and (for Latin, Greek, Cyrillic) accents. Hangul stays composed. */
export function fold(text: string): string {
  // Plain ASCII (most Latin chat) has nothing to normalise: skip the three passes.
  if (ASCII.test(text)) return text.toLowerCase();
  return text.normalize('NFKC').toLowerCase().normalize('NFD').replace(ACCENTED, '$1').normalize('NFC');
}

/** A piece of folded text: a CJK run, or a word of any other script. */
export interface Piece {
  text: string;
  cjk: boolean;
}

/** The folded text's pieces in order. */
export function pieces(text: string): Piece[] {
  const folded = fold(text);
  const out: Piece[] = [];
  let at = 0;
  const words = (s: string) => {
    // In ASCII, UAX #29 never splits a run of letters and digits, so cutting
    // at everything else gives what the segmenter and the cut below give.
    if (ASCII.test(s)) {
      for (const w of s.split(ASCII_NOT_WORD)) if (w) out.push({ text: clip(w), cjk: false });
      return;
    }
    for (const seg of segmenter.segment(s)) {
      if (!seg.isWordLike) continue;
      for (const w of seg.segment.split(NOT_WORD)) if (w) out.push({ text: clip(w), cjk: false });
    }
  };
  for (const m of folded.matchAll(CJK_RUN)) {
    if (m.index > at) words(folded.slice(at, m.index));
    out.push({ text: m[0], cjk: true });
    at = m.index + m[0].length;
  }
  if (at < folded.length) words(folded.slice(at));
  return out;
}

/** A CJK run's terms: its bigrams, then its last character alone. */
function runTerms(run: string): string[] {
  const chars = [...run];
  const terms: string[] = [];
  for (let i = 0; i + 1 < chars.length; i++) terms.push(chars[i] + chars[i + 1]);
  terms.push(chars[chars.length - 1]);
  return terms;
}

/** The terms a stored text is indexed under, in order (positions matter: phrases). */
export function indexTerms(text: string): string[] {
  return pieces(text)
    .flatMap((p) => (p.cjk ? runTerms(p.text) : [p.text]))
    .slice(0, MAX_TERMS);
}

/**
 * One clause of a query: terms that must appear adjacent and in this order
 * (a phrase); `prefix` lets the last term match any term it begins.
 */
export interface Clause {
  terms: string[];
  prefix: boolean;
}

/** The largest number of clauses a query may have (each is an index lookup). */
export const MAX_CLAUSES = 16;

/**
 * A query: every clause must match (AND). Unquoted, each Latin word is a
 * prefix clause and each CJK run is the phrase of its bigrams (adjacent, so
 * `周末去` never matches `周末…去` elsewhere). A "quoted phrase" is one clause
 * whose pieces must be adjacent; only its last piece may be a prefix.
 */
export function parseQuery(q: string): Clause[] {
  const clauses: Clause[] = [];
  const parts = q.split('"');
  parts.forEach((part, i) => {
    const quoted = i % 2 === 1 && i < parts.length - 1;
    const ps = pieces(part);
    if (ps.length === 0) return;
    if (quoted) {
      const terms: string[] = [];
      ps.forEach((p, k) => {
        const last = k === ps.length - 1;
        // A run followed by more of the phrase ends there in the text too, so its lone last character follows it.
        if (p.cjk) terms.push(...(last ? queryRun(p.text).terms : runTerms(p.text)));
        else terms.push(p.text);
      });
      const tail = ps[ps.length - 1];
      clauses.push({ terms, prefix: !tail.cjk || [...tail.text].length === 1 });
      return;
    }
    for (const p of ps) clauses.push(p.cjk ? queryRun(p.text) : { terms: [p.text], prefix: true });
  });
  return dedupe(clauses).slice(0, MAX_CLAUSES);
}

/** A CJK run in a query: its bigrams in order; a single character matches any term it begins. */
function queryRun(run: string): Clause {
  const chars = [...run];
  if (chars.length === 1) return { terms: chars, prefix: true };
  const terms: string[] = [];
  for (let i = 0; i + 1 < chars.length; i++) terms.push(chars[i] + chars[i + 1]);
  return { terms, prefix: false };
}

function dedupe(clauses: Clause[]): Clause[] {
  const seen = new Set<string>();
  return clauses.filter((c) => {
    const key = `${c.prefix ? '*' : ''}${c.terms.join(' ')}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
