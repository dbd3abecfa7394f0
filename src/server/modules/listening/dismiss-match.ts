import { and, eq } from 'drizzle-orm';
import { type Actor, audit } from '../../platform/audit.ts';
import type { Db } from '../../platform/db/client.ts';
import { notFound } from '../../platform/errors.ts';
import { posts } from '../conversations/conversations.schema.ts';
import { learnFromDismissal } from '../intelligence/index.ts';
import { topicMatches } from './listening.schema.ts';
import { getTopicRow } from './manage-topics.ts';

export type MatchVerdict = { topicId: string; postId: string; dismissedAt: string | null };

/**
 * Records an agent's verdict on a matched post: `dismissed` true marks it "not relevant" for the
 * topic (it then counts against the topic's precision and feeds exclusion suggestions), false
 * takes that back. Audited.
 */
export async function setMatchDismissed(
  db: Db,
  topicId: string,
  postId: string,
  dismissed: boolean,
  actor: Actor,
): Promise<MatchVerdict> {
  return db.transaction(async (tx) => {
    await getTopicRow(tx, topicId);
    const [post] = await tx
      .select({ id: posts.id, topicIds: posts.topicIds, ingestedAt: posts.ingestedAt })
      .from(posts)
      .where(eq(posts.id, postId));
    if (!post?.topicIds.includes(topicId)) throw notFound('Match of this topic');
    const dismissedAt = dismissed ? new Date() : null;
    const dismissedBy = dismissed ? actor.userId : null;
    await tx
      .insert(topicMatches)
      .values({ topicId, postId, matchedAt: post.ingestedAt, dismissedAt, dismissedBy })
      .onConflictDoUpdate({
        target: [topicMatches.topicId, topicMatches.postId],
        set: { dismissedAt, dismissedBy },
      });
    await audit(
      tx,
      actor,
      dismissed ? 'topic_match.dismissed' : 'topic_match.restored',
      {
        type: 'topic',
        id: topicId,
      },
      { postId },
    );
    // The team's "not relevant" is a labelled example for the actionable model.
    if (dismissed) await learnFromDismissal(tx, postId, actor.userId);
    const [row] = await tx
      .select({ dismissedAt: topicMatches.dismissedAt })
      .from(topicMatches)
      .where(and(eq(topicMatches.topicId, topicId), eq(topicMatches.postId, postId)));
    return { topicId, postId, dismissedAt: row?.dismissedAt?.toISOString() ?? null };
  });
}
