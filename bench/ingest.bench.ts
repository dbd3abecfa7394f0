// End-to-end ingest benchmark: `npx tsx bench/ingest.bench.ts [--posts N]` (npm run bench:ingest).
// A synthetic firehose (real tweet texts from ../shared/data/twcs-sample.csv, fresh ids) runs
// through parse → match → store what matched, then the rest of the pipeline, on the embedded
// default (PGlite in a data folder) and, with DATABASE_URL, on PostgreSQL. Reports throughput as
// a ratio against the baseline measured in the same run (bare JSON parse + validation of the same
// posts) and against the BRIEF targets, and post→case latency. The last line is one JSON object.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { type NormalisedPost, normalisedPostSchema } from '../src/common/post.schema.ts';
import { loadConfig } from '../src/server/config.ts';
import { topics } from '../src/server/modules/listening/listening.schema.ts';
import { ingestPosts } from '../src/server/pipeline/ingest.ts';
import { createMemoryBus } from '../src/server/platform/bus/memory-bus.ts';
import { openDatabase, queryRows, sql } from '../src/server/platform/db/client.ts';
import { createLogger } from '../src/server/platform/log.ts';
import { createContext, startWorker } from '../src/server/runtime.ts';

const { values } = parseArgs({ options: { posts: { type: 'string' } } });
const N = Number(values.posts ?? 20000);
const DATA = fileURLToPath(new URL('../../shared/data/twcs-sample.csv', import.meta.url));

function texts(): string[] {
  try {
    const csv = readFileSync(DATA, 'utf8');
    const out: string[] = [];
    for (const m of csv.matchAll(/^\d+,[^,]+,(?:True|False),[^,]+,("(?:[^"]|"")*"|[^,\r\n]*)/gm)) {
      out.push(m[1]!.replace(/^"|"$/g, '').replaceAll('""', '"'));
    }
    if (out.length > 100) return out;
  } catch {}
  return Array.from({ length: 1000 }, (_, i) => `post number ${i} about comcast internet being down`);
}

function firehose(n: number, run: string): string[] {
  const t = texts();
  return Array.from({ length: n }, (_, i) =>
    JSON.stringify({
      channel: 'bluesky',
      externalId: `${run}-${i}`,
      author: {
        externalId: `did:plc:${i % 5000}`,
        handle: `user${i % 5000}.bsky.social`,
        followers: i % 997,
      },
      text: t[i % t.length],
      createdAt: new Date(Date.now() - (n - i) * 10).toISOString(),
    }),
  );
}

const log = createLogger('warn');
const results: Record<string, unknown> = { posts: N };

// Baseline: parsing and validating the same JSON, nothing else.
const raw = firehose(N, 'base');
let t0 = process.cpuUsage();
const parsed: NormalisedPost[] = raw.map((s) => normalisedPostSchema.parse(JSON.parse(s)));
if (parsed.length !== N) throw new Error('baseline parse lost posts');
const baseCpu = (process.cpuUsage(t0).user + process.cpuUsage(t0).system) / 1e6;
results.parsePostsPerSec = Math.round(N / baseCpu);

const targets: [string, 'pglite' | 'postgres', number][] = [['pglite', 'pglite', 2000]];
if (process.env.DATABASE_URL) targets.push(['postgres', 'postgres', 6000]);

for (const [name, kind, target] of targets) {
  const dir = mkdtempSync(join(tmpdir(), 'earshot-bench-'));
  const database =
    kind === 'pglite'
      ? await openDatabase({ kind: 'pglite', dataDir: dir })
      : await openDatabase({ kind: 'postgres', url: process.env.DATABASE_URL! });
  const bus = createMemoryBus(log);
  const ctx = await createContext(loadConfig({ LOG_LEVEL: 'warn', DATABASE_URL: undefined }), log, {
    database,
    bus,
  });
  const stop = await startWorker(ctx);
  await ctx.db.delete(topics);
  await ctx.db.insert(topics).values([
    { name: 'Comcast', query: 'comcast OR xfinity OR @comcastcares OR @xfinitysupport' },
    { name: 'Apple', query: '@applesupport OR (iphone AND (battery OR update OR ios))' },
    {
      name: 'Airlines',
      query: '@americanair OR @delta OR @southwestair OR (flight NEAR/3 (delayed OR cancelled))',
    },
  ]);
  await ctx.listener.reload();
  const run = `${name}-${Date.now()}`;
  const batch = firehose(N, run).map((s) => normalisedPostSchema.parse(JSON.parse(s)));
  t0 = process.cpuUsage();
  const wall = performance.now();
  let stored = 0;
  for (let i = 0; i < batch.length; i += 500) {
    const out = await ingestPosts(ctx, batch.slice(i, i + 500));
    stored += out.filter((o) => o.outcome === 'stored').length;
  }
  const ingestWall = (performance.now() - wall) / 1000;
  await bus.idle();
  const totalWall = (performance.now() - wall) / 1000;
  // Latency: one post addressed to the brand at a time, from acknowledgement to its case.
  await ctx.db.execute(
    sql`INSERT INTO settings (key, value) VALUES ('brand', '{"handles":["comcastcares"]}') ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
  );
  const lat: number[] = [];
  for (let i = 0; i < 20; i++) {
    const p = normalisedPostSchema.parse({
      ...JSON.parse(firehose(1, `${run}-lat${i}`)[0]!),
      text: '@comcastcares internet down again',
    });
    const s = performance.now();
    const [o] = await ingestPosts(ctx, [p]);
    for (;;) {
      const r = await queryRows<{ c: string | null }>(
        ctx.db,
        sql`SELECT case_id AS c FROM posts WHERE id = ${o!.postId!}`,
      );
      if (r[0]?.c) break;
      await new Promise((r) => setTimeout(r, 1));
    }
    lat.push(performance.now() - s);
  }
  lat.sort((a, b) => a - b);
  const ingestPerSec = Math.round(N / ingestWall);
  results[name] = {
    stored,
    ingestPostsPerSec: ingestPerSec,
    pipelinePostsPerSec: Math.round(N / totalWall),
    targetPostsPerSec: target,
    ratioToTarget: Number((ingestPerSec / target).toFixed(2)),
    fractionOfParse: Number((ingestPerSec / (results.parsePostsPerSec as number)).toFixed(3)),
    postToCaseMs: { p50: Math.round(lat[10]!), p95: Math.round(lat[18]!) },
  };
  process.stderr.write(`${name}: ${JSON.stringify(results[name])}\n`);
  await stop();
  await bus.close();
  await database.close();
  rmSync(dir, { recursive: true, force: true });
}
process.stdout.write(`${JSON.stringify(results)}\n`);
