import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../platform/db/client.ts';
import { UsageError } from '../../platform/errors.ts';
import { createTestDatabase, drivers } from '../../testing/test-db.ts';
import { type Io, runClassify, runEval, runTrain } from './cli-commands.ts';
import { listModels } from './store-models.ts';

function capture(): Io & { out: () => string; err: () => string } {
  let out = '';
  let err = '';
  return {
    stdout: { write: (s: string) => (out += s) },
    stderr: { write: (s: string) => (err += s), isTTY: false },
    out: () => out,
    err: () => err,
  };
}

const dir = mkdtempSync(join(tmpdir(), 'earshot-triage-'));
const file = (name: string, content: string | Buffer) => {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
};

// Synthetic, written for this test: complaints, questions and thanks about a fictional ISP.
const examples: [string, string][] = [
  ['my internet is down again', 'negative'],
  ['worst service ever, no signal all day', 'negative'],
  ['still no connection, this is ridiculous', 'negative'],
  ['the router keeps dropping, so annoying', 'negative'],
  ['charged twice and nobody helps', 'negative'],
  ['what time does the store open', 'neutral'],
  ['how do I change my plan', 'neutral'],
  ['is there an outage in 19103', 'neutral'],
  ['can I move my appointment to friday', 'neutral'],
  ['where can I find my bill', 'neutral'],
  ['thank you, all fixed now', 'positive'],
  ['great support today, thanks', 'positive'],
  ['love the new app, well done', 'positive'],
  ['the technician was lovely, thank you', 'positive'],
  ['fast and friendly help, cheers', 'positive'],
];
const csv = (rows: [string, string][]) =>
  `id,message,feeling\n${rows.map(([t, l], i) => `${i},"${t.replaceAll('"', '""')}",${l}`).join('\n')}\n`;
const trainFile = file(
  'train.csv',
  csv([...examples, ...examples.map(([t, l]) => [`@isp ${t}!`, l] as [string, string])]),
);

describe.each(drivers)('train, classify and eval commands (%s)', (driver) => {
  let database: Database;
  beforeAll(async () => {
    database = await createTestDatabase(driver);
  });
  afterAll(async () => {
    await database?.close();
  });

  it('train stores a model, activates the first of its task, and reports a held-out score', async () => {
    const io = capture();
    const r = await runTrain(
      {
        task: 'sentiment',
        input: trainFile,
        textColumn: 'message',
        labelColumn: 'feeling',
        name: 'isp-sentiment',
      },
      database.db,
      io,
    );
    expect(io.out()).toMatch(/trained sentiment model "isp-sentiment" .* on 30 examples/);
    expect(io.out()).toMatch(/held-out macro-F1 [01]\.\d{3}/);
    expect(r.metrics.holdout).toBeDefined();
    const [model] = await listModels(database.db, 'sentiment');
    expect(model).toMatchObject({
      id: r.id,
      name: 'isp-sentiment',
      active: true,
      labels: ['negative', 'neutral', 'positive'],
    });
    expect(model!.sizeBytes).toBeGreaterThan(0);

    const second = capture();
    await runTrain(
      {
        task: 'sentiment',
        input: trainFile,
        textColumn: 'message',
        labelColumn: 'feeling',
        name: 'isp-v2',
        json: true,
      },
      database.db,
      second,
    );
    const summary = JSON.parse(second.out().trim().split('\n').at(-1)!);
    expect(summary).toMatchObject({ name: 'isp-v2', examples: 30, active: false });
  });

  it('classify writes one JSON line per row with every signal, using the stored model', async () => {
    const input = file(
      'posts.csv',
      'body\n"@isp internet down again, ridiculous"\n"thanks, great help"\n"mail me at jane@example.com"\n',
    );
    const output = join(dir, `out-${driver}.jsonl`);
    const io = capture();
    await runClassify({ input, textColumn: 'body', output, model: 'isp-sentiment' }, database.db, io);
    const lines = readFileSync(output, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatchObject({
      row: 1,
      sentiment: 'negative',
      intent: 'outage',
      actionable: true,
      language: 'en',
    });
    expect(lines[0].models.sentiment).toBe('model:isp-sentiment');
    expect(lines[1]).toMatchObject({ row: 2, sentiment: 'positive', actionable: false });
    expect(lines[2].pii).toEqual([{ kind: 'email', start: 11, end: 27 }]);
    expect(io.err()).toMatch(/classified 3 rows with sentiment=isp-sentiment/);
  });

  it('eval scores the active model on a file; the last line is the macro-F1', async () => {
    const io = capture();
    const report = await runEval(
      { task: 'sentiment', input: trainFile, textColumn: 'message', labelColumn: 'feeling' },
      database.db,
      io,
    );
    expect(io.out()).toContain('stored model "isp-sentiment"');
    expect(io.out()).toContain('confusion matrix');
    expect(io.out().trim().split('\n').at(-1)).toBe(`macro-F1 ${report.macroF1.toFixed(3)}`);
    expect(report.macroF1).toBeGreaterThan(0.9);
  });

  it('rejects an unknown model name', async () => {
    await expect(
      runClassify({ input: trainFile, textColumn: 'message', model: 'nope' }, database.db, capture()),
    ).rejects.toThrow(/no stored model named "nope"/);
  });
});

describe('bad input is a usage error naming the file, line or column', () => {
  const evalOn = (input: string, over: Partial<Parameters<typeof runEval>[0]> = {}) =>
    runEval(
      { task: 'sentiment', input, textColumn: 'message', labelColumn: 'feeling', folds: 2, ...over },
      undefined,
      capture(),
    );

  it.each([
    ['a missing file', () => evalOn(join(dir, 'missing.csv')), /missing\.csv: no such file/],
    ['an empty file', () => evalOn(file('empty.csv', '')), /empty\.csv: empty file/],
    [
      'a header without rows',
      () => evalOn(file('header.csv', 'message,feeling\n')),
      /header\.csv: no data rows/,
    ],
    [
      'a missing column',
      () => evalOn(trainFile, { textColumn: 'text' }),
      /train\.csv: no column "text" \(--text-column\); columns are: id, message, feeling/,
    ],
    [
      'bytes that are not UTF-8',
      () =>
        evalOn(
          file(
            'latin1.csv',
            Buffer.concat([
              Buffer.from('message,feeling\n'),
              Buffer.from([0x63, 0x61, 0x66, 0xe9]),
              Buffer.from(',neutral\n'),
            ]),
          ),
        ),
      /latin1\.csv:2: not valid UTF-8/,
    ],
    [
      'an unknown sentiment label',
      () => evalOn(file('labels.csv', 'message,feeling\nfine,neutral\nmeh,so-so\n')),
      /labels\.csv:3: sentiment label "so-so"/,
    ],
    [
      'an unclosed quote',
      () => evalOn(file('quote.csv', 'message,feeling\n"ok,neutral\nfine,neutral\n')),
      /quote\.csv:\d+: /,
    ],
    [
      'a bad task',
      () => evalOn(trainFile, { task: 'mood' }),
      /--task must be one of sentiment, intent, actionable/,
    ],
    ['bad folds', () => evalOn(trainFile, { folds: 1 }), /--folds must be a whole number from 2 to 50/],
  ])('%s', async (_what, run, message) => {
    const err = await run().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UsageError);
    expect((err as Error).message).toMatch(message);
  });

  it('skips rows without a label and says which', async () => {
    const io = capture();
    await runEval(
      {
        task: 'sentiment',
        input: file('gaps.csv', csv([...examples, ['no label here', '']])),
        textColumn: 'message',
        labelColumn: 'feeling',
        folds: 2,
      },
      undefined,
      io,
    );
    expect(io.err()).toMatch(/skipped 1 rows \(.*gaps\.csv:17 empty feeling\)/);
  });
});
