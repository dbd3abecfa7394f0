import { and, desc, eq, isNotNull, isNull, lt } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../context.ts';
import { audit } from '../../platform/audit.ts';
import { can } from '../../platform/auth/roles.ts';
import { badRequest, notFound } from '../../platform/errors.ts';
import { actorOf } from '../../platform/http/auth-guard.ts';
import {
  alertSettingsSchema,
  getAlertSettings,
  maskAlertSettings,
  putAlertSettings,
} from './alert-settings.ts';
import { alerts } from './analytics.schema.ts';
import { presentAlert } from './deliver-alert.ts';
import { exportReport, reports } from './export-report.ts';
import { getSummary, type SummaryQuery } from './get-summary.ts';

const DAY_MS = 86_400_000;
const MAX_RANGE_DAYS = 5 * 366;

const timeZone = z
  .string()
  .max(64)
  .default('UTC')
  .refine(
    (tz) => {
      try {
        new Intl.DateTimeFormat('en-US', { timeZone: tz });
        return true;
      } catch {
        return false;
      }
    },
    { message: 'must be an IANA time zone such as Europe/Berlin' },
  );

const rangeQuery = z.object({
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
  tz: timeZone,
  topicId: z.uuid().optional(),
  channel: z.string().min(1).max(64).optional(),
});

/** The range of a report: `to` defaults to now, `from` to seven days before `to`. */
function toRange(q: z.infer<typeof rangeQuery>): SummaryQuery {
  const to = q.to ? new Date(q.to) : new Date();
  const from = q.from ? new Date(q.from) : new Date(to.getTime() - 7 * DAY_MS);
  if (from >= to) throw badRequest('from must be before to', { from: q.from, to: q.to }, 'invalid_range');
  if (to.getTime() - from.getTime() > MAX_RANGE_DAYS * DAY_MS) {
    throw badRequest(
      `The range may span at most ${MAX_RANGE_DAYS} days`,
      { from: q.from, to: q.to },
      'invalid_range',
    );
  }
  return { from, to, tz: q.tz, topicId: q.topicId, channel: q.channel };
}

export async function analyticsRoutes(app: FastifyInstance, ctx: AppContext) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['analytics'];

  r.get(
    '/api/v1/analytics/summary',
    {
      config: { roles: can.read },
      schema: {
        tags,
        summary:
          'Volumes by channel and day, responded, conversations, response rate, first-response time (median, p90), SLA attainment, sentiment mix, outreach, workload, backlog — from rollups',
        querystring: rangeQuery,
      },
    },
    async (req) => getSummary(ctx.db, toRange(req.query)),
  );

  r.get(
    '/api/v1/analytics/export',
    {
      config: { roles: can.read },
      schema: {
        tags,
        summary:
          'Any report as CSV (`report=summary|by-day|by-channel|by-hour|by-topic|workload|backlog|cases`; `cases` is one row per case)',
        querystring: rangeQuery.extend({ report: z.enum(reports).default('summary') }),
      },
    },
    async (req, reply) => {
      const q = toRange(req.query);
      const name = `earshot-${req.query.report}-${q.from.toISOString().slice(0, 10)}-${q.to.toISOString().slice(0, 10)}.csv`;
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="${name}"`)
        .send(exportReport(ctx.db, req.query.report, q));
    },
  );

  r.get(
    '/api/v1/alerts',
    {
      config: { roles: can.read },
      schema: {
        tags,
        summary:
          'Alerts, newest first (spikes, negative-share spikes, viral-risk posts, SLA-breach risk), with links to the posts',
        querystring: z.object({
          status: z.enum(['open', 'acknowledged', 'all']).default('all'),
          kind: z.enum(['spike', 'negative_spike', 'viral_risk', 'sla_risk', 'pr_risk']).optional(),
          before: z.iso.datetime({ offset: true }).optional(),
          limit: z.coerce.number().int().min(1).max(200).default(50),
        }),
      },
    },
    async (req) => {
      const q = req.query;
      const rows = await ctx.db
        .select()
        .from(alerts)
        .where(
          and(
            q.status === 'open'
              ? isNull(alerts.acknowledgedAt)
              : q.status === 'acknowledged'
                ? isNotNull(alerts.acknowledgedAt)
                : undefined,
            q.kind ? eq(alerts.kind, q.kind) : undefined,
            q.before ? lt(alerts.createdAt, new Date(q.before)) : undefined,
          ),
        )
        .orderBy(desc(alerts.createdAt))
        .limit(q.limit);
      return { items: rows.map((a) => presentAlert(ctx, a)) };
    },
  );

  r.get(
    '/api/v1/alerts/:id',
    {
      config: { roles: can.read },
      schema: { tags, summary: 'One alert with links to its posts', params: z.object({ id: z.uuid() }) },
    },
    async (req) => {
      const [a] = await ctx.db.select().from(alerts).where(eq(alerts.id, req.params.id));
      if (!a) throw notFound('Alert');
      return presentAlert(ctx, a);
    },
  );

  r.post(
    '/api/v1/alerts/:id/acknowledge',
    {
      config: { roles: can.work },
      schema: { tags, summary: 'Acknowledge an alert (once; audited)', params: z.object({ id: z.uuid() }) },
    },
    async (req) => {
      const actor = actorOf(req);
      const a = await ctx.db.transaction(async (tx) => {
        const [row] = await tx
          .update(alerts)
          .set({ acknowledgedAt: new Date(), acknowledgedBy: actor.userId })
          .where(and(eq(alerts.id, req.params.id), isNull(alerts.acknowledgedAt)))
          .returning();
        if (row) await audit(tx, actor, 'alert.acknowledged', { type: 'alert', id: row.id });
        return row;
      });
      if (a) {
        ctx.live.emitEvent({ type: 'alert.acknowledged', alertId: a.id });
        return presentAlert(ctx, a);
      }
      const [existing] = await ctx.db.select().from(alerts).where(eq(alerts.id, req.params.id));
      if (!existing) throw notFound('Alert');
      return presentAlert(ctx, existing);
    },
  );

  r.get(
    '/api/v1/settings/alerts',
    {
      config: { roles: can.manage },
      schema: {
        tags,
        summary: 'Alert delivery (e-mail, signed webhooks) and detector thresholds; secrets are masked',
      },
    },
    async () => maskAlertSettings(await getAlertSettings(ctx.db)),
  );

  r.put(
    '/api/v1/settings/alerts',
    {
      config: { roles: can.manage },
      schema: {
        tags,
        summary: 'Change alert delivery and thresholds (audited; send the mask to keep a stored secret)',
        body: alertSettingsSchema,
      },
    },
    async (req) => maskAlertSettings(await putAlertSettings(ctx.db, req.body, actorOf(req))),
  );
}
