import { tokenize } from './tokenize.ts';

/** A small, fast, seeded PRNG (mulberry32): the same seed gives the same queries everywhere. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Words, hashtags and handles of a corpus, most frequent first. */
export type Vocabulary = { words: string[]; hashtags: string[]; handles: string[] };

const STOP = new Set(
  'the and you for your are that this with have not was but can will what just get has out all they our its how'.split(
    ' ',
  ),
);

/** Builds a vocabulary from real post texts (tokenized like posts are). */
export function buildVocabulary(texts: readonly string[]): Vocabulary {
  const counts = new Map<string, number>();
  for (const text of texts) {
    for (const t of tokenize(text)) {
      if (t.derived) continue;
      const ok =
        (t.kind === 'word' && t.norm.length >= 3 && /^[a-z]+$/.test(t.norm) && !STOP.has(t.norm)) ||
        t.kind === 'hashtag' ||
        (t.kind === 'mention' && /^@[a-z_]+$/.test(t.norm));
      if (ok) counts.set(t.norm, (counts.get(t.norm) ?? 0) + 1);
    }
  }
  const ranked = [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([w]) => w);
  return {
    words: ranked.filter((w) => /^[a-z]/.test(w)),
    hashtags: ranked.filter((w) => w.startsWith('#')),
    handles: ranked.filter((w) => w.startsWith('@')),
  };
}

const FALLBACK: Vocabulary = {
  words: (
    'service internet outage down slow help support account bill refund order flight delay delayed ' +
    'cancelled luggage phone screen battery update app error password login delivery package driver ' +
    'charge charged price plan upgrade router modem wifi signal network store manager agent response ' +
    'waiting hours days week broken fixed issue problem ticket seat gate booking hotel room card payment ' +
    'zorvex quintara blumo kestrel norrin vantix aurelo fennix halcyra orbisk'
  ).split(' '),
  hashtags: ['#fail', '#help', '#outage', '#customerservice', '#zorvex'],
  handles: ['@zorvexhelp', '@quintaracare', '@blumosupport'],
};

const SYLLABLES = 'ka ve zor lin tra qui bel mo nex dar fi lu sen vo ra pex tal ori gen xu'.split(' ');

/** A pronounceable made-up brand name (`zorvex`, `quibelmo`), as most monitored brands are to a random post. */
function madeUpBrand(rnd: () => number): string {
  let name = '';
  const n = 2 + Math.floor(rnd() * 2);
  for (let k = 0; k < n; k++) name += SYLLABLES[Math.floor(rnd() * SYLLABLES.length)];
  return name;
}

/**
 * Generates `count` listening queries of the kinds care teams write: brand OR-lists, topic words
 * ANDed with exclusions, phrases, NEAR and ordered NEAR, prefix wildcards, hashtags, handles and
 * field filters. A fifth of the brand terms are mid-frequency words of the posts' vocabulary (so
 * queries do match real posts); the rest are made-up brand names, because in a deployment with
 * thousands of topics most of them are about brands a given post does not mention. The most
 * frequent words are only used as context beside a brand, as in real queries.
 */
export function generateQueries(count: number, seed: number, vocabulary?: Vocabulary): string[] {
  const v = vocabulary && vocabulary.words.length >= 200 ? vocabulary : FALLBACK;
  const rnd = seededRandom(seed);
  const pick = <T>(list: readonly T[], from = 0, to = list.length): T =>
    list[
      Math.min(list.length - 1, from + Math.floor(rnd() * Math.max(1, Math.min(to, list.length) - from)))
    ]!;
  const common = v.words.slice(0, 150);
  const brandFrom = Math.min(150, Math.floor(v.words.length / 4));
  const brands = Array.from({ length: Math.max(50, Math.ceil(count / 3)) }, () => madeUpBrand(rnd));
  const brand = () => (rnd() < 0.2 ? pick(v.words, brandFrom, brandFrom + 6_000) : pick(brands));
  const context = () => pick(common);
  const orList = (make: () => string, n: number) => {
    const items = new Set<string>();
    for (let k = 0; k < n; k++) items.add(make());
    return items.size > 1 ? `(${[...items].join(' OR ')})` : [...items][0]!;
  };
  const templates: (() => string)[] = [
    () => orList(brand, 2 + Math.floor(rnd() * 3)),
    () => `${orList(brand, 2)} AND ${orList(context, 3)} NOT ${orList(context, 2)}`,
    () => `${orList(brand, 2)} NEAR/${1 + Math.floor(rnd() * 5)} ${orList(context, 2)}`,
    () => `"${brand()} ${context()}" OR ${brand()}`,
    () => `${brand().slice(0, 5)}* -${context()}`,
    () => `${brand()} ONEAR/3 ${context()}`,
    () => `${rnd() < 0.2 ? pick(v.hashtags) : `#${brand()}`} OR ${brand()}`,
    () => `${rnd() < 0.2 && v.handles.length ? pick(v.handles) : `@${brand()}help`} ${context()}`,
    () => `${brand()} lang:en`,
    () => `site:${brand()}.com OR ${brand()}`,
    () => `(${brand()} OR ${brand()}) channel:x -author:${brand()}`,
    () => `=${brand().replace(/^./, (c) => c.toUpperCase())} OR "${brand()} ${brand()}"`,
  ];
  const out: string[] = [];
  for (let k = 0; k < count; k++) out.push(pick(templates)());
  return out;
}
