import WebSocket from 'ws';
import type { NormalisedPostInput } from '../../../common/post.schema.ts';
import type { ReaderSession, ReadResult } from '../ingestion/reader.ts';
import { blueskyConfigSchema } from './bluesky-config.ts';

type Facet = { features?: { $type?: string; did?: string; uri?: string; tag?: string }[] };
type PostRecord = {
  $type?: string;
  text?: string;
  createdAt?: string;
  langs?: string[];
  facets?: Facet[];
  reply?: { root?: { uri?: string; cid?: string }; parent?: { uri?: string; cid?: string } };
  embed?: { $type?: string; external?: { uri?: string } };
};
/** Jetstream's JSON event (https://github.com/bluesky-social/jetstream#consuming-jetstream). */
export type JetstreamEvent = {
  did: string;
  time_us: number;
  kind: 'commit' | 'identity' | 'account';
  commit?: {
    rev?: string;
    operation: 'create' | 'update' | 'delete';
    collection: string;
    rkey: string;
    record?: PostRecord;
    cid?: string;
  };
  identity?: { did: string; handle?: string };
};

/** Replay this much before the stored cursor on reconnect (Jetstream's advice for gapless playback). */
const REWIND_US = 2_000_000;

/** A Jetstream `app.bsky.feed.post` create event as a normalised post. */
export function jetstreamPost(
  ev: JetstreamEvent,
  handles: Map<string, string>,
  brandDid?: string,
): NormalisedPostInput | null {
  const c = ev.commit;
  if (
    ev.kind !== 'commit' ||
    !c ||
    c.operation !== 'create' ||
    c.collection !== 'app.bsky.feed.post' ||
    !c.record
  )
    return null;
  const r = c.record;
  const uri = `at://${ev.did}/app.bsky.feed.post/${c.rkey}`;
  const created =
    r.createdAt && Number.isFinite(Date.parse(r.createdAt))
      ? new Date(r.createdAt)
      : new Date(ev.time_us / 1000);
  const features = (r.facets ?? []).flatMap((f) => f.features ?? []);
  const mentions = features
    .filter((f) => f.$type === 'app.bsky.richtext.facet#mention' && f.did)
    .map((f) => f.did!);
  const links = [
    ...features.filter((f) => f.$type === 'app.bsky.richtext.facet#link' && f.uri).map((f) => f.uri!),
    ...(r.embed?.external?.uri ? [r.embed.external.uri] : []),
  ];
  const parent = r.reply?.parent?.uri;
  const addressed = brandDid
    ? mentions.includes(brandDid) || Boolean(parent?.startsWith(`at://${brandDid}/`))
    : false;
  return {
    channel: 'bluesky',
    externalId: uri,
    url: `https://bsky.app/profile/${ev.did}/post/${c.rkey}`,
    author: { externalId: ev.did, handle: handles.get(ev.did) ?? ev.did },
    text: (r.text ?? '').slice(0, 200_000),
    createdAt: created.toISOString(),
    ...(parent ? { inReplyTo: parent } : {}),
    threadKey: r.reply?.root?.uri ?? uri,
    ...(addressed ? { toBrand: true } : {}),
    ...(r.langs?.[0] ? { lang: r.langs[0].slice(0, 16) } : {}),
    ...(links.length ? { links: [...new Set(links)].slice(0, 200) } : {}),
    raw: {
      uri,
      cid: c.cid ?? null,
      did: ev.did,
      rkey: c.rkey,
      reply: r.reply ?? null,
      mentions,
      timeUs: ev.time_us,
    },
  };
}

/**
 * Bluesky via Jetstream (https://github.com/bluesky-social/jetstream): one WebSocket to
 * `/subscribe?wantedCollections=app.bsky.feed.post[&wantedDids=…]&cursor=<time_us>`. The
 * cursor is the `time_us` (Unix microseconds) of the newest event handed to ingest; on
 * reconnect it is rewound a little and duplicates are deduplicated on the AT-URI, so a dropped
 * socket loses nothing. Events come in batches (`batchSize`/`flushMs`); a malformed frame is
 * counted and skipped; `identity` events keep handles current.
 */
export async function readJetstream(session: ReaderSession): Promise<ReadResult> {
  const config = blueskyConfigSchema.parse(session.channel.config);
  const stored = Number((session.cursor as { timeUs?: number }).timeUs ?? 0);
  const oldest = (Date.now() - config.maxBackfillHours * 3_600_000) * 1000;
  const url = new URL(config.jetstreamUrl);
  url.searchParams.append('wantedCollections', 'app.bsky.feed.post');
  for (const did of config.wantedDids) url.searchParams.append('wantedDids', did);
  if (stored > 0) url.searchParams.set('cursor', String(Math.max(oldest, stored - REWIND_US)));
  const handles = new Map<string, string>(
    Object.entries((session.cursor as { handles?: Record<string, string> }).handles ?? {}),
  );
  const backfilling = stored > 0 && Date.now() * 1000 - stored > 60_000_000;
  if (backfilling) await session.setStatus('backfilling');

  let cursor = stored;
  let pending: NormalisedPostInput[] = [];
  let pendingMax = stored;
  let malformed = 0;
  let flushing: Promise<void> = Promise.resolve();
  let caughtUp = !backfilling;

  const ws = new WebSocket(url, { handshakeTimeout: 15_000 });
  const flush = () => {
    if (!pending.length && pendingMax === cursor && !malformed) return flushing;
    const batch = pending;
    const upTo = pendingMax;
    const skipped = malformed;
    pending = [];
    malformed = 0;
    // Commits run one after another, so the stored cursor only moves forward over ingested posts.
    flushing = flushing.then(async () => {
      const keep = [...handles].slice(-5000);
      await session.commit(batch, { timeUs: upTo, handles: Object.fromEntries(keep) }, { skipped });
      cursor = upTo;
      if (!caughtUp && Date.now() * 1000 - upTo < 10_000_000) {
        caughtUp = true;
        await session.setStatus('ok');
      }
    });
    return flushing;
  };

  return new Promise<ReadResult>((resolve, reject) => {
    let settled = false;
    const finish = (err?: Error) => {
      if (settled) return;
      settled = true;
      clearInterval(timer);
      session.signal.removeEventListener('abort', onAbort);
      ws.removeAllListeners();
      ws.on('error', () => {});
      ws.terminate();
      // Whatever arrived before the end is still ingested and the cursor stored.
      flush().then(
        () => (err ? reject(err) : resolve({ waitMs: 0 })),
        (flushErr: Error) => reject(err ?? flushErr),
      );
    };
    const onAbort = () => finish();
    const timer = setInterval(() => {
      flush().catch((err: Error) => finish(err));
    }, config.flushMs);
    session.signal.addEventListener('abort', onAbort, { once: true });
    ws.on('message', (data) => {
      let ev: JetstreamEvent;
      try {
        ev = JSON.parse(data.toString()) as JetstreamEvent;
      } catch {
        malformed++;
        return;
      }
      if (typeof ev?.time_us !== 'number' || typeof ev.did !== 'string') {
        malformed++;
        return;
      }
      if (ev.kind === 'identity' && ev.identity?.handle) handles.set(ev.did, ev.identity.handle);
      // Out-of-order events: the cursor is the newest time seen, the rewind covers stragglers.
      if (ev.time_us > pendingMax) pendingMax = ev.time_us;
      const post = jetstreamPost(ev, handles, config.brandDid);
      if (post) pending.push(post);
      if (pending.length >= config.batchSize) flush().catch((err: Error) => finish(err));
    });
    ws.on('error', (err) => finish(new Error(`Jetstream ${url.host}: ${err.message}`)));
    ws.on('unexpected-response', (_req, res) =>
      finish(new Error(`Jetstream ${url.host} answered ${res.statusCode} to the upgrade`)),
    );
    ws.on('close', (code) =>
      finish(session.signal.aborted ? undefined : new Error(`Jetstream connection closed (code ${code})`)),
    );
  });
}
