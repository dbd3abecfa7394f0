import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { seededRandom } from './generate-queries.ts';
import type { MatchPost } from './token-keys.ts';

/**
 * Posts for the match benchmark from a file: a Kaggle "Customer Support on Twitter" CSV (`.csv`)
 * or normalised posts, one JSON object a line (anything else).
 */
export function readBenchPosts(path: string): MatchPost[] {
  const raw = readFileSync(path, 'utf8');
  if (path.toLowerCase().endsWith('.csv')) {
    const rows = parse(raw, { columns: true, relax_quotes: true, skip_empty_lines: true }) as Record<
      string,
      string
    >[];
    return rows
      .filter((r) => r.text)
      .map((r) => ({
        text: r.text!,
        channel: 'x',
        author: { handle: r.author_id ?? 'unknown', externalId: r.author_id ?? 'unknown' },
        lang: 'en',
      }));
  }
  const posts: MatchPost[] = [];
  for (const line of raw.split('\n')) {
    if (!line.trim()) continue;
    const p = JSON.parse(line) as Partial<MatchPost> & { author?: { handle?: string; externalId?: string } };
    if (typeof p.text !== 'string') continue;
    posts.push({
      text: p.text,
      title: p.title,
      channel: p.channel ?? 'webhook',
      author: { handle: p.author?.handle ?? 'unknown', externalId: p.author?.externalId ?? 'unknown' },
      lang: p.lang,
      url: p.url,
      links: p.links,
    });
  }
  return posts;
}

const WORDS = (
  'my internet has been down all day and nobody at support can tell me why the app keeps crashing ' +
  'after the update please help I was charged twice for the same order where is my refund flight ' +
  'delayed again gate agent was great thanks for the quick response wifi is so slow tonight'
).split(' ');
const NOISE = [
  'jane@zorvex.net',
  'https://www.zorvex.com/deals',
  '#fail',
  '@zorvexhelp',
  '😡',
  'https://t.co/x1Yz',
];

/** Tweet-sized synthetic posts from a seeded generator (used when no post file is available). */
export function generateBenchPosts(count: number, seed: number): MatchPost[] {
  const rnd = seededRandom(seed);
  const posts: MatchPost[] = [];
  for (let k = 0; k < count; k++) {
    const parts: string[] = [];
    const n = 6 + Math.floor(rnd() * 20);
    for (let w = 0; w < n; w++)
      parts.push(
        rnd() < 0.08 ? NOISE[Math.floor(rnd() * NOISE.length)]! : WORDS[Math.floor(rnd() * WORDS.length)]!,
      );
    posts.push({
      text: parts.join(' '),
      channel: 'x',
      author: { handle: `user${k % 997}`, externalId: String(k % 997) },
      lang: 'en',
    });
  }
  return posts;
}
