/**
 * A query parse error shown where it is: the line of the query with a caret under the position,
 * and what the parser expected there.
 */
export function QueryError({
  query,
  position,
  message,
  field,
}: {
  query: string;
  position: number;
  message: string;
  field?: string;
}) {
  const at = Math.max(0, Math.min(position, query.length));
  const lineStart = query.lastIndexOf('\n', at - 1) + 1;
  const lineEndRaw = query.indexOf('\n', at);
  const lineEnd = lineEndRaw === -1 ? query.length : lineEndRaw;
  const line = query.slice(lineStart, lineEnd);
  const col = at - lineStart;
  const lineNo = query.slice(0, lineStart).split('\n').length;
  return (
    <div className="query-error" role="alert" aria-label="Query error">
      <div>
        {field && field !== 'query' ? `In ${field}: ` : ''}
        {message} (line {lineNo}, column {col + 1})
      </div>
      <div aria-hidden="true">
        {line.slice(0, col)}
        <span className="query-error-at">{line.slice(col, col + 1) || ' '}</span>
        {line.slice(col + 1)}
      </div>
      <div aria-hidden="true" className="caret">
        {' '.repeat(col)}^
      </div>
    </div>
  );
}
