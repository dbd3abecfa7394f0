import { and, desc, eq, gte, notInArray, sql } from 'drizzle-orm';
import type { Db } from '../../platform/db/client.ts';
import { dueTimes } from './case-sla.ts';
import { caseEvents, cases } from './cases.schema.ts';
import { computePriority, getPriorityPolicy } from './priority-policy.ts';

export type InboundFacts = {
  postId: string;
  channel: string;
  conversationId: string;
  personId: string | null;
  text: string;
  title: string | null;
  createdAt: Date;
  followers: number | null;
  intent: string | null;
  sentiment: string | null;
  lang: string | null;
  topicIds: string[];
  serviceRecovery: boolean;
};

/** Hours within which a person's post on another channel joins their open case. */
export const CROSS_CHANNEL_WINDOW_HOURS = 48;

/**
 * An actionable inbound post opens a case, or joins the open case of the same conversation, or
 * of the same person on another channel within the window. A customer's reply reopens a
 * resolved case. Serialised per conversation so concurrent posts never open two cases.
 */
export async function openOrJoinCase(
  db: Db,
  f: InboundFacts,
): Promise<{ caseId: string; created: boolean; reopened: boolean }> {
  return db.transaction(async (tx) => {
    await tx.execute(
      sql`SELECT pg_advisory_xact_lock(hashtext(${`case:${f.personId ?? f.conversationId}`}))`,
    );
    // Redelivered post (at-least-once bus): it already sits on a case timeline.
    const [seen] = await tx
      .select({ caseId: caseEvents.caseId })
      .from(caseEvents)
      .where(and(eq(caseEvents.postId, f.postId), eq(caseEvents.kind, 'inbound')));
    if (seen) return { caseId: seen.caseId, created: false, reopened: false };
    let [existing] = await tx
      .select()
      .from(cases)
      .where(and(eq(cases.conversationId, f.conversationId), notInArray(cases.status, ['closed'])))
      .orderBy(desc(cases.createdAt))
      .limit(1);
    if (!existing && f.personId) {
      const since = new Date(f.createdAt.getTime() - CROSS_CHANNEL_WINDOW_HOURS * 3600_000);
      [existing] = await tx
        .select()
        .from(cases)
        .where(
          and(
            eq(cases.personId, f.personId),
            notInArray(cases.status, ['resolved', 'closed']),
            gte(cases.lastInboundAt, since),
          ),
        )
        .orderBy(desc(cases.updatedAt))
        .limit(1);
    }
    if (existing) {
      const reopened = existing.status === 'resolved' || existing.status === 'pending';
      const status = existing.status === 'new' ? 'new' : 'open';
      const times = existing.firstResponseAt ? await dueTimes(tx, existing.teamId, f.createdAt) : null;
      await tx
        .update(cases)
        .set({
          status,
          preview: f.text.slice(0, 500),
          lastInboundAt: f.createdAt,
          inboundCount: sql`${cases.inboundCount} + 1`,
          serviceRecovery: existing.serviceRecovery || f.serviceRecovery,
          serviceRecoverySource: existing.serviceRecoverySource ?? (f.serviceRecovery ? 'triage' : null),
          maxFollowers: Math.max(existing.maxFollowers ?? 0, f.followers ?? 0) || null,
          topicIds: [...new Set([...existing.topicIds, ...f.topicIds])],
          nextResponseDueAt: times?.nextResponseDueAt ?? existing.nextResponseDueAt,
          resolvedAt: reopened ? null : existing.resolvedAt,
          version: sql`${cases.version} + 1`,
          updatedAt: new Date(),
        })
        .where(eq(cases.id, existing.id));
      await tx
        .insert(caseEvents)
        .values({ caseId: existing.id, kind: 'inbound', postId: f.postId, createdAt: f.createdAt });
      if (reopened) {
        await tx.insert(caseEvents).values({
          caseId: existing.id,
          kind: 'event',
          type: 'status_changed',
          body: `Reopened by the customer's reply (was ${existing.status})`,
          data: { from: existing.status, to: 'open' },
        });
      }
      return { caseId: existing.id, created: false, reopened };
    }
    // Born with due times and a priority explanation; routing refines both for the chosen queue.
    const times = await dueTimes(tx, null, f.createdAt);
    const priority = computePriority(
      {
        ...times,
        serviceRecovery: f.serviceRecovery,
        serviceRecoverySource: f.serviceRecovery ? 'triage' : null,
        status: 'new',
        firstResponseAt: null,
        createdAt: f.createdAt,
        maxFollowers: f.followers,
      },
      await getPriorityPolicy(tx),
    );
    const [c] = await tx
      .insert(cases)
      .values({
        ...times,
        ...priority,
        status: 'new',
        channel: f.channel,
        conversationId: f.conversationId,
        personId: f.personId,
        subject: (f.title ?? f.text).slice(0, 140),
        preview: f.text.slice(0, 500),
        serviceRecovery: f.serviceRecovery,
        serviceRecoverySource: f.serviceRecovery ? 'triage' : null,
        maxFollowers: f.followers,
        intent: f.intent,
        sentiment: f.sentiment,
        lang: f.lang,
        topicIds: f.topicIds,
        firstInboundAt: f.createdAt,
        lastInboundAt: f.createdAt,
        inboundCount: 1,
        createdAt: f.createdAt,
      })
      .returning({ id: cases.id });
    await tx
      .insert(caseEvents)
      .values({ caseId: c!.id, kind: 'inbound', postId: f.postId, createdAt: f.createdAt });
    return { caseId: c!.id, created: true, reopened: false };
  });
}
