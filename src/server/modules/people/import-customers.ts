import { createReadStream } from 'node:fs';
import { parse } from 'csv-parse';
import { sql } from 'drizzle-orm';
import type { Db } from '../../platform/db/client.ts';
import { UsageError } from '../../platform/errors.ts';
import { customerAccounts } from './people.schema.ts';

const KNOWN = ['account_number', 'name', 'email', 'phone', 'plan', 'status', 'handles'];

/**
 * Imports customer accounts from CSV: `account_number` (required), `name`, `email`, `phone`,
 * `plan`, `status`, `handles` (`x:@jane;bluesky:jane.bsky.social`); other columns become
 * attributes (usable in routing rules). Upserts on account_number.
 */
export async function importCustomers(db: Db, file: string) {
  const summary = { read: 0, imported: 0, updated: 0, duplicates: 0, skipped: 0, skipReasons: {} as Record<string, number[]> };
  const parser = createReadStream(file).pipe(parse({ bom: true, columns: true, skip_empty_lines: true, info: true, relax_column_count: true }));
  const seen = new Set<string>();
  try {
    for await (const { record, info } of parser as AsyncIterable<{ record: Record<string, string>; info: { lines: number } }>) {
      if (summary.read === 0 && !('account_number' in record)) {
        throw new UsageError(`${file}:1: missing column account_number`);
      }
      summary.read++;
      const number = (record.account_number ?? '').trim();
      if (!number) {
        (summary.skipReasons.missing_account_number ??= []).push(info.lines);
        summary.skipped++;
        continue;
      }
      if (seen.has(number)) {
        summary.duplicates++;
        continue;
      }
      seen.add(number);
      const handles = (record.handles ?? '')
        .split(/[;|]/)
        .map((h) => h.trim())
        .filter(Boolean)
        .map((h) => {
          const [channel, ...rest] = h.split(':');
          return { channel: (channel ?? '').toLowerCase(), handle: rest.join(':').replace(/^@/, '').toLowerCase() };
        })
        .filter((h) => h.channel && h.handle);
      const attributes = Object.fromEntries(Object.entries(record).filter(([k, v]) => !KNOWN.includes(k) && v !== ''));
      const values = {
        accountNumber: number,
        name: record.name ?? '',
        email: record.email?.trim().toLowerCase() || null,
        phone: record.phone || null,
        plan: record.plan || null,
        status: record.status || 'active',
        attributes,
        knownHandles: handles,
      };
      const [row] = await db
        .insert(customerAccounts)
        .values(values)
        .onConflictDoUpdate({ target: customerAccounts.accountNumber, set: { ...values } })
        .returning({ inserted: sql<boolean>`(xmax = 0)` });
      if (row?.inserted) summary.imported++;
      else summary.updated++;
    }
  } catch (err) {
    const e = err as NodeJS.ErrnoException & { lines?: number };
    if (err instanceof UsageError) throw err;
    if (e.code === 'ENOENT') throw new UsageError(`${file}: no such file`);
    if (e.code?.startsWith('CSV_')) throw new UsageError(`${file}:${e.lines ?? '?'}: ${e.message}`);
    throw err;
  }
  return summary;
}
