import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { type NormalisedPost, normalisedPostSchema } from '../../../common/post.schema.ts';
import { assertReadableFile } from '../../platform/files.ts';
import { type ImportSink, type ImportSummary, newSummary } from './import-summary.ts';

/** Imports normalised posts, one JSON object a line; bad lines are skipped with their line and field. */
export async function importJsonl(
  file: string,
  sink: ImportSink,
  opts: { batchSize?: number; onProgress?: (s: ImportSummary) => void } = {},
): Promise<ImportSummary> {
  const summary = newSummary();
  await assertReadableFile(file);
  const stream = createReadStream(file);
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
