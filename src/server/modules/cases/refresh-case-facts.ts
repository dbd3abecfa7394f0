import { and, asc, desc, eq, sql } from 'drizzle-orm';
import type { Db } from '../../platform/db/client.ts';
import { posts } from '../conversations/conversations.schema.ts';
import { caseEvents, cases } from './cases.schema.ts';

/**
 * Re-derives the facts a case keeps about its timeline (counts, first/last inbound, preview)
 * after inbound messages moved in or out of it (merge, split).
 */
export async function refreshCaseFacts(db: Db, caseId: string): Promise<void> {
  const [counts] = await db
    .select({
      inbound: sql<number>`count(*) FILTER (WHERE ${caseEvents.kind} = 'inbound')::int`,
      outbound: sql<number>`count(*) FILTER (WHERE ${caseEvents.kind} = 'outbound')::int`,
    })
    .from(caseEvents)
    .where(eq(caseEvents.caseId, caseId));
  const inbound = db
    .select({ text: posts.text, createdAt: posts.createdAt })
    .from(caseEvents)
    .innerJoin(posts, eq(posts.id, caseEvents.postId))
    .where(and(eq(caseEvents.caseId, caseId), eq(caseEvents.kind, 'inbound')));
  const [first] = await inbound.orderBy(asc(posts.createdAt)).limit(1);
  const [last] = await db
    .select({ text: posts.text, createdAt: posts.createdAt })
    .from(caseEvents)
    .innerJoin(posts, eq(posts.id, caseEvents.postId))
    .where(and(eq(caseEvents.caseId, caseId), eq(caseEvents.kind, 'inbound')))
    .orderBy(desc(posts.createdAt))
    .limit(1);
  await db
    .update(cases)
    .set({
      inboundCount: Number(counts?.inbound ?? 0),
      outboundCount: Number(counts?.outbound ?? 0),
      ...(first ? { firstInboundAt: first.createdAt } : {}),
      ...(last ? { lastInboundAt: last.createdAt, preview: last.text.slice(0, 500) } : {}),
    })
    .where(eq(cases.id, caseId));
}
