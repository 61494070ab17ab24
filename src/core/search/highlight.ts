// Where a hit matched: ranges of the message's searchable text, in UTF-16
// code units, and a short excerpt around the first. Computed in core from the
// stored text with the tokeniser's own folding, so both engines agree.

import { fold, type Clause } from './tokenize.ts';

export interface Range {
  start: number;
  length: number;
}

export interface Excerpt {
  text: string;
  matches: Range[];
}

const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\u30fc\u3005]/u;
const WORD_CHAR = /[\p{L}\p{N}\p{M}]/u;
const EXCERPT_BEFORE = 24;
const EXCERPT_LENGTH = 120;

/** The folded text and, per folded code unit, the original offset it came from. */
function foldWithMap(text: string): { folded: string; origin: number[] } {
  let folded = '';
  const origin: number[] = [];
  let at = 0;
  for (const ch of text) {
    const f = fold(ch);
    for (let i = 0; i < f.length; i++) origin.push(at);
    folded += f;
    at += ch.length;
  }
  origin.push(at);
  return { folded, origin };
}

/** Every range of `text` that one of the clauses' terms matched, merged and in order. */
export function matchRanges(text: string, clauses: readonly Clause[]): Range[] {
  const { folded, origin } = foldWithMap(text);
  const spans: [number, number][] = [];
  for (const c of clauses) {
    c.terms.forEach((term, i) => {
      const prefix = c.prefix && i === c.terms.length - 1;
      const cjk = CJK.test(term);
      for (let from = folded.indexOf(term); from >= 0; from = folded.indexOf(term, from + 1)) {
        let end = from + term.length;
        if (!cjk) {
          if (from > 0 && WORD_CHAR.test(folded[from - 1])) continue;
          if (prefix) while (end < folded.length && WORD_CHAR.test(folded[end])) end++;
          else if (end < folded.length && WORD_CHAR.test(folded[end])) continue;
        }
        spans.push([origin[from], origin[end]]);
      }
    });
  }
  spans.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const merged: [number, number][] = [];
  for (const s of spans) {
    const last = merged[merged.length - 1];
    if (last && s[0] <= last[1]) last[1] = Math.max(last[1], s[1]);
    else merged.push([s[0], s[1]]);
  }
  return merged.map(([start, end]) => ({ start, length: end - start }));
}

/** A window of the text around the first match, with the matches inside it. */
export function excerptOf(text: string, ranges: readonly Range[]): Excerpt {
  const first = ranges[0]?.start ?? 0;
  let start = Math.max(0, first - EXCERPT_BEFORE);
  let end = Math.min(text.length, start + EXCERPT_LENGTH);
  // Never cut a surrogate pair in half.
  if (start > 0 && /[\udc00-\udfff]/.test(text[start])) start--;
  if (end < text.length && /[\udc00-\udfff]/.test(text[end])) end++;
  const lead = start > 0 ? '…' : '';
  const tail = end < text.length ? '…' : '';
  const matches = ranges
    .filter((r) => r.start >= start && r.start < end)
    .map((r) => ({ start: r.start - start + lead.length, length: Math.min(r.length, end - r.start) }));
  return { text: lead + text.slice(start, end) + tail, matches };
}
