import { eq } from 'drizzle-orm';
import type { Db } from '../../platform/db/client.ts';
import { posts } from '../conversations/conversations.schema.ts';
import { countResponded, firstResponseTo, postsAnsweredByPost } from './count-responses.ts';
import { countOnce } from './update-rollups.ts';

type PostRow = typeof posts.$inferSelect;

/**
 * A processed post, counted once in the hour it was written: inbound (addressed to the brand or
 * a mention, actionable, sentiment, intent) or outbound. An inbound post already answered (the
 * brand post arrived first) counts as responded now; a brand post marks the customer posts it
 * answers as responded. Returns the post (or null when it is gone).
 */
export async function countPost(db: Db, postId: string): Promise<PostRow | null> {
  const [p] = await db.select().from(posts).where(eq(posts.id, postId));
  if (!p) return null;
  const counts: Record<string, number> = {};
  if (p.direction === 'outbound') counts.outbound = 1;
  else {
    counts.inbound = 1;
    counts[p.toBrand ? 'addressedToBrand' : 'mentions'] = 1;
    if (p.actionable) counts.actionable = 1;
    counts[`sentiment:${p.sentiment ?? 'unknown'}`] = 1;
    if (p.intent) counts[`intent:${p.intent}`] = 1;
    if (p.isRepost) counts.reposts = 1;
  }
  await countOnce(db, 'post', p.id, [{ at: p.createdAt, channel: p.channel, topicIds: p.topicIds, counts }]);
  if (p.direction === 'inbound') {
    const r = await firstResponseTo(db, p);
    if (r) await countResponded(db, p, r);
    return p;
  }
  for (const answered of await postsAnsweredByPost(db, p)) {
    const r = await firstResponseTo(db, answered);
    if (r) await countResponded(db, answered, r);
  }
  return p;
}
