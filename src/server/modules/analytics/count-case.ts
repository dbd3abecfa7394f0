import { eq, sql } from 'drizzle-orm';
import type { Db } from '../../platform/db/client.ts';
import { slaOf } from '../cases/case-sla.ts';
import { cases } from '../cases/cases.schema.ts';
import { businessSecondsBetween } from '../routing/business-hours.ts';
import { analyticsCaseFacts } from './analytics.schema.ts';
import { addToRollups, markCounted } from './update-rollups.ts';

type Facts = typeof analyticsCaseFacts.$inferSelect;
const OPEN = new Set(['new', 'open', 'pending']);

/**
 * The case's facts row, created (and the case counted as opened, or as outreach) the first time
 * an event names the case. Locks the row for the rest of the transaction.
 */
export async function ensureCaseFacts(tx: Db, caseId: string): Promise<Facts | null> {
  const [existing] = await tx
    .select()
    .from(analyticsCaseFacts)
    .where(eq(analyticsCaseFacts.caseId, caseId))
    .for('update');
  if (existing) return existing;
  const [c] = await tx.select().from(cases).where(eq(cases.id, caseId));
  if (!c) return null;
  const openedAt = c.firstInboundAt ?? c.createdAt;
  await tx
    .insert(analyticsCaseFacts)
    .values({
      caseId,
      channel: c.channel,
      topicIds: c.topicIds,
      teamId: c.teamId,
      assigneeId: c.assigneeId,
      status: c.status,
      open: OPEN.has(c.status),
      isOutreach: c.isOutreach,
      openedAt,
    })
    .onConflictDoNothing();
  if (await markCounted(tx, 'case', caseId)) {
    await addToRollups(tx, [
      {
        at: openedAt,
        channel: c.channel,
        topicIds: c.topicIds,
        counts: c.isOutreach ? { outreachCases: 1 } : { casesOpened: 1 },
      },
    ]);
  }
  const [facts] = await tx
    .select()
    .from(analyticsCaseFacts)
    .where(eq(analyticsCaseFacts.caseId, caseId))
    .for('update');
  return facts ?? null;
}

/**
 * Brings a case's facts in step with the case after any event on it: status, queue and assignee
 * (the backlog), SLA attainment of the first response (once), and resolution time (the first
 * resolution, in business hours of the queue's calendar). Idempotent.
 */
export async function syncCaseFacts(db: Db, caseId: string): Promise<void> {
  await db.transaction(async (tx) => {
    const facts = await ensureCaseFacts(tx, caseId);
    if (!facts) return;
    const [c] = await tx.select().from(cases).where(eq(cases.id, caseId));
    if (!c) return;
    const set: Partial<typeof analyticsCaseFacts.$inferInsert> = {
      status: c.status,
      open: OPEN.has(c.status),
      teamId: c.teamId,
      assigneeId: c.assigneeId,
      topicIds: c.topicIds,
      isOutreach: c.isOutreach,
      firstResponseAt: c.firstResponseAt,
      resolvedAt: c.resolvedAt,
      updatedAt: new Date(),
    };
    const base = { channel: facts.channel, topicIds: c.topicIds };
    if (c.firstResponseAt && !facts.slaCounted && !c.isOutreach) {
      const met = !c.firstResponseDueAt || c.firstResponseAt.getTime() <= c.firstResponseDueAt.getTime();
      await addToRollups(tx, [
        { ...base, at: facts.openedAt, counts: met ? { slaMet: 1 } : { slaMissed: 1 } },
      ]);
      set.slaCounted = true;
    }
    if (c.resolvedAt && !facts.resolutionCounted) {
      const { calendar } = await slaOf(tx, c.teamId);
      const seconds = businessSecondsBetween(facts.openedAt, c.resolvedAt, calendar);
      const counts: Record<string, number> = { resolved: 1 };
      if (c.teamId) counts[`teamResolved:${c.teamId}`] = 1;
      if (c.assigneeId) counts[`agentResolved:${c.assigneeId}`] = 1;
      await addToRollups(tx, [{ ...base, at: c.resolvedAt, counts, resolutionSeconds: seconds }]);
      set.resolutionCounted = true;
    }
    await tx.update(analyticsCaseFacts).set(set).where(eq(analyticsCaseFacts.caseId, caseId));
  });
}

/**
 * One more exchange on a case (a brand response that answered at least one customer message);
 * the second one makes the case a conversation, counted once in the hour the case opened.
 */
export async function countExchange(tx: Db, caseId: string, responseRef: string): Promise<void> {
  if (!(await markCounted(tx, 'exchange', `${caseId}:${responseRef}`))) return;
  const facts = await ensureCaseFacts(tx, caseId);
  if (!facts) return;
  const [row] = await tx
    .update(analyticsCaseFacts)
    .set({ exchanges: sql`${analyticsCaseFacts.exchanges} + 1` })
    .where(eq(analyticsCaseFacts.caseId, caseId))
    .returning({ exchanges: analyticsCaseFacts.exchanges });
  if (row?.exchanges === 2) {
    await addToRollups(tx, [
      {
        at: facts.openedAt,
        channel: facts.channel,
        topicIds: facts.topicIds,
        counts: facts.isOutreach ? { outreachConversations: 1 } : { conversations: 1 },
      },
    ]);
  }
}
