import type { NormalisedPostInput } from '../../../common/post.schema.ts';
import { secretOf } from '../ingestion/channel-config-base.ts';
import type { ReaderSession, ReadResult } from '../ingestion/reader.ts';
import { readEventStream } from '../ingestion/stream-frames.ts';
import { type MastodonStatus, newerId, statusPost } from './map-status.ts';
import { type MastodonStream, mastodonConfigSchema } from './mastodon-config.ts';

type MastodonCursor = { streams?: Record<string, string> };

const keyOf = (s: MastodonStream) => (s.type === 'hashtag' ? `hashtag:${s.tag.toLowerCase()}` : s.type);

function streamPath(s: MastodonStream): string {
  if (s.type === 'hashtag') return `/api/v1/streaming/hashtag?tag=${encodeURIComponent(s.tag)}`;
  return s.type === 'public:local' ? '/api/v1/streaming/public/local' : `/api/v1/streaming/${s.type}`;
}

/** The REST timeline that covers the same statuses as a stream, for catching up after downtime. */
function timelinePath(s: MastodonStream): string {
  if (s.type === 'hashtag') return `/api/v1/timelines/tag/${encodeURIComponent(s.tag)}`;
  if (s.type === 'public:local') return '/api/v1/timelines/public?local=true';
  if (s.type === 'public') return '/api/v1/timelines/public';
  return '/api/v1/notifications?types[]=mention';
}

/**
 * Mastodon: first catch up on each stream's REST timeline from the stored id (`min_id` pages,
 * https://docs.joinmastodon.org/api/guidelines/#pagination), then listen to the streaming API
 * over server-sent events (`update` = a Status, `notification` = a mention in the user stream;
 * https://docs.joinmastodon.org/methods/streaming/). The cursor is the newest id per stream, so
 * after a dropped stream or a restart the timeline fills the gap and dedupe drops overlaps. A
 * stream silent past `idleTimeoutSeconds` (Mastodon sends a heartbeat comment every ~15 s) is
 * reconnected.
 */
export async function readMastodon(session: ReaderSession): Promise<ReadResult> {
  const config = mastodonConfigSchema.parse(session.channel.config);
  const token = secretOf(session.channel.secrets, 'accessToken', 'mastodon');
  const base = config.instanceUrl.replace(/\/$/, '');
  const host = new URL(base).host;
  const headers = { authorization: `Bearer ${token}`, accept: 'application/json' };
  const me = await session.http.json<{ id: string; acct: string }>(
    `${base}/api/v1/accounts/verify_credentials`,
    { headers },
    session.signal,
  );
  const cursor: Required<MastodonCursor> = {
    streams: { ...((session.cursor as MastodonCursor).streams ?? {}) },
  };

  // Catch up.
  for (const s of config.streams) {
    const key = keyOf(s);
    const path = timelinePath(s);
    const sep = path.includes('?') ? '&' : '?';
    if (cursor.streams[key]) await session.setStatus('backfilling');
    for (let page = 0; page < 100; page++) {
      const since = cursor.streams[key];
      const url = `${base}${path}${sep}limit=40${since ? `&min_id=${since}` : ''}`;
      const items = await session.http.json<unknown[]>(url, { headers }, session.signal);
      const statuses = items
        .map((i) => (s.type === 'user' ? (i as { status?: MastodonStatus }).status : (i as MastodonStatus)))
        .filter((x): x is MastodonStatus => Boolean(x?.id));
      const ids = items.map((i) => (i as { id: string }).id);
      if (!ids.length) break;
      let newest = since;
      for (const id of ids) newest = newerId(newest, id);
      cursor.streams[key] = newest!;
      await session.commit(
        statuses.map((st) => statusPost(st, host, me.id)),
        structuredClone(cursor),
      );
      // Without a stored position only the latest page is taken: no history crawl on day one.
      if (!since) break;
    }
  }
  await session.setStatus('ok');

  // Listen.
  let pending: NormalisedPostInput[] = [];
  let malformed = 0;
  let chain: Promise<unknown> = Promise.resolve();
  const flush = () => {
    if (!pending.length && !malformed) return chain;
    const batch = pending;
    const skipped = malformed;
    pending = [];
    malformed = 0;
    const snapshot = structuredClone(cursor);
    chain = chain.then(() => session.commit(batch, snapshot, { skipped }));
    return chain;
  };
  const stop = new AbortController();
  const signal = AbortSignal.any([session.signal, stop.signal]);
  const timer = setInterval(() => void flush().catch(() => stop.abort()), config.flushMs);
  try {
    await Promise.race(
      config.streams.map(async (s) => {
        const key = keyOf(s);
        const res = await session.http.fetch(
          `${base}${streamPath(s)}`,
          { headers: { ...headers, accept: 'text/event-stream' }, stream: true },
          signal,
        );
        await readEventStream(
          res.body!,
          (e) => {
            let status: MastodonStatus | undefined;
            let id: string | undefined;
            try {
              if (e.event === 'update') status = JSON.parse(e.data) as MastodonStatus;
              else if (e.event === 'notification') {
                const n = JSON.parse(e.data) as { id: string; type: string; status?: MastodonStatus };
                if (n.type !== 'mention') return;
                status = n.status;
                id = n.id;
              } else return;
            } catch {
              malformed++;
              return;
            }
            if (!status?.id || !status.account) {
              malformed++;
              return;
            }
            // The user stream's timeline is notifications: its position is the notification id.
            if (s.type !== 'user' || id) cursor.streams[key] = newerId(cursor.streams[key], id ?? status.id)!;
            pending.push(statusPost(status, host, me.id));
            if (pending.length >= config.batchSize) void flush().catch(() => stop.abort());
          },
          { signal, idleTimeoutMs: config.idleTimeoutSeconds * 1000 },
        );
        if (!session.signal.aborted) throw new Error(`Mastodon stream ${key} ended`);
      }),
    );
  } finally {
    clearInterval(timer);
    stop.abort();
    await flush();
  }
  return { waitMs: 0 };
}
