import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { matchBruteForce } from './match-brute-force.ts';
import { parseQuery } from './parse-query.ts';
import type { QueryNode } from './query-ast.ts';
import { type MatchHit, QueryMatcher } from './query-matcher.ts';
import { QuerySyntaxError } from './query-syntax-error.ts';
import { readTwcsTexts, sharedDataPath } from './read-shared-data.ts';
import type { MatchPost } from './token-keys.ts';

const post = (text: string, extra: Partial<MatchPost> = {}): MatchPost => ({
  text,
  channel: 'x',
  author: { handle: 'someone', externalId: '42' },
  ...extra,
});

const sorted = (hits: MatchHit[]) => [...hits].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));

function matcherOf(queries: Record<string, string>): QueryMatcher {
  const m = new QueryMatcher();
  for (const [id, q] of Object.entries(queries)) m.add(id, q);
  return m;
}

const ids = (m: QueryMatcher, p: MatchPost) =>
  m
    .match(p)
    .map((h) => h.id)
    .sort();

describe('QueryMatcher', () => {
  it('comcast OR xfinity: the complaint, the hashtag and the mention match; the e-mail and the URL do not', () => {
    const m = matcherOf({ brand: 'comcast OR xfinity' });
    const texts = {
      complaint: 'Comcast has been down all morning, thanks for nothing',
      hashtag: 'four hours on hold #Xfinity',
      mention: '@comcast why is my bill double this month?',
      email: 'Great recipe! Questions? Write to jane@comcast.net',
      url: 'Found a deal at https://www.comcast.net/deals today',
      bareDomain: 'see comcast.net for details',
    };
    const matched = Object.entries(texts)
      .filter(([, text]) => m.match(post(text)).length > 0)
      .map(([name]) => name);
    expect(matched).toEqual(['complaint', 'hashtag', 'mention']);
    // The word inside the mention or hashtag is what matched.
    expect(m.match(post(texts.mention))[0]!.highlights).toEqual([[1, 8]]);
    expect(m.match(post(texts.hashtag))[0]!.highlights).toEqual([[20, 27]]);
  });

  it('matches e-mail addresses and sites when asked to', () => {
    const m = matcherOf({
      site: 'site:comcast.net',
      email: 'email:comcast.net',
      exactEmail: '"jane@comcast.net"',
      exactUrl: '"https://www.comcast.net/deals"',
    });
    expect(ids(m, post('Write to jane@comcast.net'))).toEqual(['email', 'exactEmail']);
    expect(ids(m, post('Deal: https://www.comcast.net/deals'))).toEqual(['exactUrl', 'site']);
    expect(ids(m, post('no link in the text', { links: ['https://support.comcast.net/a'] }))).toEqual([
      'site',
    ]);
    expect(ids(m, post('no link in the text', { url: 'https://notcomcast.net/a' }))).toEqual([]);
  });

  it('is case and accent insensitive, with an exact-case form', () => {
    const m = matcherOf({ any: 'apple', exact: '=Apple', cafe: 'café', exactCafe: '="Café Crème"' });
    expect(ids(m, post('I ate an APPLE'))).toEqual(['any']);
    expect(ids(m, post('Apple support was great'))).toEqual(['any', 'exact']);
    expect(ids(m, post('CAFE CREME please'))).toEqual(['cafe']);
    expect(ids(m, post('un Café Crème svp'))).toEqual(['cafe', 'exactCafe']);
  });

  it('evaluates phrases, NEAR, ordered NEAR, wildcards and fields', () => {
    const m = matcherOf({
      phrase: '"internet down"',
      near: 'internet NEAR/2 down',
      ordered: 'down ONEAR/2 internet',
      prefix: 'xfin* -jobs',
      author: 'wifi author:@bob',
      lang: 'wifi lang:de',
      channel: 'wifi channel:reddit',
    });
    expect(ids(m, post('my internet is down'))).toEqual(['near']);
    expect(ids(m, post('down goes the internet'))).toEqual(['near', 'ordered']);
    expect(ids(m, post('Internet down again'))).toEqual(['near', 'phrase']);
    expect(ids(m, post('xfinityhelp is slow'))).toEqual(['prefix']);
    expect(ids(m, post('xfinity jobs fair'))).toEqual([]);
    expect(
      ids(m, post('wifi', { author: { handle: '@Bob', externalId: '1' }, lang: 'de-AT', channel: 'reddit' })),
    ).toEqual(['author', 'channel', 'lang']);
  });

  it('adds, replaces and removes queries at run time', () => {
    const m = matcherOf({ a: 'comcast' });
    const p = post('comcast and xfinity');
    expect(ids(m, p)).toEqual(['a']);
    m.add('b', 'xfinity');
    expect(ids(m, p)).toEqual(['a', 'b']);
    m.add('a', 'verizon');
    expect(ids(m, p)).toEqual(['b']);
    expect(m.remove('b')).toBe(true);
    expect(m.remove('b')).toBe(false);
    expect(ids(m, p)).toEqual([]);
    m.add('c', 'comc*');
    expect(ids(m, p)).toEqual(['c']);
    expect(m.size).toBe(2);
    expect(() => m.add('bad', 'comcast AND')).toThrow(QuerySyntaxError);
    expect(m.has('bad')).toBe(false);
  });

  it('stays correct when its memo of token values fills up and starts over', () => {
    const queries: Record<string, string> = { a: 'w1 OR w5*', b: '"w2 w3" -w4', c: 'w7 NEAR/2 w9' };
    const m = new QueryMatcher({ cacheLimit: 8 });
    for (const [id, q] of Object.entries(queries)) m.add(id, q);
    const list = Object.entries(queries).map(([id, q]) => ({ id, node: parseQuery(q) }));
    for (let k = 0; k < 300; k++) {
      const text = Array.from(
        { length: 12 },
        (_, j) => `w${(k * 7 + j * 3) % 11}${j % 4 === 0 ? `x${k}` : ''}`,
      ).join(' ');
      expect(sorted(m.match(post(text)))).toEqual(sorted(matchBruteForce(list, post(text))));
    }
  });

  it('survives a 100 KB post, an empty post and unusual Unicode', () => {
    const m = matcherOf({
      near: '(comcast OR xfinity) NEAR/5 (outage OR down)',
      phrase: '"xfinity 😡 comcast outage"',
      nested: '(comcast NEAR/3 outage) NEAR/10 (down OR slow)',
      emoji: '😡 comcast',
    });
    const big = 'comcast outage down slow xfinity 😡 '.repeat(3_000);
    expect(big.length).toBeGreaterThan(100_000);
    const started = Date.now();
    expect(ids(m, post(big))).toEqual(['emoji', 'near', 'nested', 'phrase']);
    expect(Date.now() - started).toBeLessThan(20_000);
    expect(m.match(post(''))).toEqual([]);
    const odd = post('\u0000\ud800\u202e comcast\u200b😡\u{e0067}\ufeff \u0301\u0301 ﷺ');
    expect(ids(m, odd)).toEqual(['emoji']);
  });

  it('agrees with brute force on real tweets', () => {
    const texts = readTwcsTexts(sharedDataPath('twcs-sample.csv')).slice(0, 2000);
    const queries: Record<string, string> = {
      brand: 'comcast OR xfinity OR @comcastcares',
      apple: '(apple OR iphone OR ios*) NOT (android OR samsung)',
      delay: '(flight OR plane) NEAR/4 (delay* OR late OR cancel*)',
      thanks: 'thank* ONEAR/3 help*',
      dm: '"dm us" OR "direct message"',
      links: 'site:t.co (refund OR money)',
      exact: '=UPS OR =AT&T',
    };
    const m = matcherOf(queries);
    const list = Object.entries(queries).map(([id, q]) => ({ id, node: parseQuery(q) }));
    let total = 0;
    for (const text of texts) {
      const hits = sorted(m.match(post(text)));
      total += hits.length;
      expect(hits).toEqual(sorted(matchBruteForce(list, post(text))));
    }
    expect(total).toBeGreaterThan(100);
  });
});

describe('QueryMatcher properties', () => {
  const vocab = ['comcast', 'xfinity', 'outage', 'down', 'wifi', 'box', 'help', 'déjà', 'Café', '5g'];
  const word = fc.constantFrom(...vocab);
  const term = fc.oneof(
    word,
    word.map((w) => `=${w[0]!.toUpperCase()}${w.slice(1)}`),
    fc.constantFrom(
      'comc*',
      'out*',
      'do*',
      '#comc*',
      'caf*',
      '#comcast',
      '@comcast',
      '"jane@comcast.net"',
      '😡',
    ),
    fc.tuple(word, word).map(([a, b]) => `"${a} ${b}"`),
  );
  const field = fc.constantFrom(
    'site:comcast.net',
    'site:t.co',
    'author:bob',
    'author:b*',
    'channel:x',
    'lang:en',
    'email:comcast.net',
    'email:jane@comcast.net',
  );
  const positional: fc.Arbitrary<string> = fc.letrec((tie) => ({
    p: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      term,
      fc
        .tuple(tie('p'), fc.constantFrom('NEAR/0', 'NEAR/1', 'NEAR/3', 'ONEAR/0', 'ONEAR/2'), tie('p'))
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
    ),
  })).q;
  const piece = fc.oneof(
    word,
    word.map((w) => w.toUpperCase()),
    fc.constantFrom(
      'Cómcast',
      '#Comcast',
      '#comcastfail',
      '@Comcast',
      '@comcast.bsky.social',
      'jane@comcast.net',
      'https://www.comcast.net/deals',
      'comcast.net',
      'https://t.co/x1',
      '😡',
      'Ｃｏｍｃａｓｔ',
      'outage,',
      '(down)',
      't-mobile',
      "comcast's",
    ),
  );
  const postArb = fc.record({
    text: fc.array(piece, { maxLength: 14 }).map((p) => p.join(' ')),
    title: fc.option(
      fc.array(piece, { maxLength: 4 }).map((p) => p.join(' ')),
      { nil: undefined },
    ),
    channel: fc.constantFrom('x', 'reddit'),
    author: fc.constantFrom({ handle: 'bob', externalId: '1' }, { handle: '@Alice', externalId: '2' }),
    lang: fc.constantFrom(undefined, 'en', 'en-US', 'de'),
    links: fc.constantFrom(undefined, ['https://comcast.net/x'], ['http://example.org']),
  });

  function parsed(texts: string[]): { id: string; node: QueryNode }[] {
    const out: { id: string; node: QueryNode }[] = [];
    texts.forEach((text, k) => {
      try {
        out.push({ id: `q${k}`, node: parseQuery(text) });
      } catch (e) {
        if (!(e instanceof QuerySyntaxError)) throw e;
      }
    });
    return out;
  }

  it('the indexed matcher finds exactly what brute force finds, with the same highlights', () => {
    fc.assert(
      fc.property(
        fc.array(query, { minLength: 1, maxLength: 25 }),
        fc.array(postArb, { maxLength: 8 }),
        (qs, posts) => {
          const list = parsed(qs);
          const m = new QueryMatcher();
          for (const q of list) m.add(q.id, q.node);
          for (const p of posts) expect(sorted(m.match(p))).toEqual(sorted(matchBruteForce(list, p)));
        },
      ),
      { numRuns: 400 },
    );
  });

  it('stays equal to brute force while queries are added, replaced and removed', () => {
    const op = fc.oneof(
      fc.tuple(fc.constant('add' as const), fc.integer({ min: 0, max: 6 }), query),
      fc.tuple(fc.constant('remove' as const), fc.integer({ min: 0, max: 6 }), fc.constant('')),
    );
    fc.assert(
      fc.property(
        fc.array(op, { maxLength: 20 }),
        fc.array(postArb, { minLength: 1, maxLength: 4 }),
        (ops, posts) => {
          const m = new QueryMatcher();
          const live = new Map<string, QueryNode>();
          for (const [kind, n, text] of ops) {
            const id = `q${n}`;
            if (kind === 'remove') {
              m.remove(id);
              live.delete(id);
              continue;
            }
            const [q] = parsed([text]);
            if (!q) continue;
            m.add(id, q.node);
            live.set(id, q.node);
            const list = [...live].map(([lid, node]) => ({ id: lid, node }));
            for (const p of posts) expect(sorted(m.match(p))).toEqual(sorted(matchBruteForce(list, p)));
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});
