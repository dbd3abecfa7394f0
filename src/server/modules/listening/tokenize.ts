import { foldText } from './fold-text.ts';
import { topLevelDomains } from './top-level-domains.ts';

export type TokenKind = 'word' | 'number' | 'hashtag' | 'mention' | 'email' | 'url' | 'emoji';

/**
 * One token of a post or of a query term. E-mail addresses and URLs are single tokens: the words
 * inside them (`comcast` in `jane@comcast.net`) are never tokens of their own, which is what keeps
 * a signature's e-mail address from matching a brand query.
 */
export type Token = {
  kind: TokenKind;
  /** Folded form: NFKC, lower case, no diacritics. Hashtags keep `#`, mentions `@`. */
  norm: string;
  /** UTF-16 offsets in the original text (`text.slice(start, end)` is what was written). */
  start: number;
  end: number;
  /** Word positions, inclusive. A hashtag or mention spans the positions of the words inside it. */
  pos: number;
  endPos: number;
  /** A word inside a hashtag or mention (`comcast` of `#Comcast`), sharing its positions. */
  derived: boolean;
  /** For URLs and e-mail addresses: the host name, lower case. */
  domain?: string;
};

const SEP = 0;
const WORD = 1;
const AT = 2;
const HASH = 3;
const CJK = 4;
const EMOJI = 5;
const REGIONAL = 6;

const ASCII = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  const ch = String.fromCharCode(c);
  ASCII[c] = /[a-z0-9_]/i.test(ch) ? WORD : ch === '@' ? AT : ch === '#' ? HASH : SEP;
}
const BMP = new Uint8Array(65536).fill(255);
const ASTRAL = new Map<number, number>();
const RE_EMOJI = /\p{Extended_Pictographic}/u;
const RE_CJK = /[\p{sc=Han}\p{sc=Hiragana}\p{sc=Katakana}]/u;
const RE_WORD = /[\p{L}\p{M}\p{Nd}\p{Pc}]/u;

function classify(cp: number): number {
  if (cp >= 0x1f1e6 && cp <= 0x1f1ff) return REGIONAL;
  const ch = String.fromCodePoint(cp);
  if (RE_EMOJI.test(ch)) return EMOJI;
  if (RE_CJK.test(ch)) return CJK;
  if (RE_WORD.test(ch)) return WORD;
  return SEP;
}

function classOfCodePoint(cp: number): number {
  if (cp < 128) return ASCII[cp]!;
  if (cp < 65536) {
    let k = BMP[cp]!;
    if (k === 255) {
      k = classify(cp);
      BMP[cp] = k;
    }
    return k;
  }
  let k = ASTRAL.get(cp);
  if (k === undefined) {
    k = classify(cp);
    ASTRAL.set(cp, k);
  }
  return k;
}

// Scanner state: module-level because tokenizing is synchronous and hot (no closure per call).
let F = '';
let N = 0;
let MS: Int32Array | null = null;
let ME: Int32Array | null = null;
let OUT: Token[] = [];
let POS = 0;
let RUN_DIGITS = false;
let NO_EMAIL_BEFORE = -1;
let NO_DOMAIN_BEFORE = -1;

/** Class of the (folded) character at `i`; `LEN` receives its UTF-16 length. */
let LEN = 1;
function classAt(i: number): number {
  const c = F.charCodeAt(i);
  if (c < 128) {
    LEN = 1;
    return ASCII[c]!;
  }
  const cp = F.codePointAt(i)!;
  LEN = cp > 0xffff ? 2 : 1;
  return classOfCodePoint(cp);
}

function isWordAt(i: number): boolean {
  return i < N && classAt(i) === WORD;
}

function isWordBefore(i: number): boolean {
  if (i <= 0) return false;
  const c = F.charCodeAt(i - 1);
  if (c < 128) return ASCII[c] === WORD;
  const at = c >= 0xdc00 && c < 0xe000 && i >= 2 ? i - 2 : i - 1;
  return classOfCodePoint(F.codePointAt(at)!) === WORD;
}

function scanWordRun(i: number): number {
  let j = i;
  RUN_DIGITS = true;
  while (j < N) {
    const c = F.charCodeAt(j);
    if (c < 128) {
      if (ASCII[c] !== WORD) break;
      if (c < 48 || c > 57) RUN_DIGITS = false;
      j++;
      continue;
    }
    if (classAt(j) !== WORD) break;
    RUN_DIGITS = false;
    j += LEN;
  }
  return j;
}

function emit(
  kind: TokenKind,
  fs: number,
  fe: number,
  derived: boolean,
  pos: number,
  domain?: string,
): Token {
  const token: Token = {
    kind,
    norm: F.slice(fs, fe),
    start: MS ? MS[fs]! : fs,
    end: ME ? ME[fe - 1]! : fe,
    pos,
    endPos: pos,
    derived,
  };
  if (domain !== undefined) token.domain = domain;
  OUT.push(token);
  return token;
}

/** Emits the words inside a hashtag or mention body as derived tokens; returns how many. */
function emitDerived(from: number, to: number): number {
  let count = 0;
  let i = from;
  while (i < to) {
    const cls = classAt(i);
    if (cls === WORD) {
      const w = Math.min(scanWordRun(i), to);
      emit(RUN_DIGITS ? 'number' : 'word', i, w, true, POS + count);
      count++;
      i = w;
    } else if (cls === CJK) {
      emit('word', i, i + LEN, true, POS + count);
      count++;
      i += LEN;
    } else i += LEN;
  }
  return count;
}

const isLabelChar = (c: number) => (c < 128 ? ASCII[c] === WORD || c === 45 : false);

let LAST_LABEL = 0;
let LABELS = 0;
/** Scans dot-separated host labels from `i`; returns the end, sets LABELS and LAST_LABEL (start). */
function scanLabels(i: number): number {
  let j = i;
  LABELS = 0;
  LAST_LABEL = i;
  while (j < N) {
    const s = j;
    while (j < N) {
      const c = F.charCodeAt(j);
      if (c < 128) {
        if (!isLabelChar(c)) break;
        j++;
      } else if (classAt(j) === WORD) j += LEN;
      else break;
    }
    if (j === s || F.charCodeAt(s) === 45) {
      j = s;
      break;
    }
    LABELS++;
    LAST_LABEL = s;
    if (j + 1 < N && F.charCodeAt(j) === 46 && isWordAt(j + 1)) j++;
    else break;
  }
  // A trailing "." consumed before a non-label would have been undone above; strip a final "-".
  while (j > i && F.charCodeAt(j - 1) === 45) j--;
  return j;
}

function isAlphaLabel(from: number, to: number): boolean {
  if (to - from < 2) return false;
  for (let k = from; k < to; k++) {
    const c = F.charCodeAt(k);
    if (c < 128 && !(c >= 97 && c <= 122)) return false;
  }
  return true;
}

const URL_STOP = new Set([32, 34, 60, 62, 96, 123, 124, 125, 92, 94]);
const URL_TRAIL = new Set([46, 44, 59, 58, 33, 63, 39, 34, 42, 41, 93, 125]);

/** Scans URL characters from `i` and trims trailing punctuation; returns the end. */
function scanUrlTail(i: number): number {
  let j = i;
  let open = 0;
  let close = 0;
  while (j < N) {
    const c = F.charCodeAt(j);
    if (c < 128) {
      if (c <= 32 || URL_STOP.has(c)) break;
      if (c === 40) open++;
      else if (c === 41) close++;
      j++;
    } else if (classAt(j) === WORD) j += LEN;
    else break;
  }
  while (j > i) {
    const c = F.charCodeAt(j - 1);
    if (!URL_TRAIL.has(c)) break;
    if (c === 41 && close <= open) break;
    if (c === 41) close--;
    j--;
  }
  return j;
}

/** `scheme://host…` starting at `i`, host at `h`. Returns the end, or 0 when there is no host. */
function scanSchemeUrl(i: number, h: number): number {
  const end = scanUrlTail(h);
  let hostEnd = h;
  while (hostEnd < end) {
    const c = F.charCodeAt(hostEnd);
    if (c === 47 || c === 63 || c === 35) break;
    hostEnd++;
  }
  let host = F.slice(h, hostEnd);
  const at = host.lastIndexOf('@');
  if (at >= 0) host = host.slice(at + 1);
  const colon = host.indexOf(':');
  if (colon >= 0) host = host.slice(0, colon);
  while (host.endsWith('.')) host = host.slice(0, -1);
  if (!host) return 0;
  emit('url', i, end, false, POS++, host);
  return end;
}

function tryEmail(i: number): number {
  let j = i;
  while (j < N) {
    const c = F.charCodeAt(j);
    if (c < 128) {
      if (ASCII[c] === WORD || c === 46 || c === 37 || c === 43 || c === 45) j++;
      else break;
    } else if (classAt(j) === WORD) j += LEN;
    else break;
  }
  if (j >= N || F.charCodeAt(j) !== 64 || F.charCodeAt(j - 1) === 46) {
    NO_EMAIL_BEFORE = j;
    return 0;
  }
  const d = scanLabels(j + 1);
  if (LABELS < 2 || !isAlphaLabel(LAST_LABEL, d)) {
    NO_EMAIL_BEFORE = j;
    return 0;
  }
  emit('email', i, d, false, POS++, F.slice(j + 1, d));
  return d;
}

function tryDomain(i: number): number {
  const e = scanLabels(i);
  const www = F.startsWith('www.', i);
  const tld = F.slice(LAST_LABEL, e);
  const ok = LABELS >= 2 && (topLevelDomains.has(tld) || (www && LABELS >= 3 && isAlphaLabel(LAST_LABEL, e)));
  if (!ok || (e < N && F.charCodeAt(e) === 64)) {
    NO_DOMAIN_BEFORE = e;
    return 0;
  }
  let end = e;
  if (end + 1 < N && F.charCodeAt(end) === 58 && F.charCodeAt(end + 1) >= 48 && F.charCodeAt(end + 1) <= 57) {
    end++;
    while (end < N && F.charCodeAt(end) >= 48 && F.charCodeAt(end) <= 57) end++;
  }
  if (end < N) {
    const c = F.charCodeAt(end);
    if (c === 47 || c === 63 || c === 35) end = scanUrlTail(end);
  }
  emit('url', i, end, false, POS++, F.slice(i, e));
  return end;
}

function isDigitAt(i: number): boolean {
  if (i >= N) return false;
  const c = F.charCodeAt(i);
  return c >= 48 && c <= 57;
}

/** A word, number, e-mail address, URL or bare domain starting at the word character `i`. */
function scanWordish(i: number): number {
  const w = scanWordRun(i);
  const digits = RUN_DIGITS;
  if (w < N) {
    const next = F.charCodeAt(w);
    if (next === 58) {
      const len = w - i;
      if ((len === 4 || len === 5 || len === 3) && F.startsWith('//', w + 1)) {
        const scheme = F.slice(i, w);
        if (scheme === 'http' || scheme === 'https' || scheme === 'ftp') {
          const r = scanSchemeUrl(i, w + 3);
          if (r > 0) return r;
        }
      }
      if (len === 6 && F.startsWith('mailto', i) && isWordAt(w + 1)) {
        const r = tryEmail(w + 1);
        if (r > 0) return r;
      }
    } else if (next === 46 || next === 64 || next === 45 || next === 43 || next === 37) {
      if (i >= NO_EMAIL_BEFORE) {
        const r = tryEmail(i);
        if (r > 0) return r;
      }
      if ((next === 46 || next === 45) && i >= NO_DOMAIN_BEFORE) {
        const r = tryDomain(i);
        if (r > 0) return r;
      }
      if (digits && next === 46 && isDigitAt(w + 1)) return scanNumber(i, w);
    } else if (digits && next === 44 && isDigitAt(w + 1)) {
      return scanNumber(i, w);
    }
  }
  emit(digits ? 'number' : 'word', i, w, false, POS++);
  return w;
}

/** Digits with inner `.` or `,` groups (`3.5`, `1,000`, `10.0.0.1`). */
function scanNumber(i: number, w: number): number {
  let j = w;
  while (j + 1 < N) {
    const c = F.charCodeAt(j);
    if ((c !== 46 && c !== 44) || !isDigitAt(j + 1)) break;
    j++;
    while (isDigitAt(j)) j++;
  }
  emit('number', i, j, false, POS++);
  return j;
}

function scanHashtag(i: number): number {
  if (isWordBefore(i) || (i > 0 && F.charCodeAt(i - 1) === 38)) return i + 1;
  let j = i + 1;
  while (j < N) {
    const cls = classAt(j);
    if (cls !== WORD && cls !== CJK) break;
    j += LEN;
  }
  if (j === i + 1) return i + 1;
  const tag = emit('hashtag', i, j, false, POS);
  const count = emitDerived(i + 1, j);
  tag.endPos = POS + Math.max(1, count) - 1;
  POS += Math.max(1, count);
  return j;
}

function scanMention(i: number): number {
  if (isWordBefore(i)) return i + 1;
  let j = i + 1;
  while (j < N) {
    const w = scanWordRun(j);
    if (w === j) break;
    j = w;
    const c = j < N ? F.charCodeAt(j) : 0;
    if ((c === 46 || c === 45) && isWordAt(j + 1)) j++;
    else break;
  }
  if (j === i + 1) return i + 1;
  const handleEnd = j;
  let end = handleEnd;
  if (end < N && F.charCodeAt(end) === 64 && isWordAt(end + 1)) {
    const d = scanLabels(end + 1);
    if (LABELS >= 2) end = d;
  }
  const mention = emit('mention', i, end, false, POS);
  const count = emitDerived(i + 1, handleEnd);
  mention.endPos = POS + Math.max(1, count) - 1;
  POS += Math.max(1, count);
  return end;
}

/**
 * Splits text into tokens in one pass over its folded form (see `Token`). Linear in the length
 * of the text whatever it contains: no regular expression runs over the text itself.
 */
export function tokenize(text: string): Token[] {
  const folded = foldText(text);
  F = folded.folded;
  N = F.length;
  MS = folded.start;
  ME = folded.end;
  OUT = [];
  POS = 0;
  NO_EMAIL_BEFORE = -1;
  NO_DOMAIN_BEFORE = -1;
  let i = 0;
  while (i < N) {
    const cls = classAt(i);
    if (cls === SEP) i += LEN;
    else if (cls === WORD) i = scanWordish(i);
    else if (cls === HASH) i = scanHashtag(i);
    else if (cls === AT) i = scanMention(i);
    else if (cls === CJK || cls === EMOJI) {
      emit(cls === CJK ? 'word' : 'emoji', i, i + LEN, false, POS++);
      i += LEN;
    } else {
      // Two regional indicators make one flag.
      const len = LEN;
      const pair = i + len < N && classAt(i + len) === REGIONAL ? len + LEN : len;
      emit('emoji', i, i + pair, false, POS++);
      i += pair;
    }
  }
  const out = OUT;
  OUT = [];
  F = '';
  MS = null;
  ME = null;
  return out;
}
