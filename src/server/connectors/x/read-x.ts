import { eq } from 'drizzle-orm';
import type { NormalisedPostInput } from '../../../common/post.schema.ts';
import { topics } from '../../platform/db/schema.ts';
import { secretOf } from '../ingestion/channel-config-base.ts';
import { type ReaderSession, type ReadResult, RemoteError } from '../ingestion/reader.ts';
import { readLines } from '../ingestion/stream-frames.ts';
import { newerTweetId, TWEET_FIELDS, tweetPost, USER_FIELDS, type XTweet, type XUser } from './map-tweet.ts';
import { topicRule } from './topic-rule.ts';
import { type XConfig, xConfigSchema } from './x-config.ts';

type XCursor = { sinceId?: string };
type Rule = { id?: string; value: string; tag?: string };
type Page = {
  data?: XTweet[];
  includes?: { users?: XUser[] };
  meta?: { next_token?: string; newest_id?: string };
  errors?: unknown[];
};

const TAG_PREFIX = 'earshot:';

/** The rules Earshot wants on the stream: the brand's mentions, the configured ones, translatable topics. */
async function desiredRules(session: ReaderSession, config: XConfig): Promise<Rule[]> {
  const rules: Rule[] = [];
  if (config.brandUsername)
    rules.push({
      value: `@${config.brandUsername} OR to:${config.brandUsername}`,
      tag: `${TAG_PREFIX}brand`,
    });
  for (const [i, r] of config.rules.entries()) {
    rules.push({ value: r.value, tag: `${TAG_PREFIX}${r.tag ?? `rule-${i + 1}`}` });
  }
  if (config.rulesFromTopics) {
    const rows = await session.ctx.db
      .select({ id: topics.id, name: topics.name, query: topics.query })
      .from(topics)
      .where(eq(topics.enabled, true));
    const skipped: string[] = [];
    for (const t of rows) {
      const value = topicRule(t.query, config.maxRuleLength);
      if (value) rules.push({ value, tag: `${TAG_PREFIX}topic:${t.id}` });
      else skipped.push(t.name);
    }
    await session.noteHealth({ topicsWithoutRule: skipped });
  }
  return rules;
}

/**
 * Makes the stream's rule set match `desired`: rules Earshot added earlier (tag `earshot:…`)
 * that are no longer wanted are deleted, missing ones added (`POST /2/tweets/search/stream/rules`
 * with `delete.ids` / `add`), other rules on the app are left alone.
 */
async function syncRules(
  session: ReaderSession,
  base: string,
  headers: Record<string, string>,
  desired: Rule[],
) {
  const current = await session.http.json<{ data?: Rule[] }>(
    `${base}/2/tweets/search/stream/rules`,
    { headers },
    session.signal,
  );
  const ours = (current.data ?? []).filter((r) => r.tag?.startsWith(TAG_PREFIX));
  const key = (r: Rule) => `${r.tag}\u0000${r.value}`;
  const want = new Set(desired.map(key));
  const have = new Set(ours.map(key));
  const remove = ours.filter((r) => !want.has(key(r))).map((r) => r.id!);
  const add = desired.filter((r) => !have.has(key(r))).map((r) => ({ value: r.value, tag: r.tag }));
  const post = (body: unknown) =>
    session.http.json<{ errors?: { title?: string; value?: string; details?: string[] }[] }>(
      `${base}/2/tweets/search/stream/rules`,
      {
        method: 'POST',
        headers: { ...headers, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      },
      session.signal,
    );
  if (remove.length) await post({ delete: { ids: remove } });
  if (add.length) {
    const res = await post({ add });
    const invalid = (res.errors ?? []).filter((e) => e.title !== 'DuplicateRule');
    if (invalid.length)
      await session.noteHealth({
        invalidRules: invalid.map((e) => `${e.value ?? ''}: ${e.details?.join(' ') ?? e.title}`),
      });
  }
}

/**
 * X API v2: the filtered stream (`GET /2/tweets/search/stream`, newline-delimited JSON with
 * keep-alive newlines) with Earshot's rules, and recent search (`GET /2/tweets/search/recent`
 * with `since_id`, paged by `next_token`) to fill the gap after downtime from the newest id
 * seen. Docs: https://docs.x.com/x-api/posts/filtered-stream/quickstart,
 * https://docs.x.com/x-api/stream/update-stream-rules, https://docs.x.com/x-api/posts/search/quickstart/recent-search.
 * Rate limits come from `x-rate-limit-remaining`/`x-rate-limit-reset` (epoch seconds).
 */
export async function readX(session: ReaderSession): Promise<ReadResult> {
  const config = xConfigSchema.parse(session.channel.config);
  const base = config.apiBaseUrl.replace(/\/$/, '');
  const headers = { authorization: `Bearer ${secretOf(session.channel.secrets, 'bearerToken', 'x')}` };
  const brand = { id: config.brandUserId, username: config.brandUsername };
  const rules = await desiredRules(session, config);
  if (!rules.length) throw new RemoteError('no stream rules: set config.brandUsername or config.rules');
  await syncRules(session, base, headers, rules);
  let sinceId = (session.cursor as XCursor).sinceId;

  const toPosts = (page: Page): NormalisedPostInput[] => {
    const users = new Map((page.includes?.users ?? []).map((u) => [u.id, u]));
    return (page.data ?? []).map((t) => tweetPost(t, users, brand));
  };

  // Fill the gap since the newest post seen. The cursor moves only when every query is done.
  if (sinceId && config.backfill) {
    await session.setStatus('backfilling');
    const from: string = sinceId;
    let newest: string = from;
    for (const query of combine(
      rules.map((r) => r.value),
      config.maxRuleLength,
    )) {
      let next: string | undefined;
      do {
        const q = new URLSearchParams({
          query,
          since_id: from,
          max_results: '100',
          'tweet.fields': TWEET_FIELDS,
          expansions: 'author_id',
          'user.fields': USER_FIELDS,
        });
        if (next) q.set('next_token', next);
        const page = await session.http.json<Page>(
          `${base}/2/tweets/search/recent?${q}`,
          { headers },
          session.signal,
        );
        for (const t of page.data ?? []) newest = newerTweetId(newest, t.id)!;
        await session.commit(toPosts(page), { sinceId: from });
        next = page.meta?.next_token;
      } while (next);
    }
    sinceId = newest;
    await session.commit([], { sinceId });
    await session.setStatus('ok');
  }

  // Stream.
  const q = new URLSearchParams({
    'tweet.fields': TWEET_FIELDS,
    expansions: 'author_id',
    'user.fields': USER_FIELDS,
  });
  const res = await session.http.fetch(
    `${base}/2/tweets/search/stream?${q}`,
    { headers, stream: true },
    session.signal,
  );
  let pending: NormalisedPostInput[] = [];
  let malformed = 0;
  let chain: Promise<unknown> = Promise.resolve();
  const flush = () => {
    if (!pending.length && !malformed) return chain;
    const batch = pending;
    const skipped = malformed;
    const at = sinceId;
    pending = [];
    malformed = 0;
    chain = chain.then(() => session.commit(batch, at ? { sinceId: at } : {}, { skipped }));
    return chain;
  };
  const timer = setInterval(() => void flush().catch(() => {}), config.flushMs);
  let streamError: string | null = null;
  try {
    await readLines(
      res.body!,
      (line) => {
        if (!line.trim()) return; // keep-alive
        let msg: Page & { data?: XTweet | XTweet[]; matching_rules?: unknown };
        try {
          msg = JSON.parse(line);
        } catch {
          malformed++;
          return;
        }
        if (!msg.data && msg.errors) {
          streamError = JSON.stringify(msg.errors).slice(0, 300);
          return;
        }
        const tweet = msg.data as XTweet | undefined;
        if (!tweet?.id) {
          malformed++;
          return;
        }
        const users = new Map((msg.includes?.users ?? []).map((u) => [u.id, u]));
        pending.push(tweetPost(tweet, users, brand, msg.matching_rules));
        sinceId = newerTweetId(sinceId, tweet.id);
        if (pending.length >= config.batchSize) void flush();
      },
      { signal: session.signal, idleTimeoutMs: config.idleTimeoutSeconds * 1000 },
    );
  } finally {
    clearInterval(timer);
    await flush();
  }
  if (session.signal.aborted) return { waitMs: 0 };
  throw new RemoteError(`X stream ended${streamError ? `: ${streamError}` : ''}`);
}

/** Rules OR-ed into as few recent-search queries as fit the length limit. */
function combine(values: string[], max: number): string[] {
  const out: string[] = [];
  let cur = '';
  for (const v of values) {
    const part = `(${v})`;
    const next = cur ? `${cur} OR ${part}` : part;
    if (next.length > max && cur) {
      out.push(cur);
      cur = part;
    } else cur = next;
  }
  if (cur) out.push(cur);
  return out;
}
