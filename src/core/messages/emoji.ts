// What counts as a reaction: exactly one emoji, as the user sees it (one
// grapheme cluster, Intl.Segmenter's view), recognised by the Unicode emoji
// properties rather than a table of our own: a full RGI emoji sequence
// (flags, keycaps, families, skin tones), or a single pictographic
// character with an optional presentation selector or skin-tone modifier.

import { fail } from '../errors.ts';

/** Longest accepted emoji in UTF-16 code units (the longest RGI sequences are ~14; room for newer ones). */
const MAX_UNITS = 32;
const RGI = /^\p{RGI_Emoji}$/v;
const PICTOGRAPH = /^[\p{Extended_Pictographic}\p{Emoji_Presentation}][\uFE0F\p{Emoji_Modifier}]?$/u;
const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/** The emoji as stored, or an invalid_argument error naming the field. */
export function validEmoji(raw: unknown): string {
  if (typeof raw !== 'string' || raw.length === 0 || raw.length > MAX_UNITS) throw notEmoji();
  const emoji = raw.normalize('NFC');
  let clusters = 0;
  for (const _ of graphemes.segment(emoji)) if (++clusters > 1) throw notEmoji();
  if (!RGI.test(emoji) && !PICTOGRAPH.test(emoji)) throw notEmoji();
  return emoji;
}

const notEmoji = () => fail('invalid_argument', 'a reaction is exactly one emoji (e.g. 👍)', { field: 'emoji' });
