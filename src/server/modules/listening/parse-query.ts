import type { QueryNode, TermNode, TermToken } from './query-ast.ts';
import { QuerySyntaxError } from './query-syntax-error.ts';
import {
  exactKey,
  type FieldName,
  fieldKey,
  fieldNames,
  normaliseFieldValue,
  tokenKey,
} from './token-keys.ts';
import { tokenize } from './tokenize.ts';

export const MAX_QUERY_LENGTH = 20_000;
export const MAX_NESTING = 100;
export const MAX_NEAR_DISTANCE = 1_000;

type Lexeme =
  | { t: '(' | ')' | 'AND' | 'OR' | 'NOT' | '-' | 'eof'; s: number; e: number }
  | { t: 'near'; distance: number; ordered: boolean; s: number; e: number }
  | { t: 'term'; text: string; quoted: boolean; exact: boolean; s: number; e: number }
  | { t: 'field'; field: FieldName; value: string; s: number; e: number };

const SPACE = /\s/u;
const isSpace = (ch: string | undefined) => ch !== undefined && SPACE.test(ch);
const ends = (ch: string | undefined) =>
  ch === undefined || ch === '(' || ch === ')' || ch === '"' || isSpace(ch);
const FIELDS: ReadonlySet<string> = new Set(fieldNames);
const NEAR_RE = /^(o?)near\/(\d+)(\/f)?$/i;

function readPhrase(q: string, open: number): { text: string; end: number } {
  const close = q.indexOf('"', open + 1);
  if (close < 0) {
    throw new QuerySyntaxError(
      q.length,
      'a closing "',
      `Expected a closing " at position ${q.length} for the phrase opened at position ${open}`,
    );
  }
  return { text: q.slice(open + 1, close), end: close + 1 };
}

function lex(q: string): Lexeme[] {
  const out: Lexeme[] = [];
  let i = 0;
  while (i < q.length) {
    const ch = q[i]!;
    if (isSpace(ch)) {
      i++;
      continue;
    }
    if (ch === '(' || ch === ')') {
      out.push({ t: ch, s: i, e: i + 1 });
      i++;
      continue;
    }
    if (ch === '"' || (ch === '=' && q[i + 1] === '"')) {
      const open = ch === '=' ? i + 1 : i;
      const { text, end } = readPhrase(q, open);
      out.push({ t: 'term', text, quoted: true, exact: ch === '=', s: i, e: end });
      i = end;
      continue;
    }
    if (ch === '-' && !ends(q[i + 1]) && (i === 0 || isSpace(q[i - 1]) || q[i - 1] === '(')) {
      out.push({ t: '-', s: i, e: i + 1 });
      i++;
      continue;
    }
    let j = i;
    while (!ends(q[j])) j++;
    let word = q.slice(i, j);
    if (word === 'AND' || word === 'OR' || word === 'NOT') {
      out.push({ t: word, s: i, e: j });
      i = j;
      continue;
    }
    if (/^o?near\//i.test(word) || /^O?NEAR$/.test(word)) {
      const m = NEAR_RE.exec(word);
      if (!m) {
        const slash = word.indexOf('/');
        const at = slash < 0 ? j : i + slash + 1;
        throw new QuerySyntaxError(
          at,
          'a distance like NEAR/3',
          `Expected a distance like NEAR/3 at position ${at}`,
        );
      }
      const distance = Number(m[2]);
      if (distance > MAX_NEAR_DISTANCE) {
        const at = i + word.indexOf('/') + 1;
        throw new QuerySyntaxError(
          at,
          `a distance of at most ${MAX_NEAR_DISTANCE}`,
          `Expected a distance of at most ${MAX_NEAR_DISTANCE} at position ${at}`,
        );
      }
      out.push({ t: 'near', distance, ordered: m[1] !== '' || m[3] !== undefined, s: i, e: j });
      i = j;
      continue;
    }
    const exact = word.startsWith('=');
    const colon = word.indexOf(':');
    if (!exact && colon > 0 && /^[a-z]+$/i.test(word.slice(0, colon)) && !word.startsWith('//', colon + 1)) {
      const name = word.slice(0, colon).toLowerCase();
      if (!FIELDS.has(name)) {
        throw new QuerySyntaxError(
          i,
          `a field name (${fieldNames.join(', ')})`,
          `Expected a field name (${fieldNames.join(', ')}) at position ${i}, not "${word.slice(0, colon)}:"; put text with a colon in quotes`,
        );
      }
      let value = word.slice(colon + 1);
      if (value === '' && q[j] === '"') {
        const phrase = readPhrase(q, j);
        value = phrase.text;
        j = phrase.end;
      }
      if (value.trim() === '') {
        throw new QuerySyntaxError(
          i + colon + 1,
          `a value after ${name}:`,
          `Expected a value after ${name}: at position ${i + colon + 1}`,
        );
      }
      out.push({ t: 'field', field: name as FieldName, value, s: i, e: j });
      i = j;
      continue;
    }
    if (exact) {
      word = word.slice(1);
      if (word === '')
        throw new QuerySyntaxError(i + 1, 'a term after =', `Expected a term after = at position ${i + 1}`);
    }
    out.push({ t: 'term', text: word, quoted: false, exact, s: i, e: j });
    i = j;
  }
  out.push({ t: 'eof', s: q.length, e: q.length });
  return out;
}

/** Turns the text of a term or phrase into the tokens it must match, with the post tokenizer. */
function termTokens(text: string, quoted: boolean, exact: boolean, at: number): TermToken[] {
  const tokens: TermToken[] = [];
  const words: { word: string; offset: number }[] = [];
  if (quoted) {
    for (const m of text.matchAll(/\S+/gu))
      words.push({ word: m[0], offset: at + 1 + (exact ? 1 : 0) + m.index });
  } else words.push({ word: text, offset: at + (exact ? 1 : 0) });
  for (const { word, offset } of words) {
    let w = word;
    const prefix = w.endsWith('*');
    if (prefix) w = w.slice(0, -1);
    const star = w.indexOf('*');
    if (star >= 0) {
      throw new QuerySyntaxError(
        offset + star,
        'a wildcard (*) only at the end of a word',
        `Expected a wildcard (*) only at the end of a word, at position ${offset + star}`,
      );
    }
    const found = tokenize(w).filter((t) => !t.derived);
    if (prefix) {
      const last = found[found.length - 1];
      const stem = last ? last.norm.replace(/^[#@]/, '') : '';
      if (!last || [...stem].length < 2 || last.end !== w.length) {
        throw new QuerySyntaxError(
          offset,
          'at least 2 letters or digits before *',
          `Expected at least 2 letters or digits before * at position ${offset}`,
        );
      }
    }
    found.forEach((t, k) => {
      const key = exact ? (exactKey(w, t) ?? tokenKey(t)) : tokenKey(t);
      tokens.push({ key, prefix: prefix && k === found.length - 1 });
    });
  }
  if (tokens.length === 0) {
    throw new QuerySyntaxError(
      at,
      'a term with letters, digits or emoji',
      `Expected a term with letters, digits or emoji at position ${at}`,
    );
  }
  return tokens;
}

function isPositional(node: QueryNode): boolean {
  if (node.type === 'term' || node.type === 'near') return true;
  return node.type === 'or' && node.children.every(isPositional);
}

/** The node that lets the query match a post without any of its terms, if any (a bare NOT). */
function unbounded(node: QueryNode): QueryNode | null {
  switch (node.type) {
    case 'not':
      return node;
    case 'or':
      for (const c of node.children) {
        const u = unbounded(c);
        if (u) return u;
      }
      return null;
    case 'and': {
      let first: QueryNode | null = null;
      for (const c of node.children) {
        const u = unbounded(c);
        if (!u) return null;
        first ??= u;
      }
      return first;
    }
    default:
      return null;
  }
}

class Parser {
  private i = 0;
  constructor(private readonly lx: Lexeme[]) {}

  private peek(): Lexeme {
    return this.lx[this.i]!;
  }

  private startsUnary(l: Lexeme): boolean {
    return l.t === 'term' || l.t === 'field' || l.t === '(' || l.t === 'NOT' || l.t === '-';
  }

  private fail(l: Lexeme, expected = 'a term or "("'): never {
    throw new QuerySyntaxError(l.s, expected);
  }

  parse(): QueryNode {
    const node = this.or(0);
    const l = this.peek();
    if (l.t !== 'eof') {
      if (l.t === ')') {
        throw new QuerySyntaxError(
          l.s,
          'the end of the query',
          `Unexpected ")" at position ${l.s}: no "(" to close`,
        );
      }
      this.fail(l, 'an operator or the end of the query');
    }
    return node;
  }

  private or(depth: number): QueryNode {
    const children = [this.and(depth)];
    while (this.peek().t === 'OR') {
      this.i++;
      if (!this.startsUnary(this.peek())) this.fail(this.peek());
      children.push(this.and(depth));
    }
    return children.length === 1 ? children[0]! : group('or', children);
  }

  private and(depth: number): QueryNode {
    const children = [this.unary(depth)];
    for (;;) {
      const l = this.peek();
      if (l.t === 'AND') {
        this.i++;
        if (!this.startsUnary(this.peek())) this.fail(this.peek());
      } else if (!this.startsUnary(l)) break;
      children.push(this.unary(depth));
    }
    return children.length === 1 ? children[0]! : group('and', children);
  }

  private unary(depth: number): QueryNode {
    const nots: Lexeme[] = [];
    while (this.peek().t === 'NOT' || this.peek().t === '-') {
      nots.push(this.peek());
      this.i++;
    }
    if (nots.length && !this.startsUnary(this.peek())) this.fail(this.peek());
    let node = this.near(depth);
    for (let k = nots.length - 1; k >= 0; k--)
      node = { type: 'not', child: node, start: nots[k]!.s, end: node.end };
    return node;
  }

  private near(depth: number): QueryNode {
    let left = this.primary(depth);
    for (;;) {
      const op = this.peek();
      if (op.t !== 'near') break;
      this.i++;
      const right = this.primary(depth);
      for (const side of [left, right]) {
        if (!isPositional(side)) {
          throw new QuerySyntaxError(
            side.start,
            'a word, phrase or (… OR …) group beside NEAR',
            `Expected a word, phrase or (… OR …) group beside NEAR at position ${side.start}`,
          );
        }
      }
      left = {
        type: 'near',
        left,
        right,
        distance: op.distance,
        ordered: op.ordered,
        start: left.start,
        end: right.end,
      };
    }
    return left;
  }

  private primary(depth: number): QueryNode {
    const l = this.peek();
    if (l.t === '(') {
      if (depth >= MAX_NESTING) {
        throw new QuerySyntaxError(
          l.s,
          `at most ${MAX_NESTING} levels of parentheses`,
          `Expected at most ${MAX_NESTING} levels of parentheses at position ${l.s}`,
        );
      }
      this.i++;
      if (!this.startsUnary(this.peek())) this.fail(this.peek());
      const inner = this.or(depth + 1);
      const close = this.peek();
      if (close.t !== ')') this.fail(close, '")"');
      this.i++;
      return { ...inner, start: l.s, end: close.e };
    }
    if (l.t === 'term') {
      this.i++;
      const node: TermNode = {
        type: 'term',
        text: l.text,
        quoted: l.quoted,
        exact: l.exact,
        tokens: termTokens(l.text, l.quoted, l.exact, l.s),
        start: l.s,
        end: l.e,
      };
      return node;
    }
    if (l.t === 'field') {
      this.i++;
      const prefix = l.value.endsWith('*');
      const raw = prefix ? l.value.slice(0, -1) : l.value;
      const value = normaliseFieldValue(l.field, raw);
      if (value === '' || (prefix && [...value].length < 2)) {
        const at = l.s + l.field.length + 1;
        throw new QuerySyntaxError(
          at,
          'at least 2 characters before *',
          `Expected at least 2 characters before * at position ${at}`,
        );
      }
      return {
        type: 'field',
        field: l.field,
        value: raw,
        prefix,
        key: fieldKey(l.field, value),
        start: l.s,
        end: l.e,
      };
    }
    return this.fail(l);
  }
}

function group(type: 'and' | 'or', children: QueryNode[]): QueryNode {
  return { type, children, start: children[0]!.start, end: children[children.length - 1]!.end };
}

/**
 * Parses a listening query (see docs/query-language.md). Throws `QuerySyntaxError` with the
 * 0-based position and what was expected there; rejects queries that could match a post without
 * containing any of their terms (`NOT jobs` alone).
 */
export function parseQuery(query: string): QueryNode {
  if (query.length > MAX_QUERY_LENGTH) {
    throw new QuerySyntaxError(
      MAX_QUERY_LENGTH,
      `a query of at most ${MAX_QUERY_LENGTH} characters`,
      `Expected a query of at most ${MAX_QUERY_LENGTH} characters (it has ${query.length})`,
    );
  }
  const node = new Parser(lex(query)).parse();
  const loose = unbounded(node);
  if (loose) {
    throw new QuerySyntaxError(
      loose.start,
      'a term to look for',
      `Expected a term to look for at position ${loose.start}: a query cannot match by exclusions (NOT …) alone`,
    );
  }
  return node;
}
