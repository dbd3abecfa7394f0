import { and, desc, eq, inArray, sql } from 'drizzle-orm';
import type { AppContext } from '../../context.ts';
import { queryRows } from '../../platform/db/client.ts';
import { posts } from '../conversations/conversations.schema.ts';
import { topics } from '../listening/listening.schema.ts';
import { type AlertSettings, getAlertSettings } from './alert-settings.ts';
import { alertBaselines, alerts, analyticsCursors } from './analytics.schema.ts';
import { raiseAlert } from './raise-alert.ts';
import {
  type Baseline,
  hourOfWeek,
  judgeShare,
  judgeVolume,
  LEVEL_ALPHA,
  observe,
  SEASONAL_ALPHA,
} from './seasonal-baseline.ts';
import { HOUR_MS, hourOf } from './update-rollups.ts';

const CURSOR = 'spikes';
/** Hours folded into the baselines per run (a long imported history catches up over several runs). */
const MAX_HOURS_PER_RUN = 24 * 7 * 26;
/** Older hours update the baselines but never alert (e.g. an imported history). */
const ALERT_WINDOW_MS = 24 * HOUR_MS;

type Obs = { inbound: number; negative: number };
const EMPTY: Baseline = { mean: 0, variance: 0, n: 0 };
const bkey = (topic: string, metric: string, slot: number) => `${topic}\u0000${metric}\u0000${slot}`;

/**
 * Spike detection per topic (and for all mentions): each closed hour's volume is judged against
 * a seasonal baseline per hour of week (EWMA mean and variance; the hourly level while a slot
 * warms up), and its negative share against the topic's usual share; then folded into the
 * baselines (a spike only up to its threshold, so one burst does not teach the baseline). The
 * running hour is judged too, so a burst alerts before the hour ends. Consecutive spike hours are
 * one alert. Returns the ids of alerts raised.
 */
export async function detectSpikes(ctx: AppContext, now = new Date()): Promise<string[]> {
  const s = await getAlertSettings(ctx.db);
  const end = hourOf(now);
  const [cursor] = await ctx.db.select().from(analyticsCursors).where(eq(analyticsCursors.name, CURSOR));
  let start = cursor?.at ?? null;
  if (!start) {
    const [m] = await queryRows<{ min: string | Date | null }>(
      ctx.db,
      sql`SELECT min(hour) AS min FROM rollups_hourly`,
    );
    if (!m?.min) return [];
    start = hourOf(new Date(m.min));
  }
  const stop = new Date(Math.min(end.getTime(), start.getTime() + MAX_HOURS_PER_RUN * HOUR_MS));
  const observed = await readHours(
    ctx,
    start,
    new Date(stop.getTime() + (stop.getTime() === end.getTime() ? HOUR_MS : 0)),
  );

  const base = new Map<string, Baseline>();
  for (const b of await ctx.db.select().from(alertBaselines)) base.set(bkey(b.topicId, b.metric, b.slot), b);
  const changed = new Set<string>();
  const get = (k: string) => base.get(k) ?? EMPTY;
  const put = (k: string, b: Baseline) => {
    base.set(k, b);
    changed.add(k);
  };
  const known = new Set<string>();
  for (const k of base.keys()) known.add(k.split('\u0000')[0]!);
  for (const hour of observed.values()) for (const t of hour.keys()) known.add(t);
  if (!s.spike.overall) known.delete('');

  const raised: string[] = [];
  const judgeHour = async (h: Date, closed: boolean) => {
    const obs = observed.get(h.getTime()) ?? new Map<string, Obs>();
    const recent = h.getTime() >= now.getTime() - ALERT_WINDOW_MS;
    const slot = hourOfWeek(h);
    const spiking = { volume: false, negative: false };
    // Topics first: an overall spike is reported only when no topic explains it.
    for (const topic of [...known].sort((a, b) => (a === '' ? 1 : b === '' ? -1 : a < b ? -1 : 1))) {
      // A quiet hour is an observation too: zero posts.
      const o = obs.get(topic) ?? { inbound: 0, negative: 0 };
      const sk = bkey(topic, 'volume', slot);
      const lk = bkey(topic, 'volume', -1);
      const nk = bkey(topic, 'negshare', -1);
      const v = judgeVolume(o.inbound, get(sk), get(lk), s.spike);
      const n = judgeShare(o.negative, o.inbound, get(nk), s.negative);
      if (recent && v?.spike && (topic !== '' || !spiking.volume)) {
        if (topic !== '') spiking.volume = true;
        const id = await raiseEpisode(ctx, s, 'spike', topic, h, {
          count: o.inbound,
          expected: round(v.expected),
          z: round(v.z),
          baseline: v.basis,
        });
        if (id) raised.push(id);
      }
      if (recent && n?.spike && (topic !== '' || !spiking.negative)) {
        if (topic !== '') spiking.negative = true;
        const id = await raiseEpisode(ctx, s, 'negative_spike', topic, h, {
          negative: o.negative,
          count: o.inbound,
          share: round(n.share),
          expectedShare: round(n.expected),
          z: round(n.z),
        });
        if (id) raised.push(id);
      }
      if (!closed) continue;
      const learnt = v?.spike ? Math.min(o.inbound, v.expected + s.spike.zThreshold * v.sd) : o.inbound;
      put(sk, observe(get(sk), learnt, SEASONAL_ALPHA));
      put(lk, observe(get(lk), learnt, LEVEL_ALPHA));
      if (o.inbound >= 3 && !n?.spike) put(nk, observe(get(nk), o.negative / o.inbound, LEVEL_ALPHA));
    }
  };
  for (let t = start.getTime(); t < stop.getTime(); t += HOUR_MS) await judgeHour(new Date(t), true);
  if (stop.getTime() === end.getTime()) await judgeHour(end, false);

  await saveBaselines(
    ctx,
    [...changed].map((k) => ({ k, b: base.get(k)! })),
  );
  await ctx.db
    .insert(analyticsCursors)
    .values({ name: CURSOR, at: stop })
    .onConflictDoUpdate({ target: analyticsCursors.name, set: { at: stop } });
  return raised;
}

const round = (x: number) => Math.round(x * 100) / 100;

/** Inbound and negative counts per hour and topic (summed over channels) from the rollups. */
async function readHours(ctx: AppContext, from: Date, to: Date): Promise<Map<number, Map<string, Obs>>> {
  const out = new Map<number, Map<string, Obs>>();
  if (to <= from) return out;
  const rows = await queryRows<{
    hour: string | Date;
    topic_id: string;
    inbound: string | number;
    negative: string | number;
  }>(
    ctx.db,
    sql`SELECT hour, topic_id,
               sum(coalesce((counts->>'inbound')::numeric, 0)) AS inbound,
               sum(coalesce((counts->>'sentiment:negative')::numeric, 0)) AS negative
        FROM rollups_hourly WHERE hour >= ${from} AND hour < ${to} GROUP BY hour, topic_id`,
  );
  for (const r of rows) {
    const h = new Date(r.hour).getTime();
    let m = out.get(h);
    if (!m) {
      m = new Map();
      out.set(h, m);
    }
    m.set(r.topic_id, { inbound: Number(r.inbound), negative: Number(r.negative) });
  }
  return out;
}

async function saveBaselines(ctx: AppContext, items: { k: string; b: Baseline }[]) {
  for (let i = 0; i < items.length; i += 500) {
    const values = items.slice(i, i + 500).map(({ k, b }) => {
      const [topicId, metric, slot] = k.split('\u0000');
      return {
        topicId: topicId!,
        metric: metric!,
        slot: Number(slot),
        mean: b.mean,
        variance: b.variance,
        n: b.n,
      };
    });
    await ctx.db
      .insert(alertBaselines)
      .values(values)
      .onConflictDoUpdate({
        target: [alertBaselines.topicId, alertBaselines.metric, alertBaselines.slot],
        set: { mean: sql`excluded.mean`, variance: sql`excluded.variance`, n: sql`excluded.n` },
      });
  }
}

/**
 * One alert per episode: a spike in the hour after the last alerted hour of the same kind and
 * topic extends that alert instead of raising another.
 */
async function raiseEpisode(
  ctx: AppContext,
  s: AlertSettings,
  kind: 'spike' | 'negative_spike',
  topic: string,
  h: Date,
  data: Record<string, unknown>,
): Promise<string | null> {
  const scope = topic || 'all';
  const [prev] = await ctx.db
    .select({ id: alerts.id, data: alerts.data })
    .from(alerts)
    .where(and(eq(alerts.kind, kind), sql`${alerts.data}->>'scope' = ${scope}`))
    .orderBy(desc(alerts.createdAt))
    .limit(1);
  const last = prev ? Date.parse(String(prev.data.lastHour)) : Number.NaN;
  if (prev && (last === h.getTime() || last === h.getTime() - HOUR_MS)) {
    if (last !== h.getTime()) {
      await ctx.db
        .update(alerts)
        .set({ data: { ...prev.data, lastHour: h.toISOString() } })
        .where(eq(alerts.id, prev.id));
    }
    return null;
  }
  const [t] = topic
    ? await ctx.db.select({ name: topics.name }).from(topics).where(eq(topics.id, topic))
    : [];
  const what = topic ? `topic "${t?.name ?? topic}"` : 'all mentions';
  const postIds = await ctx.db
    .select({ id: posts.id })
    .from(posts)
    .where(
      and(
        sql`${posts.createdAt} >= ${h} AND ${posts.createdAt} < ${new Date(h.getTime() + HOUR_MS)}`,
        eq(posts.direction, 'inbound'),
        topic ? sql`${posts.topicIds} @> ARRAY[${topic}]::uuid[]` : undefined,
        kind === 'negative_spike' ? eq(posts.sentiment, 'negative') : undefined,
      ),
    )
    .orderBy(posts.createdAt)
    .limit(20);
  const title =
    kind === 'spike'
      ? `Volume spike on ${what}: ${data.count} posts in the hour from ${h.toISOString().slice(0, 13)}:00Z (usually ${data.expected})`
      : `Negative share spike on ${what}: ${Math.round(Number(data.share) * 100)}% negative (usually ${Math.round(Number(data.expectedShare) * 100)}%)`;
  const z = Number(data.z);
  const r = await raiseAlert(ctx, {
    kind,
    severity:
      z >= 2 * (kind === 'spike' ? s.spike.zThreshold : s.negative.zThreshold) ? 'critical' : 'warning',
    title,
    topicId: topic || null,
    data: { ...data, scope, firstHour: h.toISOString(), lastHour: h.toISOString() },
    postIds: postIds.map((p) => p.id),
    dedupeKey: `${kind}:${scope}:${h.toISOString()}`,
    score: z,
  });
  return r.created ? r.id : null;
}

/** Topic names by id, for presenting alerts. */
export async function topicNames(ctx: AppContext, ids: string[]): Promise<Map<string, string>> {
  if (!ids.length) return new Map();
  const rows = await ctx.db
    .select({ id: topics.id, name: topics.name })
    .from(topics)
    .where(inArray(topics.id, ids));
  return new Map(rows.map((r) => [r.id, r.name]));
}
