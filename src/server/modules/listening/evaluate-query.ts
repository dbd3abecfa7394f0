import { mergeHighlights } from './merge-highlights.ts';
import type { QueryNode, TermNode } from './query-ast.ts';
import { forEachPostKey, type MatchPost } from './token-keys.ts';
import { type PostTokens, tokenizePost } from './tokenize-post.ts';

/** Where a key occurs in a post: word positions, and text offsets (-1 outside the text). */
type Occurrence = { ps: number; pe: number; cs: number; ce: number };
type Span = { ps: number; pe: number; marks: number[] };

/** Every key of one post with its occurrences: what the reference evaluator reads. */
export type PostView = { keys: Map<string, Occurrence[]>; distinct: string[] };

/** Builds the view of a post that `evaluateQuery` reads (tokenize once, evaluate every query). */
export function buildPostView(post: MatchPost, tokenized: PostTokens = tokenizePost(post)): PostView {
  const keys = new Map<string, Occurrence[]>();
  const { tokens, textTokens } = tokenized;
  forEachPostKey(post, tokens, textTokens, true, (key, at) => {
    const t = at >= 0 ? tokens[at]! : null;
    const occ: Occurrence = t
      ? { ps: t.pos, pe: t.endPos, cs: at < textTokens ? t.start : -1, ce: at < textTokens ? t.end : -1 }
      : { ps: -1, pe: -1, cs: -1, ce: -1 };
    const list = keys.get(key);
    if (list) list.push(occ);
    else keys.set(key, [occ]);
  });
  return { keys, distinct: [...keys.keys()] };
}

function occurrences(view: PostView, key: string, prefix: boolean): Occurrence[] {
  if (!prefix) return view.keys.get(key) ?? [];
  const out: Occurrence[] = [];
  for (const k of view.distinct) if (k.startsWith(key)) out.push(...view.keys.get(k)!);
  return out;
}

function termSpans(node: TermNode, view: PostView): Span[] {
  let chains: Span[] = occurrences(view, node.tokens[0]!.key, node.tokens[0]!.prefix).map((o) => ({
    ps: o.ps,
    pe: o.pe,
    marks: [o.cs, o.ce],
  }));
  for (let k = 1; k < node.tokens.length && chains.length; k++) {
    const next = occurrences(view, node.tokens[k]!.key, node.tokens[k]!.prefix);
    const grown: Span[] = [];
    for (const c of chains) {
      for (const o of next) {
        if (o.ps === c.pe + 1) grown.push({ ps: c.ps, pe: o.pe, marks: [c.marks[0]!, o.ce] });
      }
    }
    chains = grown;
  }
  return chains;
}

function spans(node: QueryNode, view: PostView): Span[] {
  switch (node.type) {
    case 'term':
      return termSpans(node, view);
    case 'or':
      return node.children.flatMap((c) => spans(c, view));
    case 'near': {
      const out: Span[] = [];
      const right = spans(node.right, view);
      for (const l of spans(node.left, view)) {
        for (const r of right) {
          const after = r.ps > l.pe && r.ps - l.pe - 1 <= node.distance;
          const before = !node.ordered && l.ps > r.pe && l.ps - r.pe - 1 <= node.distance;
          if (after || before) {
            out.push({ ps: Math.min(l.ps, r.ps), pe: Math.max(l.pe, r.pe), marks: [...l.marks, ...r.marks] });
          }
        }
      }
      return out;
    }
    default:
      return [];
  }
}

function test(node: QueryNode, view: PostView): boolean {
  switch (node.type) {
    case 'term':
    case 'near':
      return spans(node, view).length > 0;
    case 'field':
      return occurrences(view, node.key, node.prefix).length > 0;
    case 'and':
      return node.children.every((c) => test(c, view));
    case 'or':
      return node.children.some((c) => test(c, view));
    case 'not':
      return !test(node.child, view);
  }
}

function mark(node: QueryNode, view: PostView, out: number[]): void {
  switch (node.type) {
    case 'term':
    case 'near':
      for (const s of spans(node, view)) out.push(...s.marks);
      return;
    case 'field':
      for (const o of occurrences(view, node.key, node.prefix)) out.push(o.cs, o.ce);
      return;
    case 'and':
      for (const c of node.children) mark(c, view, out);
      return;
    case 'or':
      for (const c of node.children) if (test(c, view)) mark(c, view, out);
      return;
    case 'not':
      return;
  }
}

/**
 * The reference evaluator: interprets one query against one post, without any index. It is the
 * benchmark's brute-force baseline and the oracle the indexed matcher is tested against.
 * Returns null when the query does not match, else the highlight spans in the post's text.
 */
export function evaluateQuery(node: QueryNode, view: PostView): [number, number][] | null {
  if (!test(node, view)) return null;
  const marks: number[] = [];
  mark(node, view, marks);
  return mergeHighlights(marks);
}
