import { and, eq, isNull } from 'drizzle-orm';
import type { AppContext, Signals } from '../context.ts';
import { dueTimes } from '../modules/cases/case-sla.ts';
import { caseEvents, cases } from '../modules/cases/cases.schema.ts';
import { recomputePriority } from '../modules/cases/recompute-priority.ts';
import { recordPrRisk } from '../modules/cases/record-pr-risk.ts';
import type { posts } from '../modules/conversations/conversations.schema.ts';
import { accountLinks, customerAccounts } from '../modules/people/people.schema.ts';
import { chooseAssignee, chooseTeam } from '../modules/routing/route-case.ts';
import { audit, systemActor } from '../platform/audit.ts';

/**
 * Stage 7: a new case gets its queue (routing rules), an assignee (the queue's strategy), its SLA
 * due times and its priority with reasons. Joined cases only get their priority re-derived.
 */
export async function route(
  ctx: AppContext,
  caseId: string,
  created: boolean,
  post: typeof posts.$inferSelect,
  signals: Signals,
  personId: string,
): Promise<void> {
  if (created) {
    const [acct] = await ctx.db
      .select({
        plan: customerAccounts.plan,
        status: customerAccounts.status,
        attributes: customerAccounts.attributes,
      })
      .from(accountLinks)
      .innerJoin(customerAccounts, eq(customerAccounts.id, accountLinks.accountId))
      .where(and(eq(accountLinks.personId, personId), isNull(accountLinks.removedAt)))
      .limit(1);
    const team = await chooseTeam(ctx.db, {
      channel: post.channel,
      topicIds: post.topicIds,
      intent: signals.intent,
      sentiment: signals.sentiment,
      lang: signals.lang,
      text: post.text,
      serviceRecovery: signals.serviceRecovery,
      account: acct ? { ...acct.attributes, plan: acct.plan ?? '', status: acct.status } : null,
    });
    const assigneeId = team.teamId ? await chooseAssignee(ctx.db, team.teamId, team.requiredSkills) : null;
    const times = await dueTimes(ctx.db, team.teamId, post.createdAt);
    await ctx.db
      .update(cases)
      .set({ teamId: team.teamId, assigneeId, tags: team.addTags, ...times })
      .where(eq(cases.id, caseId));
    const data = { teamId: team.teamId, assigneeId, rule: team.rule };
    await ctx.db.insert(caseEvents).values({
      caseId,
      kind: 'event',
      type: 'routed',
      body: team.rule ? `Routed by rule "${team.rule}"` : 'Routed to the default queue',
      data,
    });
    await audit(ctx.db, systemActor, 'case.routed', { type: 'case', id: caseId }, data);
  }
  await recomputePriority(ctx.db, caseId);
  // Influence feeds a separate PR-risk alert, never the queue.
  await recordPrRisk(ctx, caseId, post.id);
}
