import type { NormalisedPostInput } from '../../../common/post.schema.ts';
import { htmlLinks, htmlToText } from '../ingestion/html-to-text.ts';
import { type ReaderSession, type ReadResult, RemoteError } from '../ingestion/reader.ts';
import { discourseConfigSchema, discourseHeaders } from './discourse-config.ts';

/** A post in `GET /posts.json` (`latest_posts`). */
export type DiscoursePost = {
  id: number;
  username: string;
  name?: string | null;
  created_at: string;
  cooked: string;
  raw?: string;
  topic_id: number;
  topic_slug?: string;
  topic_title?: string;
  post_number: number;
  reply_to_post_number?: number | null;
  reply_to_user?: { username: string } | null;
  category_id?: number;
  post_type?: number;
  reply_count?: number;
};

/** A forum post as a normalised post; the topic is its thread. */
export function discoursePost(
  p: DiscoursePost,
  base: string,
  brandUser: string | undefined,
): NormalisedPostInput {
  const addressed = Boolean(
    brandUser &&
      p.reply_to_user?.username.toLowerCase() === brandUser.toLowerCase() &&
      p.username.toLowerCase() !== brandUser.toLowerCase(),
  );
  return {
    channel: 'discourse',
    externalId: String(p.id),
    url: `${base}/t/${p.topic_slug ?? 'topic'}/${p.topic_id}/${p.post_number}`,
    author: {
      externalId: p.username,
      handle: p.username,
      ...(p.name ? { displayName: p.name.slice(0, 512) } : {}),
    },
    title: p.topic_title?.slice(0, 2000),
    text: (p.raw ?? htmlToText(p.cooked)).slice(0, 200_000),
    createdAt: new Date(p.created_at).toISOString(),
    threadKey: `topic:${p.topic_id}`,
    ...(addressed ? { toBrand: true } : {}),
    links: htmlLinks(p.cooked),
    metrics: { replies: p.reply_count ?? 0 },
    raw: {
      topicId: p.topic_id,
      postNumber: p.post_number,
      replyToPostNumber: p.reply_to_post_number ?? null,
      categoryId: p.category_id ?? null,
    },
  };
}

/**
 * Discourse: polls `GET /posts.json` (the latest posts across topics, newest first) every
 * `intervalSeconds` and pages back with `before=<post id>` until it reaches the newest id it
 * stored (https://docs.discourse.org/#tag/Posts/operation/listPosts), so downtime is filled.
 * Whispers and moderator actions (post_type ≠ 1) are skipped. Discourse rate-limits with 429
 * and `Retry-After`.
 */
export async function readDiscourse(session: ReaderSession): Promise<ReadResult> {
  const config = discourseConfigSchema.parse(session.channel.config);
  const base = config.baseUrl.replace(/\/$/, '');
  const headers = discourseHeaders(config, session.channel.secrets.apiKey);
  const last = Number((session.cursor as { lastPostId?: number }).lastPostId ?? 0);
  const fresh: DiscoursePost[] = [];
  let before: number | null = null;
  for (let page = 0; page < (last ? config.maxBackfillPages : 1); page++) {
    const body: { latest_posts?: DiscoursePost[] } = await session.http.json(
      `${base}/posts.json${before ? `?before=${before}` : ''}`,
      { headers },
      session.signal,
    );
    if (!Array.isArray(body.latest_posts)) throw new RemoteError('/posts.json did not return latest_posts');
    const posts = body.latest_posts;
    const newer = posts.filter((p) => p.id > last);
    fresh.push(...newer);
    if (page === 1) await session.setStatus('backfilling');
    if (!last || newer.length < posts.length || !posts.length) break;
    before = Math.min(...posts.map((p) => p.id));
  }
  if (fresh.length) {
    fresh.sort((a, b) => a.id - b.id);
    const wanted = fresh.filter(
      (p) =>
        (p.post_type ?? 1) === 1 &&
        (!config.categoryIds.length || config.categoryIds.includes(p.category_id ?? -1)),
    );
    await session.commit(
      wanted.map((p) => discoursePost(p, base, config.apiUsername)),
      { lastPostId: fresh[fresh.length - 1]!.id },
      { skipped: fresh.length - wanted.length },
    );
  }
  await session.setStatus('ok');
  return { waitMs: config.intervalSeconds * 1000 };
}
