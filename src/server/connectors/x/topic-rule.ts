/**
 * Translates a listening query into an X filtered-stream rule when the query only uses what
 * both languages share — words, "phrases", AND (a space in X), OR, NOT/-, parentheses — and
 * returns null otherwise (fields, NEAR, exact `=` and wildcards have no faithful X form; those
 * topics still match everything the brand rule and the other rules bring in).
 * Rule syntax: https://docs.x.com/x-api/posts/filtered-stream/integrate/build-a-rule
 */
export function topicRule(query: string, maxLength: number): string | null {
  const out: string[] = [];
  let negate = false;
  const re = /\s*("[^"]*"|\(|\)|-|[^\s()"]+)/gy;
  let m: RegExpExecArray | null = re.exec(query);
  let consumed = 0;
  while (m) {
    consumed = re.lastIndex;
    const tok = m[1]!;
    if (tok === 'AND') {
      m = re.exec(query);
      continue;
    }
    if (tok === 'NOT' || tok === '-') {
      negate = true;
      m = re.exec(query);
      continue;
    }
    if (tok !== 'OR' && tok !== '(' && tok !== ')' && !tok.startsWith('"')) {
      if (/[:=*]|^near\//i.test(tok) || /^o?near\/\d+/i.test(tok)) return null;
    }
    out.push(negate ? `-${tok}` : tok);
    negate = false;
    m = re.exec(query);
  }
  if (query.slice(consumed).trim() || negate || !out.length) return null;
  const rule = out.join(' ').replace(/\( /g, '(').replace(/ \)/g, ')');
  return rule.length <= maxLength ? rule : null;
}
