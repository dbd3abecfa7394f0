import { eq } from 'drizzle-orm';
import type { AppContext } from '../../context.ts';
import { alerts } from '../analytics/analytics.schema.ts';
import { cases } from './cases.schema.ts';
import { getPriorityPolicy } from './priority-policy.ts';

/**
 * The PR-risk hook: when a case's author reaches at least the policy's follower threshold, an
 * alert (kind `pr_risk`, once per case) tells communications people. It never touches the
 * queue order — influence is PR, not service.
 */
export async function recordPrRisk(ctx: AppContext, caseId: string, postId?: string): Promise<boolean> {
  const [c] = await ctx.db
    .select({
      id: cases.id,
      number: cases.number,
      followers: cases.maxFollowers,
      preview: cases.preview,
      channel: cases.channel,
    })
    .from(cases)
    .where(eq(cases.id, caseId));
  if (!c?.followers) return false;
  const policy = await getPriorityPolicy(ctx.db);
  if (c.followers < policy.prRiskFollowerThreshold) return false;
  const dedupeKey = `pr_risk:${caseId}`;
  const [a] = await ctx.db
    .insert(alerts)
    .values({
      kind: 'pr_risk',
      severity: c.followers >= policy.prRiskFollowerThreshold * 10 ? 'critical' : 'warning',
      title: `High-reach author on case #${c.number} (${c.followers.toLocaleString('en-US')} followers on ${c.channel})`,
      data: {
        caseId,
        followers: c.followers,
        threshold: policy.prRiskFollowerThreshold,
        preview: c.preview.slice(0, 280),
      },
      postIds: postId ? [postId] : [],
      dedupeKey,
      score: c.followers,
    })
    .onConflictDoNothing()
    .returning({ id: alerts.id });
  if (!a) return false;
  ctx.live.emitEvent({ type: 'alert', kind: 'pr_risk', alertId: a.id, caseId });
  return true;
}
