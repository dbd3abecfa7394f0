import { and, desc, eq, sql } from 'drizzle-orm';
import type { Db } from '../../platform/db/client.ts';
import { caseEvents, cases } from './cases.schema.ts';

/**
 * A brand response on a case (an agent's reply, or a brand post in the thread arriving through a
 * channel or an import): the first one sets first-response time; the case then waits for the
 * customer (`pending`) unless `keepStatus`.
 */
export async function recordResponse(
  db: Db,
  caseId: string,
  at: Date,
  event: { postId?: string; outboxId?: string; actorUserId?: string | null; body?: string },
  opts: { keepStatus?: boolean } = {},
): Promise<void> {
  const [c] = await db.select().from(cases).where(eq(cases.id, caseId));
  if (!c) return;
  await db
    .update(cases)
    .set({
      firstResponseAt: c.firstResponseAt ?? at,
      lastOutboundAt: at,
      outboundCount: sql`${cases.outboundCount} + 1`,
      status: opts.keepStatus || c.status === 'resolved' || c.status === 'closed' ? c.status : 'pending',
      nextResponseDueAt: null,
      version: sql`${cases.version} + 1`,
      updatedAt: new Date(),
    })
    .where(eq(cases.id, caseId));
  if (event.postId || event.outboxId) {
    await db.insert(caseEvents).values({
      caseId,
      kind: 'outbound',
      postId: event.postId ?? null,
      outboxId: event.outboxId ?? null,
      actorUserId: event.actorUserId ?? null,
      body: event.body ?? '',
      createdAt: at,
    });
  }
}

/** The latest case of a conversation that is not closed. */
export async function findConversationCase(db: Db, conversationId: string) {
  const [c] = await db
    .select({ id: cases.id, status: cases.status })
    .from(cases)
    .where(and(eq(cases.conversationId, conversationId), sql`${cases.status} <> 'closed'`))
    .orderBy(desc(cases.createdAt))
    .limit(1);
  return c ?? null;
}
