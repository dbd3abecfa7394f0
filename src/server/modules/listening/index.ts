// Public face of the listening module: the live topic matcher for the pipeline's listen stage,
// the routes, the query language and the benchmark.
import type { Listener } from '../../context.ts';
import type { Db } from '../../platform/db/client.ts';
import { createTopicListener } from './create-topic-listener.ts';

export { type MatchBenchResult, runMatchBench } from './bench-match.ts';
export { compileTopic } from './compile-topic.ts';
export { listeningRoutes } from './listening.routes.ts';
export { parseQuery } from './parse-query.ts';
export { QueryMatcher } from './query-matcher.ts';
export { QuerySyntaxError } from './query-syntax-error.ts';
export { tokenize } from './tokenize.ts';

/** The in-memory topic matcher used by the listen stage (see `Listener` in src/server/context.ts). */
export async function createListener(db: Db): Promise<Listener> {
  return createTopicListener(db);
}
