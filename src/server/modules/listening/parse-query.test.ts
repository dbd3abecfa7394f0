import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_NESTING, parseQuery } from './parse-query.ts';
import { printQuery } from './print-query.ts';
import type { QueryNode } from './query-ast.ts';
import { QuerySyntaxError } from './query-syntax-error.ts';

/** The query without source positions, for structural comparison. */
function strip(node: QueryNode): unknown {
  switch (node.type) {
    case 'term':
      return { t: 'term', text: node.text, quoted: node.quoted, exact: node.exact, tokens: node.tokens };
    case 'field':
      return { t: 'field', field: node.field, value: node.value, prefix: node.prefix, key: node.key };
    case 'not':
      return { t: 'not', child: strip(node.child) };
    case 'near':
      return { t: 'near', l: strip(node.left), r: strip(node.right), d: node.distance, o: node.ordered };
    default:
      return { t: node.type, children: node.children.map(strip) };
  }
}

function errorOf(query: string): QuerySyntaxError {
  try {
    parseQuery(query);
  } catch (e) {
    if (e instanceof QuerySyntaxError) return e;
    throw e;
  }
  throw new Error(`expected "${query}" to be rejected`);
}

describe('parseQuery', () => {
  it('reads terms, phrases, operators, implicit AND and precedence', () => {
    expect(printQuery(parseQuery('comcast OR xfinity'))).toBe('comcast OR xfinity');
    expect(printQuery(parseQuery('comcast xfinity OR "cable box" -jobs'))).toBe(
      'comcast AND xfinity OR "cable box" AND NOT jobs',
    );
    expect(printQuery(parseQuery('(comcast OR xfinity) AND (outage OR down) NOT (hiring OR jobs)'))).toBe(
      '(comcast OR xfinity) AND (outage OR down) AND NOT (hiring OR jobs)',
    );
    const and = parseQuery('comcast NOT jobs');
    expect(and.type).toBe('and');
  });

  it('reads NEAR, ordered NEAR and wildcards', () => {
    const near = parseQuery('(comcast OR xfinity) NEAR/3 outage*');
    expect(near).toMatchObject({ type: 'near', distance: 3, ordered: false });
    expect(parseQuery('wifi ONEAR/2 slow')).toMatchObject({ type: 'near', distance: 2, ordered: true });
    expect(parseQuery('wifi NEAR/2/f slow')).toMatchObject({ type: 'near', distance: 2, ordered: true });
    expect(parseQuery('wifi near/2 slow')).toMatchObject({ type: 'near', distance: 2, ordered: false });
    expect(parseQuery('stores near me').type).toBe('and');
    expect(parseQuery('comcas*')).toMatchObject({ type: 'term', tokens: [{ key: 'comcas', prefix: true }] });
  });

  it('turns multi-token terms into phrases with the post tokenizer', () => {
    expect(parseQuery('t-mobile')).toMatchObject({
      tokens: [
        { key: 't', prefix: false },
        { key: 'mobile', prefix: false },
      ],
    });
    expect(parseQuery('"Café Déjà vu"')).toMatchObject({
      tokens: [{ key: 'cafe' }, { key: 'deja' }, { key: 'vu' }],
    });
    expect(parseQuery('#Comcast')).toMatchObject({ tokens: [{ key: '#comcast' }] });
    expect(parseQuery('@ComcastCares')).toMatchObject({ tokens: [{ key: '@comcastcares' }] });
    expect(parseQuery('"jane@comcast.net"')).toMatchObject({ tokens: [{ key: '\u0004jane@comcast.net' }] });
    expect(parseQuery('=Apple')).toMatchObject({ exact: true, tokens: [{ key: '\u0002Apple' }] });
  });

  it('reads fields', () => {
    expect(parseQuery('site:https://www.Comcast.net/deals')).toMatchObject({
      key: '\u0001s:www.comcast.net',
    });
    expect(parseQuery('author:@ComcastCares')).toMatchObject({ key: '\u0001a:comcastcares' });
    expect(parseQuery('author:"Comcast Cares"')).toMatchObject({ value: 'Comcast Cares' });
    expect(parseQuery('lang:en_US')).toMatchObject({ key: '\u0001l:en-us' });
    expect(parseQuery('channel:reddit comcast').type).toBe('and');
    expect(parseQuery('https://comcast.net/x')).toMatchObject({ type: 'term' });
  });

  it('reports errors with position and what was expected', () => {
    const cases: [string, number, RegExp][] = [
      ['', 0, /^Expected a term or "\(" at position 0$/],
      ['comcast AND', 11, /^Expected a term or "\(" at position 11$/],
      ['comcast OR OR xfinity', 11, /^Expected a term or "\(" at position 11$/],
      ['(comcast OR xfinity', 19, /^Expected "\)" at position 19$/],
      ['comcast) xfinity', 7, /position 7/],
      ['"comcast outage', 15, /closing " at position 15 .* opened at position 0/],
      ['comcast NEAR/x outage', 13, /distance like NEAR\/3 at position 13/],
      ['comcast NEAR outage', 12, /distance/],
      ['comcast NEAR/3 author:bob', 15, /beside NEAR at position 15/],
      ['comcast NEAR/3 (a AND b)', 15, /beside NEAR/],
      ['foo:bar', 0, /field name/],
      ['c*', 0, /at least 2/],
      ['co*cast', 2, /only at the end of a word/],
      ['!!!', 0, /letters, digits or emoji/],
      ['NOT comcast', 0, /term to look for at position 0/],
      ['-comcast -xfinity', 0, /term to look for/],
      ['comcast OR NOT jobs', 11, /term to look for at position 11/],
      ['author:', 7, /value after author:/],
      ['comcast NEAR/5000 x', 13, /at most 1000/],
    ];
    for (const [query, position, message] of cases) {
      const e = errorOf(query);
      expect({ query, position: e.position }).toEqual({ query, position });
      expect(e.message).toMatch(message);
      expect(e.expected.length).toBeGreaterThan(0);
      expect(e.code).toBe('invalid_query');
    }
  });

  it('limits nesting instead of overflowing the stack', () => {
    expect(parseQuery(`${'('.repeat(MAX_NESTING)}a${')'.repeat(MAX_NESTING)}`).type).toBe('term');
    expect(errorOf(`${'('.repeat(5000)}a${')'.repeat(5000)}`).position).toBe(MAX_NESTING);
    expect(parseQuery(`${'NOT '.repeat(2000)}a b`).type).toBe('and');
  });

  it('never throws anything but a QuerySyntaxError, and never hangs', () => {
    const alphabet = fc.constantFrom(
      ...'ab ()"*-=:/#@ANDORNOTNEAR0123'.split(''),
      'AND ',
      'OR ',
      'NOT ',
      'NEAR/2 ',
      'site:',
    );
    fc.assert(
      fc.property(fc.array(alphabet, { maxLength: 40 }), (parts) => {
        try {
          parseQuery(parts.join(''));
        } catch (e) {
          if (!(e instanceof QuerySyntaxError)) throw e;
        }
      }),
      { numRuns: 3000 },
    );
  });

  it('round-trips: parse(print(q)) is q', () => {
    const word = fc.constantFrom(
      'comcast',
      'xfinity',
      'outage',
      'wifi',
      'déjà',
      'Box',
      '#fail',
      '@help',
      '5g',
      '😡',
    );
    const term = fc.oneof(
      word,
      word.map((w) => `=${w}`),
      fc.constantFrom('comc*', 'out*', '#fa*'),
      fc.tuple(word, word).map(([a, b]) => `"${a} ${b}"`),
    );
    const field = fc.constantFrom(
      'site:comcast.net',
      'author:bob',
      'channel:x',
      'lang:en',
      'email:comcast.net',
      'author:co*',
    );
    const positional: fc.Arbitrary<string> = fc.letrec((tie) => ({
      p: fc.oneof(
        { depthSize: 'small', withCrossShrink: true },
        term,
        fc
          .tuple(tie('p'), fc.constantFrom('NEAR/0', 'NEAR/3', 'ONEAR/2'), tie('p'))
          .map(([a, op, b]) => `(${a}) ${op} (${b})`),
        fc.tuple(tie('p'), tie('p')).map(([a, b]) => `(${a} OR ${b})`),
      ),
    })).p;
    const query: fc.Arbitrary<string> = fc.letrec((tie) => ({
      q: fc.oneof(
        { depthSize: 'small', withCrossShrink: true },
        positional,
        field,
        fc.tuple(tie('q'), tie('q')).map(([a, b]) => `(${a}) AND (${b})`),
        fc.tuple(tie('q'), tie('q')).map(([a, b]) => `(${a}) OR (${b})`),
        fc.tuple(tie('q'), tie('q')).map(([a, b]) => `(${a}) NOT (${b})`),
        fc.tuple(tie('q'), tie('q')).map(([a, b]) => `${a} ${b}`),
      ),
    })).q;
    fc.assert(
      fc.property(query, (text) => {
        let parsed: QueryNode;
        try {
          parsed = parseQuery(text);
        } catch (e) {
          if (e instanceof QuerySyntaxError && /term to look for/.test(e.message)) return;
          throw e;
        }
        const printed = printQuery(parsed);
        const again = parseQuery(printed);
        expect(strip(again)).toEqual(strip(parsed));
        expect(printQuery(again)).toBe(printed);
      }),
      { numRuns: 2000 },
    );
  });
});
