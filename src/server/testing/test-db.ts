import { createHash, randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { type Database, openDatabase } from '../platform/db/client.ts';
import { listMigrations } from '../platform/db/migrate.ts';

/** The storage drivers tests run against: always PGlite; PostgreSQL too when DATABASE_URL is set. */
export type Driver = 'pglite' | 'postgres';
export const drivers: Driver[] = process.env.DATABASE_URL ? ['pglite', 'postgres'] : ['pglite'];

/** A fingerprint of the migrations, so templates are rebuilt when the schema changes. */
export function migrationsHash(): string {
  return createHash('sha256').update(JSON.stringify(listMigrations())).digest('hex').slice(0, 12);
}
export const pgliteTemplatePath = () => join(tmpdir(), `earshot-pglite-template-${migrationsHash()}.tar.gz`);
export const pgTemplateName = () => `earshot_tpl_${migrationsHash()}`;

function adminUrl(dbName: string): string {
  const u = new URL(process.env.DATABASE_URL!);
  u.pathname = `/${dbName}`;
  return u.toString();
}

/**
 * A fresh, migrated database for one test file: PGlite cloned from the migrated template dump
 * (`loadDataDir`), or a PostgreSQL database created from the migrated template database.
 */
export async function createTestDatabase(driver: Driver): Promise<Database> {
  if (driver === 'pglite') {
    const file = pgliteTemplatePath();
    if (!existsSync(file))
      throw new Error(`PGlite template missing at ${file}: run tests through vitest (global setup)`);
    return openDatabase({ kind: 'pglite-memory', loadDataDir: new Blob([readFileSync(file)]) });
  }
  const name = `earshot_t_${randomUUID().replaceAll('-', '').slice(0, 16)}`;
  const admin = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name} TEMPLATE ${pgTemplateName()}`);
  } finally {
    await admin.end();
  }
  const db = await openDatabase({ kind: 'postgres', url: adminUrl(name), poolSize: 4 });
  return {
    ...db,
    close: async () => {
      await db.close();
      const c = new pg.Client({ connectionString: process.env.DATABASE_URL });
      await c.connect();
      try {
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await c.end();
      }
    },
  };
}

export { adminUrl };
