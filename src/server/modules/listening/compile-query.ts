import type { QueryNode, TermToken } from './query-ast.ts';
import type { Token } from './tokenize.ts';

/**
 * Per-post state of the indexed matcher: which interned keys (and key prefixes) the current post
 * contains and where. A key is present when its `gen` stamp equals the post's `gen`, so nothing is
 * cleared between posts; occurrences are linked lists in one pool, in token order.
 */
export class MatchState {
  gen = 0;
  tokens: readonly Token[] = [];
  textTokens = 0;
  termGen = new Int32Array(256);
  termHead = new Int32Array(256);
  termTail = new Int32Array(256);
  /** Posts each key occurred in (document frequency): what the presearcher weighs terms by. */
  termDf = new Int32Array(256);
  prefGen = new Int32Array(64);
  prefHead = new Int32Array(64);
  prefTail = new Int32Array(64);
  prefDf = new Int32Array(64);
  occTok = new Int32Array(1024);
  occNext = new Int32Array(1024);
  occCount = 0;

  /** Starts a new post. */
  begin(tokens: readonly Token[], textTokens: number): void {
    this.tokens = tokens;
    this.textTokens = textTokens;
    this.occCount = 0;
    if (++this.gen >= 0x3fffffff) {
      this.gen = 1;
      this.termGen.fill(0);
      this.prefGen.fill(0);
    }
  }

  /** Makes room for `terms` interned keys and `prefixes` interned prefixes. */
  reserve(terms: number, prefixes: number): void {
    if (terms > this.termGen.length) {
      const size = Math.max(terms, this.termGen.length * 2);
      this.termGen = grow(this.termGen, size);
      this.termHead = grow(this.termHead, size);
      this.termTail = grow(this.termTail, size);
      this.termDf = grow(this.termDf, size);
    }
    if (prefixes > this.prefGen.length) {
      const size = Math.max(prefixes, this.prefGen.length * 2);
      this.prefGen = grow(this.prefGen, size);
      this.prefHead = grow(this.prefHead, size);
      this.prefTail = grow(this.prefTail, size);
      this.prefDf = grow(this.prefDf, size);
    }
  }

  private occ(at: number): number {
    if (this.occCount === this.occTok.length) {
      this.occTok = grow(this.occTok, this.occCount * 2);
      this.occNext = grow(this.occNext, this.occCount * 2);
    }
    const o = this.occCount++;
    this.occTok[o] = at;
    this.occNext[o] = -1;
    return o;
  }

  addTerm(id: number, at: number): void {
    const o = this.occ(at);
    if (this.termGen[id] !== this.gen) {
      this.termGen[id] = this.gen;
      this.termHead[id] = o;
      this.termDf[id] = this.termDf[id]! + 1;
    } else this.occNext[this.termTail[id]!] = o;
    this.termTail[id] = o;
  }

  addPrefix(id: number, at: number): void {
    const o = this.occ(at);
    if (this.prefGen[id] !== this.gen) {
      this.prefGen[id] = this.gen;
      this.prefHead[id] = o;
      this.prefDf[id] = this.prefDf[id]! + 1;
    } else this.occNext[this.prefTail[id]!] = o;
    this.prefTail[id] = o;
  }
}

function grow(a: Int32Array, size: number): Int32Array<ArrayBuffer> {
  const b = new Int32Array(size);
  b.set(a);
  return b;
}

/** A run of word positions (inclusive) and the text ranges to highlight for it. */
export type Span = { ps: number; pe: number; marks: number[] };

/** A compiled query node. `mark` is only called on a node whose `test` is true. */
export interface Compiled {
  test(s: MatchState): boolean;
  mark(s: MatchState, out: number[]): void;
  /** Positional nodes only (terms, phrases, NEAR, OR of those): matches sorted by `ps`. */
  spans?(s: MatchState): Span[];
}

/** Interns keys and prefixes to the ids the matcher's state arrays are indexed by. */
export type Interner = { term(key: string): number; prefix(prefix: string): number };

export type Leaf = { id: number; prefix: boolean };

function present(s: MatchState, l: Leaf): boolean {
  return l.prefix ? s.prefGen[l.id] === s.gen : s.termGen[l.id] === s.gen;
}

function head(s: MatchState, l: Leaf): number {
  return l.prefix ? s.prefHead[l.id]! : s.termHead[l.id]!;
}

/** Pushes the text ranges of a present key's (or prefix's) occurrences. */
export function pushMarks(s: MatchState, l: Leaf, out: number[]): void {
  if (!present(s, l)) return;
  for (let o = head(s, l); o >= 0; o = s.occNext[o]!) {
    const at = s.occTok[o]!;
    if (at >= 0 && at < s.textTokens) {
      const t = s.tokens[at]!;
      out.push(t.start, t.end);
    }
  }
}

function leafSpans(s: MatchState, l: Leaf): Span[] {
  const out: Span[] = [];
  if (!present(s, l)) return out;
  for (let o = head(s, l); o >= 0; o = s.occNext[o]!) {
    const at = s.occTok[o]!;
    const t = s.tokens[at]!;
    const text = at < s.textTokens;
    out.push({ ps: t.pos, pe: t.endPos, marks: text ? [t.start, t.end] : [] });
  }
  return out;
}

class KeyLeaf implements Compiled {
  constructor(private readonly leaf: Leaf) {}
  test(s: MatchState): boolean {
    return present(s, this.leaf);
  }
  mark(s: MatchState, out: number[]): void {
    pushMarks(s, this.leaf, out);
  }
  spans(s: MatchState): Span[] {
    return leafSpans(s, this.leaf);
  }
}

/** A term of several tokens at consecutive positions (`"comcast outage"`, `t-mobile`). */
class Phrase implements Compiled {
  constructor(private readonly leaves: Leaf[]) {}
  test(s: MatchState): boolean {
    for (const l of this.leaves) if (!present(s, l)) return false;
    return this.spans(s).length > 0;
  }
  mark(s: MatchState, out: number[]): void {
    for (const sp of this.spans(s)) out.push(...sp.marks);
  }
  spans(s: MatchState): Span[] {
    let chains = leafSpans(s, this.leaves[0]!);
    for (let k = 1; k < this.leaves.length && chains.length; k++) {
      const next = leafSpans(s, this.leaves[k]!);
      // Both lists are in position order: join on next.ps === chain.pe + 1 by walking them together.
      chains.sort((a, b) => a.pe - b.pe);
      const grown: Span[] = [];
      let j = 0;
      for (const c of chains) {
        while (j < next.length && next[j]!.ps <= c.pe) j++;
        for (let m = j; m < next.length && next[m]!.ps === c.pe + 1; m++) {
          const o = next[m]!;
          grown.push({
            ps: c.ps,
            pe: o.pe,
            marks: c.marks.length && o.marks.length ? [c.marks[0]!, o.marks[1]!] : [],
          });
        }
      }
      chains = grown;
    }
    return chains.sort((a, b) => a.ps - b.ps);
  }
}

class And implements Compiled {
  constructor(
    private readonly children: Compiled[],
    private readonly positive: Compiled[],
  ) {}
  test(s: MatchState): boolean {
    for (const c of this.children) if (!c.test(s)) return false;
    return true;
  }
  mark(s: MatchState, out: number[]): void {
    for (const c of this.positive) c.mark(s, out);
  }
}

class Or implements Compiled {
  constructor(
    private readonly children: Compiled[],
    positional: boolean,
  ) {
    if (!positional) this.spans = undefined;
  }
  test(s: MatchState): boolean {
    for (const c of this.children) if (c.test(s)) return true;
    return false;
  }
  mark(s: MatchState, out: number[]): void {
    for (const c of this.children) if (c.test(s)) c.mark(s, out);
  }
  spans?(s: MatchState): Span[] {
    const out: Span[] = [];
    for (const c of this.children) if (c.test(s)) out.push(...c.spans!(s));
    return out.sort((a, b) => a.ps - b.ps);
  }
}

class Not implements Compiled {
  constructor(private readonly child: Compiled) {}
  test(s: MatchState): boolean {
    return !this.child.test(s);
  }
  mark(): void {}
}

/** First index in `a` (sorted by `key`) whose key is >= `v`. */
function lowerBound(a: Span[], v: number, key: 'ps' | 'pe'): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (a[mid]![key] < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

class Near implements Compiled {
  constructor(
    private readonly left: Compiled,
    private readonly right: Compiled,
    private readonly distance: number,
    private readonly ordered: boolean,
  ) {}
  test(s: MatchState): boolean {
    return this.left.test(s) && this.right.test(s) && this.join(s, true).length > 0;
  }
  mark(s: MatchState, out: number[]): void {
    for (const sp of this.join(s, false)) out.push(...sp.marks);
  }
  spans(s: MatchState): Span[] {
    return this.join(s, false).sort((a, b) => a.ps - b.ps);
  }
  /** Pairs of non-overlapping left/right matches with at most `distance` positions between them. */
  private join(s: MatchState, first: boolean): Span[] {
    const out: Span[] = [];
    const left = this.left.spans!(s);
    const right = this.right.spans!(s);
    if (!left.length || !right.length) return out;
    const byEnd = this.ordered ? right : [...right].sort((a, b) => a.pe - b.pe);
    const d = this.distance;
    for (const l of left) {
      for (let k = lowerBound(right, l.pe + 1, 'ps'); k < right.length && right[k]!.ps <= l.pe + 1 + d; k++) {
        const r = right[k]!;
        out.push({ ps: l.ps, pe: Math.max(l.pe, r.pe), marks: [...l.marks, ...r.marks] });
        if (first) return out;
      }
      if (this.ordered) continue;
      for (let k = lowerBound(byEnd, l.ps - 1 - d, 'pe'); k < byEnd.length && byEnd[k]!.pe < l.ps; k++) {
        const r = byEnd[k]!;
        out.push({ ps: Math.min(l.ps, r.ps), pe: l.pe, marks: [...l.marks, ...r.marks] });
        if (first) return out;
      }
    }
    return out;
  }
}

function leafOf(t: TermToken, intern: Interner): Leaf {
  return { id: t.prefix ? intern.prefix(t.key) : intern.term(t.key), prefix: t.prefix };
}

/** Compiles a parsed query into nodes that read the matcher's per-post state. */
export function compileQuery(node: QueryNode, intern: Interner): Compiled {
  switch (node.type) {
    case 'term': {
      const leaves = node.tokens.map((t) => leafOf(t, intern));
      return leaves.length === 1 ? new KeyLeaf(leaves[0]!) : new Phrase(leaves);
    }
    case 'field':
      return new KeyLeaf(leafOf({ key: node.key, prefix: node.prefix }, intern));
    case 'and': {
      const children = node.children.map((c) => compileQuery(c, intern));
      // Cheap leaves first: most candidates are rejected by a missing key before NEAR runs.
      const order = children
        .map((c, k) => ({ c, k, w: weight(node.children[k]!) }))
        .sort((a, b) => a.w - b.w);
      return new And(
        order.map((o) => o.c),
        children.filter((_, k) => node.children[k]!.type !== 'not'),
      );
    }
    case 'or': {
      return new Or(
        node.children.map((c) => compileQuery(c, intern)),
        isPositional(node),
      );
    }
    case 'not':
      return new Not(compileQuery(node.child, intern));
    case 'near':
      return new Near(
        compileQuery(node.left, intern),
        compileQuery(node.right, intern),
        node.distance,
        node.ordered,
      );
  }
}

function isPositional(node: QueryNode): boolean {
  if (node.type === 'term' || node.type === 'near') return true;
  return node.type === 'or' && node.children.every(isPositional);
}

function weight(node: QueryNode): number {
  switch (node.type) {
    case 'term':
    case 'field':
      return 1;
    case 'not':
      return weight(node.child) + 1;
    case 'near':
      return 10;
    default:
      return 5;
  }
}
