import type { NormalisedPostInput } from '../../../common/post.schema.ts';
import type { ReaderSession, ReadResult } from '../ingestion/reader.ts';
import { RemoteError } from '../ingestion/reader.ts';
import { REDDIT_USER_AGENT, redditToken } from './reddit-client.ts';
import { redditConfigSchema } from './reddit-config.ts';

/** A "thing" in a Listing (https://www.reddit.com/dev/api#listings): t3 = post, t1 = comment. */
type Thing = {
  kind: string;
  data: {
    id: string;
    name: string;
    author: string;
    author_fullname?: string;
    created_utc: number;
    permalink?: string;
    subreddit?: string;
    title?: string;
    selftext?: string;
    body?: string;
    url?: string;
    parent_id?: string;
    link_id?: string;
    link_title?: string;
    score?: number;
    num_comments?: number;
  };
};
type Listing = { kind: 'Listing'; data: { after: string | null; children: Thing[] } };
type RedditCursor = { listings?: Record<string, string> };

const idNum = (name: string) => Number.parseInt(name.replace(/^t\d_/, ''), 36);

/** A post or comment as a normalised post. */
export function thingPost(t: Thing, brandUser: string): NormalisedPostInput | null {
  const d = t.data;
  if (t.kind !== 't3' && t.kind !== 't1') return null;
  const text = (t.kind === 't3' ? d.selftext : d.body) ?? '';
  const addressed = new RegExp(`(^|[^\\w])/?u/${brandUser}\\b`, 'i').test(text);
  return {
    channel: 'reddit',
    externalId: d.name,
    url: d.permalink ? `https://www.reddit.com${d.permalink}` : undefined,
    author: { externalId: d.author_fullname ?? d.author, handle: d.author },
    title: (t.kind === 't3' ? d.title : d.link_title)?.slice(0, 2000),
    text: (text || d.title || '').slice(0, 200_000),
    createdAt: new Date(d.created_utc * 1000).toISOString(),
    ...(t.kind === 't1' && d.parent_id ? { inReplyTo: d.parent_id } : {}),
    threadKey: t.kind === 't3' ? d.name : (d.link_id ?? d.name),
    ...(addressed ? { toBrand: true } : {}),
    ...(t.kind === 't3' && d.url && !d.url.includes('reddit.com') ? { links: [d.url] } : {}),
    metrics: { likes: Math.max(0, d.score ?? 0), replies: d.num_comments ?? 0 },
    raw: { subreddit: d.subreddit ?? null, kind: t.kind },
  };
}

/**
 * Reddit over OAuth (https://www.reddit.com/dev/api): polls `/r/{sub}/new`, `/r/{sub}/comments`
 * and `/search?sort=new` every `intervalSeconds`. Each listing's cursor is the newest fullname
 * seen; a poll pages back with `after` until it reaches it (at most `maxBackfillPages`), so
 * downtime is filled without relying on `before`, which returns nothing once the referenced
 * item is deleted. Rate limits: `X-Ratelimit-Remaining`/`X-Ratelimit-Reset` (seconds).
 */
export async function readReddit(session: ReaderSession): Promise<ReadResult> {
  const config = redditConfigSchema.parse(session.channel.config);
  const api = config.apiUrl.replace(/\/$/, '');
  const { token, expiresAt } = await redditToken(session.channel, session.http, session.signal);
  await session.noteHealth({ tokenExpiresAt: new Date(expiresAt).toISOString() });
  const headers = { authorization: `bearer ${token}`, 'user-agent': REDDIT_USER_AGENT };
  const cursor: Required<RedditCursor> = {
    listings: { ...((session.cursor as RedditCursor).listings ?? {}) },
  };
  const listings: { key: string; path: string }[] = [
    ...config.subreddits.flatMap((s) => [
      { key: `r/${s}/new`, path: `/r/${s}/new` },
      ...(config.includeComments ? [{ key: `r/${s}/comments`, path: `/r/${s}/comments` }] : []),
    ]),
    ...config.searches.map((q) => ({
      key: `search:${q}`,
      path: `/search?q=${encodeURIComponent(q)}&sort=new&type=link`,
    })),
  ];
  if (!listings.length) throw new RemoteError('nothing to read: set config.subreddits or config.searches');

  for (const l of listings) {
    const last = cursor.listings[l.key];
    const fresh: Thing[] = [];
    let after: string | null = null;
    for (let page = 0; page < (last ? config.maxBackfillPages : 1); page++) {
      const sep = l.path.includes('?') ? '&' : '?';
      const url: string = `${api}${l.path}${sep}limit=100&raw_json=1${after ? `&after=${after}` : ''}`;
      const listing: Listing = await session.http.json<Listing>(url, { headers }, session.signal);
      if (listing?.kind !== 'Listing' || !Array.isArray(listing.data?.children))
        throw new RemoteError(`${l.path} did not return a Listing`);
      const children = listing.data.children;
      const newer = last ? children.filter((c) => idNum(c.data.name) > idNum(last)) : children;
      fresh.push(...newer);
      if (page === 1) await session.setStatus('backfilling');
      after = listing.data.after;
      if (!last || newer.length < children.length || !after) break;
    }
    if (!fresh.length) continue;
    fresh.sort((a, b) => idNum(a.data.name) - idNum(b.data.name));
    cursor.listings[l.key] = fresh[fresh.length - 1]!.data.name;
    const posts = fresh
      .map((t) => thingPost(t, config.username))
      .filter((p): p is NormalisedPostInput => p !== null);
    await session.commit(posts, structuredClone(cursor));
  }
  await session.setStatus('ok');
  return { waitMs: config.intervalSeconds * 1000 };
}
