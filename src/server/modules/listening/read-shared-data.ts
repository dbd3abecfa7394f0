import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';

/** `../shared/data` beside the repository (real data that is never copied into the repository). */
export const sharedDataDir = resolve(dirname(fileURLToPath(import.meta.url)), '../../../../../shared/data');

/** The path of a shared data file; throws a clear error when the folder or file is missing. */
export function sharedDataPath(name: string): string {
  const path = join(sharedDataDir, name);
  if (!existsSync(path)) {
    throw new Error(
      `Shared test data not found: ${path} (expected the data folder at ../shared/data beside the repository)`,
    );
  }
  return path;
}

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
