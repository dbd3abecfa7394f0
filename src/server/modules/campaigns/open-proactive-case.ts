import { eq } from 'drizzle-orm';
import type { Actor } from '../../platform/audit.ts';
import type { Db } from '../../platform/db/client.ts';
import { caseEvents, cases } from '../cases/cases.schema.ts';
import { openOrJoinCase } from '../cases/open-or-join-case.ts';
import { recomputePriority } from '../cases/recompute-priority.ts';
import { posts } from '../conversations/conversations.schema.ts';

type PostRow = typeof posts.$inferSelect;

/**
 * A case the brand opens itself (outreach, a prize notification) on a customer's post: assigned
 * to the agent, open, and without SLA deadlines — nobody is waiting for it, so it never moves
 * ahead of customers who wrote to the brand. Call inside a transaction.
 */
export async function openProactiveCase(
  tx: Db,
  p: PostRow,
  f: { conversationId: string; personId: string; followers: number | null },
  actor: Actor,
  o: { isOutreach: boolean; tag: string; event: string; body: string },
): Promise<string> {
  const r = await openOrJoinCase(tx, {
    postId: p.id,
    channel: p.channel,
    conversationId: f.conversationId,
    personId: f.personId,
    text: p.text,
    title: p.title,
    createdAt: p.createdAt,
    followers: f.followers,
    intent: p.intent,
    sentiment: p.sentiment,
    lang: p.lang,
    topicIds: p.topicIds,
    serviceRecovery: false,
  });
  if (r.created) {
    await tx
      .update(cases)
      .set({
        isOutreach: o.isOutreach,
        status: 'open',
        assigneeId: actor.userId,
        firstResponseDueAt: null,
        nextResponseDueAt: null,
        resolutionDueAt: null,
        tags: [o.tag],
      })
      .where(eq(cases.id, r.caseId));
    await recomputePriority(tx, r.caseId);
  }
  await tx.update(posts).set({ caseId: r.caseId }).where(eq(posts.id, p.id));
  await tx.insert(caseEvents).values({
    caseId: r.caseId,
    kind: 'event',
    type: o.event,
    actorUserId: actor.userId,
    body: o.body,
    data: { postId: p.id },
  });
  return r.caseId;
}
