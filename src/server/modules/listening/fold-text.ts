/**
 * Case and accent folding with a map back to the original text.
 *
 * Every code point is folded on its own (NFKD, lower case, diacritics and invisible format
 * characters removed, a few letters spelled out, then NFC), so each folded character can be
 * traced to the original character it came from. Highlights are then reported in the original
 * text's UTF-16 offsets whatever the folding did (full-width letters, ligatures, combining accents).
 */

/** The folded text; `start`/`end` are null when folding kept every offset (the common case). */
export type FoldedText = {
  folded: string;
  /**
   * For folded index j: the original UTF-16 offset of the character it came from. The maps are
   * shared buffers, valid until the next call (tokenizing reads them at once; no copy per post).
   */
  start: Int32Array | null;
  /** For folded index j: the original UTF-16 offset just after that character (and its dropped marks). */
  end: Int32Array | null;
};

// Dropped code points: combining diacritics of Latin, Greek, Cyrillic, Hebrew points and Arabic
// harakat (marks of other scripts, such as Devanagari vowel signs, are letters and are kept), and
// invisible characters that only change rendering: soft hyphen, joiners, direction marks,
// variation selectors, emoji skin tones, tag characters.
const DROPPED: readonly (readonly [number, number])[] = [
  [0x00ad, 0x00ad],
  [0x0300, 0x036f],
  [0x0483, 0x0489],
  [0x0591, 0x05bd],
  [0x05bf, 0x05bf],
  [0x05c1, 0x05c2],
  [0x05c4, 0x05c5],
  [0x05c7, 0x05c7],
  [0x061c, 0x061c],
  [0x064b, 0x065f],
  [0x0670, 0x0670],
  [0x180e, 0x180e],
  [0x1ab0, 0x1aff],
  [0x1dc0, 0x1dff],
  [0x200c, 0x200f],
  [0x202a, 0x202e],
  [0x2060, 0x2064],
  [0x20d0, 0x20ff],
  [0xfe00, 0xfe0f],
  [0xfe20, 0xfe2f],
  [0xfeff, 0xfeff],
  [0x1f3fb, 0x1f3ff],
  [0xe0000, 0xe007f],
  [0xe0100, 0xe01ef],
];
const SPELLED: Readonly<Record<string, string>> = {
  ß: 'ss',
  æ: 'ae',
  œ: 'oe',
  ø: 'o',
  đ: 'd',
  ð: 'd',
  ħ: 'h',
  ı: 'i',
  ł: 'l',
  ŀ: 'l',
  þ: 'th',
  ς: 'σ',
  '\u2018': "'",
  '\u2019': "'",
  '\u02bc': "'",
  '\u200b': ' ',
};

function isDropped(cp: number): boolean {
  for (const [from, to] of DROPPED) if (cp >= from && cp <= to) return true;
  return false;
}

type CharFold = { fold: string; simple: boolean };
const cache = new Map<number, CharFold>();

/** Folds one code point (cached). `simple`: the fold equals plain lower-casing, at the same length. */
export function foldCodePoint(cp: number): CharFold {
  let hit = cache.get(cp);
  if (hit) return hit;
  const ch = String.fromCodePoint(cp);
  let out = '';
  for (const part of ch.normalize('NFKD').toLowerCase()) {
    if (!isDropped(part.codePointAt(0)!)) out += SPELLED[part] ?? part;
  }
  const fold = out.normalize('NFC');
  // U+03A3 lower-cases by context (final sigma) in String#toLowerCase, so it is never "simple".
  const simple = cp !== 0x3a3 && fold.length === ch.length && fold === ch.toLowerCase();
  hit = { fold, simple };
  if (cache.size < 200_000) cache.set(cp, hit);
  return hit;
}

const ASCII_ONLY = /^[\x00-\x7f]*$/;

let startBuf = new Int32Array(1024);
let endBuf = new Int32Array(1024);

/** Folds `text` for matching (see the file comment). */
export function foldText(text: string): FoldedText {
  if (ASCII_ONLY.test(text)) return { folded: text.toLowerCase(), start: null, end: null };
  const n = text.length;
  let simple = true;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) continue;
    const cp = text.codePointAt(i)!;
    if (cp > 0xffff) i++;
    if (!foldCodePoint(cp).simple) {
      simple = false;
      break;
    }
  }
  if (simple) return { folded: text.toLowerCase(), start: null, end: null };
  return foldWithMap(text);
}

function foldWithMap(text: string): FoldedText {
  const n = text.length;
  const parts: string[] = [];
  let j = 0;
  let runStart = 0;
  const ensure = (need: number) => {
    if (need <= startBuf.length) return;
    let size = startBuf.length;
    while (size < need) size *= 2;
    const s = new Int32Array(size);
    s.set(startBuf);
    const e = new Int32Array(size);
    e.set(endBuf);
    startBuf = s;
    endBuf = e;
  };
  ensure(n + 16);
  for (let i = 0; i < n; ) {
    const c = text.charCodeAt(i);
    if (c < 0x80) {
      startBuf[j] = i;
      endBuf[j] = i + 1;
      j++;
      i++;
      continue;
    }
    if (runStart < i) parts.push(text.slice(runStart, i).toLowerCase());
    const cp = text.codePointAt(i)!;
    const len = cp > 0xffff ? 2 : 1;
    const { fold } = foldCodePoint(cp);
    if (fold.length === 0) {
      if (j > 0 && endBuf[j - 1] === i) endBuf[j - 1] = i + len;
    } else {
      ensure(j + fold.length + (n - i) + 16);
      for (let k = 0; k < fold.length; k++) {
        startBuf[j] = i;
        endBuf[j] = i + len;
        j++;
      }
      parts.push(fold);
    }
    i += len;
    runStart = i;
  }
  if (runStart < n) parts.push(text.slice(runStart).toLowerCase());
  return { folded: parts.join(''), start: startBuf, end: endBuf };
}
