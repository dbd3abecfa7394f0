import { commonWords } from './common-words.ts';
import type { QueryNode, TermToken } from './query-ast.ts';
import { FIELD_KEY } from './token-keys.ts';

/** A key (or key prefix) of which a post must contain at least one from a query's set to match it. */
export type RequiredTerm = TermToken;

/** A prior guess of how often a key occurs, used until the matcher has seen enough posts. */
export function guessTermCost(t: TermToken): number {
  const k = t.key;
  if (k.startsWith(FIELD_KEY)) {
    const field = k[1];
    if (field === 'c' || field === 'l') return t.prefix ? 20_000 : 10_000;
    return t.prefix ? 20 : 2;
  }
  const len = [...k].length;
  if (t.prefix) return 8 + 40 / len;
  if (commonWords.has(k)) return 200;
  return len <= 2 ? 20 : 1 + 4 / len;
}

function total(terms: RequiredTerm[], cost: (t: TermToken) => number): number {
  let sum = 0;
  for (const t of terms) sum += cost(t);
  return sum;
}

/**
 * The presearcher's view of a query (the Lucene Monitor/Luwak technique): a disjunction of keys
 * such that every post the query matches contains at least one of them. AND keeps its cheapest
 * child, OR unites its children, a phrase or NEAR keeps its rarest word, NOT contributes nothing.
 * `cost` estimates how often a key occurs (observed frequencies once the matcher has them): the
 * cheapest choice makes the query a candidate for the fewest posts. Returns null for a query that
 * could match without any key (the parser rejects those).
 */
export function extractRequiredTerms(
  node: QueryNode,
  cost: (t: TermToken) => number = guessTermCost,
): RequiredTerm[] | null {
  switch (node.type) {
    case 'term': {
      let best = node.tokens[0]!;
      for (const t of node.tokens) if (cost(t) < cost(best)) best = t;
      return [best];
    }
    case 'field':
      return [{ key: node.key, prefix: node.prefix }];
    case 'not':
      return null;
    case 'or': {
      const out: RequiredTerm[] = [];
      for (const c of node.children) {
        const r = extractRequiredTerms(c, cost);
        if (!r) return null;
        out.push(...r);
      }
      return out;
    }
    case 'and':
    case 'near': {
      const parts = node.type === 'and' ? node.children : [node.left, node.right];
      let best: RequiredTerm[] | null = null;
      for (const c of parts) {
        const r = extractRequiredTerms(c, cost);
        if (r && (!best || total(r, cost) < total(best, cost))) best = r;
      }
      return best;
    }
  }
}
