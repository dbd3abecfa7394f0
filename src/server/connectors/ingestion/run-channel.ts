import { eq } from 'drizzle-orm';
import { type NormalisedPost, normalisedPostSchema } from '../../../common/post.schema.ts';
import type { AppContext } from '../../context.ts';
import { channels } from '../../modules/channels/channels.schema.ts';
import { ingestPosts } from '../../pipeline/ingest.ts';
import type { ChannelRow, ReaderOptions } from '../registry.ts';
import { type BackoffOptions, backoffWithJitter } from './backoff.ts';
import { createChannelHttp } from './channel-http.ts';
import { acquireLease, patchHealth, releaseLease, saveCursor } from './channel-state.ts';
import { type ChannelReader, RateLimitedError, type ReaderSession, sleep } from './reader.ts';

export type RunnerOptions = {
  /** Who holds the lease: unique per scheduler (process and instance). */
  owner: string;
  backoff: BackoffOptions;
  leaseMs: number;
};

export type ChannelRunner = { channelId: string; updatedAt: number; stop: () => Promise<void> };

export const USER_AGENT = 'Earshot/0.1 (self-hosted social customer care)';

class LeaseLostError extends Error {}

/**
 * Runs one channel's reader until stopped: take the lease, start a session from the stored
 * cursor, record health after it, wait (the reader's interval, or backoff with jitter after a
 * failure, or the remote's rate-limit reset), repeat.
 */
export function startChannelRunner(
  ctx: AppContext,
  channel: ChannelRow,
  reader: { read: ChannelReader; options: ReaderOptions },
  opts: RunnerOptions,
): ChannelRunner {
  const abort = new AbortController();
  const log = ctx.log.child({ channelId: channel.id, channel: channel.type });
  const configured = (channel.config as { minRequestIntervalMs?: number }).minRequestIntervalMs;
  const http = createChannelHttp({
    minIntervalMs: configured ?? reader.options.minRequestIntervalMs ?? 0,
    userAgent: USER_AGENT,
  });
  let failures = Number((channel.health as { consecutiveFailures?: number }).consecutiveFailures ?? 0);

  const loop = async () => {
    while (!abort.signal.aborted) {
      if (!(await acquireLease(ctx.db, channel.id, opts.owner, opts.leaseMs))) {
        // Another worker reads this channel; look again when its lease could have expired.
        await sleep(opts.leaseMs / 2, abort.signal).catch(() => {});
        continue;
      }
      const session = new AbortController();
      const stopSession = () => session.abort(abort.signal.reason);
      abort.signal.addEventListener('abort', stopSession, { once: true });
      const renew = setInterval(() => {
        acquireLease(ctx.db, channel.id, opts.owner, opts.leaseMs)
          .then((ok) => {
            if (!ok) session.abort(new LeaseLostError('lease taken by another worker'));
          })
          .catch(() => {});
      }, opts.leaseMs / 3);
      renew.unref();
      let waitMs: number;
      try {
        const [row] = await ctx.db.select().from(channels).where(eq(channels.id, channel.id));
        if (!row) return;
        const result = await reader.read(makeSession(ctx, row, session.signal, http, log, opts.owner));
        failures = 0;
        const problems = result.problems ?? [];
        const at = new Date().toISOString();
        await patchHealth(ctx.db, channel.id, {
          status: problems.length ? 'error' : 'ok',
          consecutiveFailures: 0,
          // Some sources of the channel failed (one feed of many): the error shows, the rest goes on.
          ...(problems.length
            ? { lastError: problems.join('; ').slice(0, 1000), lastErrorAt: at }
            : { lastSuccessAt: at }),
          nextRunAt: new Date(Date.now() + result.waitMs).toISOString(),
        });
        waitMs = result.waitMs;
      } catch (err) {
        if (abort.signal.aborted) break;
        if (session.signal.reason instanceof LeaseLostError || err instanceof LeaseLostError) {
          log.warn('lease lost; another worker reads this channel now');
          waitMs = opts.leaseMs / 2;
        } else {
          failures++;
          waitMs =
            err instanceof RateLimitedError
              ? Math.max(0, err.retryAt - Date.now()) + Math.round(Math.random() * 250)
              : backoffWithJitter(failures, opts.backoff);
          const message = (err as Error).message || String(err);
          log.warn({ err: message, failures, retryInMs: waitMs }, 'channel read failed');
          await patchHealth(ctx.db, channel.id, {
            status: 'error',
            lastError: message.slice(0, 1000),
            lastErrorAt: new Date().toISOString(),
            consecutiveFailures: failures,
            nextRunAt: new Date(Date.now() + waitMs).toISOString(),
          }).catch(() => {});
        }
      } finally {
        clearInterval(renew);
        abort.signal.removeEventListener('abort', stopSession);
      }
      await sleep(waitMs, abort.signal).catch(() => {});
    }
  };

  const done = loop()
    .catch((err) => log.error({ err }, 'channel runner stopped unexpectedly'))
    .finally(() => releaseLease(ctx.db, channel.id, opts.owner).catch(() => {}));

  return {
    channelId: channel.id,
    updatedAt: channel.updatedAt.getTime(),
    stop: async () => {
      abort.abort(new Error('channel stopped'));
      await done;
    },
  };
}

function makeSession(
  ctx: AppContext,
  channel: ChannelRow,
  signal: AbortSignal,
  http: ReaderSession['http'],
  log: ReaderSession['log'],
  owner: string,
): ReaderSession {
  // Status written with each commit; a reader switches it while backfilling.
  let currentStatus: 'ok' | 'backfilling' = 'ok';
  return {
    ctx,
    channel,
    cursor: channel.cursor ?? {},
    signal,
    log,
    http,
    async commit(input, cursor, opts = {}) {
      const valid: NormalisedPost[] = [];
      let invalid = 0;
      for (const p of input) {
        const parsed = normalisedPostSchema.safeParse(p);
        if (parsed.success) valid.push(parsed.data);
        else {
          invalid++;
          const issue = parsed.error.issues[0]!;
          log.warn(
            { externalId: p.externalId, field: issue.path.join('.'), error: issue.message },
            'connector produced an invalid post; skipped',
          );
        }
      }
      const outcomes = valid.length ? await ingestPosts(ctx, valid, { channelId: channel.id }) : [];
      const counts = { stored: 0, duplicates: 0, dropped: opts.skipped ?? 0, invalid };
      for (const o of outcomes) {
        if (o.outcome === 'stored') counts.stored++;
        else if (o.outcome === 'duplicate') counts.duplicates++;
        else counts.dropped++;
      }
      if (signal.aborted && signal.reason instanceof LeaseLostError) throw signal.reason;
      const ok = await saveCursor(ctx.db, channel.id, owner, cursor, { counts, status: currentStatus });
      if (!ok) throw new LeaseLostError('lease lost before the cursor could be stored');
      return outcomes;
    },
    async saveCursor(cursor) {
      if (!(await saveCursor(ctx.db, channel.id, owner, cursor, null)))
        throw new LeaseLostError('lease lost before the cursor could be stored');
    },
    async setStatus(status) {
      currentStatus = status;
      await patchHealth(ctx.db, channel.id, { status });
    },
    async noteHealth(patch) {
      await patchHealth(ctx.db, channel.id, patch);
    },
  };
}
