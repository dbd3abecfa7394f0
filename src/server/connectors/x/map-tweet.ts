import type { NormalisedPostInput } from '../../../common/post.schema.ts';

/** The Post (tweet) fields requested from X (https://docs.x.com/x-api/fundamentals/data-dictionary). */
export type XTweet = {
  id: string;
  text: string;
  author_id?: string;
  created_at?: string;
  conversation_id?: string;
  in_reply_to_user_id?: string;
  lang?: string;
  referenced_tweets?: { type: 'replied_to' | 'quoted' | 'retweeted'; id: string }[];
  public_metrics?: {
    retweet_count?: number;
    reply_count?: number;
    like_count?: number;
    quote_count?: number;
  };
  entities?: {
    mentions?: { username: string; id?: string }[];
    urls?: { expanded_url?: string; url?: string }[];
  };
  note_tweet?: { text?: string };
};
export type XUser = {
  id: string;
  username: string;
  name?: string;
  public_metrics?: { followers_count?: number };
};

export const TWEET_FIELDS =
  'created_at,author_id,conversation_id,in_reply_to_user_id,referenced_tweets,lang,public_metrics,entities,note_tweet';
export const USER_FIELDS = 'username,name,public_metrics';

/** A Post with its expanded author as a normalised post. */
export function tweetPost(
  t: XTweet,
  users: Map<string, XUser>,
  brand: { id?: string; username?: string },
  matchingRules?: unknown,
): NormalisedPostInput {
  const author = t.author_id ? users.get(t.author_id) : undefined;
  const username = author?.username ?? t.author_id ?? 'unknown';
  const repliedTo = t.referenced_tweets?.find((r) => r.type === 'replied_to')?.id;
  const brandName = brand.username?.toLowerCase();
  const addressed =
    (brand.id !== undefined && t.in_reply_to_user_id === brand.id) ||
    (brandName !== undefined &&
      (t.entities?.mentions ?? []).some((m) => m.username.toLowerCase() === brandName));
  return {
    channel: 'x',
    externalId: t.id,
    url: `https://x.com/${username}/status/${t.id}`,
    author: {
      externalId: t.author_id ?? username,
      handle: username,
      ...(author?.name ? { displayName: author.name.slice(0, 512) } : {}),
      ...(typeof author?.public_metrics?.followers_count === 'number'
        ? { followers: author.public_metrics.followers_count }
        : {}),
    },
    text: (t.note_tweet?.text ?? t.text).slice(0, 200_000),
    createdAt: new Date(t.created_at ?? Date.now()).toISOString(),
    ...(repliedTo ? { inReplyTo: repliedTo } : {}),
    ...(t.conversation_id ? { threadKey: t.conversation_id } : {}),
    ...(addressed ? { toBrand: true } : {}),
    isRepost: Boolean(t.referenced_tweets?.some((r) => r.type === 'retweeted')),
    ...(t.lang && t.lang !== 'und' ? { lang: t.lang } : {}),
    links: (t.entities?.urls ?? [])
      .map((u) => u.expanded_url ?? u.url)
      .filter((u): u is string => Boolean(u))
      .slice(0, 200),
    metrics: {
      reposts: t.public_metrics?.retweet_count ?? 0,
      replies: t.public_metrics?.reply_count ?? 0,
      likes: t.public_metrics?.like_count ?? 0,
    },
    raw: {
      conversationId: t.conversation_id ?? null,
      inReplyToUserId: t.in_reply_to_user_id ?? null,
      ...(matchingRules ? { matchingRules } : {}),
    },
  };
}

/** X ids are decimal strings of 64-bit numbers: compare by length, then text. */
export function newerTweetId(a: string | undefined, b: string | undefined): string | undefined {
  if (!a) return b;
  if (!b) return a;
  return a.length !== b.length ? (a.length > b.length ? a : b) : a > b ? a : b;
}
