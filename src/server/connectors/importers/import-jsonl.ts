import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { type NormalisedPost, normalisedPostSchema } from '../../../common/post.schema.ts';
import { UsageError } from '../../platform/errors.ts';
import { type ImportSink, type ImportSummary, newSummary } from './import-summary.ts';

/** Imports normalised posts, one JSON object a line; bad lines are skipped with their line and field. */
export async function importJsonl(
  file: string,
  sink: ImportSink,
  opts: { batchSize?: number; onProgress?: (s: ImportSummary) => void } = {},
): Promise<ImportSummary> {
  const summary = newSummary();
  const stream = createReadStream(file);
  await new Promise<void>((resolve, reject) => {
    stream.once('open', () => resolve());
    stream.once('error', (e: NodeJS.ErrnoException) =>
      reject(new UsageError(e.code === 'ENOENT' ? `${file}: no such file` : `${file}: ${e.message}`)),
    );
  });
  const rl = createInterface({ input: stream, crlfDelay: Number.POSITIVE_INFINITY });
  let line = 0;
  let batch: NormalisedPost[] = [];
  for await (const text of rl) {
    line++;
    if (!text.trim()) continue;
    summary.read++;
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (e) {
      summary.skip(`invalid_json`, line);
      process.stderr.write(`${file}:${line}: invalid JSON (${(e as Error).message})\n`);
      continue;
    }
    const parsed = normalisedPostSchema.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      const field = issue.path.join('.') || '(root)';
      summary.skip(`invalid_field:${field}`, line);
      process.stderr.write(`${file}:${line}: field ${field}: ${issue.message}\n`);
      continue;
    }
    batch.push(parsed.data);
    if (batch.length >= (opts.batchSize ?? 500)) {
      summary.addOutcomes(await sink(batch));
      batch = [];
      opts.onProgress?.(summary);
    }
  }
  if (batch.length) summary.addOutcomes(await sink(batch));
  return summary;
}
