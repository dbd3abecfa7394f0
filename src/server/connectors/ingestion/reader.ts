import type { IngestOutcome, NormalisedPostInput } from '../../../common/post.schema.ts';
import type { AppContext } from '../../context.ts';
import type { Logger } from '../../platform/log.ts';
import type { ChannelRow } from '../registry.ts';
import type { ChannelHttp } from './channel-http.ts';

export type Cursor = Record<string, unknown>;

/** What one read session of a channel gets from the ingestion layer. */
export type ReaderSession = {
  ctx: AppContext;
  channel: ChannelRow;
  /** The cursor stored after the last durable ingest (`{}` on the first run). */
  cursor: Cursor;
  /** Aborted when the channel is stopped, changed or disabled. */
  signal: AbortSignal;
  log: Logger;
  /** Throttled HTTP that honours the remote's rate-limit headers. */
  http: ChannelHttp;
  /**
   * Hands posts to ingest and, once they are durably stored (or deliberately dropped), stores
   * `cursor` on the channel row and records success. A crash before this returns re-reads the
   * same posts from the previous cursor: at-least-once, made exactly-once by ingest's dedupe.
   * `skipped` counts items the connector dropped on purpose (auto-replies, …) as dropped.
   */
  commit(posts: NormalisedPostInput[], cursor: Cursor, opts?: { skipped?: number }): Promise<IngestOutcome[]>;
  /** Stores the cursor without ingesting (progress through items that were all skipped, feed state). */
  saveCursor(cursor: Cursor): Promise<void>;
  /** Shows `backfilling` in the channel's health while catching up after downtime. */
  setStatus(status: 'backfilling' | 'ok'): Promise<void>;
  /** Records facts about the channel in its health (e.g. `tokenExpiresAt`). */
  noteHealth(patch: Record<string, unknown>): Promise<void>;
};

/** How long to wait before the next session, and problems that did not stop the whole session. */
export type ReadResult = { waitMs: number; problems?: string[] };

/**
 * A channel reader: one session reads from `session.cursor` until caught up (polling readers:
 * one poll of every due source) or until the stream ends or `signal` aborts (streaming
 * readers). It throws to report a failure: the scheduler backs off and starts a new session
 * from the stored cursor, which is also how backfill after downtime works.
 */
export type ChannelReader = (session: ReaderSession) => Promise<ReadResult>;

/** A failure the remote told us to wait out (429, or a reset time in rate-limit headers). */
export class RateLimitedError extends Error {
  readonly retryAt: number;
  constructor(message: string, retryAt: number) {
    super(message);
    this.name = 'RateLimitedError';
    this.retryAt = retryAt;
  }
}

/** The remote answered with an error status or a body we cannot read. */
export class RemoteError extends Error {
  readonly status: number | null;
  constructor(message: string, status: number | null = null) {
    super(message);
    this.name = 'RemoteError';
    this.status = status;
  }
}

/** The channel's config or secrets cannot work (missing token, …): retried slowly, shown in health. */
export class ChannelConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ChannelConfigError';
  }
}

/** Resolves after `ms`, or rejects when `signal` aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason ?? new Error('aborted'));
    const t = setTimeout(
      () => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      },
      Math.max(0, ms),
    );
    const onAbort = () => {
      clearTimeout(t);
      reject(signal?.reason ?? new Error('aborted'));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
