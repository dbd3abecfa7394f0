import { describe, expect, it } from 'vitest';
import { splitHighlights } from './highlight.ts';

describe('splitHighlights', () => {
  it('marks the spans and keeps the text between them', () => {
    expect(
      splitHighlights('my internet is down', [
        [3, 11],
        [15, 19],
      ]),
    ).toEqual([
      { text: 'my ', hit: false },
      { text: 'internet', hit: true },
      { text: ' is ', hit: false },
      { text: 'down', hit: true },
    ]);
  });
  it('merges overlapping and unsorted spans, clips out-of-range ones and drops empty ones', () => {
    expect(
      splitHighlights('abcdefgh', [
        [4, 6],
        [1, 3],
        [2, 5],
        [6, 6],
        [7, 99],
      ]),
    ).toEqual([
      { text: 'a', hit: false },
      { text: 'bcdef', hit: true },
      { text: 'g', hit: false },
      { text: 'h', hit: true },
    ]);
  });
  it('joins the segments back into the original text', () => {
    const text = 'Comcast outage in Oakdale again';
    expect(
      splitHighlights(text, [
        [0, 7],
        [8, 14],
      ])
        .map((s) => s.text)
        .join(''),
    ).toBe(text);
  });
});
