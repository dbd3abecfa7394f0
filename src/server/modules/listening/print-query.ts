import type { QueryNode } from './query-ast.ts';

const PRECEDENCE = { or: 1, and: 2, not: 3, near: 4, term: 5, field: 5 } as const;

function wrap(node: QueryNode, minimum: number): string {
  const text = printQuery(node);
  return PRECEDENCE[node.type] < minimum ? `(${text})` : text;
}

function printValue(value: string): string {
  return /[\s()"]/u.test(value) || value === '' ? `"${value}"` : value;
}

/** Prints a query in canonical form; `parseQuery(printQuery(q))` gives `q` back (positions aside). */
export function printQuery(node: QueryNode): string {
  switch (node.type) {
    case 'term': {
      const body = node.quoted ? `"${node.text}"` : node.text;
      return node.exact ? `=${body}` : body;
    }
    case 'field':
      return `${node.field}:${printValue(node.value)}${node.prefix ? '*' : ''}`;
    case 'and':
      return node.children.map((c) => wrap(c, 3)).join(' AND ');
    case 'or':
      return node.children.map((c) => wrap(c, 2)).join(' OR ');
    case 'not':
      return `NOT ${wrap(node.child, 3)}`;
    case 'near': {
      const op = node.ordered ? `ONEAR/${node.distance}` : `NEAR/${node.distance}`;
      return `${wrap(node.left, 4)} ${op} ${wrap(node.right, 5)}`;
    }
  }
}
