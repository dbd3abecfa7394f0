import { AppError } from '../../platform/errors.ts';
import { parseQuery } from './parse-query.ts';
import type { QueryNode } from './query-ast.ts';
import { QuerySyntaxError } from './query-syntax-error.ts';

/** The query parts of a topic: the main query, further include queries, exclude queries. */
export type TopicQueries = { query: string; includes?: readonly string[]; excludes?: readonly string[] };

/** A parse error as the API reports it: 400 `invalid_query` naming the field and the position. */
export function invalidQuery(e: QuerySyntaxError, field: string): AppError {
  const where = field === 'query' ? '' : ` (in ${field})`;
  return new AppError('invalid_query', `${e.message}${where}`, 400, {
    field,
    position: e.position,
    expected: e.expected,
  });
}

function parseField(text: string, field: string): QueryNode {
  try {
    return parseQuery(text);
  } catch (e) {
    if (e instanceof QuerySyntaxError) throw invalidQuery(e, field);
    throw e;
  }
}

/**
 * One query for a topic: `(query OR include…) AND NOT (exclude…)`. Every part is parsed on its
 * own so an error names the part and the position within it.
 */
export function compileTopic(topic: TopicQueries): QueryNode {
  const include = [parseField(topic.query, 'query')];
  (topic.includes ?? []).forEach((q, k) => {
    include.push(parseField(q, `includes[${k}]`));
  });
  const exclude = (topic.excludes ?? []).map((q, k) => parseField(q, `excludes[${k}]`));
  const positive: QueryNode =
    include.length === 1 ? include[0]! : { type: 'or', children: include, start: 0, end: 0 };
  if (!exclude.length) return positive;
  const negative: QueryNode =
    exclude.length === 1 ? exclude[0]! : { type: 'or', children: exclude, start: 0, end: 0 };
  return {
    type: 'and',
    children: [positive, { type: 'not', child: negative, start: 0, end: 0 }],
    start: 0,
    end: 0,
  };
}
