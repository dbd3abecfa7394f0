import { buildPostView, evaluateQuery } from './evaluate-query.ts';
import type { QueryNode } from './query-ast.ts';
import type { MatchHit } from './query-matcher.ts';
import type { MatchPost } from './token-keys.ts';

/** Evaluates every query against the post (tokenized once): the baseline the matcher must beat. */
export function matchBruteForce(
  queries: readonly { id: string; node: QueryNode }[],
  post: MatchPost,
): MatchHit[] {
  const view = buildPostView(post);
  const hits: MatchHit[] = [];
  for (const q of queries) {
    const highlights = evaluateQuery(q.node, view);
    if (highlights) hits.push({ id: q.id, highlights });
  }
  return hits;
}
