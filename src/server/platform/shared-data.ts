import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** `../shared/data` beside the repository: real data for tests, evaluations and benchmarks, never copied in. */
export const sharedDataDir = resolve(dirname(fileURLToPath(import.meta.url)), '../../../../shared/data');

/** The path of a shared data file; throws a clear error when the folder or file is missing. */
export function sharedDataPath(...parts: string[]): string {
  const path = join(sharedDataDir, ...parts);
  if (!existsSync(path)) {
    throw new Error(
      `Shared test data not found: ${path} (expected the data folder at ../shared/data beside the repository)`,
    );
  }
  return path;
}
