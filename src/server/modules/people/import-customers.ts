import { createReadStream } from 'node:fs';
import { parse } from 'csv-parse';
import type { Db } from '../../platform/db/client.ts';
import { UsageError } from '../../platform/errors.ts';
import { assertReadableFile } from '../../platform/files.ts';
import { upsertCustomerAccount } from './upsert-customer-account.ts';

const KNOWN = ['account_number', 'name', 'email', 'phone', 'plan', 'status', 'handles'];

/**
 * Imports customer accounts from CSV: `account_number` (required), `name`, `email`, `phone`,
 * `plan`, `status`, `handles` (`x:@jane;bluesky:jane.bsky.social`); other columns become
 * attributes (usable in routing rules). Upserts on account_number. Rows without an account
 * number, with a malformed e-mail or handle list are skipped; `skipReasons` lists their lines.
 */
export async function importCustomers(db: Db, file: string) {
  const summary = {
    read: 0,
    imported: 0,
    updated: 0,
    duplicates: 0,
    skipped: 0,
    skipReasons: {} as Record<string, number[]>,
  };
  await assertReadableFile(file);
  const parser = createReadStream(file).pipe(
    parse({ bom: true, columns: true, skip_empty_lines: true, info: true, relax_column_count: true }),
  );
  const seen = new Set<string>();
  const skip = (reason: string, line: number) => {
    summary.skipReasons[reason] = [...(summary.skipReasons[reason] ?? []), line];
    summary.skipped++;
  };
  try {
    for await (const { record, info } of parser as AsyncIterable<{
      record: Record<string, string>;
      info: { lines: number };
    }>) {
      if (summary.read === 0 && !('account_number' in record)) {
        throw new UsageError(`${file}:1: missing column account_number`);
      }
      summary.read++;
      const number = (record.account_number ?? '').trim();
      if (!number) {
        skip('missing_account_number', info.lines);
        continue;
      }
      if (seen.has(number)) {
        summary.duplicates++;
        continue;
      }
      seen.add(number);
      const entries = (record.handles ?? '')
        .split(/[;|]/)
        .map((h) => h.trim())
        .filter(Boolean);
      const handles = entries.map((h) => {
        const [channel, ...rest] = h.split(':');
        return {
          channel: (channel ?? '').trim().toLowerCase(),
          handle: rest.join(':').trim().replace(/^@/, '').toLowerCase(),
        };
      });
      if (handles.some((h) => !/^[a-z][a-z0-9_-]*$/.test(h.channel) || !h.handle)) {
        skip('invalid_handles', info.lines);
        continue;
      }
      const email = record.email?.trim();
      if (email && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) {
        skip('invalid_email', info.lines);
        continue;
      }
      const attributes = Object.fromEntries(
        Object.entries(record).filter(([k, v]) => !KNOWN.includes(k) && v !== ''),
      );
      const row = await upsertCustomerAccount(db, {
        accountNumber: number,
        name: record.name ?? '',
        email: record.email,
        phone: record.phone,
        plan: record.plan,
        status: record.status,
        attributes,
        knownHandles: handles,
      });
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
