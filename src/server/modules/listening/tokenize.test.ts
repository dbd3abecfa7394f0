import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { listSharedData, readTwcsTexts, sharedDataPath } from './read-shared-data.ts';
import { type Token, tokenize } from './tokenize.ts';

const kinds = (text: string) => tokenize(text).map((t) => `${t.kind}:${t.norm}`);
const words = (text: string) =>
  tokenize(text)
    .filter((t) => t.kind === 'word')
    .map((t) => t.norm);

/** What must hold for any text: offsets inside the text, positions in order, no word inside a URL/e-mail. */
function checkInvariants(text: string, tokens: Token[]) {
  const problems: string[] = [];
  let lastPos = -1;
  let opaqueEnd = -1;
  for (const t of tokens) {
    if (t.start < 0 || t.end > text.length || t.end <= t.start)
      problems.push(`bad offsets ${t.start}-${t.end}`);
    if (t.endPos < t.pos) problems.push(`bad positions at ${t.start}`);
    if (!t.derived) {
      if (t.pos <= lastPos) problems.push(`position out of order at ${t.start}`);
      lastPos = t.endPos;
    }
    // Tokens come in text order, so a token inside a URL/e-mail would start before its end.
    if (t.kind === 'url' || t.kind === 'email') opaqueEnd = t.end;
    else if (t.start < opaqueEnd) problems.push(`"${t.norm}" inside a URL or e-mail at ${t.start}`);
  }
  expect(problems.slice(0, 5)).toEqual([]);
}

function decodeEntities(html: string): string {
  return html
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');
}

describe('tokenize', () => {
  it('keeps e-mail addresses and URLs whole, so the brand inside them is not a word', () => {
    expect(kinds('Contact jane@comcast.net or https://www.comcast.net/deals.')).toEqual([
      'word:contact',
      'email:jane@comcast.net',
      'word:or',
      'url:https://www.comcast.net/deals',
    ]);
    expect(words('mail me at JANE.DOE@Comcast.NET, see comcast.net/help or www.xfinity.com')).toEqual([
      'mail',
      'me',
      'at',
      'see',
      'or',
    ]);
    const [url] = tokenize('(see https://en.wikipedia.org/wiki/Foo_(bar)).');
    expect(url).toBeDefined();
    expect(
      tokenize('(see https://en.wikipedia.org/wiki/Foo_(bar)).').find((t) => t.kind === 'url')?.norm,
    ).toBe('https://en.wikipedia.org/wiki/foo_(bar)');
    expect(tokenize('write to mailto:help@comcast.com').map((t) => t.kind)).toEqual([
      'word',
      'word',
      'email',
    ]);
  });

  it('extracts the host of URLs and e-mail addresses', () => {
    const tokens = tokenize('jane@Comcast.net https://user@www.Comcast.net:8080/x?y=1 comcast.net/deals');
    expect(tokens.map((t) => t.domain)).toEqual(['comcast.net', 'www.comcast.net', 'comcast.net']);
  });

  it('does not take a sentence with a missing space for a domain', () => {
    expect(words('Comcast.Xfinity is down.it is e.g. broken')).toEqual([
      'comcast',
      'xfinity',
      'is',
      'down',
      'it',
      'is',
      'e',
      'g',
      'broken',
    ]);
  });

  it('knows hashtags and mentions and the words inside them', () => {
    const tokens = tokenize('#Comcast down? @ComcastCares @jay.bsky.social @bob@mastodon.social');
    expect(tokens.map((t) => `${t.kind}:${t.norm}:${t.pos}-${t.endPos}${t.derived ? '*' : ''}`)).toEqual([
      'hashtag:#comcast:0-0',
      'word:comcast:0-0*',
      'word:down:1-1',
      'mention:@comcastcares:2-2',
      'word:comcastcares:2-2*',
      'mention:@jay.bsky.social:3-5',
      'word:jay:3-3*',
      'word:bsky:4-4*',
      'word:social:5-5*',
      'mention:@bob@mastodon.social:6-6',
      'word:bob:6-6*',
    ]);
    expect(kinds('C# and &#39; and a#b')).toEqual([
      'word:c',
      'word:and',
      'number:39',
      'word:and',
      'word:a',
      'word:b',
    ]);
  });

  it('folds case, accents, compatibility forms and a few letters', () => {
    expect(words('Café CAFÉ Cafe\u0301 ﬁne Ｃｏｍｃａｓｔ Straße Øresund İstanbul')).toEqual([
      'cafe',
      'cafe',
      'cafe',
      'fine',
      'comcast',
      'strasse',
      'oresund',
      'istanbul',
    ]);
  });

  it('reports offsets in the original text, whatever folding did', () => {
    const text = 'Ｃｏｍｃａｓｔ cafe\u0301 ﬁne 👍🏽 ok';
    expect(tokenize(text).map((t) => text.slice(t.start, t.end))).toEqual([
      'Ｃｏｍｃａｓｔ',
      'cafe\u0301',
      'ﬁne',
      '👍🏽',
      'ok',
    ]);
  });

  it('splits emoji, numbers, CJK and scripts without spaces sensibly', () => {
    expect(kinds('iOS11 3.5 1,000 5-20 🇺🇸😡 東京 Привет नमस्ते')).toEqual([
      'word:ios11',
      'number:3.5',
      'number:1,000',
      'number:5',
      'number:20',
      'emoji:🇺🇸',
      'emoji:😡',
      'word:東',
      'word:京',
      'word:привет',
      'word:नमस्ते',
    ]);
  });

  it('is linear on hostile input', () => {
    const inputs = [
      'a.'.repeat(50_000),
      'a@'.repeat(50_000),
      `${'x'.repeat(60_000)}@`,
      'http://'.repeat(10_000),
      '#'.repeat(100_000),
      '@a.'.repeat(30_000),
      'a-'.repeat(50_000),
    ];
    const started = Date.now();
    for (const text of inputs) checkInvariants(text, tokenize(text));
    // Generous: a quadratic scan of these inputs would take minutes.
    expect(Date.now() - started).toBeLessThan(20_000);
  });

  it('handles empty text, lone surrogates and control characters', () => {
    expect(tokenize('')).toEqual([]);
    expect(kinds('\ud800 a \udc00 b\u0000c')).toEqual(['word:a', 'word:b', 'word:c']);
  });
});

describe('tokenize on real text', () => {
  it('tweets: every t.co link is one URL token and no word sits inside a URL or e-mail', () => {
    const texts = readTwcsTexts(sharedDataPath('twcs-sample.csv'));
    expect(texts.length).toBeGreaterThan(1000);
    let links = 0;
    for (const text of texts) {
      const tokens = tokenize(text);
      checkInvariants(text, tokens);
      for (const m of text.matchAll(/https:\/\/t\.co\/[A-Za-z0-9]+/g)) {
        links++;
        expect(
          tokens.some((t) => t.kind === 'url' && t.start === m.index && t.end === m.index + m[0].length),
        ).toBe(true);
      }
    }
    expect(links).toBeGreaterThan(500);
  });

  it('tweets: hashtags and mentions of Comcast produce the word comcast', () => {
    const texts = readTwcsTexts(sharedDataPath('twcs-sample.csv'));
    const tagged = texts.filter((t) => /#comcast\b/i.test(t));
    expect(tagged.length).toBeGreaterThan(0);
    for (const text of tagged) expect(words(text)).toContain('comcast');
  });

  it('Guardian RSS: "trump" in article URLs is never a word, in the prose it always is', () => {
    const rss = readFileSync(sharedDataPath('feeds/guardian.rss'), 'utf8');
    const items = [...rss.matchAll(/<description>([^<]*)<\/description>/g)].map((m) => decodeEntities(m[1]!));
    expect(items.length).toBeGreaterThan(10);
    let urlsWithTrump = 0;
    for (const html of items) {
      const tokens = tokenize(html);
      checkInvariants(html, tokens);
      urlsWithTrump += tokens.filter((t) => t.kind === 'url' && t.norm.includes('trump')).length;
      const prose = html.replace(/https?:\/\/[^\s"<>]+/g, ' ');
      const expected = [...prose.matchAll(/(?<![\p{L}\p{N}_])trump(?![\p{L}\p{N}_])/giu)].length;
      expect(tokens.filter((t) => t.norm === 'trump').length).toBe(expected);
    }
    expect(urlsWithTrump).toBeGreaterThan(0);
  });

  it('heise Atom (German): umlauts fold, offsets still point at the original spelling', () => {
    const atom = readFileSync(sharedDataPath('feeds/heise.atom'), 'utf8');
    const tokens = tokenize(atom);
    checkInvariants(atom, tokens);
    const fuer = tokens.filter((t) => t.norm === 'fur');
    expect(fuer.length).toBeGreaterThan(10);
    for (const t of fuer) expect(atom.slice(t.start, t.end).toLowerCase()).toBe('für');
    expect(tokens.some((t) => t.norm === 'grossere' && atom.slice(t.start, t.end) === 'größere')).toBe(true);
  });

  it('e-mail messages: every address in the headers is one e-mail token', () => {
    for (const name of listSharedData('email')) {
      const eml = readFileSync(sharedDataPath(`email/${name}`), 'utf8');
      const tokens = tokenize(eml);
      checkInvariants(eml, tokens);
      for (const m of eml.matchAll(/<([A-Za-z0-9._+-]+@[A-Za-z0-9.-]+\.[a-z]{2,})>/g)) {
        const at = m.index + 1;
        expect(
          tokens.some((t) => t.kind === 'email' && t.start === at && t.norm === m[1]!.toLowerCase()),
        ).toBe(true);
      }
    }
  });
});
