import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '../../platform/db/client.ts';
import { conversations, posts } from './conversations.schema.ts';

type PostRow = typeof posts.$inferSelect;

/**
 * Threads a stored post: an explicit thread key (e-mail references, forum topic) wins, then the
 * conversation of the post it replies to, else the post starts a conversation of its own.
 */
export async function assignConversation(db: Db, post: PostRow): Promise<string> {
  if (post.conversationId) return post.conversationId;
  let threadKey = post.threadKey;
  if (!threadKey && post.inReplyTo) {
    const [parent] = await db
      .select({ conversationId: posts.conversationId, threadKey: posts.threadKey })
      .from(posts)
      .where(and(eq(posts.channel, post.channel), eq(posts.externalId, post.inReplyTo)));
    if (parent?.conversationId) {
      await db.update(posts).set({ conversationId: parent.conversationId }).where(eq(posts.id, post.id));
      await db
        .update(conversations)
        .set({ lastActivityAt: sql`greatest(${conversations.lastActivityAt}, ${post.createdAt})` })
        .where(eq(conversations.id, parent.conversationId));
      return parent.conversationId;
    }
    threadKey = parent?.threadKey ?? `reply:${post.inReplyTo}`;
  }
  threadKey ??= `post:${post.externalId}`;
  const [conv] = await db
    .insert(conversations)
    .values({
      channel: post.channel,
      threadKey,
      subject: post.title,
      createdAt: post.createdAt,
      lastActivityAt: post.createdAt,
    })
    .onConflictDoUpdate({
      target: [conversations.channel, conversations.threadKey],
      set: { lastActivityAt: sql`greatest(${conversations.lastActivityAt}, excluded.last_activity_at)` },
    })
    .returning({ id: conversations.id });
  await db.update(posts).set({ conversationId: conv!.id }).where(eq(posts.id, post.id));
  // Replies that arrived before this post (out of order) join its conversation.
  await db
    .update(posts)
    .set({ conversationId: conv!.id })
    .where(
      and(
        eq(posts.channel, post.channel),
        eq(posts.threadKey, `reply:${post.externalId}`),
        sql`${posts.conversationId} IS NULL`,
      ),
    );
  return conv!.id;
}
