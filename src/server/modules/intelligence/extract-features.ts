import { extractHandles, prepareText } from './normalise-text.ts';
import { scoreSentiment } from './score-sentiment.ts';

/** How a text becomes a sparse vector. Stored with each model so classify uses the same recipe. */
export type FeatureOptions = {
  /** log2 of the hashed feature space. */
  hashBits: number;
  /** Longest word n-gram (1 = unigrams, 2 = + bigrams, 3 = + trigrams). */
  wordNgrams: number;
  /** Character n-gram lengths [min, max] over the normalised text; [0, 0] turns them off. */
  charNgrams: [number, number];
  /** Mark words in a negation scope ("not good" → `good` becomes `NOT_good`). */
  negation: boolean;
  /** Add the rule-based sentiment (lexicon) scores as features. */
  lexicon: boolean;
  /** Scale of the lexicon features. */
  lexiconWeight: number;
  /** Weight of the char n-gram block relative to the word block. */
  charWeight: number;
  /** Keep the @handles as features (who a post addresses says something about it). */
  handles: boolean;
  /** Mark the first two and the last word ("how …" opens questions, "… thanks" closes praise). */
  positional: boolean;
};

export const DEFAULT_FEATURE_OPTIONS: FeatureOptions = {
  hashBits: 18,
  wordNgrams: 2,
  charNgrams: [3, 5],
  negation: true,
  lexicon: true,
  lexiconWeight: 0.5,
  charWeight: 1,
  handles: true,
  positional: true,
};

/** A sparse vector: sorted unique indices with their values (L2-normalised per block). */
export type SparseVector = { indices: Uint32Array; values: Float32Array };

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

function mix(h: number): number {
  // final avalanche so that nearby strings spread over the low bits we keep
  let x = h;
  x ^= x >>> 16;
  x = Math.imul(x, 0x85ebca6b);
  x ^= x >>> 13;
  x = Math.imul(x, 0xc2b2ae35);
  x ^= x >>> 16;
  return x >>> 0;
}

function hashString(s: string, seed: number): number {
  let h = (FNV_OFFSET ^ Math.imul(seed, 0x9e3779b1)) >>> 0;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, FNV_PRIME);
  }
  return mix(h);
}

function combine(a: number, b: number, seed: number): number {
  return mix((Math.imul(a, 31) ^ b ^ Math.imul(seed, 0x9e3779b1)) >>> 0);
}

const SEED_WORD = 0x1;
const SEED_NEG = 0x2;
const SEED_BIGRAM = 0x3;
const SEED_TRIGRAM = 0x4;
const SEED_CHAR = 0x5;
const SEED_HANDLE = 0x7;
const SEED_POS = 0x8;

/** Index reserved for the bias feature (always 1). */
export const BIAS_INDEX = 0;
// Dense lexicon features live in reserved low slots (hashed features never use 1…15).
const META_POS = 1;
const META_NEG = 2;
const META_SCORE_POS = 3;
const META_SCORE_NEG = 4;
const META_LABEL_POS = 5;
const META_LABEL_NEG = 6;
const META_LABEL_NEU = 7;
const RESERVED = 16;

function slot(hash: number, mask: number): number {
  const k = hash & mask;
  return k < RESERVED ? k + RESERVED : k;
}

/**
 * Reusable scratch space: a small open-addressing table (fits in L1 cache, unlike a dense array
 * of 2^18 counts) keyed by feature index, so extracting features allocates only the result.
 */
class Block {
  private readonly keys = new Int32Array(8192).fill(-1);
  private readonly vals = new Float64Array(8192);
  private readonly slots = new Int32Array(4096);
  size = 0;
  private slotOf(k: number): number {
    let s = Math.imul(k, 0x9e3779b1) >>> 19; // 13 bits
    for (;;) {
      const key = this.keys[s]!;
      if (key === k) return s;
      if (key === -1) {
        if (this.size === this.slots.length) return -1; // extremely long text: ignore the tail
        this.keys[s] = k;
        this.slots[this.size++] = s;
        return s;
      }
      s = (s + 1) & 8191;
    }
  }
  add(k: number, v: number): void {
    const s = this.slotOf(k);
    if (s >= 0) this.vals[s]! += v;
  }
  /** Adds the block, sub-linear tf and L2-normalised to `weight`, into `acc`, then clears it. */
  flushInto(acc: Block, weight: number): void {
    let norm = 0;
    for (let i = 0; i < this.size; i++) {
      const s = this.slots[i]!;
      const v = 1 + Math.log(this.vals[s]!);
      this.vals[s] = v;
      norm += v * v;
    }
    const scale = norm > 0 ? weight / Math.sqrt(norm) : 0;
    for (let i = 0; i < this.size; i++) {
      const s = this.slots[i]!;
      acc.add(this.keys[s]!, this.vals[s]! * scale);
    }
    this.clear();
  }
  /** Sorted sparse vector of the contents; clears the block. */
  drain(): SparseVector {
    const indices = new Uint32Array(this.size);
    for (let i = 0; i < this.size; i++) indices[i] = this.keys[this.slots[i]!]!;
    indices.sort();
    const values = new Float32Array(this.size);
    for (let i = 0; i < indices.length; i++) values[i] = this.vals[this.slotOf(indices[i]!)]!;
    this.clear();
    return { indices, values };
  }
  private clear(): void {
    for (let i = 0; i < this.size; i++) {
      const s = this.slots[i]!;
      this.keys[s] = -1;
      this.vals[s] = 0;
    }
    this.size = 0;
  }
}

const block = new Block();
const acc = new Block();

/**
 * Turns a text into a hashed sparse vector: word n-grams (with negation marking), character
 * n-grams and the rule-based sentiment scores, each block L2-normalised with sub-linear term
 * frequency, plus a constant bias feature. Deterministic; a tweet takes a few microseconds.
 */
export function extractFeatures(raw: string, opts: FeatureOptions): SparseVector {
  const dim = 1 << opts.hashBits;
  const mask = dim - 1;
  const { normalised, tokens } = prepareText(raw);
  const { words: toks, negated } = tokens;
  const n = toks.length;
  const hashes = new Array<number>(n);
  for (let i = 0; i < n; i++) hashes[i] = hashString(toks[i]!, SEED_WORD);
  for (let i = 0; i < n; i++) {
    const isNeg = opts.negation && negated[i]!;
    block.add(slot(isNeg ? combine(hashes[i]!, 0, SEED_NEG) : hashes[i]!, mask), 1);
    if (opts.wordNgrams >= 2 && i + 1 < n)
      block.add(slot(combine(hashes[i]!, hashes[i + 1]!, SEED_BIGRAM), mask), 1);
    if (opts.wordNgrams >= 3 && i + 2 < n) {
      const h = combine(combine(hashes[i]!, hashes[i + 1]!, SEED_TRIGRAM), hashes[i + 2]!, SEED_TRIGRAM);
      block.add(slot(h, mask), 1);
    }
  }
  if (opts.positional) {
    // the first words after the leading handles, and the last word before trailing links
    let start = 0;
    while (start < n && toks[start] === '_user_') start++;
    let end = n - 1;
    while (end >= start && (toks[end] === '_url_' || toks[end] === '_user_')) end--;
    if (start < n) block.add(slot(combine(hashes[start]!, 1, SEED_POS), mask), 1);
    if (start + 1 < n)
      block.add(slot(combine(combine(hashes[start]!, hashes[start + 1]!, SEED_POS), 2, SEED_POS), mask), 1);
    if (end >= 0) block.add(slot(combine(hashes[end]!, 3, SEED_POS), mask), 1);
  }
  if (opts.handles) for (const h of extractHandles(raw)) block.add(slot(hashString(h, SEED_HANDLE), mask), 1);
  block.flushInto(acc, 1);

  const [cmin, cmax] = opts.charNgrams;
  if (cmax > 0) {
    const text = ` ${normalised.replace(/\s+/g, ' ').trim()} `;
    const len = text.length;
    for (let i = 0; i < len; i++) {
      let h = FNV_OFFSET ^ SEED_CHAR;
      for (let j = 0; j < cmax && i + j < len; j++) {
        h = Math.imul(h ^ text.charCodeAt(i + j), FNV_PRIME);
        if (j + 1 >= cmin) block.add(slot(mix(h >>> 0), mask), 1);
      }
    }
    block.flushInto(acc, opts.charWeight);
  }

  if (opts.lexicon) {
    // the rule model's view as a handful of dense features the classifier can weigh
    const lex = scoreSentiment(tokens);
    const s = opts.lexiconWeight;
    acc.add(META_POS, s * Math.log1p(lex.positive));
    acc.add(META_NEG, s * Math.log1p(lex.negative));
    if (lex.score > 0) acc.add(META_SCORE_POS, s * lex.score);
    if (lex.score < 0) acc.add(META_SCORE_NEG, -s * lex.score);
    acc.add(
      lex.label === 'positive' ? META_LABEL_POS : lex.label === 'negative' ? META_LABEL_NEG : META_LABEL_NEU,
      s,
    );
  }
  acc.add(BIAS_INDEX, 1);

  return acc.drain();
}
