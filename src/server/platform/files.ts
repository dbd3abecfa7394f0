import { stat } from 'node:fs/promises';
import { UsageError } from './errors.ts';

/** A clear usage error (exit 2) for a missing file or a directory, before any streaming starts. */
export async function assertReadableFile(file: string): Promise<void> {
  try {
    const st = await stat(file);
    if (st.isDirectory()) throw new UsageError(`${file}: is a directory`);
  } catch (err) {
    if (err instanceof UsageError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    throw new UsageError(code === 'ENOENT' ? `${file}: no such file` : `${file}: ${(err as Error).message}`);
  }
}
