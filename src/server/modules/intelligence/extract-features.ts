import { extractHandles, type PreparedText, prepareText } from './normalise-text.ts';
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

/** A sparse vector: feature indices with their values (L2-normalised per block). */
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

/** The vector being built: indices and values appended block by block. */
class Output {
  indices = new Uint32Array(8192);
  values = new Float32Array(8192);
  size = 0;
  push(k: number, v: number): void {
    if (this.size === this.indices.length) return; // extremely long text: ignore the tail
    this.indices[this.size] = k;
    this.values[this.size++] = v;
  }
  take(): SparseVector {
    const v = { indices: this.indices.slice(0, this.size), values: this.values.slice(0, this.size) };
    this.size = 0;
    return v;
  }
}

/**
 * Counts of one feature block in a small open-addressing table (fits in L1 cache, unlike a dense
 * array of 2^18 counts), so extracting features allocates only the result.
 */
class Block {
  private readonly keys = new Int32Array(8192).fill(-1);
  private readonly vals = new Float64Array(8192);
  private readonly slots = new Int32Array(4096);
  private size = 0;
  add(k: number): void {
    let s = Math.imul(k, 0x9e3779b1) >>> 19; // 13 bits
    for (;;) {
      const key = this.keys[s]!;
      if (key === k) {
        this.vals[s]! += 1;
        return;
      }
      if (key === -1) {
        if (this.size === this.slots.length) return; // extremely long text: ignore the tail
        this.keys[s] = k;
        this.vals[s] = 1;
        this.slots[this.size++] = s;
        return;
      }
      s = (s + 1) & 8191;
    }
  }
  /**
   * Appends the block to `out` with sub-linear tf, L2-normalised to `weight`, and clears it.
   * (Blocks use different hash seeds; an index shared by two blocks, which is rare, simply
   * appears twice, which a dot product does not mind.)
   */
  flushTo(out: Output, weight: number): void {
    let norm = 0;
    for (let i = 0; i < this.size; i++) {
      const s = this.slots[i]!;
      const c = this.vals[s]!;
      const v = c === 1 ? 1 : 1 + Math.log(c);
      this.vals[s] = v;
      norm += v * v;
    }
    const scale = norm > 0 ? weight / Math.sqrt(norm) : 0;
    for (let i = 0; i < this.size; i++) {
      const s = this.slots[i]!;
      out.push(this.keys[s]!, this.vals[s]! * scale);
      this.keys[s] = -1;
    }
    this.size = 0;
  }
}

const block = new Block();
const out = new Output();

/**
 * Turns a text into a hashed sparse vector: word n-grams (with negation marking), character
 * n-grams and the rule-based sentiment scores, each block L2-normalised with sub-linear term
 * frequency, plus a constant bias feature. Deterministic; a tweet takes a few microseconds.
 */
export function extractFeatures(
  raw: string,
  opts: FeatureOptions,
  prepared: PreparedText = prepareText(raw),
): SparseVector {
  const dim = 1 << opts.hashBits;
  const mask = dim - 1;
  const { normalised, tokens } = prepared;
  const { words: toks, negated } = tokens;
  const n = toks.length;
  const hashes = new Array<number>(n);
  for (let i = 0; i < n; i++) hashes[i] = hashString(toks[i]!, SEED_WORD);
  for (let i = 0; i < n; i++) {
    const isNeg = opts.negation && negated[i]!;
    block.add(slot(isNeg ? combine(hashes[i]!, 0, SEED_NEG) : hashes[i]!, mask));
    if (opts.wordNgrams >= 2 && i + 1 < n)
      block.add(slot(combine(hashes[i]!, hashes[i + 1]!, SEED_BIGRAM), mask));
    if (opts.wordNgrams >= 3 && i + 2 < n) {
      const h = combine(combine(hashes[i]!, hashes[i + 1]!, SEED_TRIGRAM), hashes[i + 2]!, SEED_TRIGRAM);
      block.add(slot(h, mask));
    }
  }
  if (opts.positional) {
    // the first words after the leading handles, and the last word before trailing links
    let start = 0;
    while (start < n && toks[start] === '_user_') start++;
    let end = n - 1;
    while (end >= start && (toks[end] === '_url_' || toks[end] === '_user_')) end--;
    if (start < n) block.add(slot(combine(hashes[start]!, 1, SEED_POS), mask));
    if (start + 1 < n)
      block.add(slot(combine(combine(hashes[start]!, hashes[start + 1]!, SEED_POS), 2, SEED_POS), mask));
    if (end >= 0) block.add(slot(combine(hashes[end]!, 3, SEED_POS), mask));
  }
  if (opts.handles) for (const h of extractHandles(raw)) block.add(slot(hashString(h, SEED_HANDLE), mask));
  block.flushTo(out, 1);

  const [cmin, cmax] = opts.charNgrams;
  if (cmax > 0) {
    const text = ` ${normalised.replace(/\s+/g, ' ').trim()} `;
    const len = text.length;
    for (let i = 0; i < len; i++) {
      let h = FNV_OFFSET ^ SEED_CHAR;
      for (let j = 0; j < cmax && i + j < len; j++) {
        h = Math.imul(h ^ text.charCodeAt(i + j), FNV_PRIME);
        if (j + 1 >= cmin) block.add(slot(mix(h >>> 0), mask));
      }
    }
    block.flushTo(out, opts.charWeight);
  }

  if (opts.lexicon) {
    // the rule model's view as a handful of dense features the classifier can weigh
    const lex = scoreSentiment(tokens);
    const s = opts.lexiconWeight;
    out.push(META_POS, s * Math.log1p(lex.positive));
    out.push(META_NEG, s * Math.log1p(lex.negative));
    if (lex.score > 0) out.push(META_SCORE_POS, s * lex.score);
    if (lex.score < 0) out.push(META_SCORE_NEG, -s * lex.score);
    out.push(
      lex.label === 'positive' ? META_LABEL_POS : lex.label === 'negative' ? META_LABEL_NEG : META_LABEL_NEU,
      s,
    );
  }
  out.push(BIAS_INDEX, 1);

  return out.take();
}
