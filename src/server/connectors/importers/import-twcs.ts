import { createReadStream } from 'node:fs';
import { parse } from 'csv-parse';
import type { NormalisedPost } from '../../../common/post.schema.ts';
import { UsageError } from '../../platform/errors.ts';
import { assertReadableFile } from '../../platform/files.ts';
import { fixBareCarriageReturns } from './bare-cr-fix.ts';
import { type ImportSink, type ImportSummary, newSummary } from './import-summary.ts';

const REQUIRED = [
  'tweet_id',
  'author_id',
  'inbound',
  'created_at',
  'text',
  'response_tweet_id',
  'in_response_to_tweet_id',
];

/** `3.0` → `3`; empty → undefined; other text kept as is. */
export function normaliseId(v: string | undefined): string | undefined {
  const s = (v ?? '').trim();
  if (!s) return undefined;
  const m = /^(\d+)\.0+$/.exec(s);
  return m ? m[1] : s;
}

/**
 * Streams the Kaggle "Customer Support on Twitter" CSV (with or without a leading pandas index
 * column, float-formatted ids, CRLF or LF, stray bare CR in fields) into normalised posts.
 * Posts by brand handles (`inbound=False`, or a `--brand` handle) are outbound agent replies;
 * `in_response_to_tweet_id` chains become conversations.
 */
export async function importTwcs(
  file: string,
  sink: ImportSink,
  opts: { brands?: string[]; batchSize?: number; onProgress?: (s: ImportSummary) => void } = {},
): Promise<ImportSummary> {
  const summary = newSummary();
  const brands = new Set((opts.brands ?? []).map((b) => b.replace(/^@/, '').toLowerCase()));
  await assertReadableFile(file);
  const parser = createReadStream(file)
    .pipe(fixBareCarriageReturns())
    .pipe(
      parse({
        bom: true,
        relax_column_count: true,
        relax_quotes: true,
        skip_empty_lines: true,
        info: true,
      }),
    );
  let header: string[] | null = null;
  let offset = 0;
  let batch: NormalisedPost[] = [];
  const seen = new Set<string>();
  const flush = async () => {
    if (!batch.length) return;
    const outcomes = await sink(batch);
    summary.addOutcomes(outcomes);
    batch = [];
    opts.onProgress?.(summary);
  };
  try {
    for await (const rec of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      const { record, info } = rec;
      if (!header) {
        header = record.map((h) => h.trim());
        const missing = REQUIRED.filter((c) => !header!.includes(c));
        if (missing.length) {
          throw new UsageError(
            `${file}:${info.lines}: not a twcs CSV: missing column(s) ${missing.join(', ')}`,
          );
        }
        offset = header.indexOf('tweet_id');
        continue;
      }
      summary.read++;
      const col = (name: string) => record[header!.indexOf(name)] ?? '';
      if (record.length < REQUIRED.length + offset) {
        summary.skip('too_few_columns', info.lines);
        continue;
      }
      const id = normaliseId(col('tweet_id'));
      const author = col('author_id').trim();
      const createdAt = new Date(col('created_at'));
      if (!id || !/^\d+$/.test(id)) {
        summary.skip('invalid_tweet_id', info.lines);
        continue;
      }
      if (!author) {
        summary.skip('missing_author', info.lines);
        continue;
      }
      if (Number.isNaN(createdAt.getTime())) {
        summary.skip('invalid_created_at', info.lines);
        continue;
      }
      if (seen.has(id)) {
        summary.duplicates++;
        continue;
      }
      seen.add(id);
      const inbound = col('inbound').trim().toLowerCase();
      const fromBrand = inbound === 'false' || brands.has(author.toLowerCase());
      const inReplyTo = normaliseId(col('in_response_to_tweet_id'));
      batch.push({
        channel: 'x',
        externalId: id,
        author: { externalId: author, handle: author },
        text: col('text'),
        createdAt: createdAt.toISOString(),
        direction: fromBrand ? 'outbound' : 'inbound',
        // The data set holds conversations with brand care accounts: every customer tweet in it addresses a brand.
        toBrand: !fromBrand,
        ...(inReplyTo ? { inReplyTo } : {}),
        url: `https://x.com/${encodeURIComponent(author)}/status/${id}`,
        raw: {
          twcsResponseTweetIds: (col('response_tweet_id') || '').split(',').map(normaliseId).filter(Boolean),
        },
      });
      if (batch.length >= (opts.batchSize ?? 500)) await flush();
    }
  } catch (err) {
    if (err instanceof UsageError) throw err;
    const e = err as NodeJS.ErrnoException & { lines?: number };
    if (e.code === 'ENOENT') throw new UsageError(`${file}: no such file`);
    if (e.code === 'EISDIR') throw new UsageError(`${file}: is a directory`);
    if (e.code?.startsWith('CSV_')) throw new UsageError(`${file}:${e.lines ?? '?'}: ${e.message}`);
    throw err;
  }
  if (!header) throw new UsageError(`${file}:1: empty file (expected a twcs CSV header)`);
  await flush();
  return summary;
}
