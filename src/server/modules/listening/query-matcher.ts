import { type Compiled, compileQuery, MatchState } from './compile-query.ts';
import { extractRequiredTerms, type RequiredTerm } from './extract-required-terms.ts';
import { mergeHighlights } from './merge-highlights.ts';
import { parseQuery } from './parse-query.ts';
import type { QueryNode } from './query-ast.ts';
import { EXACT_KEY, forEachPostKey, type MatchPost } from './token-keys.ts';
import { type PostTokens, tokenizePost } from './tokenize-post.ts';

/** A query that matched a post, and the ranges of the post's text that made it match. */
export type MatchHit = { id: string; highlights: [number, number][] };

type Slot = { id: string; node: QueryNode; compiled: Compiled; required: RequiredTerm[]; exactTerms: number };

/** What the matcher knows about one key of a post: its interned id, the prefixes it extends, and
 * the queries that list it (or one of those prefixes) as a required term. */
type KeyEntry = { term: number; prefixes: number[] | null; candidates: number[] | null };
const NOTHING: KeyEntry = { term: -1, prefixes: null, candidates: null };
const CACHE_LIMIT = 500_000;

/**
 * Matches posts against many stored queries at once.
 *
 * Each query is indexed under its required terms (see `extractRequiredTerms`); a post is tokenized
 * once, each of its distinct keys is looked up once (the answer — which queries it makes candidates,
 * which prefixes it extends — is memoised per key), and only the candidate queries are evaluated,
 * by their compiled form. Adding, replacing or removing a query is immediate and touches only that
 * query's entries, so topic edits take effect between two posts without a rebuild.
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
  private readonly cache = new Map<string, KeyEntry>();
  private exactTerms = 0;
  private readonly state = new MatchState();
  private candidateGen = new Int32Array(64);
  private readonly candidates: number[] = [];
  private readonly intern = {
    term: (key: string) => this.internTerm(key),
    prefix: (prefix: string) => this.internPrefix(prefix),
  };
  private readonly visit = (key: string, at: number) => this.visitKey(key, at);

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
    const required = extractRequiredTerms(node);
    if (!required) throw new Error(`Query "${id}" could match posts without any of its terms`);
    this.remove(id);
    const compiled = compileQuery(node, this.intern);
    const exactTerms = countExact(node);
    const slot = this.free.pop() ?? this.slots.length;
    this.slots[slot] = { id, node, compiled, required, exactTerms };
    this.byId.set(id, slot);
    this.exactTerms += exactTerms;
    for (const r of required) {
      const list = r.prefix
        ? this.prefixQueries[this.internPrefix(r.key)]!
        : this.termQueries[this.internTerm(r.key)]!;
      if (!list.includes(slot)) list.push(slot);
    }
    if (slot >= this.candidateGen.length) {
      const g = new Int32Array(Math.max(slot + 1, this.candidateGen.length * 2));
      g.set(this.candidateGen);
      this.candidateGen = g;
    }
    this.cache.clear();
  }

  /** Removes the query stored under `id`; returns whether there was one. */
  remove(id: string): boolean {
    const slot = this.byId.get(id);
    if (slot === undefined) return false;
    const s = this.slots[slot]!;
    for (const r of s.required) {
      const list = r.prefix
        ? this.prefixQueries[this.prefixes.get(r.key)!]!
        : this.termQueries[this.terms.get(r.key)!]!;
      const k = list.indexOf(slot);
      if (k >= 0) list.splice(k, 1);
    }
    this.exactTerms -= s.exactTerms;
    this.slots[slot] = undefined;
    this.byId.delete(id);
    this.free.push(slot);
    this.cache.clear();
    return true;
  }

  /** The stored queries that match the post, with highlight ranges in `post.text`. */
  match(post: MatchPost, options: { highlights?: boolean } = {}): MatchHit[] {
    return this.matchTokens(post, tokenizePost(post), options);
  }

  /** Like `match`, for a post already tokenized with `tokenizePost`. */
  matchTokens(post: MatchPost, tokenized: PostTokens, options: { highlights?: boolean } = {}): MatchHit[] {
    const st = this.state;
    st.begin(tokenized.tokens, tokenized.textTokens);
    this.candidates.length = 0;
    forEachPostKey(post, tokenized.tokens, tokenized.textTokens, this.exactTerms > 0, this.visit);
    const hits: MatchHit[] = [];
    const withHighlights = options.highlights !== false;
    for (const slot of this.candidates) {
      const s = this.slots[slot]!;
      if (!s.compiled.test(st)) continue;
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

  private visitKey(key: string, at: number): void {
    let e = this.cache.get(key);
    if (e === undefined) e = this.lookup(key);
    if (e === NOTHING) return;
    const st = this.state;
    if (e.term >= 0) st.addTerm(e.term, at);
    if (e.prefixes !== null) for (const p of e.prefixes) st.addPrefix(p, at);
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

  private lookup(key: string): KeyEntry {
    const term = this.terms.get(key) ?? -1;
    let prefixes: number[] | null = null;
    for (const len of this.prefixLengths) {
      if (len > key.length) break;
      const p = this.prefixes.get(key.slice(0, len));
      if (p === undefined) continue;
      if (prefixes) prefixes.push(p);
      else prefixes = [p];
    }
    let entry = NOTHING;
    if (term >= 0 || prefixes) {
      const set = new Set<number>(term >= 0 ? this.termQueries[term] : []);
      if (prefixes) for (const p of prefixes) for (const q of this.prefixQueries[p]!) set.add(q);
      entry = { term, prefixes, candidates: set.size ? [...set] : null };
    }
    if (this.cache.size >= CACHE_LIMIT) this.cache.clear();
    this.cache.set(key, entry);
    return entry;
  }

  private internTerm(key: string): number {
    let id = this.terms.get(key);
    if (id === undefined) {
      id = this.terms.size;
      this.terms.set(key, id);
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
      this.prefixQueries.push([]);
      this.state.reserve(this.terms.size, this.prefixes.size);
      if (!this.prefixLengths.includes(prefix.length)) {
        this.prefixLengths = [...this.prefixLengths, prefix.length].sort((a, b) => a - b);
      }
    }
    return id;
  }
}

function countExact(node: QueryNode): number {
  switch (node.type) {
    case 'term':
      return node.tokens.filter((t) => t.key.startsWith(EXACT_KEY)).length;
    case 'field':
      return 0;
    case 'not':
      return countExact(node.child);
    case 'near':
      return countExact(node.left) + countExact(node.right);
    default:
      return node.children.reduce((n, c) => n + countExact(c), 0);
  }
}
