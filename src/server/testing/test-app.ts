import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { loadConfig } from '../config.ts';
import type { AppContext } from '../context.ts';
import { createApiToken, createUser } from '../modules/users/manage-users.ts';
import type { Role } from '../modules/users/users.schema.ts';
import { createMemoryBus } from '../platform/bus/memory-bus.ts';
import { createNatsBus } from '../platform/bus/nats-bus.ts';
import { queryRows } from '../platform/db/client.ts';
import { buildApp } from '../platform/http/build-app.ts';
import { createLogger } from '../platform/log.ts';
import { createContext, startScheduler, startWorker } from '../runtime.ts';
import { createTestDatabase, type Driver } from './test-db.ts';

export type TestApp = {
  ctx: AppContext;
  app: FastifyInstance;
  /** Waits until the in-process pipeline has nothing left to do. */
  idle: () => Promise<void>;
  /** Creates a user with a role and returns a bearer token for it. */
  tokenFor: (role: Role, email?: string) => Promise<{ token: string; userId: string; email: string }>;
  close: () => Promise<void>;
};

let n = 0;

/** A full server on a fresh database (PGlite or PostgreSQL), with worker and scheduler, for inject() tests. */
export async function createTestApp(
  driver: Driver,
  opts: { scheduler?: boolean; bus?: 'memory' | 'nats' } = {},
): Promise<TestApp> {
  const database = await createTestDatabase(driver);
  const config = loadConfig({ LOG_LEVEL: 'silent', DATABASE_URL: undefined });
  const log = createLogger('silent');
  const memory = createMemoryBus(log);
  const bus =
    opts.bus === 'nats'
      ? await createNatsBus({
          url: process.env.NATS_URL ?? 'nats://127.0.0.1:4222',
          stream: `EARSHOT_T${randomUUID().replaceAll('-', '').slice(0, 12).toUpperCase()}`,
          ephemeral: true,
          log,
        })
      : memory;
  const ctx = await createContext(config, log, { database, bus });
  await startWorker(ctx);
  const stopScheduler = opts.scheduler === false ? async () => {} : startScheduler(ctx, 50);
  const app = await buildApp(ctx);
  await app.ready();
  return {
    ctx,
    app,
    idle: async () => {
      if (bus === memory) return memory.idle();
      // NATS: wait until every stored post has been processed.
      for (let i = 0; i < 500; i++) {
        const rows = await queryRows<{ n: number }>(
          ctx.db,
          sql`SELECT count(*)::int AS n FROM posts WHERE processed_at IS NULL`,
        );
        if (!rows[0]?.n) return;
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    tokenFor: async (role, email) => {
      const address = email ?? `${role}${++n}-${Date.now()}@test.example`;
      const u = await createUser(
        ctx.db,
        { email: address, role, password: 'correct horse battery' },
        { userId: null, label: 'test' },
      );
      const t = await createApiToken(ctx.db, address, 'test', { userId: null, label: 'test' });
      return { token: t.token, userId: u.id, email: address };
    },
    close: async () => {
      await stopScheduler();
      await app.close();
      await bus.close();
      await database.close();
    },
  };
}
