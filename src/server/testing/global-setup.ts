import { existsSync, renameSync, writeFileSync } from 'node:fs';
import pg from 'pg';
import { openDatabase } from '../platform/db/client.ts';
import { migrate } from '../platform/db/migrate.ts';
import { adminUrl, pgliteTemplatePath, pgTemplateName } from './test-db.ts';

/** Migrates once per schema version: a PGlite dump and (with DATABASE_URL) a PostgreSQL template database. */
export default async function setup() {
  const file = pgliteTemplatePath();
  if (!existsSync(file)) {
    const db = await openDatabase({ kind: 'pglite-memory' });
    await migrate(db.db);
    const client = (db.db as unknown as { $client: { dumpDataDir: (c: string) => Promise<Blob> } }).$client;
    const blob = await client.dumpDataDir('gzip');
    const tmp = `${file}.${process.pid}`;
    writeFileSync(tmp, Buffer.from(await blob.arrayBuffer()));
    renameSync(tmp, file);
    await db.close();
  }
  if (process.env.DATABASE_URL) {
    const name = pgTemplateName();
    const admin = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await admin.connect();
    try {
      const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
      if (!exists.rowCount) {
        const building = `${name}_build_${process.pid}`;
        await admin.query(`DROP DATABASE IF EXISTS ${building}`);
        await admin.query(`CREATE DATABASE ${building}`);
        const db = await openDatabase({ kind: 'postgres', url: adminUrl(building), poolSize: 1 });
        await migrate(db.db);
        await db.close();
        await admin.query(`ALTER DATABASE ${building} RENAME TO ${name}`);
      }
      // Databases of earlier runs that were not dropped (a killed run).
      const stale = await admin.query(
        "SELECT datname FROM pg_database WHERE datname LIKE 'earshot_t\\_%' OR (datname LIKE 'earshot_tpl_%' AND datname <> $1)",
        [name],
      );
      for (const r of stale.rows as { datname: string }[]) {
        await admin.query(`DROP DATABASE IF EXISTS ${r.datname} WITH (FORCE)`).catch(() => {});
      }
    } finally {
      await admin.end();
    }
  }
}
