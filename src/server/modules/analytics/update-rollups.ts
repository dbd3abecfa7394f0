import { sql } from 'drizzle-orm';
import type { Db } from '../../platform/db/client.ts';
import { analyticsCounted, rollupsHourly } from './analytics.schema.ts';
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
  sql.raw(`CASE WHEN excluded.${col} = '{}'::jsonb THEN rollups_hourly.${col} ELSE (
    SELECT coalesce(jsonb_object_agg(k, v), '{}'::jsonb) FROM (
      SELECT k, sum(v) AS v FROM (
        SELECT key AS k, value::numeric AS v FROM jsonb_each_text(rollups_hourly.${col})
        UNION ALL SELECT key, value::numeric FROM jsonb_each_text(excluded.${col})
      ) s GROUP BY k
    ) t) END`);

/**
 * Adds deltas to the hourly rollups in one statement: rows are merged per (hour, channel, topic)
 * first and written in key order, so concurrent writers never deadlock. Call it inside the
 * transaction that marks the event counted (`markCounted`).
 */
export async function addToRollups(db: Db, deltas: RollupDelta[]): Promise<void> {
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
  if (!rows.size) return;
  const values = [...rows.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, r]) => r);
  await db
    .insert(rollupsHourly)
    .values(values)
    .onConflictDoUpdate({
      target: [rollupsHourly.hour, rollupsHourly.channel, rollupsHourly.topicId],
      set: {
        counts: merged('counts'),
        responseHist: merged('response_hist'),
        resolutionHist: merged('resolution_hist'),
        responseSecondsSum: sql.raw('rollups_hourly.response_seconds_sum + excluded.response_seconds_sum'),
      },
    });
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
