import { readdirSync, readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { sharedDataPath } from '../../platform/shared-data.ts';

export { sharedDataDir, sharedDataPath } from '../../platform/shared-data.ts';

/** The tweet texts of a Kaggle "Customer Support on Twitter" CSV (with or without an index column). */
export function readTwcsTexts(path: string): string[] {
  const rows = parse(readFileSync(path), {
    columns: true,
    relax_quotes: true,
    skip_empty_lines: true,
  }) as Record<string, string>[];
  return rows.map((r) => r.text ?? '').filter((t) => t.length > 0);
}

/** The file names in a shared data sub-folder. */
export function listSharedData(folder: string): string[] {
  return readdirSync(sharedDataPath(folder));
}
