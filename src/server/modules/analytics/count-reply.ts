import { eq } from 'drizzle-orm';
import type { Db } from '../../platform/db/client.ts';
import { cases } from '../cases/cases.schema.ts';
import { outbox } from '../responses/responses.schema.ts';
import { countResponded, firstResponseTo, postsAnsweredByReply } from './count-responses.ts';
import { countOnce } from './update-rollups.ts';

/**
 * A reply sent from a case, counted once in the hour it was sent (by mode, agent and queue;
 * replies of outreach cases apart), and the customer posts of the case it answers.
 */
export async function countReply(db: Db, outboxId: string): Promise<void> {
  const [row] = await db
    .select({ o: outbox, isOutreach: cases.isOutreach, teamId: cases.teamId, topicIds: cases.topicIds })
    .from(outbox)
    .leftJoin(cases, eq(cases.id, outbox.caseId))
    .where(eq(outbox.id, outboxId));
  if (!row?.o.sentAt) return;
  const { o } = row;
  const sentAt = o.sentAt!;
  const counts: Record<string, number> = {
    [row.isOutreach ? 'outreachOutbound' : 'outbound']: 1,
    [`replies:${o.mode}`]: 1,
  };
  if (o.createdBy) counts[`agentReplies:${o.createdBy}`] = 1;
  if (row.teamId) counts[`teamReplies:${row.teamId}`] = 1;
  await countOnce(db, 'reply', o.id, [
    { at: sentAt, channel: o.channel, topicIds: row.topicIds ?? [], counts },
  ]);
  if (!o.caseId) return;
  for (const answered of await postsAnsweredByReply(db, o.caseId, sentAt)) {
    const r = await firstResponseTo(db, answered);
    if (r) await countResponded(db, answered, r);
  }
}
