import { sql } from 'drizzle-orm';
import type { Config } from './config.ts';
import { registerConnectors } from './connectors/index.ts';
import { startChannelScheduler } from './connectors/ingestion/channel-scheduler.ts';
import { type AppContext, LiveHub } from './context.ts';
import { startAlertMonitor, startAnalytics } from './modules/analytics/index.ts';
import { startCampaigns } from './modules/campaigns/index.ts';
import { runCareJobs } from './modules/cases/run-care-jobs.ts';
import { createEnricher, startTriageLearning } from './modules/intelligence/index.ts';
import { createListener } from './modules/listening/index.ts';
import { deliverDueOutbox, requeueStuckOutbox } from './modules/responses/deliver-outbox.ts';
import { startWebhookFanout } from './modules/responses/deliver-webhooks.ts';
import { POST_STORED } from './pipeline/ingest.ts';
import { processPost } from './pipeline/process-post.ts';
import type { Bus } from './platform/bus/bus.ts';
import { createMemoryBus } from './platform/bus/memory-bus.ts';
import { createNatsBus } from './platform/bus/nats-bus.ts';
import { type Database, openDatabase, queryRows } from './platform/db/client.ts';
import { migrate } from './platform/db/migrate.ts';
import type { Logger } from './platform/log.ts';

export type RuntimeOptions = {
  /** Use an already open database (tests). */
  database?: Database;
  /** Use this bus (tests). */
  bus?: Bus;
  natsStream?: string;
};

/** Opens the database (migrating it), the bus and the module services: the composition root. */
export async function createContext(
  config: Config,
  log: Logger,
  opts: RuntimeOptions = {},
): Promise<AppContext> {
  registerConnectors();
  const database =
    opts.database ??
    (config.DATABASE_URL
      ? await openDatabase({ kind: 'postgres', url: config.DATABASE_URL })
      : await openDatabase({ kind: 'pglite', dataDir: config.EARSHOT_DATA }));
  try {
    const applied = await migrate(database.db);
    if (applied.length) log.info({ applied }, 'migrations applied');
    const bus =
      opts.bus ??
      (config.NATS_URL
        ? await createNatsBus({ url: config.NATS_URL, stream: opts.natsStream, log })
        : createMemoryBus(log));
    return {
      config,
      database,
      db: database.db,
      bus,
      log,
      live: new LiveHub(),
      listener: await createListener(database.db),
      enricher: await createEnricher(database.db),
    };
  } catch (err) {
    await database.close();
    throw err;
  }
}

/**
 * The worker: consumes stored posts and runs the pipeline; at start, posts stored but not
 * processed (a crash between storing and processing) are handed to the bus again. It also runs
 * the channel readers (connectors' ingestion scheduler). Returns a stop function.
 */
export async function startWorker(ctx: AppContext): Promise<() => Promise<void>> {
  await ctx.bus.subscribe(
    POST_STORED,
    'pipeline',
    async (data) => {
      await processPost(ctx, (data as { postId: string }).postId);
    },
    { concurrency: ctx.database.kind === 'postgres' ? 4 : 1 },
  );
  await startAnalytics(ctx);
  await startTriageLearning(ctx);
  await startCampaigns(ctx);
  const pending = await queryRows<{ id: string }>(
    ctx.db,
    sql`SELECT id FROM posts WHERE processed_at IS NULL ORDER BY seq LIMIT 100000`,
  );
  if (pending.length) ctx.log.info({ count: pending.length }, 'resuming unprocessed posts');
  for (const p of pending) await ctx.bus.publish(POST_STORED, { postId: p.id });
  await startWebhookFanout(ctx);
  const connectors = await startChannelScheduler(ctx);
  return () => connectors.stop();
}

/** The scheduler: delivers the outbox and runs periodic jobs. Returns a stop function. */
export function startScheduler(ctx: AppContext, intervalMs = 250): () => Promise<void> {
  let stopped = false;
  let running: Promise<unknown> = Promise.resolve();
  const tick = async () => {
    if (stopped) return;
    running = (async () => {
      try {
        await requeueStuckOutbox(ctx);
        while (!stopped && (await deliverDueOutbox(ctx)) > 0) {}
        await runCareJobs(ctx);
      } catch (err) {
        ctx.log.error({ err }, 'scheduler tick failed');
      }
    })();
    await running;
    if (!stopped) timer = setTimeout(tick, intervalMs);
  };
  let timer = setTimeout(tick, 10);
  const stopAlerts = startAlertMonitor(ctx);
  return async () => {
    stopped = true;
    clearTimeout(timer);
    await running;
    await stopAlerts();
  };
}
