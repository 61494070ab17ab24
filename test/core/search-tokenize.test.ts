// The tokeniser's ASCII fast path must give exactly what the general path
// (Intl.Segmenter words cut at non-letters) gives, or the index and queries
// written before and after it would disagree.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { indexTerms, MAX_WORD_CHARS } from '../../src/core/search/tokenize.ts';

const segmenter = new Intl.Segmenter('und', { granularity: 'word' });
function general(text: string): string[] {
  const out: string[] = [];
  for (const s of segmenter.segment(text.toLowerCase())) {
    if (!s.isWordLike) continue;
    for (const w of s.segment.split(/[^\p{L}\p{N}\p{M}]+/u)) if (w) out.push(w.slice(0, MAX_WORD_CHARS));
  }
  return out;
}

test('ASCII text: the fast path gives the segmenter path terms', () => {
  const ascii = fc.string({ unit: fc.constantFrom(...'aZq09 .,\'_-@#:/3e\t!?'.split('')), maxLength: 60 });
  fc.assert(fc.property(ascii, (t) => assert.deepEqual(indexTerms(t), general(t))), { numRuns: 5000 });
  assert.deepEqual(indexTerms("Don't e.g. foo_bar 3.14 @alice"), ['don', 't', 'e', 'g', 'foo', 'bar', '3', '14', 'alice']);
});
