import { Readable } from 'node:stream';
import { and, asc, eq, gt, gte, lt, or, sql } from 'drizzle-orm';
import type { Db } from '../../platform/db/client.ts';
import { cases } from '../cases/cases.schema.ts';
import { teams, users } from '../users/users.schema.ts';
import { getSummary, presentMetrics, readRollups, type SummaryQuery } from './get-summary.ts';
import { mergeCounts } from './histogram.ts';

export const reports = [
  'summary',
  'by-day',
  'by-channel',
  'by-hour',
  'by-topic',
  'workload',
  'backlog',
  'cases',
] as const;
export type Report = (typeof reports)[number];

/** One CSV cell: quoted when needed; text that a spreadsheet would run as a formula is defused. */
export function csvCell(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') return Number.isFinite(v) ? String(Math.round(v * 10_000) / 10_000) : '';
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  let s = v instanceof Date ? v.toISOString() : String(v);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}
const line = (cells: unknown[]) => `${cells.map(csvCell).join(',')}\r\n`;

type Metrics = ReturnType<typeof presentMetrics>;
const METRIC_COLUMNS = [
  'inbound',
  'outbound',
  'addressedToBrand',
  'mentions',
  'actionable',
  'responded',
  'conversations',
  'responseRate',
  'firstResponseMedianSeconds',
  'firstResponseP90Seconds',
  'casesOpened',
  'resolved',
  'resolutionMedianSeconds',
  'slaMet',
  'slaMissed',
  'slaAttainment',
  'negative',
  'neutral',
  'positive',
  'outreachCases',
  'outreachOutbound',
];
const metricCells = (m: Metrics) => [
  m.inbound,
  m.outbound,
  m.addressedToBrand,
  m.mentions,
  m.actionable,
  m.responded,
  m.conversations,
  m.responseRate,
  m.firstResponseSeconds.median,
  m.firstResponseSeconds.p90,
  m.casesOpened,
  m.resolved,
  m.resolutionSeconds.median,
  m.sla.met,
  m.sla.missed,
  m.sla.attainment,
  m.sentiment.negative,
  m.sentiment.neutral,
  m.sentiment.positive,
  m.outreach.cases,
  m.outreach.outbound,
];

/** A report as CSV (header first, CRLF lines), streamed: `cases` pages through one row per case. */
export function exportReport(db: Db, report: Report, q: SummaryQuery): Readable {
  return Readable.from(generate(db, report, q), { objectMode: false });
}

async function* generate(db: Db, report: Report, q: SummaryQuery): AsyncGenerator<string> {
  if (report === 'cases') {
    yield* caseRows(db, q);
    return;
  }
  if (report === 'by-hour') {
    const rows = (await readRollups(db, q)).sort(
      (a, b) => a.hour.getTime() - b.hour.getTime() || a.channel.localeCompare(b.channel),
    );
    yield line(['hour', 'channel', ...METRIC_COLUMNS]);
    for (const r of rows) {
      const m = presentMetrics({
        counts: mergeCounts({}, r.counts),
        responseHist: r.responseHist,
        resolutionHist: r.resolutionHist,
        responseSum: r.responseSecondsSum,
      });
      yield line([r.hour, r.channel, ...metricCells(m)]);
    }
    return;
  }
  const s = await getSummary(db, q);
  switch (report) {
    case 'summary':
      yield line(['from', 'to', ...METRIC_COLUMNS]);
      yield line([s.range.from, s.range.to, ...metricCells(s.totals)]);
      return;
    case 'by-day':
      yield line(['day', ...METRIC_COLUMNS]);
      for (const d of s.byDay) yield line([d.day, ...metricCells(d)]);
      return;
    case 'by-channel':
      yield line(['channel', ...METRIC_COLUMNS]);
      for (const c of s.byChannel) yield line([c.channel, ...metricCells(c)]);
      return;
    case 'by-topic':
      yield line(['topicId', 'name', 'inbound', 'negative', 'responded']);
      for (const t of s.byTopic) yield line([t.topicId, t.name, t.inbound, t.negative, t.responded]);
      return;
    case 'workload':
      yield line(['kind', 'id', 'name', 'replies', 'resolved', 'open']);
      for (const a of s.workload.agents)
        yield line(['agent', a.userId, a.name, a.replies, a.resolved, a.open]);
      for (const t of s.workload.teams)
        yield line(['queue', t.teamId, t.name, t.replies, t.resolved, t.open]);
      return;
    case 'backlog': {
      const b = s.backlog;
      yield line([
        'open',
        'new',
        'openStatus',
        'pending',
        'outreach',
        'under1h',
        'from1to4h',
        'from4to24h',
        'from1to3d',
        'over3d',
        'oldestOpenedAt',
      ]);
      yield line([
        b.open,
        b.byStatus.new,
        b.byStatus.open,
        b.byStatus.pending,
        b.outreach,
        b.age.under1h,
        b.age.from1to4h,
        b.age.from4to24h,
        b.age.from1to3d,
        b.age.over3d,
        b.oldestOpenedAt,
      ]);
      return;
    }
  }
}

const CASE_COLUMNS = [
  'id',
  'number',
  'status',
  'channel',
  'queue',
  'assignee',
  'subject',
  'intent',
  'sentiment',
  'isOutreach',
  'serviceRecovery',
  'inboundCount',
  'outboundCount',
  'firstInboundAt',
  'firstResponseAt',
  'firstResponseSeconds',
  'firstResponseDueAt',
  'slaMet',
  'resolvedAt',
  'resolutionSeconds',
  'createdAt',
];

/** One row per case created in the range, in creation order, fetched a page at a time. */
async function* caseRows(db: Db, q: SummaryQuery): AsyncGenerator<string> {
  yield line(CASE_COLUMNS);
  let after: { at: Date; id: string } | null = null;
  for (;;) {
    const page: {
      c: typeof cases.$inferSelect;
      team: string | null;
      assignee: string | null;
    }[] = await db
      .select({ c: cases, team: teams.name, assignee: users.email })
      .from(cases)
      .leftJoin(teams, eq(teams.id, cases.teamId))
      .leftJoin(users, eq(users.id, cases.assigneeId))
      .where(
        and(
          gte(cases.createdAt, q.from),
          lt(cases.createdAt, q.to),
          q.channel ? eq(cases.channel, q.channel) : undefined,
          q.topicId ? sql`${cases.topicIds} @> ARRAY[${q.topicId}]::uuid[]` : undefined,
          after
            ? or(gt(cases.createdAt, after.at), and(eq(cases.createdAt, after.at), gt(cases.id, after.id)))
            : undefined,
        ),
      )
      .orderBy(asc(cases.createdAt), asc(cases.id))
      .limit(1000);
    for (const { c, team, assignee } of page) {
      const opened = c.firstInboundAt ?? c.createdAt;
      const secs = (a: Date | null, b: Date | null) =>
        a && b ? Math.max(0, Math.round((b.getTime() - a.getTime()) / 1000)) : null;
      yield line([
        c.id,
        c.number,
        c.status,
        c.channel,
        team,
        assignee,
        c.subject,
        c.intent,
        c.sentiment,
        c.isOutreach,
        c.serviceRecovery,
        c.inboundCount,
        c.outboundCount,
        c.firstInboundAt,
        c.firstResponseAt,
        secs(opened, c.firstResponseAt),
        c.firstResponseDueAt,
        c.firstResponseAt ? !c.firstResponseDueAt || c.firstResponseAt <= c.firstResponseDueAt : null,
        c.resolvedAt,
        secs(opened, c.resolvedAt),
        c.createdAt,
      ]);
    }
    if (page.length < 1000) return;
    const last = page[page.length - 1]!.c;
    after = { at: last.createdAt, id: last.id };
  }
}
