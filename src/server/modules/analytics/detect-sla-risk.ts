import { and, asc, eq, inArray, isNotNull, sql } from 'drizzle-orm';
import type { AppContext } from '../../context.ts';
import { caseEvents, cases } from '../cases/cases.schema.ts';
import { getAlertSettings } from './alert-settings.ts';
import { raiseAlert } from './raise-alert.ts';

/** Cases due more than this long ago are history (e.g. an import), not a risk to warn about. */
const STALE_MS = 60 * 60_000;

/**
 * SLA-breach risk: open cases waiting for the brand whose next SLA deadline falls within the
 * warning window (or passed within the last hour). One alert per case and deadline, linking the
 * customer's posts. The alert only informs: the queue already orders cases by that deadline.
 */
export async function detectSlaRisk(ctx: AppContext, now = new Date()): Promise<string[]> {
  const s = await getAlertSettings(ctx.db);
  if (!s.sla.enabled) return [];
  const until = new Date(now.getTime() + s.sla.warnBeforeMinutes * 60_000);
  const since = new Date(now.getTime() - STALE_MS);
  const due = await ctx.db
    .select({
      id: cases.id,
      number: cases.number,
      dueAt: cases.dueAt,
      subject: cases.subject,
      teamId: cases.teamId,
    })
    .from(cases)
    .where(
      and(
        inArray(cases.status, ['new', 'open']),
        isNotNull(cases.dueAt),
        sql`${cases.dueAt} <= ${until} AND ${cases.dueAt} >= ${since}`,
        eq(cases.isOutreach, false),
      ),
    )
    .orderBy(asc(cases.dueAt))
    .limit(50);
  const raised: string[] = [];
  for (const c of due) {
    const breached = c.dueAt!.getTime() <= now.getTime();
    const postIds = await ctx.db
      .select({ id: caseEvents.postId })
      .from(caseEvents)
      .where(and(eq(caseEvents.caseId, c.id), eq(caseEvents.kind, 'inbound'), isNotNull(caseEvents.postId)))
      .limit(10);
    const minutes = Math.round((c.dueAt!.getTime() - now.getTime()) / 60_000);
    const r = await raiseAlert(ctx, {
      kind: 'sla_risk',
      severity: breached ? 'critical' : 'warning',
      title: breached
        ? `Case #${c.number} missed its SLA deadline: ${c.subject.slice(0, 80)}`
        : `Case #${c.number} is due in ${minutes} min: ${c.subject.slice(0, 80)}`,
      data: { caseId: c.id, caseNumber: c.number, dueAt: c.dueAt!.toISOString(), teamId: c.teamId, breached },
      postIds: postIds.map((p) => p.id!).filter(Boolean),
      dedupeKey: `sla_risk:${c.id}:${c.dueAt!.toISOString()}`,
    });
    if (r.created) raised.push(r.id);
  }
  return raised;
}
