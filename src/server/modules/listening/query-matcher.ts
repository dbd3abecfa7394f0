import { emitProgram, markProgram, runProgram } from './compile-program.ts';
import { type Compiled, MatchState } from './compile-query.ts';
import { extractRequiredTerms, guessTermCost, type RequiredTerm } from './extract-required-terms.ts';
import { foldText } from './fold-text.ts';
import { KeyFilter } from './key-filter.ts';
import { mergeHighlights } from './merge-highlights.ts';
import { parseQuery } from './parse-query.ts';
import type { QueryNode, TermToken } from './query-ast.ts';
import {
  attributeKeys,
  EXACT_KEY,
  exactKey,
  fieldKey,
  keysOfToken,
  linkedSiteKeys,
  type MatchPost,
} from './token-keys.ts';
import type { Token } from './tokenize.ts';
import { type PostTokens, tokenizePost } from './tokenize-post.ts';

/** A query that matched a post, and the ranges of the post's text that made it match. */
export type MatchHit = { id: string; highlights: [number, number][] };

type Slot = {
  id: string;
  node: QueryNode;
  /** Where its boolean skeleton starts in the shared program buffer (see compile-program.ts). */
  start: number;
  length: number;
  /** Its phrase and NEAR nodes' places in the shared call table. */
  calls: number[];
  required: RequiredTerm[];
  exactTerms: number;
};

/**
 * What the matcher memoises per token (or attribute) value, as an offset into one Int32Array pool
 * (-1: the value matters to no query): `[exact, nTerms, term…, nPrefixes, prefix…, nCandidates,
 * candidate…]` — the interned keys it produces, the prefixes those keys extend, the queries it
 * makes candidates, and whether an exact-case query could care about its original spelling.
 * One contiguous record per value keeps the per-token work to one or two cache lines.
 */
type Entry = number;
const NOTHING: Entry = -1;
const AUTHOR_KEY = fieldKey('author', '');
/** Stands in the call table for the nodes of removed queries. */
const RELEASED: Compiled = { test: () => false, mark: () => {} };
const CACHE_LIMIT = 500_000;
const POOL_LIMIT = 1 << 24;
/** Posts seen before observed key frequencies replace the built-in guesses. */
const MIN_POSTS_FOR_STATISTICS = 1_000;

/**
 * Matches posts against many stored queries at once.
 *
 * Each query is indexed under its required terms (see `extractRequiredTerms`). A post is tokenized
 * once; each token value is looked up once in a memo that says which interned keys and prefixes it
 * carries and which queries it makes candidates; only those candidates are evaluated, by their
 * compiled form. Adding, replacing or removing a query is immediate and touches only that query's
 * entries, so topic edits take effect between two posts without a rebuild.
 *
 * The matcher counts in how many posts each key occurs, and re-chooses every query's required
 * terms from those counts at 1k, 2k, 4k, … posts (then every million), so a query is indexed under
 * the words that are rare in the stream it actually sees.
 */
export class QueryMatcher {
  private readonly slots: (Slot | undefined)[] = [];
  /** Compiled phrase and NEAR nodes of every query, called from the programs. */
  private readonly calls: Compiled[] = [];
  /** Every query's program, back to back (one cache line or two per candidate). */
  private code = new Int32Array(4096);
  private codeLength = 0;
  private codeGarbage = 0;
  private programStart = new Int32Array(64);
  private readonly free: number[] = [];
  private readonly byId = new Map<string, number>();
  private readonly terms = new Map<string, number>();
  private readonly termQueries: number[][] = [];
  private readonly prefixes = new Map<string, number>();
  private readonly prefixQueries: number[][] = [];
  private prefixLengths: number[] = [];
  /** Folded forms of the exact-case terms (`=Apple`); with exact-case prefixes every token counts. */
  private readonly exactNorms = new Map<string, number>();
  private exactPrefixes = 0;
  private readonly plainCache = new Map<string, Entry>();
  private readonly urlCache = new Map<string, Entry>();
  private readonly emailCache = new Map<string, Entry>();
  private readonly keyCache = new Map<string, Entry>();
  /** Per raw attribute value (author handle, author id, channel, language): no string building per post. */
  private readonly handleCache = new Map<string, Entry>();
  private readonly authorIdCache = new Map<string, Entry>();
  private readonly channelCache = new Map<string, Entry>();
  private readonly langCache = new Map<string, Entry>();
  private pool = new Int32Array(1 << 14);
  private poolLength = 0;
  private readonly state = new MatchState();
  /** Which plain tokens can matter at all (see key-filter.ts). */
  private readonly filter = new KeyFilter();
  private candidateGen = new Int32Array(64);
  private readonly candidates: number[] = [];
  private posts = 0;
  private nextReindex = 1_024;
  private readonly intern = {
    term: (key: string) => this.internTerm(key),
    prefix: (prefix: string) => this.internPrefix(prefix),
  };
  private readonly cost = (t: TermToken) => this.termCost(t);
  private readonly cacheLimit: number;

  /** `cacheLimit`: distinct token values memoised before the memo starts over (bounded memory). */
  constructor(options: { cacheLimit?: number } = {}) {
    this.cacheLimit = options.cacheLimit ?? CACHE_LIMIT;
  }

  /** Number of stored queries. */
  get size(): number {
    return this.byId.size;
  }

  has(id: string): boolean {
    return this.byId.has(id);
  }

  /** Adds a query, or replaces the query stored under `id`. Throws `QuerySyntaxError` on bad text. */
  add(id: string, query: string | QueryNode): void {
    const node = typeof query === 'string' ? parseQuery(query) : query;
    const program: number[] = [];
    const firstCall = this.calls.length;
    emitProgram(node, this.intern, this.calls, program);
    const calls = Array.from({ length: this.calls.length - firstCall }, (_, k) => firstCall + k);
    const required = extractRequiredTerms(node, this.cost);
    if (!required) throw new Error(`Query "${id}" could match posts without any of its terms`);
    this.remove(id);
    const exact = exactTermKeys(node);
    const slot = this.free.pop() ?? this.slots.length;
    const start = this.appendProgram(program);
    this.slots[slot] = {
      id,
      node,
      start,
      length: program.length,
      calls,
      required,
      exactTerms: exact.length,
    };
    this.byId.set(id, slot);
    this.countExact(exact, 1);
    this.index(slot, required);
    if (slot >= this.candidateGen.length) {
      const size = Math.max(slot + 1, this.candidateGen.length * 2);
      const g = new Int32Array(size);
      g.set(this.candidateGen);
      this.candidateGen = g;
      const p = new Int32Array(size);
      p.set(this.programStart);
      this.programStart = p;
    }
    this.programStart[slot] = start;
    this.clearCaches();
  }

  /** Removes the query stored under `id`; returns whether there was one. */
  remove(id: string): boolean {
    const slot = this.byId.get(id);
    if (slot === undefined) return false;
    const s = this.slots[slot]!;
    this.unindex(slot, s.required);
    this.countExact(exactTermKeys(s.node), -1);
    this.codeGarbage += s.length;
    for (const c of s.calls) this.calls[c] = RELEASED;
    this.slots[slot] = undefined;
    this.byId.delete(id);
    if (this.codeGarbage > this.codeLength / 2 && this.codeGarbage > 4096) this.compactPrograms();
    this.free.push(slot);
    this.clearCaches();
    return true;
  }

  /** The stored queries that match the post, with highlight ranges in `post.text`. */
  match(post: MatchPost, options?: { highlights?: boolean }): MatchHit[] {
    return this.matchTokens(post, tokenizePost(post), options);
  }

  /** Like `match`, for a post already tokenized with `tokenizePost`. */
  matchTokens(post: MatchPost, tokenized: PostTokens, options?: { highlights?: boolean }): MatchHit[] {
    if (++this.posts === this.nextReindex) this.reindex();
    this.collect(post, tokenized);
    const st = this.state;
    const hits: MatchHit[] = [];
    const withHighlights = options?.highlights !== false;
    const code = this.code;
    const starts = this.programStart;
    for (const slot of this.candidates) {
      const base = starts[slot]!;
      if (!runProgram(code, base, base, st, this.calls)) continue;
      const s = this.slots[slot]!;
      if (!withHighlights) {
        hits.push({ id: s.id, highlights: [] });
        continue;
      }
      const marks: number[] = [];
      markProgram(code, base, base, st, this.calls, marks);
      hits.push({ id: s.id, highlights: mergeHighlights(marks) });
    }
    return hits;
  }

  /** How many stored queries the presearcher hands to evaluation for this post (diagnostics). */
  candidateCount(post: MatchPost): number {
    this.collect(post, tokenizePost(post));
    return this.candidates.length;
  }

  /** Loads the post's keys into the state and collects the candidate queries. */
  private collect(post: MatchPost, tokenized: PostTokens): void {
    const { tokens, textTokens } = tokenized;
    this.state.begin(tokens, textTokens);
    this.candidates.length = 0;
    for (let i = 0; i < tokens.length; i++) {
      const t = tokens[i]!;
      const plain = t.kind !== 'url' && t.kind !== 'email';
      if (plain && this.exactPrefixes === 0 && !this.filter.mayMatter(t.norm)) continue;
      const cache = plain ? this.plainCache : t.kind === 'url' ? this.urlCache : this.emailCache;
      let e = cache.get(t.norm);
      if (e === undefined) e = this.lookup(cache, t.norm, keysOfToken(t), t);
      if (e === NOTHING) continue;
      this.apply(e, i);
      if (this.pool[e] === 1) {
        const k = exactKey(i < textTokens ? post.text : (post.title ?? ''), t);
        if (k !== null) this.apply(this.keyCache.get(k) ?? this.lookup(this.keyCache, k, [k], null), i);
      }
    }
    const { handle, externalId } = post.author;
    const filter = this.filter;
    if (filter.mayMatterLowered(AUTHOR_KEY, handle)) {
      this.apply(this.handleCache.get(handle) ?? this.lookupField(this.handleCache, handle, 'author'), -1);
    }
    if (externalId !== handle && filter.mayMatterLowered(AUTHOR_KEY, externalId)) {
      this.apply(
        this.authorIdCache.get(externalId) ?? this.lookupField(this.authorIdCache, externalId, 'author'),
        -1,
      );
    }
    this.apply(
      this.channelCache.get(post.channel) ?? this.lookupField(this.channelCache, post.channel, 'channel'),
      -1,
    );
    if (post.lang)
      this.apply(this.langCache.get(post.lang) ?? this.lookupField(this.langCache, post.lang, 'lang'), -1);
    if (post.url || post.links?.length) {
      for (const k of linkedSiteKeys(post))
        this.apply(this.keyCache.get(k) ?? this.lookup(this.keyCache, k, [k], null), -1);
    }
  }

  private lookupField(cache: Map<string, Entry>, raw: string, field: 'author' | 'channel' | 'lang'): Entry {
    return this.lookup(cache, raw, attributeKeys(field, raw), null);
  }

  private appendProgram(program: number[]): number {
    if (this.codeLength + program.length > this.code.length) {
      const grown = new Int32Array(Math.max(this.code.length * 2, this.codeLength + program.length));
      grown.set(this.code.subarray(0, this.codeLength));
      this.code = grown;
    }
    const start = this.codeLength;
    this.code.set(program, start);
    this.codeLength += program.length;
    return start;
  }

  /** Rewrites the program buffer without the programs of removed queries. */
  private compactPrograms(): void {
    const old = this.code;
    this.code = new Int32Array(Math.max(4096, (this.codeLength - this.codeGarbage) * 2));
    this.codeLength = 0;
    this.codeGarbage = 0;
    this.slots.forEach((s, slot) => {
      if (!s) return;
      const start = this.appendProgram(Array.from(old.subarray(s.start, s.start + s.length)));
      s.start = start;
      this.programStart[slot] = start;
    });
  }

  private countExact(terms: TermToken[], delta: 1 | -1): void {
    for (const t of terms) {
      if (t.prefix) {
        this.exactPrefixes += delta;
        continue;
      }
      const norm = foldText(t.key.slice(EXACT_KEY.length)).folded;
      if (delta > 0) this.filter.addKey(norm);
      const n = (this.exactNorms.get(norm) ?? 0) + delta;
      if (n > 0) this.exactNorms.set(norm, n);
      else this.exactNorms.delete(norm);
    }
  }

  private apply(e: Entry, at: number): void {
    if (e === NOTHING) return;
    const st = this.state;
    const pool = this.pool;
    let p = e + 1;
    for (let n = pool[p++]!; n > 0; n--) st.addTerm(pool[p++]!, at);
    for (let n = pool[p++]!; n > 0; n--) st.addPrefix(pool[p++]!, at);
    const gen = st.gen;
    const cg = this.candidateGen;
    for (let n = pool[p++]!; n > 0; n--) {
      const q = pool[p++]!;
      if (cg[q] !== gen) {
        cg[q] = gen;
        this.candidates.push(q);
      }
    }
  }

  /** Writes an entry record into the pool; returns its offset. */
  private writeEntry(exact: boolean, terms: readonly number[], prefixes: readonly number[]): Entry {
    const candidates = this.candidatesOf(terms, prefixes);
    const size = 4 + terms.length + prefixes.length + candidates.length;
    if (this.poolLength + size > this.pool.length) {
      const grown = new Int32Array(Math.max(this.pool.length * 2, this.poolLength + size));
      grown.set(this.pool.subarray(0, this.poolLength));
      this.pool = grown;
    }
    const e = this.poolLength;
    const pool = this.pool;
    let p = e;
    pool[p++] = exact ? 1 : 0;
    pool[p++] = terms.length;
    for (const t of terms) pool[p++] = t;
    pool[p++] = prefixes.length;
    for (const x of prefixes) pool[p++] = x;
    pool[p++] = candidates.length;
    for (const q of candidates) pool[p++] = q;
    this.poolLength = p;
    return e;
  }

  /** The terms and prefixes of an entry record. */
  private readEntry(e: Entry): { exact: boolean; terms: number[]; prefixes: number[] } {
    const pool = this.pool;
    let p = e + 1;
    const terms: number[] = [];
    const prefixes: number[] = [];
    for (let n = pool[p++]!; n > 0; n--) terms.push(pool[p++]!);
    for (let n = pool[p++]!; n > 0; n--) prefixes.push(pool[p++]!);
    return { exact: pool[e] === 1, terms, prefixes };
  }

  private lookup(cache: Map<string, Entry>, cacheKey: string, keys: string[], token: Token | null): Entry {
    // Bounded memory: start over when a stream of ever-new values has filled the memo.
    if (cache.size >= this.cacheLimit || this.poolLength > POOL_LIMIT) this.clearCaches();
    const terms: number[] = [];
    const prefixes: number[] = [];
    for (const key of keys) {
      const term = this.terms.get(key);
      if (term !== undefined) terms.push(term);
      for (const len of this.prefixLengths) {
        if (len > key.length) break;
        const p = this.prefixes.get(key.slice(0, len));
        if (p !== undefined) prefixes.push(p);
      }
    }
    const exact =
      token !== null &&
      token.kind !== 'url' &&
      token.kind !== 'email' &&
      (this.exactPrefixes > 0 || this.exactNorms.has(token.norm));
    const entry =
      terms.length || prefixes.length || exact ? this.writeEntry(exact, terms, prefixes) : NOTHING;
    cache.set(cacheKey, entry);
    return entry;
  }

  private clearCaches(): void {
    this.plainCache.clear();
    this.urlCache.clear();
    this.emailCache.clear();
    this.keyCache.clear();
    this.poolLength = 0;
    this.handleCache.clear();
    this.authorIdCache.clear();
    this.channelCache.clear();
    this.langCache.clear();
  }

  private index(slot: number, required: RequiredTerm[]): void {
    for (const r of required) {
      const list = r.prefix
        ? this.prefixQueries[this.internPrefix(r.key)]!
        : this.termQueries[this.internTerm(r.key)]!;
      if (!list.includes(slot)) list.push(slot);
    }
  }

  private unindex(slot: number, required: RequiredTerm[]): void {
    for (const r of required) {
      const list = r.prefix
        ? this.prefixQueries[this.prefixes.get(r.key)!]!
        : this.termQueries[this.terms.get(r.key)!]!;
      const k = list.indexOf(slot);
      if (k >= 0) list.splice(k, 1);
    }
  }

  /** Estimated share of posts containing the key: observed once there are enough posts. */
  private termCost(t: TermToken): number {
    const guess = guessTermCost(t);
    if (this.posts < MIN_POSTS_FOR_STATISTICS) return guess;
    const id = t.prefix ? this.prefixes.get(t.key) : this.terms.get(t.key);
    const df = id === undefined ? 0 : t.prefix ? this.state.prefDf[id]! : this.state.termDf[id]!;
    // The guess only breaks ties between keys seen equally often.
    return (df + 0.5) / this.posts + guess * 1e-7;
  }

  /** Re-chooses every query's required terms from observed frequencies. */
  private reindex(): void {
    this.nextReindex = this.posts < 1_000_000 ? this.posts * 2 : this.posts + 1_000_000;
    let changed = false;
    for (let slot = 0; slot < this.slots.length; slot++) {
      const s = this.slots[slot];
      if (!s) continue;
      const required = extractRequiredTerms(s.node, this.cost);
      if (!required || sameTerms(required, s.required)) continue;
      this.unindex(slot, s.required);
      this.index(slot, required);
      s.required = required;
      changed = true;
    }
    if (changed) this.refreshCandidates();
  }

  /** Recomputes the memoised candidate lists after required terms moved (keys stay valid). */
  private refreshCandidates(): void {
    const caches = [
      this.plainCache,
      this.urlCache,
      this.emailCache,
      this.keyCache,
      this.handleCache,
      this.authorIdCache,
      this.channelCache,
      this.langCache,
    ];
    const records = caches.map((cache) =>
      [...cache].filter(([, e]) => e !== NOTHING).map(([k, e]) => [k, this.readEntry(e)] as const),
    );
    this.poolLength = 0;
    caches.forEach((cache, c) => {
      for (const [k, r] of records[c]!) cache.set(k, this.writeEntry(r.exact, r.terms, r.prefixes));
    });
  }

  private candidatesOf(terms: readonly number[], prefixes: readonly number[]): number[] {
    const set = new Set<number>();
    for (const t of terms) for (const q of this.termQueries[t]!) set.add(q);
    for (const p of prefixes) for (const q of this.prefixQueries[p]!) set.add(q);
    return [...set];
  }

  private internTerm(key: string): number {
    let id = this.terms.get(key);
    if (id === undefined) {
      id = this.terms.size;
      this.terms.set(key, id);
      this.filter.addKey(key);
      this.termQueries.push([]);
      this.state.reserve(this.terms.size, this.prefixes.size);
    }
    return id;
  }

  private internPrefix(prefix: string): number {
    let id = this.prefixes.get(prefix);
    if (id === undefined) {
      id = this.prefixes.size;
      this.prefixes.set(prefix, id);
      this.filter.addPrefix(prefix);
      this.prefixQueries.push([]);
      this.state.reserve(this.terms.size, this.prefixes.size);
      if (!this.prefixLengths.includes(prefix.length)) {
        this.prefixLengths = [...this.prefixLengths, prefix.length].sort((a, b) => a - b);
      }
    }
    return id;
  }
}

function sameTerms(a: RequiredTerm[], b: RequiredTerm[]): boolean {
  return a.length === b.length && a.every((t, k) => t.key === b[k]!.key && t.prefix === b[k]!.prefix);
}

/** The exact-case terms (`=Apple`, `=Comc*`) a query uses. */
function exactTermKeys(node: QueryNode): TermToken[] {
  switch (node.type) {
    case 'term':
      return node.tokens.filter((t) => t.key.startsWith(EXACT_KEY));
    case 'field':
      return [];
    case 'not':
      return exactTermKeys(node.child);
    case 'near':
      return [...exactTermKeys(node.left), ...exactTermKeys(node.right)];
    default:
      return node.children.flatMap(exactTermKeys);
  }
}
