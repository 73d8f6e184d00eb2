// word-count — the prompt's <output_specification> asks for 1500–2500 words. Too short means
// missing substance; too long means a document nobody reads and output tokens paid for nothing.
//
// Counts prose words: whitespace-separated tokens holding a letter or digit, outside code blocks
// (tables and inline code count; front matter, HTML tags and comments do not). Inside the band
// the score is 1; outside it falls off as (ratio to the nearest bound)^1.5, so 1,200 words
// scores 0.72, 800 words 0.39, 3,000 words 0.76, 5,000 words 0.35.

import { defineGrader, grade } from './core.ts';

export const MIN_WORDS = 1500;
export const MAX_WORDS = 2500;

export default defineGrader({
  id: 'word-count',
  description: `Prose length within ${MIN_WORDS}-${MAX_WORDS} words`,
  weight: 1,
  grade(doc) {
    const { prose, tables, code } = doc.words;
    const inBand = prose >= MIN_WORDS && prose <= MAX_WORDS;
    const ratio = prose < MIN_WORDS ? prose / MIN_WORDS : MAX_WORDS / prose;
    const score = inBand ? 1 : Math.pow(ratio, 1.5);
    const reason = `${prose} words; wanted ${MIN_WORDS}-${MAX_WORDS}`;
    return grade(inBand, score, reason, [], { words: prose, tableWords: tables, codeWords: code });
  },
});
