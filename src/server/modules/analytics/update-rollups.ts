import { sql } from 'drizzle-orm';
import type { Db } from '../../platform/db/client.ts';
import { queryRows } from '../../platform/db/client.ts';
import { analyticsCounted } from './analytics.schema.ts';
import { bucketOf, mergeCounts } from './histogram.ts';

/** What one event adds to the hourly rollups of a channel, overall ('') and per topic. */
export type RollupDelta = {
  at: Date;
  channel: string;
  topicIds: readonly string[];
  counts?: Record<string, number>;
  /** A first-response time in seconds (one histogram sample). */
  responseSeconds?: number;
  /** A resolution time in seconds (one histogram sample). */
  resolutionSeconds?: number;
};

export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;
export const hourOf = (at: Date | number) => new Date(Math.floor(new Date(at).getTime() / HOUR_MS) * HOUR_MS);
/** The UTC day an instant falls in. */
export const dayOf = (at: Date | number) => new Date(Math.floor(new Date(at).getTime() / DAY_MS) * DAY_MS);

type Row = {
  hour: Date;
  channel: string;
  topicId: string;
  counts: Record<string, number>;
  responseHist: Record<string, number>;
  resolutionHist: Record<string, number>;
  responseSecondsSum: number;
};

type Table = 'rollups_hourly' | 'rollups_daily';

const merged = (table: Table, col: string) =>
  `CASE WHEN excluded.${col} = '{}'::jsonb THEN ${table}.${col} ELSE (
    SELECT coalesce(jsonb_object_agg(k, v), '{}'::jsonb) FROM (
      SELECT k, sum(v) AS v FROM (
        SELECT key AS k, value::numeric AS v FROM jsonb_each_text(${table}.${col})
        UNION ALL SELECT key, value::numeric FROM jsonb_each_text(excluded.${col})
      ) s GROUP BY k
    ) t) END`;

/** The deltas merged per (period, channel, topic), in key order (so concurrent writers never deadlock). */
function mergeDeltas(deltas: RollupDelta[], periodOf: (at: Date) => Date): Row[] {
  const rows = new Map<string, Row>();
  for (const d of deltas) {
    const hour = periodOf(d.at);
    for (const topicId of new Set(['', ...d.topicIds])) {
      const key = `${hour.toISOString()}\u0000${d.channel}\u0000${topicId}`;
      let r = rows.get(key);
      if (!r) {
        r = {
          hour,
          channel: d.channel,
          topicId,
          counts: {},
          responseHist: {},
          resolutionHist: {},
          responseSecondsSum: 0,
        };
        rows.set(key, r);
      }
      mergeCounts(r.counts, d.counts);
      if (d.responseSeconds !== undefined) {
        mergeCounts(r.responseHist, { [bucketOf(d.responseSeconds)]: 1 });
        r.responseSecondsSum += Math.max(0, Math.round(d.responseSeconds));
      }
      if (d.resolutionSeconds !== undefined)
        mergeCounts(r.resolutionHist, { [bucketOf(d.resolutionSeconds)]: 1 });
    }
  }
  return [...rows.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, r]) => r);
}

const upsert = (table: Table) =>
  sql.raw(`ON CONFLICT (${table === 'rollups_hourly' ? 'hour' : 'day'}, channel, topic_id) DO UPDATE SET
  counts = ${merged(table, 'counts')},
  response_hist = ${merged(table, 'response_hist')},
  resolution_hist = ${merged(table, 'resolution_hist')},
  response_seconds_sum = ${table}.response_seconds_sum + excluded.response_seconds_sum`);

function valuesOf(rows: Row[]) {
  return sql.join(
    rows.map(
      (r) =>
        sql`(${r.hour.toISOString()}::timestamptz, ${r.channel}::text, ${r.topicId}::text, ${JSON.stringify(r.counts)}::jsonb, ${JSON.stringify(r.responseHist)}::jsonb, ${JSON.stringify(r.resolutionHist)}::jsonb, ${r.responseSecondsSum}::bigint)`,
    ),
    sql`, `,
  );
}

const COLUMNS = sql.raw('counts, response_hist, resolution_hist, response_seconds_sum');

/**
 * The statement parts that add deltas to the hourly and the daily rollups; `guard` (a CTE name)
 * makes both conditional on that CTE having returned a row.
 */
function writes(deltas: RollupDelta[], guard?: string) {
  const hourly = mergeDeltas(deltas, hourOf);
  const daily = mergeDeltas(deltas, dayOf);
  const where = guard ? sql.raw(`WHERE EXISTS (SELECT 1 FROM ${guard})`) : sql``;
  return {
    empty: hourly.length === 0,
    hourly: sql`INSERT INTO rollups_hourly (hour, channel, topic_id, ${COLUMNS})
      SELECT * FROM (VALUES ${valuesOf(hourly)}) AS v(hour, channel, topic_id, ${COLUMNS}) ${where}
      ${upsert('rollups_hourly')} RETURNING 1`,
    daily: sql`INSERT INTO rollups_daily (day, channel, topic_id, ${COLUMNS})
      SELECT * FROM (VALUES ${valuesOf(daily)}) AS v(day, channel, topic_id, ${COLUMNS}) ${where}
      ${upsert('rollups_daily')}`,
  };
}

/** Adds deltas to the hourly and daily rollups in one statement. */
export async function addToRollups(db: Db, deltas: RollupDelta[]): Promise<void> {
  const w = writes(deltas);
  if (w.empty) return;
  await db.execute(sql`WITH hourly AS (${w.hourly}) ${w.daily}`);
}

/**
 * Counts an event once: records (`kind`, `ref`) and adds its deltas in one atomic statement, so a
 * redelivered event adds nothing. Returns whether it counted (false: already counted).
 */
export async function countOnce(db: Db, kind: string, ref: string, deltas: RollupDelta[]): Promise<boolean> {
  const w = writes(deltas, 'marked');
  if (w.empty) return markCounted(db, kind, ref);
  const res = await queryRows<{ n: number | string }>(
    db,
    sql`WITH marked AS (
          INSERT INTO analytics_counted (kind, ref) VALUES (${kind}, ${ref}) ON CONFLICT DO NOTHING RETURNING 1
        ), hourly AS (${w.hourly}), daily AS (${w.daily} RETURNING 1)
        SELECT (SELECT count(*) FROM marked) AS n`,
  );
  return Number(res[0]?.n ?? 0) > 0;
}

/** Records that an event was counted; false when it already was (a redelivery). */
export async function markCounted(db: Db, kind: string, ref: string): Promise<boolean> {
  const rows = await db
    .insert(analyticsCounted)
    .values({ kind, ref })
    .onConflictDoNothing()
    .returning({ ref: analyticsCounted.ref });
  return rows.length > 0;
}
