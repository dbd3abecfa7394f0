import { type Compiled, compileQuery, type Interner, type MatchState, pushMarks } from './compile-query.ts';
import type { QueryNode } from './query-ast.ts';

/**
 * The boolean skeleton of a query as a flat program in an Int32Array, for the matcher's hot path:
 * deciding whether a candidate matches touches a few consecutive integers instead of a tree of
 * objects. Phrases and NEAR, which need positions, are calls into their compiled nodes.
 *
 * Layout (prefix form, each node followed by its children; `end` = index after the node):
 *   TERM id | PREFIX id | ANY n id… (one of n keys) | NOT child | AND n end child… | OR n end child… | CALL k
 */
const TERM = 1;
const PREFIX = 2;
const ANY = 3;
const NOT = 4;
const AND = 5;
const OR = 6;
const CALL = 7;

function isKey(node: QueryNode): boolean {
  return (
    (node.type === 'term' && node.tokens.length === 1 && !node.tokens[0]!.prefix) ||
    (node.type === 'field' && !node.prefix)
  );
}

function keyOf(node: QueryNode): string {
  return node.type === 'term' ? node.tokens[0]!.key : node.type === 'field' ? node.key : '';
}

/** Appends the program of `node` to `code`; phrases and NEAR become calls into `calls`. */
export function emitProgram(node: QueryNode, intern: Interner, calls: Compiled[], code: number[]): void {
  switch (node.type) {
    case 'term':
      if (node.tokens.length === 1) {
        const t = node.tokens[0]!;
        code.push(t.prefix ? PREFIX : TERM, t.prefix ? intern.prefix(t.key) : intern.term(t.key));
        return;
      }
      code.push(CALL, calls.length);
      calls.push(compileQuery(node, intern));
      return;
    case 'field':
      code.push(node.prefix ? PREFIX : TERM, node.prefix ? intern.prefix(node.key) : intern.term(node.key));
      return;
    case 'near':
      code.push(CALL, calls.length);
      calls.push(compileQuery(node, intern));
      return;
    case 'not':
      code.push(NOT);
      emitProgram(node.child, intern, calls, code);
      return;
    case 'or':
      if (node.children.every(isKey)) {
        code.push(ANY, node.children.length);
        for (const c of node.children) code.push(intern.term(keyOf(c)));
        return;
      }
      emitGroup(OR, node.children, intern, calls, code);
      return;
    case 'and':
      // Key tests first, NOT next, calls (phrases, NEAR) last: cheap checks reject most candidates.
      emitGroup(
        AND,
        [...node.children].sort((a, b) => rank(a) - rank(b)),
        intern,
        calls,
        code,
      );
      return;
  }
}

function rank(node: QueryNode): number {
  if (node.type === 'term' || node.type === 'field')
    return node.type === 'term' && node.tokens.length > 1 ? 3 : 0;
  if (node.type === 'or') return 1;
  if (node.type === 'not') return 2;
  return 4;
}

function emitGroup(op: number, children: QueryNode[], intern: Interner, calls: Compiled[], code: number[]) {
  const at = code.length;
  code.push(op, children.length, 0);
  for (const c of children) emitProgram(c, intern, calls, code);
  code[at + 2] = code.length;
}

let NEXT = 0;

/**
 * Runs the program at `pc` against the post loaded in `s`. Programs of many queries share one
 * buffer: `base` is where this one starts (its jump targets are relative to it).
 */
export function runProgram(
  code: Int32Array,
  pc: number,
  base: number,
  s: MatchState,
  calls: Compiled[],
): boolean {
  const op = code[pc]!;
  switch (op) {
    case TERM:
      NEXT = pc + 2;
      return s.termGen[code[pc + 1]!] === s.gen;
    case PREFIX:
      NEXT = pc + 2;
      return s.prefGen[code[pc + 1]!] === s.gen;
    case ANY: {
      const n = code[pc + 1]!;
      const end = pc + 2 + n;
      NEXT = end;
      const gen = s.gen;
      const tg = s.termGen;
      for (let k = pc + 2; k < end; k++) if (tg[code[k]!] === gen) return true;
      return false;
    }
    case NOT:
      return !runProgram(code, pc + 1, base, s, calls);
    case AND:
    case OR: {
      const n = code[pc + 1]!;
      const end = code[pc + 2]! + base;
      let p = pc + 3;
      const want = op === OR;
      for (let k = 0; k < n; k++) {
        if (runProgram(code, p, base, s, calls) === want) {
          NEXT = end;
          return want;
        }
        p = NEXT;
      }
      NEXT = end;
      return !want;
    }
    default:
      NEXT = pc + 2;
      return calls[code[pc + 1]!]!.test(s);
  }
}

const TERM_LEAF = { id: 0, prefix: false };
const PREFIX_LEAF = { id: 0, prefix: true };

/**
 * Pushes the highlight ranges of a program that matched: the occurrences of its keys that made
 * it true (never those under NOT), and the marks of its phrase and NEAR calls.
 */
export function markProgram(
  code: Int32Array,
  pc: number,
  base: number,
  s: MatchState,
  calls: Compiled[],
  out: number[],
): void {
  const op = code[pc]!;
  switch (op) {
    case TERM:
    case PREFIX: {
      const leaf = op === TERM ? TERM_LEAF : PREFIX_LEAF;
      leaf.id = code[pc + 1]!;
      pushMarks(s, leaf, out);
      NEXT = pc + 2;
      return;
    }
    case ANY: {
      const n = code[pc + 1]!;
      const end = pc + 2 + n;
      for (let k = pc + 2; k < end; k++) {
        TERM_LEAF.id = code[k]!;
        pushMarks(s, TERM_LEAF, out);
      }
      NEXT = end;
      return;
    }
    case NOT:
      runProgram(code, pc + 1, base, s, calls);
      return;
    case AND:
    case OR: {
      const n = code[pc + 1]!;
      const end = code[pc + 2]! + base;
      let p = pc + 3;
      for (let k = 0; k < n; k++) {
        const negated = code[p] === NOT;
        const truth = op === OR ? runProgram(code, p, base, s, calls) : true;
        const next = op === OR ? NEXT : skip(code, p, base);
        if (!negated && truth) markProgram(code, p, base, s, calls, out);
        p = next;
      }
      NEXT = end;
      return;
    }
    default: {
      const c = calls[code[pc + 1]!]!;
      if (c.test(s)) c.mark(s, out);
      NEXT = pc + 2;
    }
  }
}

/** The index after the node at `pc`. */
function skip(code: Int32Array, pc: number, base: number): number {
  const op = code[pc]!;
  if (op === TERM || op === PREFIX || op === CALL) return pc + 2;
  if (op === ANY) return pc + 2 + code[pc + 1]!;
  if (op === NOT) return skip(code, pc + 1, base);
  return code[pc + 2]! + base;
}
