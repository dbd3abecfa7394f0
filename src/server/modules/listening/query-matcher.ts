import { emitProgram, runProgram } from './compile-program.ts';
import { type Compiled, compileQuery, MatchState } from './compile-query.ts';
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
  /** The boolean skeleton, run for every candidate (see compile-program.ts). */
  code: Int32Array;
  calls: Compiled[];
  /** The full compiled tree, used for highlights once a query matched. */
  compiled: Compiled;
  required: RequiredTerm[];
  exactTerms: number;
};

/**
 * What the matcher memoises per token (or attribute) value: the interned keys it produces, the
 * prefixes those keys extend, the queries it makes candidates, and whether an exact-case query
 * could care about its original spelling.
 */
type Entry = {
  terms: number[] | null;
  prefixes: number[] | null;
  candidates: number[] | null;
  exact: boolean;
};
const NOTHING: Entry = { terms: null, prefixes: null, candidates: null, exact: false };
const CACHE_LIMIT = 500_000;
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
    const compiled = compileQuery(node, this.intern);
    const program: number[] = [];
    const calls: Compiled[] = [];
    emitProgram(node, this.intern, calls, program);
    const required = extractRequiredTerms(node, this.cost);
    if (!required) throw new Error(`Query "${id}" could match posts without any of its terms`);
    this.remove(id);
    const exact = exactTermKeys(node);
    const slot = this.free.pop() ?? this.slots.length;
    this.slots[slot] = {
      id,
      node,
      code: Int32Array.from(program),
      calls,
      compiled,
      required,
      exactTerms: exact.length,
    };
    this.byId.set(id, slot);
    this.countExact(exact, 1);
    this.index(slot, required);
    if (slot >= this.candidateGen.length) {
      const g = new Int32Array(Math.max(slot + 1, this.candidateGen.length * 2));
      g.set(this.candidateGen);
      this.candidateGen = g;
    }
    this.clearCaches();
  }

  /** Removes the query stored under `id`; returns whether there was one. */
  remove(id: string): boolean {
    const slot = this.byId.get(id);
    if (slot === undefined) return false;
    const s = this.slots[slot]!;
    this.unindex(slot, s.required);
    this.countExact(exactTermKeys(s.node), -1);
    this.slots[slot] = undefined;
    this.byId.delete(id);
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
    for (const slot of this.candidates) {
      const s = this.slots[slot]!;
      if (!runProgram(s.code, 0, st, s.calls)) continue;
      if (!withHighlights) {
        hits.push({ id: s.id, highlights: [] });
        continue;
      }
      const marks: number[] = [];
      s.compiled.mark(st, marks);
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
      if (e.exact) {
        const k = exactKey(i < textTokens ? post.text : (post.title ?? ''), t);
        if (k !== null) this.apply(this.keyCache.get(k) ?? this.lookup(this.keyCache, k, [k], null), i);
      }
    }
    const { handle, externalId } = post.author;
    this.apply(this.handleCache.get(handle) ?? this.lookupField(this.handleCache, handle, 'author'), -1);
    if (externalId !== handle) {
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
    if (e.terms !== null) for (const id of e.terms) st.addTerm(id, at);
    if (e.prefixes !== null) for (const id of e.prefixes) st.addPrefix(id, at);
    if (e.candidates !== null) {
      const gen = st.gen;
      const cg = this.candidateGen;
      for (const q of e.candidates) {
        if (cg[q] !== gen) {
          cg[q] = gen;
          this.candidates.push(q);
        }
      }
    }
  }

  private lookup(cache: Map<string, Entry>, cacheKey: string, keys: string[], token: Token | null): Entry {
    let terms: number[] | null = null;
    let prefixes: number[] | null = null;
    for (const key of keys) {
      const term = this.terms.get(key);
      if (term !== undefined) {
        if (terms) terms.push(term);
        else terms = [term];
      }
      for (const len of this.prefixLengths) {
        if (len > key.length) break;
        const p = this.prefixes.get(key.slice(0, len));
        if (p === undefined) continue;
        if (prefixes) prefixes.push(p);
        else prefixes = [p];
      }
    }
    const exact =
      token !== null &&
      token.kind !== 'url' &&
      token.kind !== 'email' &&
      (this.exactPrefixes > 0 || this.exactNorms.has(token.norm));
    let entry = NOTHING;
    if (terms || prefixes || exact) {
      entry = { terms, prefixes, candidates: this.candidatesOf(terms, prefixes), exact };
    }
    if (cache.size >= CACHE_LIMIT) cache.clear();
    cache.set(cacheKey, entry);
    return entry;
  }

  private clearCaches(): void {
    this.plainCache.clear();
    this.urlCache.clear();
    this.emailCache.clear();
    this.keyCache.clear();
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
    for (const cache of caches) {
      for (const e of cache.values()) {
        if (e !== NOTHING) e.candidates = this.candidatesOf(e.terms, e.prefixes);
      }
    }
  }

  private candidatesOf(terms: number[] | null, prefixes: number[] | null): number[] | null {
    const set = new Set<number>();
    if (terms) for (const t of terms) for (const q of this.termQueries[t]!) set.add(q);
    if (prefixes) for (const p of prefixes) for (const q of this.prefixQueries[p]!) set.add(q);
    return set.size ? [...set] : null;
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
