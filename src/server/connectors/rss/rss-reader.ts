import { z } from 'zod';
import type { NormalisedPostInput } from '../../../common/post.schema.ts';
import { backoffWithJitter } from '../ingestion/backoff.ts';
import { baseChannelConfig, httpUrl } from '../ingestion/channel-config-base.ts';
import { type ChannelReader, RateLimitedError } from '../ingestion/reader.ts';
import { parseFeedItems } from './parse-feed.ts';

const feedEntry = z.union([
  httpUrl(),
  z.object({ url: httpUrl(), intervalSeconds: z.number().min(0.1).max(86_400).optional() }),
]);

export const rssConfigSchema = baseChannelConfig.extend({
  /** Feed URLs, each optionally with its own interval. */
  urls: z.array(feedEntry).min(1).max(5000),
  /** Default polling interval per feed. */
  intervalSeconds: z.number().min(0.1).max(86_400).default(300),
});
export type RssConfig = z.infer<typeof rssConfigSchema>;

type FeedState = {
  etag?: string;
  lastModified?: string;
  /** Ids of the latest items, newest first, so a re-fetched feed yields nothing twice. */
  seen: string[];
  nextPollAt?: string;
  failures?: number;
  lastError?: string;
  lastPolledAt?: string;
};
type RssCursor = { feeds?: Record<string, FeedState> };

const SEEN_LIMIT = 2000;

/**
 * RSS/Atom reader: polls many feeds, each on its own interval, with conditional GETs
 * (`If-None-Match` from the last `ETag`, `If-Modified-Since` from the last `Last-Modified`;
 * RFC 9110 §13.1) so an unchanged feed costs a 304. A feed that fails (5xx, timeout, malformed
 * XML) backs off on its own without holding up the others; its error shows in the channel's
 * health and its state in the cursor. Parsing: feedsmith (RSS 2.0, Atom 1.0 — RFC 4287, RDF,
 * JSON Feed). Spec: https://www.rssboard.org/rss-specification, https://datatracker.ietf.org/doc/html/rfc4287
 */
export const readRss: ChannelReader = async (session) => {
  const config = rssConfigSchema.parse(session.channel.config);
  const cursor = session.cursor as RssCursor;
  const state: Record<string, FeedState> = structuredClone(cursor.feeds ?? {});
  const feeds = config.urls.map((f) =>
    typeof f === 'string'
      ? { url: f, intervalSeconds: config.intervalSeconds }
      : { url: f.url, intervalSeconds: f.intervalSeconds ?? config.intervalSeconds },
  );
  // Feeds removed from the config are forgotten.
  for (const url of Object.keys(state)) if (!feeds.some((f) => f.url === url)) delete state[url];
  const problems: string[] = [];
  let changed = false;

  for (const feed of feeds) {
    const st: FeedState = state[feed.url] ?? { seen: [] };
    state[feed.url] = st;
    const now = Date.now();
    if (st.nextPollAt && Date.parse(st.nextPollAt) > now) continue;
    const intervalMs = feed.intervalSeconds * 1000;
    changed = true;
    st.lastPolledAt = new Date(now).toISOString();
    try {
      const headers: Record<string, string> = {
        accept: 'application/rss+xml, application/atom+xml, application/xml;q=0.9, text/xml;q=0.8, */*;q=0.5',
      };
      if (st.etag) headers['if-none-match'] = st.etag;
      if (st.lastModified) headers['if-modified-since'] = st.lastModified;
      const res = await session.http.fetch(feed.url, { headers, accept: [304] }, session.signal);
      let posts: NormalisedPostInput[] = [];
      if (res.status !== 304) {
        const body = await res.text();
        let parsed: ReturnType<typeof parseFeedItems>;
        try {
          parsed = parseFeedItems(body, feed.url);
        } catch (err) {
          throw new Error(`malformed feed (${(err as Error).message})`);
        }
        const seen = new Set(st.seen);
        const fresh = parsed.items.filter((i) => !seen.has(i.id));
        posts = fresh.map((i) => i.post);
        st.seen = [...fresh.map((i) => i.id), ...st.seen].slice(0, SEEN_LIMIT);
        const etag = res.headers.get('etag');
        const lastModified = res.headers.get('last-modified');
        if (etag) st.etag = etag;
        else delete st.etag;
        if (lastModified) st.lastModified = lastModified;
        else delete st.lastModified;
      }
      st.failures = 0;
      delete st.lastError;
      st.nextPollAt = new Date(now + intervalMs).toISOString();
      if (posts.length) {
        await session.commit(posts, { feeds: state });
        changed = false;
      }
    } catch (err) {
      if (session.signal.aborted) throw err;
      const message = (err as Error).message;
      st.failures = (st.failures ?? 0) + 1;
      st.lastError = message.slice(0, 500);
      const retryAt =
        err instanceof RateLimitedError
          ? err.retryAt
          : now +
            backoffWithJitter(st.failures, {
              baseMs: Math.min(intervalMs, 5_000),
              maxMs: Math.max(intervalMs, 3_600_000),
            });
      st.nextPollAt = new Date(retryAt).toISOString();
      problems.push(`${feed.url}: ${message}`);
      session.log.warn({ feed: feed.url, err: message, failures: st.failures }, 'feed poll failed');
    }
  }
  if (changed) await session.saveCursor({ feeds: state });
  const next = Math.min(...feeds.map((f) => Date.parse(state[f.url]?.nextPollAt ?? '') || Date.now()));
  return { waitMs: Math.max(100, next - Date.now()), problems };
};
