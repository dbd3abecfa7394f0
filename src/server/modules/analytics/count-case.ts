import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '../../platform/db/client.ts';
import { cases } from '../cases/cases.schema.ts';
import { businessSecondsBetween, type Calendar } from '../routing/business-hours.ts';
import { teams } from '../users/users.schema.ts';
import { analyticsCaseFacts } from './analytics.schema.ts';
import { addToRollups, markCounted, type RollupDelta } from './update-rollups.ts';

const OPEN = ['new', 'open', 'pending'];
export const ROUND_THE_CLOCK: Calendar = { timezone: 'UTC', hours: {}, holidays: [] };

/**
 * Writes the case's facts row from the case (status, queue, assignee: the backlog) and returns it;
 * the first time, the case is counted as opened (or as outreach) in the hour it opened. Call
 * inside a transaction: the upsert locks the row until it ends.
 */
async function upsertFacts(tx: Db, caseId: string, deltas: RollupDelta[]) {
  const [c] = await tx
    .select({ c: cases, calendar: teams.calendar })
    .from(cases)
    .leftJoin(teams, eq(teams.id, cases.teamId))
    .where(eq(cases.id, caseId));
  if (!c) return null;
  const k = c.c;
  const state = {
    status: k.status,
    open: OPEN.includes(k.status),
    teamId: k.teamId,
    assigneeId: k.assigneeId,
    topicIds: k.topicIds,
    isOutreach: k.isOutreach,
    firstResponseAt: k.firstResponseAt,
    resolvedAt: k.resolvedAt,
    updatedAt: new Date(),
  };
  const [f] = await tx
    .insert(analyticsCaseFacts)
    .values({ caseId, channel: k.channel, openedAt: k.firstInboundAt ?? k.createdAt, ...state })
    .onConflictDoUpdate({ target: analyticsCaseFacts.caseId, set: state })
    .returning({
      inserted: sql<boolean>`(xmax = 0)`,
      openedAt: analyticsCaseFacts.openedAt,
      channel: analyticsCaseFacts.channel,
      slaCounted: analyticsCaseFacts.slaCounted,
      resolutionCounted: analyticsCaseFacts.resolutionCounted,
    });
  if (f!.inserted) {
    deltas.push({
      at: f!.openedAt,
      channel: f!.channel,
      topicIds: k.topicIds,
      counts: k.isOutreach ? { outreachCases: 1 } : { casesOpened: 1 },
    });
  }
  return { c: k, calendar: c.calendar ?? ROUND_THE_CLOCK, facts: f! };
}

/**
 * Brings a case's facts in step with the case after any event on it: status, queue and assignee
 * (the backlog), SLA attainment of the first response (counted once, in the hour the case
 * opened), and the first resolution with its time in business hours of the queue's calendar
 * (counted in the hour it was resolved). Idempotent: each count flips a flag in the same transaction.
 */
export async function syncCaseFacts(db: Db, caseId: string): Promise<void> {
  await db.transaction(async (tx) => {
    const deltas: RollupDelta[] = [];
    const r = await upsertFacts(tx, caseId, deltas);
    if (!r) return;
    const { c, calendar, facts } = r;
    const base = { channel: facts.channel, topicIds: c.topicIds };
    if (c.firstResponseAt && !facts.slaCounted && !c.isOutreach && (await flip(tx, caseId, 'slaCounted'))) {
      const met = !c.firstResponseDueAt || c.firstResponseAt.getTime() <= c.firstResponseDueAt.getTime();
      deltas.push({ ...base, at: facts.openedAt, counts: met ? { slaMet: 1 } : { slaMissed: 1 } });
    }
    if (c.resolvedAt && !facts.resolutionCounted && (await flip(tx, caseId, 'resolutionCounted'))) {
      const counts: Record<string, number> = { resolved: 1 };
      if (c.teamId) counts[`teamResolved:${c.teamId}`] = 1;
      if (c.assigneeId) counts[`agentResolved:${c.assigneeId}`] = 1;
      deltas.push({
        ...base,
        at: c.resolvedAt,
        counts,
        resolutionSeconds: businessSecondsBetween(facts.openedAt, c.resolvedAt, calendar),
      });
    }
    await addToRollups(tx, deltas);
  });
}

async function flip(tx: Db, caseId: string, flag: 'slaCounted' | 'resolutionCounted'): Promise<boolean> {
  const col = analyticsCaseFacts[flag];
  const rows = await tx
    .update(analyticsCaseFacts)
    .set({ [flag]: true })
    .where(and(eq(analyticsCaseFacts.caseId, caseId), eq(col, false)))
    .returning({ id: analyticsCaseFacts.caseId });
  return rows.length > 0;
}

/**
 * One more exchange on a case (a brand response that answered at least one customer message);
 * the second one makes the case a conversation, counted once in the hour the case opened. Call
 * inside the transaction that counted the response.
 */
export async function countExchange(tx: Db, caseId: string, responseRef: string): Promise<void> {
  if (!(await markCounted(tx, 'exchange', `${caseId}:${responseRef}`))) return;
  const deltas: RollupDelta[] = [];
  const r = await upsertFacts(tx, caseId, deltas);
  if (!r) return;
  const [row] = await tx
    .update(analyticsCaseFacts)
    .set({ exchanges: sql`${analyticsCaseFacts.exchanges} + 1` })
    .where(eq(analyticsCaseFacts.caseId, caseId))
    .returning({ exchanges: analyticsCaseFacts.exchanges });
  if (row?.exchanges === 2) {
    deltas.push({
      at: r.facts.openedAt,
      channel: r.facts.channel,
      topicIds: r.c.topicIds,
      counts: r.c.isOutreach ? { outreachConversations: 1 } : { conversations: 1 },
    });
  }
  await addToRollups(tx, deltas);
}
