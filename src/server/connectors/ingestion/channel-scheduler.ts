import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { eq } from 'drizzle-orm';
import type { AppContext } from '../../context.ts';
import { channels } from '../../modules/channels/channels.schema.ts';
import { readerFor } from '../registry.ts';
import { type BackoffOptions, defaultBackoff } from './backoff.ts';
import { type ChannelRunner, startChannelRunner } from './run-channel.ts';

export const CHANNEL_CHANGED = 'channel.changed';

export type SchedulerOptions = {
  /** Periodic re-read of the channel list (changes made through another process). */
  reloadMs?: number;
  backoff?: BackoffOptions;
  leaseMs?: number;
};

export type ChannelScheduler = {
  /** Starts readers of new or re-enabled channels, restarts changed ones, stops removed ones. */
  reload(): Promise<void>;
  /** Ids of the channels read by this scheduler right now. */
  running(): string[];
  stop(): Promise<void>;
};

const schedulers = new WeakMap<AppContext, ChannelScheduler>();
// The bus has no unsubscribe: subscribe once per context and hand events to its current scheduler.
const subscribed = new WeakSet<AppContext>();

/** The scheduler running in this process for `ctx`, if any (tests and admin commands use it). */
export function channelSchedulerOf(ctx: AppContext): ChannelScheduler | undefined {
  return schedulers.get(ctx);
}

/**
 * The ingestion scheduler: one reader per enabled channel whose type has a registered reader.
 * It reacts to `channel.changed` (published by the channels routes) and re-reads the list
 * periodically, so a change made through another API process is picked up too. A lease per
 * channel keeps one reader per channel across several worker processes.
 */
export async function startChannelScheduler(
  ctx: AppContext,
  opts: SchedulerOptions = {},
): Promise<ChannelScheduler> {
  const owner = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  const runnerOpts = { owner, backoff: opts.backoff ?? defaultBackoff, leaseMs: opts.leaseMs ?? 30_000 };
  const runners = new Map<string, ChannelRunner>();
  let stopped = false;
  let chain: Promise<void> = Promise.resolve();

  const reloadNow = async () => {
    if (stopped) return;
    const rows = await ctx.db
      .select({
        id: channels.id,
        type: channels.type,
        enabled: channels.enabled,
        updatedAt: channels.updatedAt,
      })
      .from(channels);
    const wanted = new Map(rows.filter((r) => r.enabled && readerFor(r.type)).map((r) => [r.id, r]));
    for (const [id, runner] of runners) {
      const row = wanted.get(id);
      if (!row || row.updatedAt.getTime() !== runner.updatedAt) {
        runners.delete(id);
        await runner.stop();
      }
    }
    for (const [id, row] of wanted) {
      if (runners.has(id) || stopped) continue;
      const [full] = await ctx.db.select().from(channels).where(eq(channels.id, id));
      if (!full) continue;
      runners.set(id, startChannelRunner(ctx, full, readerFor(row.type)!, runnerOpts));
      ctx.log.info({ channelId: id, channel: row.type }, 'channel reader started');
    }
  };
  const reload = () => {
    chain = chain.then(reloadNow).catch((err) => {
      if (!stopped) ctx.log.error({ err }, 'channel scheduler reload failed');
    });
    return chain;
  };

  if (!subscribed.has(ctx)) {
    subscribed.add(ctx);
    await ctx.bus.subscribe(CHANNEL_CHANGED, 'connectors', async () => {
      await schedulers.get(ctx)?.reload();
    });
  }
  const timer = setInterval(() => void reload(), opts.reloadMs ?? 30_000);
  timer.unref();
  await reload();

  const scheduler: ChannelScheduler = {
    reload,
    running: () => [...runners.keys()],
    async stop() {
      if (stopped) return;
      stopped = true;
      clearInterval(timer);
      await chain;
      await Promise.all([...runners.values()].map((r) => r.stop()));
      runners.clear();
      if (schedulers.get(ctx) === scheduler) schedulers.delete(ctx);
    },
  };
  schedulers.set(ctx, scheduler);
  return scheduler;
}
