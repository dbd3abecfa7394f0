import { and, eq, inArray } from 'drizzle-orm';
import type { IngestOutcome, NormalisedPost } from '../../common/post.schema.ts';
import type { AppContext } from '../context.ts';
import { posts as postsTable } from '../modules/conversations/conversations.schema.ts';
import { storePosts } from '../modules/conversations/store-posts.ts';
import { type Brand, getBrand, isBrandHandle, mentionsBrand } from '../modules/people/brand.ts';
import { identityKey, upsertIdentities } from '../modules/people/upsert-identities.ts';
import { listen } from './listen.ts';

export const POST_STORED = 'post.stored';

export type IngestOptions = {
  /** The configured channel the posts came through, when known. */
  channelId?: string | undefined;
  /** Keep every post even when it neither matches a topic nor addresses the brand (history imports). */
  keepAll?: boolean;
};

let brandCache: { brand: Brand; at: number; db: unknown } | null = null;
async function brandOf(ctx: AppContext): Promise<Brand> {
  if (brandCache && brandCache.db === ctx.db && Date.now() - brandCache.at < 2000) return brandCache.brand;
  const brand = await getBrand(ctx.db);
  brandCache = { brand, at: Date.now(), db: ctx.db };
  return brand;
}
/** Forget the cached brand settings (after they change). */
export function invalidateBrandCache() {
  brandCache = null;
}

/**
 * Stage 1 (ingest) and 2 (listen) for a batch of normalised posts: decide direction and whether
 * each addresses the brand, match topics, drop (and count) what matters to no one, store the rest
 * idempotently on (channel, externalId), and only then acknowledge and hand each stored post to
 * the bus for enrichment, threading, identification, triage and routing.
 */
export async function ingestPosts(
  ctx: AppContext,
  posts: NormalisedPost[],
  opts: IngestOptions = {},
): Promise<IngestOutcome[]> {
  const brand = await brandOf(ctx);
  const outcomes: IngestOutcome[] = new Array(posts.length);

  // Replies to posts we already keep belong to a stored conversation: keep them too.
  const parents = new Set<string>();
  const repliesByChannel = new Map<string, string[]>();
  for (const p of posts) {
    if (!p.inReplyTo) continue;
    const list = repliesByChannel.get(p.channel) ?? [];
    list.push(p.inReplyTo);
    repliesByChannel.set(p.channel, list);
  }
  for (const [channel, ids] of repliesByChannel) {
    for (let i = 0; i < ids.length; i += 1000) {
      const rows = await ctx.db
        .select({ externalId: postsTable.externalId, direction: postsTable.direction })
        .from(postsTable)
        .where(and(eq(postsTable.channel, channel), inArray(postsTable.externalId, ids.slice(i, i + 1000))));
      for (const r of rows) parents.add(`${channel}\u0000${r.externalId}\u0000${r.direction}`);
    }
  }
  const batchIds = new Map(posts.map((p) => [`${p.channel}\u0000${p.externalId}`, p]));

  const keep: { index: number; post: NormalisedPost; topics: ReturnType<typeof listen> }[] = [];
  posts.forEach((post, index) => {
    const fromBrand = isBrandHandle(brand, post.author.handle);
    const direction = fromBrand ? 'outbound' : post.direction;
    const parentKey = post.inReplyTo ? `${post.channel}\u0000${post.inReplyTo}` : null;
    const parentStored =
      parentKey !== null &&
      (parents.has(`${parentKey}\u0000inbound`) ||
        parents.has(`${parentKey}\u0000outbound`) ||
        batchIds.has(parentKey));
    const replyToBrand =
      parentKey !== null &&
      (parents.has(`${parentKey}\u0000outbound`) ||
        (batchIds.has(parentKey) && isBrandHandle(brand, batchIds.get(parentKey)!.author.handle)));
    const toBrand =
      direction === 'inbound' &&
      (post.toBrand ?? (Boolean(post.isPrivate) || replyToBrand || mentionsBrand(brand, post.text)));
    const normalised: NormalisedPost = { ...post, direction, toBrand };
    const topics = direction === 'inbound' ? listen(ctx, normalised) : [];
    if (opts.keepAll || toBrand || direction === 'outbound' || topics.length > 0 || parentStored) {
      keep.push({ index, post: normalised, topics });
    } else {
      outcomes[index] = { externalId: post.externalId, outcome: 'dropped', reason: 'no_topic_match' };
    }
  });

  if (keep.length) {
    const identityIds = await upsertIdentities(
      ctx.db,
      keep.map((k) => ({ channel: k.post.channel, author: k.post.author })),
    );
    const stored = await storePosts(
      ctx.db,
      keep.map((k) => ({
        post: k.post,
        identityId: identityIds.get(identityKey(k.post.channel, k.post.author.externalId))!,
        channelId: opts.channelId,
        topics: k.topics,
      })),
    );
    for (let i = 0; i < keep.length; i++) {
      const k = keep[i]!;
      const id = stored[i];
      outcomes[k.index] = id
        ? { externalId: k.post.externalId, outcome: 'stored', postId: id }
        : { externalId: k.post.externalId, outcome: 'duplicate' };
    }
    // Acknowledge only what is durably stored; the rest of the pipeline runs from the bus.
    for (const id of stored) if (id) await ctx.bus.publish(POST_STORED, { postId: id });
  }
  return outcomes;
}
