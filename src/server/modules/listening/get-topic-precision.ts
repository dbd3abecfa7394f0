import { sql } from 'drizzle-orm';
import { type Db, queryRows } from '../../platform/db/client.ts';
import { getTopicRow } from './manage-topics.ts';

export type PrecisionPoint = { day: string; matches: number; dismissed: number; precision: number | null };
export type TopicPrecision = {
  topicId: string;
  from: string;
  to: string;
  matches: number;
  dismissed: number;
  /** Share of matches agents did not dismiss as not relevant; null without matches. */
  precision: number | null;
  byDay: PrecisionPoint[];
};

const ratio = (matches: number, dismissed: number) => (matches ? (matches - dismissed) / matches : null);

/** A topic's precision per UTC day over the last `days` days (days without matches included). */
export async function getTopicPrecision(db: Db, topicId: string, days = 30): Promise<TopicPrecision> {
  await getTopicRow(db, topicId);
  const to = new Date();
  const from = new Date(Date.UTC(to.getUTCFullYear(), to.getUTCMonth(), to.getUTCDate() - (days - 1)));
  const matched = await queryRows<{ day: string; n: string }>(
    db,
    sql`SELECT to_char(ingested_at AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day, count(*)::text AS n
        FROM posts WHERE ${topicId}::uuid = ANY(topic_ids) AND ingested_at >= ${from.toISOString()}
        GROUP BY 1`,
  );
  const dismissed = await queryRows<{ day: string; n: string }>(
    db,
    sql`SELECT to_char(matched_at AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day, count(*)::text AS n
        FROM topic_matches WHERE topic_id = ${topicId} AND dismissed_at IS NOT NULL
          AND matched_at >= ${from.toISOString()}
        GROUP BY 1`,
  );
  const m = new Map(matched.map((r) => [r.day, Number(r.n)]));
  const d = new Map(dismissed.map((r) => [r.day, Number(r.n)]));
  const byDay: PrecisionPoint[] = [];
  let totalM = 0;
  let totalD = 0;
  for (let k = 0; k < days; k++) {
    const day = new Date(from.getTime() + k * 86_400_000).toISOString().slice(0, 10);
    const matches = m.get(day) ?? 0;
    const dis = Math.min(d.get(day) ?? 0, matches);
    totalM += matches;
    totalD += dis;
    byDay.push({ day, matches, dismissed: dis, precision: ratio(matches, dis) });
  }
  return {
    topicId,
    from: from.toISOString(),
    to: to.toISOString(),
    matches: totalM,
    dismissed: totalD,
    precision: ratio(totalM, totalD),
    byDay,
  };
}
