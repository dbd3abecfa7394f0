import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import { type Db, queryRows } from './client.ts';

const MIGRATIONS_DIR = fileURLToPath(new URL('../../../../drizzle/', import.meta.url));

type Journal = { entries: { idx: number; tag: string }[] };

/** The migrations drizzle-kit generated, in order. */
export function listMigrations(): { tag: string; statements: string[] }[] {
  const journal = JSON.parse(readFileSync(`${MIGRATIONS_DIR}meta/_journal.json`, 'utf8')) as Journal;
  return [...journal.entries]
    .sort((a, b) => a.idx - b.idx)
    .map((e) => ({
      tag: e.tag,
      statements: readFileSync(`${MIGRATIONS_DIR}${e.tag}.sql`, 'utf8')
        .split('--> statement-breakpoint')
        .map((s) => s.trim())
        .filter(Boolean),
    }));
}

/**
 * Applies pending drizzle-kit migrations in-process, each in its own transaction, under an
 * advisory lock so several processes starting together against PostgreSQL do not race.
 * Returns the tags applied.
 */
export async function migrate(db: Db): Promise<string[]> {
  const applied: string[] = [];
  await db.transaction(async (tx) => {
    await tx.execute(sql`SELECT pg_advisory_xact_lock(727274)`);
    await tx.execute(
      sql`CREATE TABLE IF NOT EXISTS earshot_migrations (tag text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())`,
    );
    const done = new Set(
      (await queryRows<{ tag: string }>(tx, sql`SELECT tag FROM earshot_migrations`)).map((r) => r.tag),
    );
    for (const m of listMigrations()) {
      if (done.has(m.tag)) continue;
      for (const statement of m.statements) await tx.execute(sql.raw(statement));
      await tx.execute(sql`INSERT INTO earshot_migrations (tag) VALUES (${m.tag})`);
      applied.push(m.tag);
    }
  });
  return applied;
}
