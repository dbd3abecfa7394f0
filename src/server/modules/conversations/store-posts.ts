import type { NormalisedPost } from '../../../common/post.schema.ts';
import type { TopicMatch } from '../../context.ts';
import type { Db } from '../../platform/db/client.ts';
import { attachments, type Highlight, posts } from './conversations.schema.ts';

export type PostToStore = {
  post: NormalisedPost;
  identityId: string;
  channelId?: string | undefined;
  topics: TopicMatch[];
};

/**
 * Inserts posts idempotently on (channel, externalId). Returns, per input, the new post id or
 * null when it was already stored (a duplicate, also within the batch).
 */
export async function storePosts(db: Db, items: PostToStore[]): Promise<(string | null)[]> {
  const out: (string | null)[] = new Array(items.length).fill(null);
  const firstIndex = new Map<string, number>();
  items.forEach((it, i) => {
    const k = `${it.post.channel}\u0000${it.post.externalId}`;
    if (!firstIndex.has(k)) firstIndex.set(k, i);
  });
  const unique = [...firstIndex.values()];
  for (let start = 0; start < unique.length; start += 500) {
    const slice = unique.slice(start, start + 500);
    await db.transaction(async (tx) => {
      const rows = await tx
        .insert(posts)
        .values(
          slice.map((i) => {
            const { post, identityId, channelId, topics } = items[i]!;
            const highlights: Record<string, Highlight[]> = {};
            for (const t of topics) highlights[t.topicId] = t.highlights;
            return {
              channel: post.channel,
              channelId: channelId ?? null,
              externalId: post.externalId,
              url: post.url ?? null,
              identityId,
              direction: post.direction,
              toBrand: post.toBrand ?? false,
              isPrivate: post.isPrivate ?? false,
              isRepost: post.isRepost ?? false,
              text: post.text.replaceAll('\u0000', ''),
              title: post.title ?? null,
              createdAt: new Date(post.createdAt),
              inReplyTo: post.inReplyTo ?? null,
              threadKey: post.threadKey ?? null,
              links: post.links ?? [],
              metrics: post.metrics ?? null,
              raw: post.raw ?? null,
              lang: post.lang ?? null,
              topicIds: topics.map((t) => t.topicId),
              highlights,
            };
          }),
        )
        .onConflictDoNothing({ target: [posts.channel, posts.externalId] })
        .returning({ id: posts.id, channel: posts.channel, externalId: posts.externalId });
      const byKey = new Map(rows.map((r) => [`${r.channel}\u0000${r.externalId}`, r.id]));
      const files: (typeof attachments.$inferInsert)[] = [];
      for (const i of slice) {
        const { post } = items[i]!;
        const id = byKey.get(`${post.channel}\u0000${post.externalId}`);
        if (!id) continue;
        out[i] = id;
        for (const a of post.attachments ?? []) {
          files.push({
            postId: id,
            filename: a.filename ?? null,
            contentType: a.contentType,
            size: a.size,
            content: a.contentBase64 ? Buffer.from(a.contentBase64, 'base64') : null,
            url: a.url ?? null,
          });
        }
      }
      if (files.length) await tx.insert(attachments).values(files);
    });
  }
  return out;
}
