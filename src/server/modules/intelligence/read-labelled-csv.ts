import { readFile } from 'node:fs/promises';
import { parse } from 'csv-parse/sync';
import { UsageError } from '../../platform/errors.ts';
import { assertReadableFile } from '../../platform/files.ts';

export type CsvRow = {
  /** 1-based data row (the header is row 0). */
  row: number;
  /** Line of the file where the row starts, for messages. */
  line: number;
  text: string;
  label?: string;
};

export type CsvReadResult = { rows: CsvRow[]; skipped: { line: number; reason: string }[] };

function lineOfOffset(bytes: Buffer, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < bytes.length; i++) if (bytes[i] === 10) line++;
  return line;
}

/**
 * Reads a CSV file with a header row and returns the text (and label) column of every row.
 * Bad input becomes a UsageError naming the file and line or column: a missing file, an empty
 * file, bytes that are not UTF-8, malformed quoting, a missing column. Rows whose text (or label,
 * when one is asked for) is empty are skipped and reported.
 */
export async function readLabelledCsv(
  file: string,
  textColumn: string,
  labelColumn?: string,
): Promise<CsvReadResult> {
  await assertReadableFile(file);
  const bytes = await readFile(file);
  if (bytes.length === 0 || bytes.toString('utf8').trim() === '') throw new UsageError(`${file}: empty file`);
  let content: string;
  try {
    content = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    // find the first invalid sequence to point at its line
    const clean = Buffer.from(bytes.toString('utf8'), 'utf8');
    let at = 0;
    while (at < bytes.length && at < clean.length && bytes[at] === clean[at]) at++;
    throw new UsageError(
      `${file}:${lineOfOffset(bytes, at)}: not valid UTF-8 (byte ${at}); convert the file to UTF-8`,
    );
  }
  let records: { record: Record<string, string>; info: { lines: number } }[];
  try {
    records = parse(content, {
      columns: true,
      bom: true,
      info: true,
      skip_empty_lines: true,
      relax_column_count: true,
    }) as unknown as typeof records;
  } catch (err) {
    const e = err as Error & { lines?: number };
    throw new UsageError(`${file}:${e.lines ?? '?'}: ${e.message.replace(/^Invalid [^:]*: /, '')}`);
  }
  if (records.length === 0) throw new UsageError(`${file}: no data rows under the header`);
  const columns = Object.keys(records[0]!.record);
  for (const [flag, col] of [
    ['--text-column', textColumn],
    ['--label-column', labelColumn],
  ] as const) {
    if (col !== undefined && !columns.includes(col)) {
      throw new UsageError(`${file}: no column "${col}" (${flag}); columns are: ${columns.join(', ')}`);
    }
  }
  const rows: CsvRow[] = [];
  const skipped: CsvReadResult['skipped'] = [];
  records.forEach(({ record, info }, i) => {
    const line = info.lines;
    const text = record[textColumn] ?? '';
    const label = labelColumn === undefined ? undefined : (record[labelColumn] ?? '').trim();
    if (labelColumn !== undefined && !label) {
      skipped.push({ line, reason: `empty ${labelColumn}` });
      return;
    }
    if (labelColumn !== undefined && !text.trim()) {
      skipped.push({ line, reason: `empty ${textColumn}` });
      return;
    }
    rows.push({ row: i + 1, line, text, ...(label === undefined ? {} : { label }) });
  });
  return { rows, skipped };
}
