import { and, eq, gte, inArray, lt, sql } from 'drizzle-orm';
import type { Db } from '../../platform/db/client.ts';
import { queryRows } from '../../platform/db/client.ts';
import { topics } from '../listening/listening.schema.ts';
import { toLocal } from '../routing/business-hours.ts';
import { teams, users } from '../users/users.schema.ts';
import { rollupsDaily, rollupsHourly } from './analytics.schema.ts';
import { mergeCounts, quantile } from './histogram.ts';
import { DAY_MS, dayOf, hourOf } from './update-rollups.ts';

export type SummaryQuery = {
  from: Date;
  to: Date;
  tz: string;
  topicId?: string | undefined;
  channel?: string | undefined;
};

type Acc = {
  counts: Record<string, number>;
  responseHist: Record<string, number>;
  resolutionHist: Record<string, number>;
  responseSum: number;
};
const acc = (): Acc => ({ counts: {}, responseHist: {}, resolutionHist: {}, responseSum: 0 });

type RollupRow = typeof rollupsHourly.$inferSelect;
const add = (a: Acc, r: Omit<RollupRow, 'hour' | 'topicId'>) => {
  mergeCounts(a.counts, r.counts);
  mergeCounts(a.responseHist, r.responseHist);
  mergeCounts(a.resolutionHist, r.resolutionHist);
  a.responseSum += Number(r.responseSecondsSum);
};

/**
 * The figures of one slice of the rollups. `responseRate` = responded / inbound: the share of
 * customer posts that got a brand response; first-response and resolution times are read from
 * the histograms (nearest rank, within 1 %).
 */
export function presentMetrics(a: Acc) {
  const c = (k: string) => a.counts[k] ?? 0;
  const inbound = c('inbound');
  const responded = c('responded');
  const met = c('slaMet');
  const missed = c('slaMissed');
  const prefixed = (p: string) =>
    Object.fromEntries(
      Object.entries(a.counts)
        .filter(([k]) => k.startsWith(p))
        .map(([k, v]) => [k.slice(p.length), v]),
    );
  return {
    inbound,
    outbound: c('outbound'),
    addressedToBrand: c('addressedToBrand'),
    mentions: c('mentions'),
    actionable: c('actionable'),
    responded,
    conversations: c('conversations'),
    responseRate: inbound ? responded / inbound : 0,
    responseRateAddressed: c('addressedToBrand') ? c('respondedAddressed') / c('addressedToBrand') : 0,
    firstResponseSeconds: {
      median: quantile(a.responseHist, 0.5),
      p90: quantile(a.responseHist, 0.9),
      mean: histMean(a),
    },
    casesOpened: c('casesOpened'),
    resolved: c('resolved'),
    resolutionSeconds: { median: quantile(a.resolutionHist, 0.5), p90: quantile(a.resolutionHist, 0.9) },
    sla: { met, missed, attainment: met + missed ? met / (met + missed) : null },
    sentiment: {
      negative: c('sentiment:negative'),
      neutral: c('sentiment:neutral'),
      positive: c('sentiment:positive'),
      unknown: c('sentiment:unknown'),
    },
    intents: prefixed('intent:'),
    replies: prefixed('replies:'),
    outreach: {
      cases: c('outreachCases'),
      outbound: c('outreachOutbound'),
      replied: c('outreachReplied'),
      conversations: c('outreachConversations'),
    },
  };
}

function histMean(a: Acc): number | null {
  const n = Object.values(a.responseHist).reduce((s, v) => s + Number(v), 0);
  return n ? Math.round(a.responseSum / n) : null;
}

/** `YYYY-MM-DD` of an instant in a time zone. */
function dayIn(t: Date, tz: string): string {
  const l = toLocal(t.getTime(), tz);
  return `${l.y}-${String(l.m).padStart(2, '0')}-${String(l.d).padStart(2, '0')}`;
}

type Slice = {
  start: Date;
  daily: boolean;
  channel: string;
  counts: Record<string, number>;
  responseHist: Record<string, number>;
  resolutionHist: Record<string, number>;
  responseSecondsSum: number;
};

const UTC_ZONES = new Set(['UTC', 'Etc/UTC', 'GMT', 'Etc/GMT', 'Etc/UCT', 'UCT', 'Zulu']);

/** The hourly rollup rows of a range, all channels or one, for a topic ('' = everything). */
export async function readRollups(
  db: Db,
  q: SummaryQuery,
  from = hourOf(q.from),
  to = q.to,
): Promise<RollupRow[]> {
  if (from >= to) return [];
  return db
    .select()
    .from(rollupsHourly)
    .where(
      and(
        eq(rollupsHourly.topicId, q.topicId ?? ''),
        gte(rollupsHourly.hour, from),
        lt(rollupsHourly.hour, to),
        q.channel ? eq(rollupsHourly.channel, q.channel) : undefined,
      ),
    );
}

/**
 * The slices covering a range: daily rows for the whole UTC days inside it (when days are
 * reported in UTC), hourly rows for the hours at either edge (and for every hour otherwise).
 */
function spans(q: SummaryQuery) {
  const from = hourOf(q.from);
  const firstDay = dayOf(from).getTime() === from.getTime() ? from : new Date(dayOf(from).getTime() + DAY_MS);
  const lastDay = dayOf(q.to);
  const useDaily = UTC_ZONES.has(q.tz) && firstDay < lastDay;
  return useDaily
    ? { hourly: [[from, firstDay] as const, [lastDay, q.to] as const], daily: [firstDay, lastDay] as const }
    : { hourly: [[from, q.to] as const], daily: null };
}

async function readSlices(db: Db, q: SummaryQuery): Promise<Slice[]> {
  const { hourly: ranges, daily: dailyRange } = spans(q);
  const useDaily = dailyRange !== null;
  const firstDay = dailyRange?.[0] ?? q.from;
  const lastDay = dailyRange?.[1] ?? q.to;
  const hourly = (await Promise.all(ranges.map(([a, b]) => readRollups(db, q, a, b)))).flat();
  const out: Slice[] = hourly.map((r) => ({ ...r, start: r.hour, daily: false }));
  if (useDaily) {
    const days = await db
      .select()
      .from(rollupsDaily)
      .where(
        and(
          eq(rollupsDaily.topicId, q.topicId ?? ''),
          gte(rollupsDaily.day, firstDay),
          lt(rollupsDaily.day, lastDay),
          q.channel ? eq(rollupsDaily.channel, q.channel) : undefined,
        ),
      );
    for (const d of days) out.push({ ...d, start: d.day, daily: true });
  }
  return out;
}

/**
 * `GET /api/v1/analytics/summary`: volumes by channel and day, responded, conversations, response
 * rate, first-response time, SLA attainment, sentiment mix, intents, outreach (apart), workload
 * per agent and queue, and the current backlog — read from the hourly rollups and the case facts,
 * never from the posts or cases tables. Hours are whole: a range covers the hours it touches.
 */
export async function getSummary(db: Db, q: SummaryQuery) {
  // Independent reads run side by side (PostgreSQL serves them on several pool connections).
  const [rows, byTopic, openNow] = await Promise.all([
    readSlices(db, q),
    q.topicId ? [] : topicBreakdown(db, q),
    backlog(db),
  ]);
  const total = acc();
  const channels = new Map<string, Acc>();
  const days = new Map<string, Acc>();
  for (const r of rows) {
    add(total, r);
    let ch = channels.get(r.channel);
    if (!ch) {
      ch = acc();
      channels.set(r.channel, ch);
    }
    add(ch, r);
    const day = r.daily ? r.start.toISOString().slice(0, 10) : dayIn(r.start, q.tz);
    let d = days.get(day);
    if (!d) {
      d = acc();
      days.set(day, d);
    }
    add(d, r);
  }
  const totals = presentMetrics(total);
  return {
    range: {
      from: q.from.toISOString(),
      to: q.to.toISOString(),
      tz: q.tz,
      topicId: q.topicId ?? null,
      channel: q.channel ?? null,
    },
    totals,
    byChannel: [...channels.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([channel, a]) => ({ channel, ...presentMetrics(a) })),
    byDay: [...days.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([day, a]) => ({ day, ...presentMetrics(a) })),
    byTopic,
    workload: await workload(db, total.counts),
    backlog: openNow,
  };
}

async function topicBreakdown(db: Db, q: SummaryQuery) {
  const { hourly, daily } = spans(q);
  const channel = q.channel ? sql`AND channel = ${q.channel}` : sql``;
  const parts = hourly
    .filter(([a, b]) => a < b)
    .map(
      ([a, b]) =>
        sql`SELECT topic_id, counts FROM rollups_hourly WHERE topic_id <> '' AND hour >= ${a} AND hour < ${b} ${channel}`,
    );
  if (daily)
    parts.push(
      sql`SELECT topic_id, counts FROM rollups_daily WHERE topic_id <> '' AND day >= ${daily[0]} AND day < ${daily[1]} ${channel}`,
    );
  if (!parts.length) return [];
  const rows = await queryRows<{ topic_id: string; inbound: string; negative: string; responded: string }>(
    db,
    sql`SELECT topic_id,
               sum(coalesce((counts->>'inbound')::numeric, 0)) AS inbound,
               sum(coalesce((counts->>'sentiment:negative')::numeric, 0)) AS negative,
               sum(coalesce((counts->>'responded')::numeric, 0)) AS responded
        FROM (${sql.join(parts, sql` UNION ALL `)}) r
        GROUP BY topic_id`,
  );
  const ids = rows.map((r) => r.topic_id).filter((id) => /^[0-9a-f-]{36}$/i.test(id));
  const names = ids.length
    ? await db.select({ id: topics.id, name: topics.name }).from(topics).where(inArray(topics.id, ids))
    : [];
  const name = new Map(names.map((n) => [n.id, n.name]));
  return rows
    .map((r) => ({
      topicId: r.topic_id,
      name: name.get(r.topic_id) ?? null,
      inbound: Number(r.inbound),
      negative: Number(r.negative),
      responded: Number(r.responded),
    }))
    .sort((a, b) => b.inbound - a.inbound);
}

/** Replies and resolutions per agent and queue in the range, with the cases each holds open now. */
async function workload(db: Db, counts: Record<string, number>) {
  const open = await queryRows<{ team_id: string | null; assignee_id: string | null; n: string | number }>(
    db,
    sql`SELECT team_id, assignee_id, count(*) AS n FROM analytics_case_facts WHERE open GROUP BY team_id, assignee_id`,
  );
  const agents = new Map<string, { replies: number; resolved: number; open: number }>();
  const queues = new Map<string, { replies: number; resolved: number; open: number }>();
  const slot = (m: typeof agents, id: string) => {
    let v = m.get(id);
    if (!v) {
      v = { replies: 0, resolved: 0, open: 0 };
      m.set(id, v);
    }
    return v;
  };
  for (const [k, v] of Object.entries(counts)) {
    const [kind, id] = k.split(':');
    if (!id) continue;
    if (kind === 'agentReplies') slot(agents, id).replies += v;
    if (kind === 'agentResolved') slot(agents, id).resolved += v;
    if (kind === 'teamReplies') slot(queues, id).replies += v;
    if (kind === 'teamResolved') slot(queues, id).resolved += v;
  }
  for (const r of open) {
    if (r.assignee_id) slot(agents, r.assignee_id).open += Number(r.n);
    if (r.team_id) slot(queues, r.team_id).open += Number(r.n);
  }
  const userRows = agents.size
    ? await db
        .select({ id: users.id, name: users.name, email: users.email })
        .from(users)
        .where(inArray(users.id, [...agents.keys()]))
    : [];
  const teamRows = queues.size
    ? await db
        .select({ id: teams.id, name: teams.name })
        .from(teams)
        .where(inArray(teams.id, [...queues.keys()]))
    : [];
  const userName = new Map(userRows.map((u) => [u.id, u.name || u.email]));
  const teamName = new Map(teamRows.map((t) => [t.id, t.name]));
  return {
    agents: [...agents.entries()]
      .map(([userId, v]) => ({ userId, name: userName.get(userId) ?? null, ...v }))
      .sort((a, b) => b.replies - a.replies),
    teams: [...queues.entries()]
      .map(([teamId, v]) => ({ teamId, name: teamName.get(teamId) ?? null, ...v }))
      .sort((a, b) => b.replies - a.replies),
  };
}

/** Open cases now: by status and how long they have been open (from the case facts' open-case index). */
export async function backlog(db: Db, now = new Date()) {
  const h = (n: number) => new Date(now.getTime() - n * 3_600_000);
  const [r] = await queryRows<Record<string, string | number | Date | null>>(
    db,
    sql`SELECT count(*) AS open,
               count(*) FILTER (WHERE status = 'new') AS new,
               count(*) FILTER (WHERE status = 'open') AS opened,
               count(*) FILTER (WHERE status = 'pending') AS pending,
               count(*) FILTER (WHERE is_outreach) AS outreach,
               count(*) FILTER (WHERE opened_at > ${h(1)}) AS a1,
               count(*) FILTER (WHERE opened_at <= ${h(1)} AND opened_at > ${h(4)}) AS a4,
               count(*) FILTER (WHERE opened_at <= ${h(4)} AND opened_at > ${h(24)}) AS a24,
               count(*) FILTER (WHERE opened_at <= ${h(24)} AND opened_at > ${h(72)}) AS a72,
               count(*) FILTER (WHERE opened_at <= ${h(72)}) AS older,
               min(opened_at) AS oldest
        FROM analytics_case_facts WHERE open`,
  );
  const n = (k: string) => Number(r?.[k] ?? 0);
  const oldest = r?.oldest ? new Date(r.oldest as string) : null;
  return {
    open: n('open'),
    byStatus: { new: n('new'), open: n('opened'), pending: n('pending') },
    outreach: n('outreach'),
    age: {
      under1h: n('a1'),
      from1to4h: n('a4'),
      from4to24h: n('a24'),
      from1to3d: n('a72'),
      over3d: n('older'),
    },
    oldestOpenedAt: oldest?.toISOString() ?? null,
    oldestAgeSeconds: oldest ? Math.max(0, Math.round((now.getTime() - oldest.getTime()) / 1000)) : null,
  };
}
