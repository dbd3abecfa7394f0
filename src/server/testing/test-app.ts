import type { FastifyInstance } from 'fastify';
import { loadConfig } from '../config.ts';
import type { AppContext } from '../context.ts';
import { createApiToken, createUser } from '../modules/users/manage-users.ts';
import type { Role } from '../modules/users/users.schema.ts';
import { createMemoryBus } from '../platform/bus/memory-bus.ts';
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
export async function createTestApp(driver: Driver, opts: { scheduler?: boolean } = {}): Promise<TestApp> {
  const database = await createTestDatabase(driver);
  const config = loadConfig({ LOG_LEVEL: 'silent', DATABASE_URL: undefined });
  const log = createLogger('silent');
  const bus = createMemoryBus(log);
  const ctx = await createContext(config, log, { database, bus });
  await startWorker(ctx);
  const stopScheduler = opts.scheduler === false ? async () => {} : startScheduler(ctx, 50);
  const app = await buildApp(ctx);
  await app.ready();
  return {
    ctx,
    app,
    idle: () => bus.idle(),
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
