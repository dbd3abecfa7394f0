import { describe, expect, it } from 'vitest';
import { runMatchBench } from '../src/server/modules/listening/bench-match.ts';
import { sharedDataPath } from '../src/server/modules/listening/read-shared-data.ts';

describe('match benchmark', () => {
  it('runs end to end on real tweets and agrees with brute force on its sample', async () => {
    const phases = new Set<string>();
    const r = await runMatchBench({
      queries: 300,
      posts: 3_000,
      postsFile: sharedDataPath('twcs-sample.csv'),
      bruteForceBudgetMs: 2_000,
      onProgress: (p) => phases.add(p.phase),
    });
    expect(r).toMatchObject({ queries: 300, posts: 3_000, mismatches: 0, clock: 'cpu' });
    expect(r.bruteForceSample).toBeGreaterThan(100);
    expect(r.matches).toBeGreaterThan(0);
    for (const k of [
      'postsPerSec',
      'bruteForcePostsPerSec',
      'tokenizePostsPerSec',
      'speedupVsBruteForce',
      'rssMB',
    ] as const) {
      expect(r[k]).toBeGreaterThan(0);
    }
    expect([...phases]).toEqual(expect.arrayContaining(['queries', 'match']));
  });
});
