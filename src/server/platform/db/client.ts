import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { type SQL, sql } from 'drizzle-orm';
import { drizzle as drizzleNodePg } from 'drizzle-orm/node-postgres';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import pg from 'pg';
import { RuntimeFailure } from '../errors.ts';
import * as schema from './schema.ts';

export type Schema = typeof schema;
/** The typed database handle; a transaction (`tx`) has the same type. */
export type Db = PgDatabase<PgQueryResultHKT, Schema>;

export type Database = {
  db: Db;
  kind: 'pglite' | 'postgres';
  /** Where the data lives (folder or redacted URL), for messages. */
  location: string;
  close: () => Promise<void>;
};

export type OpenOptions =
  | { kind: 'postgres'; url: string; poolSize?: number }
  | { kind: 'pglite'; dataDir: string }
  | { kind: 'pglite-memory'; loadDataDir?: Blob };

/** Opens PGlite (a data folder, one process at a time) or PostgreSQL (a pool). */
export async function openDatabase(opts: OpenOptions): Promise<Database> {
  if (opts.kind === 'postgres') {
    const pool = new pg.Pool({ connectionString: opts.url, max: opts.poolSize ?? 10 });
    pool.on('error', () => {}); // idle client errors surface on the next query instead of crashing
    try {
      const c = await pool.connect();
      c.release();
    } catch (err) {
      await pool.end();
      throw new RuntimeFailure(
        `Cannot connect to PostgreSQL at ${redact(opts.url)}: ${(err as Error).message}`,
      );
    }
    return {
      db: drizzleNodePg(pool, { schema }) as unknown as Db,
      kind: 'postgres',
      location: redact(opts.url),
      close: () => pool.end(),
    };
  }
  if (opts.kind === 'pglite-memory') {
    const client = await PGlite.create(opts.loadDataDir ? { loadDataDir: opts.loadDataDir } : {});
    return {
      db: drizzlePglite(client, { schema }) as unknown as Db,
      kind: 'pglite',
      location: 'memory',
      close: () => client.close(),
    };
  }
  const dir = resolve(opts.dataDir);
  mkdirSync(dir, { recursive: true });
  const release = lockDataDir(dir);
  try {
    const client = await PGlite.create({ dataDir: join(dir, 'pg') });
    return {
      db: drizzlePglite(client, { schema }) as unknown as Db,
      kind: 'pglite',
      location: dir,
      close: async () => {
        try {
          await client.close();
        } finally {
          release();
        }
      },
    };
  } catch (err) {
    release();
    throw err;
  }
}

/**
 * PGlite allows one process per data folder. A lock file with our pid makes a second process
 * refuse with a clear message instead of corrupting the data; a stale lock (dead pid) is taken over.
 */
function lockDataDir(dir: string): () => void {
  const file = join(dir, 'earshot.lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(file, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return () => rmSync(file, { force: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const pid = Number(readFileSync(file, 'utf8').trim());
      if (pid && pid !== process.pid && isAlive(pid)) {
        throw new RuntimeFailure(
          `The data folder ${dir} is in use by another Earshot process (pid ${pid}); stop it first, or use DATABASE_URL for PostgreSQL`,
        );
      }
      rmSync(file, { force: true });
    }
  }
  throw new RuntimeFailure(`Cannot lock the data folder ${dir}`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function redact(url: string): string {
  return url.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@');
}

/** Runs raw SQL and returns its rows, the same on both drivers. */
export async function queryRows<T>(db: Db, query: SQL): Promise<T[]> {
  const res = (await db.execute(query)) as unknown as { rows: T[] };
  return res.rows;
}

export { sql };
