import type { Config } from './config.ts';
import { seedDemo, startDemoStream } from './demo/seed-demo.ts';
import { buildApp } from './platform/http/build-app.ts';
import { createLogger } from './platform/log.ts';
import { createContext, startScheduler, startWorker } from './runtime.ts';

/**
 * `earshot serve` / `earshot demo`: the services this process runs (api, worker, scheduler) on
 * one context, and a graceful shutdown on SIGINT/SIGTERM: stop intake, drain the pipeline, close
 * the database.
 */
export async function runServer(config: Config, opts: { demo?: { rate: number } } = {}): Promise<void> {
  const log = createLogger(config.LOG_LEVEL);
  const ctx = await createContext(config, log);
  const stops: (() => Promise<void>)[] = [];
  let app: Awaited<ReturnType<typeof buildApp>> | null = null;
  try {
    let demoLogin: { email: string; password: string } | null = null;
    if (opts.demo) demoLogin = await seedDemo(ctx);
    if (config.services.has('worker')) stops.push(await startWorker(ctx));
    if (config.services.has('scheduler')) stops.push(startScheduler(ctx));
    if (opts.demo && opts.demo.rate > 0) stops.push(startDemoStream(ctx, opts.demo.rate));
    if (config.services.has('api')) {
      app = await buildApp(ctx);
      await app.listen({ port: config.PORT, host: config.HOST });
      const addr = app.server.address();
      const port = typeof addr === 'object' && addr ? addr.port : config.PORT;
      const url = `http://${config.HOST === '0.0.0.0' ? '127.0.0.1' : config.HOST}:${port}/`;
      process.stdout.write(`Earshot console: ${url}\n`);
      if (demoLogin) process.stdout.write(`Demo login: ${demoLogin.email} / ${demoLogin.password}\n`);
    }
    log.info(
      { services: [...config.services], database: ctx.database.kind, bus: ctx.bus.kind },
      'earshot started',
    );
  } catch (err) {
    await ctx.bus.close().catch(() => {});
    await ctx.database.close().catch(() => {});
    throw err;
  }

  let shuttingDown = false;
  const shutdown = async (signal: string) => {
    if (shuttingDown) return;
    shuttingDown = true;
    log.info({ signal }, 'shutting down: stopping intake');
    const force = setTimeout(() => {
      log.error('shutdown took too long; exiting');
      process.exit(1);
    }, 20_000);
    try {
      if (app) await app.close();
      for (const stop of stops) await stop();
      await ctx.bus.drain();
      await ctx.bus.close();
      await ctx.database.close();
      log.info('stopped cleanly');
    } finally {
      clearTimeout(force);
    }
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
}
