import { existsSync } from 'node:fs';
import { buildVocabulary, generateQueries } from './generate-queries.ts';
import { matchBruteForce } from './match-brute-force.ts';
import { parseQuery } from './parse-query.ts';
import type { QueryNode } from './query-ast.ts';
import { type MatchHit, QueryMatcher } from './query-matcher.ts';
import { generateBenchPosts, readBenchPosts } from './read-bench-posts.ts';
import { sharedDataDir } from './read-shared-data.ts';
import type { MatchPost } from './token-keys.ts';
import { tokenizePost } from './tokenize-post.ts';

export type MatchBenchOptions = {
  queries?: number;
  posts?: number;
  /** A twcs CSV or JSONL file of posts; default: ../shared/data/twcs-sample.csv, else synthetic posts. */
  postsFile?: string;
  seed?: number;
  /** Upper bound on the time spent on the (slow) brute-force sample, in milliseconds. */
  bruteForceBudgetMs?: number;
  onProgress?: (p: { phase: string; done: number; total: number }) => void;
};

export type MatchBenchResult = {
  queries: number;
  posts: number;
  postsPerSec: number;
  bruteForcePostsPerSec: number;
  tokenizePostsPerSec: number;
  speedupVsBruteForce: number;
  fractionOfTokenize: number;
  matches: number;
  rssMB: number;
  /** Posts compared against brute force, and how many of them disagreed (must be 0). */
  bruteForceSample: number;
  mismatches: number;
  candidatesPerPost: number;
  postsSource: string;
  /** Throughputs are per CPU-second of this process (one core), not wall-clock. */
  clock: 'cpu';
};

const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
const round = (n: number, digits = 0) => Number(n.toFixed(digits));

function sameHits(a: MatchHit[], b: MatchHit[]): boolean {
  if (a.length !== b.length) return false;
  const key = (h: MatchHit) => `${h.id}:${JSON.stringify(h.highlights)}`;
  const left = a.map(key).sort();
  const right = b.map(key).sort();
  return left.every((k, i) => k === right[i]);
}

/**
 * The listening benchmark: generates `queries` realistic queries (seeded), runs `posts` posts
 * (real tweets cycled, by default) through bare tokenization, the indexed matcher, and brute force
 * on a sample (extrapolated), checks that matcher and brute force agree on that sample, and reports
 * throughput ratios measured in the same process.
 */
export async function runMatchBench(options: MatchBenchOptions = {}): Promise<MatchBenchResult> {
  const queryCount = options.queries ?? 10_000;
  const postCount = options.posts ?? 100_000;
  const seed = options.seed ?? 42;
  const progress = options.onProgress ?? (() => {});
  let peakRss = process.memoryUsage().rss;
  const sampleRss = () => {
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
  };

  const defaultFile = `${sharedDataDir}/twcs-sample.csv`;
  const file = options.postsFile ?? (existsSync(defaultFile) ? defaultFile : undefined);
  const source = file ? readBenchPosts(file) : generateBenchPosts(5_000, seed);
  if (source.length === 0) throw new Error(`No posts with text in ${file}`);
  const posts: MatchPost[] = [];
  for (let k = 0; k < postCount; k++) posts.push(source[k % source.length]!);

  progress({ phase: 'queries', done: 0, total: queryCount });
  const vocabulary = file ? buildVocabulary(source.slice(0, 20_000).map((p) => p.text)) : undefined;
  const texts = generateQueries(queryCount, seed, vocabulary);
  const parsed: { id: string; node: QueryNode }[] = texts.map((text, k) => ({
    id: `q${k}`,
    node: parseQuery(text),
  }));
  const matcher = new QueryMatcher();
  for (const q of parsed) matcher.add(q.id, q.node);
  progress({ phase: 'queries', done: queryCount, total: queryCount });
  sampleRss();

  // Warm up both paths (JIT, the matcher's per-key memo and its first frequency-based re-indexing).
  const warm = Math.min(posts.length, 20_000);
  for (let k = 0; k < warm; k++) {
    tokenizePost(posts[k]!);
    matcher.match(posts[k]!);
  }

  // Tokenization and matching alternate chunk by chunk, timed in CPU time of this process, so other
  // load on the machine neither slows one phase more than the other nor counts as our time.
  const chunk = 2_000;
  let tokenizeMs = 0;
  let matchMs = 0;
  let matches = 0;
  let sink = 0;
  for (let from = 0; from < posts.length; from += chunk) {
    const to = Math.min(posts.length, from + chunk);
    let t0 = cpuMs();
    for (let k = from; k < to; k++) sink += tokenizePost(posts[k]!).tokens.length;
    tokenizeMs += cpuMs() - t0;
    t0 = cpuMs();
    for (let k = from; k < to; k++) matches += matcher.match(posts[k]!).length;
    matchMs += cpuMs() - t0;
    progress({ phase: 'match', done: to, total: posts.length });
    if ((from / chunk) % 10 === 0) sampleRss();
  }
  sampleRss();

  const budget = options.bruteForceBudgetMs ?? 5_000;
  const maxSample = Math.min(posts.length, source.length, 2_000);
  let sample = 0;
  let mismatches = 0;
  let bruteMs = 0;
  let candidates = 0;
  while (sample < maxSample && bruteMs < budget) {
    const p = posts[sample]!;
    const t = cpuMs();
    const expected = matchBruteForce(parsed, p);
    bruteMs += cpuMs() - t;
    if (!sameHits(matcher.match(p), expected)) mismatches++;
    sample++;
    if (sample % 50 === 0) progress({ phase: 'brute-force', done: sample, total: maxSample });
  }
  for (let k = 0; k < Math.min(posts.length, 2_000); k++) candidates += matcher.candidateCount(posts[k]!);
  sampleRss();
  if (sink < 0) throw new Error('unreachable');

  const postsPerSec = posts.length / (matchMs / 1000);
  const tokenizePostsPerSec = posts.length / (tokenizeMs / 1000);
  const bruteForcePostsPerSec = sample / (bruteMs / 1000);
  return {
    queries: queryCount,
    posts: posts.length,
    postsPerSec: round(postsPerSec),
    bruteForcePostsPerSec: round(bruteForcePostsPerSec, 1),
    tokenizePostsPerSec: round(tokenizePostsPerSec),
    speedupVsBruteForce: round(postsPerSec / bruteForcePostsPerSec, 1),
    fractionOfTokenize: round(postsPerSec / tokenizePostsPerSec, 3),
    matches,
    rssMB: round(peakRss / 1024 / 1024, 1),
    bruteForceSample: sample,
    mismatches,
    candidatesPerPost: round(candidates / Math.min(posts.length, 2_000), 2),
    postsSource: file ?? 'synthetic',
    clock: 'cpu',
  };
}
