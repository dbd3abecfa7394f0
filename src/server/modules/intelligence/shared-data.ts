import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** `../shared/data` beside the repository: real data for tests and evaluations, never copied in. */
const SHARED_DATA = resolve(dirname(fileURLToPath(import.meta.url)), '../../../../../shared/data');

/** Path of a shared data file; throws a clear error when it is missing. */
export function sharedDataFile(name: string): string {
  const path = join(SHARED_DATA, name);
  if (!existsSync(path)) {
    throw new Error(`Shared test data not found: ${path} (expected ../shared/data beside the repository)`);
  }
  return path;
}
