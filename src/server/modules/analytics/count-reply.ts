import { eq } from 'drizzle-orm';
import type { Db } from '../../platform/db/client.ts';
import { cases } from '../cases/cases.schema.ts';
import { outbox } from '../responses/responses.schema.ts';
import { countResponded, firstResponseTo, postsAnsweredByReply } from './count-responses.ts';
import { addToRollups, markCounted } from './update-rollups.ts';

/**
 * A reply sent from a case, counted once in the hour it was sent (by mode, agent and queue;
 * replies of outreach cases separately), and the customer posts of the case it answers.
 */
export async function countReply(db: Db, outboxId: string): Promise<void> {
  const [o] = await db.select().from(outbox).where(eq(outbox.id, outboxId));
  if (!o?.sentAt) return;
  const [c] = o.caseId ? await db.select().from(cases).where(eq(cases.id, o.caseId)) : [];
  await db.transaction(async (tx) => {
    if (!(await markCounted(tx, 'reply', o.id))) return;
    const counts: Record<string, number> = {
      [c?.isOutreach ? 'outreachOutbound' : 'outbound']: 1,
      [`replies:${o.mode}`]: 1,
    };
    if (o.createdBy) counts[`agentReplies:${o.createdBy}`] = 1;
    if (c?.teamId) counts[`teamReplies:${c.teamId}`] = 1;
    await addToRollups(tx, [{ at: o.sentAt!, channel: o.channel, topicIds: c?.topicIds ?? [], counts }]);
  });
  if (!c) return;
  for (const answered of await postsAnsweredByReply(db, c.id, o.sentAt)) {
    const r = await firstResponseTo(db, answered);
    if (r) await countResponded(db, answered, r);
  }
}
