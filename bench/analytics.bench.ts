// Analytics benchmark: `npx tsx bench/analytics.bench.ts [--posts N] [--runs K]`.
// Generates N posts over 90 days (half the customer posts answered by a brand reply) on the
// embedded default (PGlite in memory) and, with DATABASE_URL, on PostgreSQL; builds the hourly
// rollups from them with the same code the bus handlers use; then times the summary
// (`GET /api/v1/analytics/summary`) read from the rollups against the same figures computed by
// scanning the raw posts table, for a 7-day and a 90-day range. Reports medians and the ratio
// raw / rollups (how many times faster the rollups are), and checks both agree on the counts.
// Progress goes to stderr; the last line is one JSON object.
import { parseArgs } from 'node:util';
import { getSummary } from '../src/server/modules/analytics/get-summary.ts';
import { addToRollups, type RollupDelta } from '../src/server/modules/analytics/update-rollups.ts';
import { type Database, openDatabase, queryRows, sql } from '../src/server/platform/db/client.ts';
import { migrate } from '../src/server/platform/db/migrate.ts';

const { values } = parseArgs({ options: { posts: { type: 'string' }, runs: { type: 'string' } } });
const N = Number(values.posts ?? 200_000);
const RUNS = Number(values.runs ?? 7);
if (!Number.isInteger(N) || N < 1000) {
  process.stderr.write(`analytics bench: --posts must be an integer ≥ 1000 (got ${values.posts})\n`);
  process.exit(2);
}
const DAY = 86_400_000;
const END = new Date(Math.floor(Date.now() / DAY) * DAY);
const START = new Date(END.getTime() - 90 * DAY);
const say = (s: string) => process.stderr.write(`${s}\n`);

async function generate(db: Database['db']) {
  await db.execute(sql`INSERT INTO identities (channel, external_id, handle)
    SELECT 'x', 'bench-' || g, 'user' || g FROM generate_series(1, 1000) g`);
  const customers = Math.round(N / 1.5);
  // Customer posts spread over the 90 days; every other one answered 1 min – 4 h later.
  await db.execute(sql`INSERT INTO posts (channel, external_id, identity_id, direction, to_brand, text, created_at, sentiment, processed_at)
    SELECT (ARRAY['x','bluesky','email'])[1 + g % 3], 'c' || g,
           ids.a[1 + g % 1000],
           'inbound', g % 4 <> 0, 'customer post ' || g,
           ${START}::timestamptz + (g::float8 / ${customers}) * interval '90 days',
           (ARRAY['negative','neutral','positive'])[1 + g % 3], now()
    FROM generate_series(1, ${customers}) g, (SELECT array_agg(id) AS a FROM identities) ids`);
  await db.execute(sql`INSERT INTO posts (channel, external_id, identity_id, direction, text, created_at, in_reply_to, processed_at)
    SELECT p.channel, 'r' || p.external_id, p.identity_id, 'outbound', 'brand reply',
           p.created_at + (60 + (hashtext(p.external_id) & 16383)) * interval '1 second', p.external_id, now()
    FROM posts p WHERE p.direction = 'inbound' AND (substr(p.external_id, 2)::int % 2) = 0`);
}

/** The rollups the bus handlers would have written for these posts (same deltas, same upsert). */
async function buildRollups(db: Database['db']) {
  let after = '';
  for (;;) {
    const rows = await queryRows<{
      external_id: string;
      channel: string;
      direction: string;
      to_brand: boolean;
      created_at: string | Date;
      sentiment: string | null;
      seconds: number | null;
    }>(
      db,
      sql`SELECT p.external_id, p.channel, p.direction, p.to_brand, p.created_at, p.sentiment,
                 extract(epoch FROM (SELECT min(r.created_at) FROM posts r WHERE r.channel = p.channel AND r.in_reply_to = p.external_id AND r.direction = 'outbound') - p.created_at)::float8 AS seconds
          FROM posts p WHERE p.external_id > ${after} ORDER BY p.external_id LIMIT 20000`,
    );
    if (!rows.length) return;
    const deltas: RollupDelta[] = [];
    for (const r of rows) {
      const at = new Date(r.created_at);
      if (r.direction === 'outbound')
        deltas.push({ at, channel: r.channel, topicIds: [], counts: { outbound: 1 } });
      else {
        deltas.push({
          at,
          channel: r.channel,
          topicIds: [],
          counts: {
            inbound: 1,
            [r.to_brand ? 'addressedToBrand' : 'mentions']: 1,
            [`sentiment:${r.sentiment}`]: 1,
          },
        });
        if (r.seconds !== null)
          deltas.push({
            at,
            channel: r.channel,
            topicIds: [],
            counts: { responded: 1 },
            responseSeconds: r.seconds,
          });
      }
    }
    await addToRollups(db, deltas);
    after = rows[rows.length - 1]!.external_id;
  }
}

/** The same report without rollups: what every request would cost scanning raw posts. */
function rawSummary(db: Database['db'], from: Date, to: Date) {
  return queryRows<Record<string, unknown>>(
    db,
    sql`SELECT p.channel, date_trunc('day', p.created_at) AS day,
               count(*) FILTER (WHERE p.direction = 'inbound') AS inbound,
               count(*) FILTER (WHERE p.direction = 'outbound') AS outbound,
               count(*) FILTER (WHERE p.to_brand) AS addressed,
               count(r.at) AS responded,
               count(*) FILTER (WHERE p.sentiment = 'negative') AS negative,
               percentile_disc(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM r.at - p.created_at)) AS median,
               percentile_disc(0.9) WITHIN GROUP (ORDER BY extract(epoch FROM r.at - p.created_at)) AS p90
        FROM posts p
        LEFT JOIN LATERAL (SELECT min(x.created_at) AS at FROM posts x
                           WHERE p.direction = 'inbound' AND x.channel = p.channel AND x.in_reply_to = p.external_id AND x.direction = 'outbound') r ON true
        WHERE p.created_at >= ${from} AND p.created_at < ${to}
        GROUP BY 1, 2`,
  );
}

async function median(fn: () => Promise<unknown>): Promise<number> {
  const times: number[] = [];
  await fn(); // warm-up
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now();
    await fn();
    times.push(performance.now() - t);
  }
  return times.sort((a, b) => a - b)[Math.floor(times.length / 2)]!;
}

async function run(name: string, database: Database) {
  const db = database.db;
  await migrate(db);
  let t = performance.now();
  await generate(db);
  const [{ n }] = (await queryRows<{ n: string }>(db, sql`SELECT count(*) AS n FROM posts`)) as [
    { n: string },
  ];
  say(`${name}: ${n} posts generated in ${Math.round(performance.now() - t)} ms`);
  t = performance.now();
  await buildRollups(db);
  say(`${name}: rollups built in ${Math.round(performance.now() - t)} ms`);
  const out: Record<string, unknown> = { posts: Number(n) };
  for (const days of [7, 90]) {
    const from = new Date(END.getTime() - days * DAY);
    const q = { from, to: END, tz: 'UTC' };
    const s = await getSummary(db, q);
    const raw = await rawSummary(db, from, END);
    const rawInbound = raw.reduce((a, r) => a + Number(r.inbound), 0);
    const rawResponded = raw.reduce((a, r) => a + Number(r.responded), 0);
    if (rawInbound !== s.totals.inbound || rawResponded !== s.totals.responded) {
      throw new Error(
        `${name} ${days}d: rollups (${s.totals.inbound}, ${s.totals.responded}) and raw scan (${rawInbound}, ${rawResponded}) disagree`,
      );
    }
    const rollupMs = await median(() => getSummary(db, q));
    const rawMs = await median(() => rawSummary(db, from, END));
    out[`${days}d`] = {
      inbound: s.totals.inbound,
      rollupMs: round(rollupMs),
      rawScanMs: round(rawMs),
      speedup: round(rawMs / rollupMs),
    };
    say(
      `${name} ${days}-day summary: rollups ${round(rollupMs)} ms, raw scan ${round(rawMs)} ms → ${round(rawMs / rollupMs)}× faster`,
    );
  }
  await database.close();
  return out;
}

const round = (x: number) => Math.round(x * 100) / 100;
const results: Record<string, unknown> = { bench: 'analytics', posts: N, runs: RUNS };
results.pglite = await run('pglite', await openDatabase({ kind: 'pglite-memory' }));
if (process.env.DATABASE_URL) {
  const admin = await openDatabase({ kind: 'postgres', url: process.env.DATABASE_URL, poolSize: 1 });
  const name = `earshot_bench_analytics_${process.pid}`;
  await admin.db.execute(sql.raw(`CREATE DATABASE ${name}`));
  try {
    const url = new URL(process.env.DATABASE_URL);
    url.pathname = `/${name}`;
    results.postgres = await run('postgres', await openDatabase({ kind: 'postgres', url: url.toString() }));
  } finally {
    await admin.db.execute(sql.raw(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    await admin.close();
  }
}
process.stdout.write(`${JSON.stringify(results)}\n`);
