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
export const hourOf = (at: Date | number) => new Date(Math.floor(new Date(at).getTime() / HOUR_MS) * HOUR_MS);

type Row = {
  hour: Date;
  channel: string;
  topicId: string;
  counts: Record<string, number>;
  responseHist: Record<string, number>;
  resolutionHist: Record<string, number>;
  responseSecondsSum: number;
};

const merged = (col: string) =>
  `CASE WHEN excluded.${col} = '{}'::jsonb THEN rollups_hourly.${col} ELSE (
    SELECT coalesce(jsonb_object_agg(k, v), '{}'::jsonb) FROM (
      SELECT k, sum(v) AS v FROM (
        SELECT key AS k, value::numeric AS v FROM jsonb_each_text(rollups_hourly.${col})
        UNION ALL SELECT key, value::numeric FROM jsonb_each_text(excluded.${col})
      ) s GROUP BY k
    ) t) END`;

/** The deltas merged per (hour, channel, topic), in key order (so concurrent writers never deadlock). */
function mergeDeltas(deltas: RollupDelta[]): Row[] {
  const rows = new Map<string, Row>();
  for (const d of deltas) {
    const hour = hourOf(d.at);
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

const UPSERT = sql.raw(`ON CONFLICT (hour, channel, topic_id) DO UPDATE SET
  counts = ${merged('counts')},
  response_hist = ${merged('response_hist')},
  resolution_hist = ${merged('resolution_hist')},
  response_seconds_sum = rollups_hourly.response_seconds_sum + excluded.response_seconds_sum`);

function valuesOf(rows: Row[]) {
  return sql.join(
    rows.map(
      (r) =>
        sql`(${r.hour.toISOString()}::timestamptz, ${r.channel}::text, ${r.topicId}::text, ${JSON.stringify(r.counts)}::jsonb, ${JSON.stringify(r.responseHist)}::jsonb, ${JSON.stringify(r.resolutionHist)}::jsonb, ${r.responseSecondsSum}::bigint)`,
    ),
    sql`, `,
  );
}

/** Adds deltas to the hourly rollups in one statement. */
export async function addToRollups(db: Db, deltas: RollupDelta[]): Promise<void> {
  const rows = mergeDeltas(deltas);
  if (!rows.length) return;
  await db.execute(sql`INSERT INTO rollups_hourly (hour, channel, topic_id, counts, response_hist, resolution_hist, response_seconds_sum)
    VALUES ${valuesOf(rows)} ${UPSERT}`);
}

/**
 * Counts an event once: records (`kind`, `ref`) and adds its deltas in one atomic statement, so a
 * redelivered event adds nothing. Returns whether it counted (false: already counted).
 */
export async function countOnce(db: Db, kind: string, ref: string, deltas: RollupDelta[]): Promise<boolean> {
  const rows = mergeDeltas(deltas);
  if (!rows.length) return markCounted(db, kind, ref);
  const res = await queryRows<{ n: number | string }>(
    db,
    sql`WITH marked AS (
          INSERT INTO analytics_counted (kind, ref) VALUES (${kind}, ${ref}) ON CONFLICT DO NOTHING RETURNING 1
        ), added AS (
          INSERT INTO rollups_hourly (hour, channel, topic_id, counts, response_hist, resolution_hist, response_seconds_sum)
          SELECT * FROM (VALUES ${valuesOf(rows)}) AS v(hour, channel, topic_id, counts, response_hist, resolution_hist, response_seconds_sum)
          WHERE EXISTS (SELECT 1 FROM marked)
          ${UPSERT}
          RETURNING 1
        )
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
