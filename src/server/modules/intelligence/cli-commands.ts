// `earshot train | classify | eval`: runners taking parsed options, a database handle and the
// output streams; `triageCommands` adds argv parsing for src/server/cli-commands.ts.
import { createWriteStream } from 'node:fs';
import { parseArgs } from 'node:util';
import type { Db } from '../../platform/db/client.ts';
import { UsageError } from '../../platform/errors.ts';
import { classifyIntent } from './classify-intent.ts';
import { crossValidate, holdOutSplit } from './cross-validate.ts';
import { detectActionable } from './detect-actionable.ts';
import { enrichPost, type LoadedModel, parseActionableLabel, type TriageModels } from './enrich-post.ts';
import { type EvaluationReport, evaluatePredictions, formatReport } from './evaluate-classifier.ts';
import type { TriageTask } from './intelligence.schema.ts';
import { prepareText } from './normalise-text.ts';
import { type CsvRow, readLabelledCsv } from './read-labelled-csv.ts';
import { scoreSentiment } from './score-sentiment.ts';
import { findModel, loadActiveModels, loadModel, saveModel, TRIAGE_TASKS } from './store-models.ts';
import {
  type Algorithm,
  DEFAULT_TRAIN_OPTIONS,
  predictText,
  type TrainOptions,
  type TrainProgress,
  trainClassifier,
} from './train-classifier.ts';

export type Output = { write(chunk: string): unknown; isTTY?: boolean };
export type Io = { stdout: Output; stderr: Output };

export type TrainCommandOptions = {
  task: string;
  input: string;
  textColumn: string;
  labelColumn: string;
  name?: string;
  /** Make the new model active even when the task already has an active model. */
  activate?: boolean;
  algorithm?: string;
  seed?: number;
  json?: boolean;
};

export type ClassifyCommandOptions = { input: string; textColumn: string; model?: string; output?: string };

export type EvalCommandOptions = {
  task: string;
  input: string;
  textColumn: string;
  labelColumn: string;
  model?: string;
  folds?: number;
  seed?: number;
  json?: boolean;
};

const ALGORITHMS: readonly Algorithm[] = ['ensemble', 'nbsvm', 'logreg'];

function parseTask(task: string | undefined): TriageTask {
  if (!task || !(TRIAGE_TASKS as readonly string[]).includes(task)) {
    throw new UsageError(`--task must be one of ${TRIAGE_TASKS.join(', ')} (got ${task ?? 'nothing'})`);
  }
  return task as TriageTask;
}

/** Normalises labels per task; an unusable label is bad input naming its file and line. */
function normaliseLabels(task: TriageTask, rows: CsvRow[], file: string): string[] {
  return rows.map((r) => {
    const raw = r.label!.trim();
    if (task === 'sentiment') {
      const l = raw.toLowerCase();
      if (l === 'negative' || l === 'neutral' || l === 'positive') return l;
      throw new UsageError(
        `${file}:${r.line}: sentiment label "${raw}" is not negative, neutral or positive`,
      );
    }
    if (task === 'actionable') {
      const b = parseActionableLabel(raw);
      if (b === undefined)
        throw new UsageError(`${file}:${r.line}: actionable label "${raw}" is not true/false or yes/no`);
      return String(b);
    }
    return raw.toLowerCase();
  });
}

function reportSkipped(io: Io, file: string, skipped: { line: number; reason: string }[]): void {
  if (skipped.length === 0) return;
  const shown = skipped
    .slice(0, 5)
    .map((s) => `${file}:${s.line} ${s.reason}`)
    .join('; ');
  io.stderr.write(`skipped ${skipped.length} rows (${shown}${skipped.length > 5 ? '; …' : ''})\n`);
}

function progressPrinter(io: Io): (p: TrainProgress & { fold?: number; folds?: number }) => void {
  if (!io.stderr.isTTY) return () => {};
  return (p) => {
    const fold = p.fold ? `fold ${p.fold}/${p.folds} ` : '';
    io.stderr.write(`\r${fold}${p.stage} epoch ${p.epoch}/${p.epochs}   `);
  };
}

function endProgress(io: Io): void {
  if (io.stderr.isTTY) io.stderr.write('\r\x1b[K');
}

function trainOptions(algorithm: string | undefined, seed: number | undefined): Partial<TrainOptions> {
  if (algorithm !== undefined && !(ALGORITHMS as readonly string[]).includes(algorithm)) {
    throw new UsageError(`--algorithm must be one of ${ALGORITHMS.join(', ')} (got ${algorithm})`);
  }
  return {
    ...(algorithm ? { algorithm: algorithm as Algorithm } : {}),
    ...(seed === undefined ? {} : { seed }),
  };
}

function metricsOf(report: EvaluationReport): Record<string, unknown> {
  return {
    examples: report.examples,
    accuracy: round(report.accuracy),
    macroF1: round(report.macroF1),
    perClass: report.perClass.map((m) => ({
      ...m,
      precision: round(m.precision),
      recall: round(m.recall),
      f1: round(m.f1),
    })),
    confusion: report.confusion,
    labels: report.labels,
  };
}

function round(v: number): number {
  return Math.round(v * 10000) / 10000;
}

/**
 * `earshot train`: measures the model on a stratified 20 % hold-out, trains it on every row,
 * stores it (a new version) and makes it active when its task has no active model yet (or with
 * `activate`). Progress goes to stderr on a TTY; the result to stdout.
 */
export async function runTrain(
  opts: TrainCommandOptions,
  db: Db,
  io: Io,
): Promise<{ id: string; metrics: Record<string, unknown> }> {
  const task = parseTask(opts.task);
  const options = trainOptions(opts.algorithm, opts.seed);
  const { rows, skipped } = await readLabelledCsv(opts.input, opts.textColumn, opts.labelColumn);
  reportSkipped(io, opts.input, skipped);
  const labels = normaliseLabels(task, rows, opts.input);
  const texts = rows.map((r) => r.text);
  const distinct = new Set(labels);
  if (distinct.size < 2)
    throw new UsageError(`${opts.input}: need at least two different labels in ${opts.labelColumn}`);
  const progress = progressPrinter(io);
  const started = performance.now();

  let metrics: Record<string, unknown> = {};
  if (rows.length >= 20) {
    const { train, test } = holdOutSplit(labels, 0.2, options.seed ?? DEFAULT_TRAIN_OPTIONS.seed);
    const probe = trainClassifier(
      train.map((i) => texts[i]!),
      train.map((i) => labels[i]!),
      options,
      (p) => progress({ ...p, stage: `hold-out ${p.stage}` }),
    );
    const report = evaluatePredictions(
      test.map((i) => labels[i]!),
      test.map((i) => predictText(probe, texts[i]!).label),
      probe.labels,
    );
    metrics = { holdout: metricsOf(report) };
  }
  const classifier = trainClassifier(texts, labels, options, progress);
  endProgress(io);
  const seconds = (performance.now() - started) / 1000;

  const active = await loadActiveModels(db);
  const activate = Boolean(opts.activate) || !active[task];
  const name = opts.name ?? `${task}-${new Date().toISOString().slice(0, 19).replace(/[-:T]/g, '')}`;
  const row = await saveModel(
    db,
    {
      task,
      name,
      classifier,
      params: {
        train: { ...DEFAULT_TRAIN_OPTIONS, ...options, features: undefined },
        seconds: round(seconds),
      },
      metrics,
      trainedOn: { examples: rows.length, source: opts.input },
      activate,
    },
    { userId: null, label: 'cli' },
  );
  const holdout = metrics.holdout as { macroF1: number; accuracy: number } | undefined;
  const summary = {
    id: row.id,
    task,
    name,
    algorithm: classifier.algorithm,
    labels: classifier.labels,
    examples: rows.length,
    skipped: skipped.length,
    seconds: round(seconds),
    active: row.active,
    ...(holdout ? { holdoutMacroF1: holdout.macroF1, holdoutAccuracy: holdout.accuracy } : {}),
  };
  if (opts.json) io.stdout.write(`${JSON.stringify(summary)}\n`);
  else {
    io.stdout.write(
      `trained ${task} model "${name}" (${row.id}) on ${rows.length} examples in ${seconds.toFixed(1)} s` +
        (holdout
          ? `; held-out macro-F1 ${holdout.macroF1.toFixed(3)}, accuracy ${holdout.accuracy.toFixed(3)}`
          : '') +
        `\n${row.active ? 'active: classify and the pipeline use it now' : `not active (the task already has one); activate with --activate or POST /api/v1/models/${row.id}/activate`}\n`,
    );
  }
  return { id: row.id, metrics };
}

async function modelsFor(
  db: Db | undefined,
  name: string | undefined,
): Promise<{ models: TriageModels; used: string[] }> {
  const models: TriageModels = db ? await loadActiveModels(db) : {};
  if (name) {
    if (!db) throw new UsageError('--model needs the database (--data DIR or DATABASE_URL)');
    const row = await findModel(db, name);
    if (!row) throw new UsageError(`no stored model named "${name}" (see GET /api/v1/models)`);
    models[row.task] = loadModel(row);
  }
  const used = Object.entries(models).map(([task, m]) => `${task}=${(m as LoadedModel).name}`);
  return { models, used };
}

/**
 * `earshot classify`: one JSON line per input row with every triage signal, using the active
 * (or `--model`) trained models and the built-in rules for the other tasks.
 */
export async function runClassify(
  opts: ClassifyCommandOptions,
  db: Db | undefined,
  io: Io,
): Promise<{ rows: number }> {
  const { rows, skipped } = await readLabelledCsv(opts.input, opts.textColumn);
  reportSkipped(io, opts.input, skipped);
  const { models, used } = await modelsFor(db, opts.model);
  const out = opts.output ? createWriteStream(opts.output) : undefined;
  const opened = out
    ? new Promise<void>((resolve, reject) => {
        out.once('open', () => resolve());
        out.once('error', (err) => reject(new UsageError(`${opts.output}: ${err.message}`)));
      })
    : Promise.resolve();
  await opened;
  const write = (s: string) => (out ? out.write(s) : io.stdout.write(s));
  for (const r of rows) {
    const e = enrichPost(r.text, { models, toBrand: true });
    write(
      `${JSON.stringify({
        row: r.row,
        sentiment: e.sentiment,
        sentimentScore: e.sentimentScore,
        intent: e.intent,
        actionable: e.actionable,
        language: e.lang,
        serviceRecovery: e.serviceRecovery,
        serviceRecoveryReasons: e.signals.serviceRecoveryReasons ?? [],
        pii: e.pii,
        models: {
          sentiment: e.signals.sentimentSource,
          intent: e.signals.intentSource,
          actionable: String(e.signals.actionableReason).startsWith('model:')
            ? e.signals.actionableReason
            : 'rules',
        },
      })}\n`,
    );
  }
  if (out)
    await new Promise<void>((resolve, reject) =>
      out.end((err?: Error | null) => (err ? reject(err) : resolve())),
    );
  io.stderr.write(
    `classified ${rows.length} rows${used.length ? ` with ${used.join(', ')}` : ' with the built-in models'}\n`,
  );
  return { rows: rows.length };
}

function builtInPrediction(task: TriageTask, text: string): string {
  if (task === 'sentiment') return scoreSentiment(prepareText(text).tokens).label;
  const intent = classifyIntent(text).intent;
  if (task === 'intent') return intent;
  const sentiment = scoreSentiment(prepareText(text).tokens).label;
  return String(detectActionable(intent, sentiment, { toBrand: true }).actionable);
}

/**
 * `earshot eval`: with `folds`, K-fold cross-validation of training and evaluation on the file;
 * otherwise evaluates the named (or active, or built-in) model on it. Prints accuracy, per-class
 * precision/recall/F1 and the confusion matrix; the last line is `macro-F1 0.NNN`.
 */
export async function runEval(
  opts: EvalCommandOptions,
  db: Db | undefined,
  io: Io,
): Promise<EvaluationReport> {
  const task = parseTask(opts.task);
  if (opts.folds !== undefined && (!Number.isInteger(opts.folds) || opts.folds < 2 || opts.folds > 50)) {
    throw new UsageError(`--folds must be a whole number from 2 to 50 (got ${opts.folds})`);
  }
  const { rows, skipped } = await readLabelledCsv(opts.input, opts.textColumn, opts.labelColumn);
  reportSkipped(io, opts.input, skipped);
  const labels = normaliseLabels(task, rows, opts.input);
  const texts = rows.map((r) => r.text);
  let report: EvaluationReport;
  let title: string;
  if (opts.folds !== undefined) {
    let base: Partial<TrainOptions> = {};
    if (opts.model) {
      if (!db) throw new UsageError('--model needs the database (--data DIR or DATABASE_URL)');
      const row = await findModel(db, opts.model);
      if (!row) throw new UsageError(`no stored model named "${opts.model}"`);
      const stored = (row.params as { train?: Partial<TrainOptions> }).train ?? {};
      base = { ...stored, features: loadModel(row).classifier.features };
    }
    const options = { ...base, ...(opts.seed === undefined ? {} : { seed: opts.seed }) };
    const started = performance.now();
    report = crossValidate(texts, labels, opts.folds, options, progressPrinter(io));
    endProgress(io);
    const algorithm = options.algorithm ?? DEFAULT_TRAIN_OPTIONS.algorithm;
    title = `${task}: ${opts.folds}-fold stratified cross-validation of ${algorithm} on ${opts.input} (${((performance.now() - started) / 1000).toFixed(1)} s)`;
  } else {
    const { models } = await modelsFor(db, opts.model);
    const model = models[task];
    if (model) {
      const predicted = texts.map((t) => predictText(model.classifier, t).label);
      report = evaluatePredictions(
        labels,
        predicted,
        [...new Set([...model.classifier.labels, ...labels])].sort(),
      );
      title = `${task}: stored model "${model.name}" on ${opts.input}`;
    } else {
      report = evaluatePredictions(
        labels,
        texts.map((t) => builtInPrediction(task, t)),
      );
      title = `${task}: built-in rules on ${opts.input}`;
    }
  }
  if (opts.json) io.stdout.write(`${JSON.stringify({ title, ...metricsOf(report) })}\n`);
  else io.stdout.write(`${formatReport(report, title)}\n`);
  return report;
}

type WithDb = <T>(data: string | undefined, fn: (db: Db) => Promise<T>) => Promise<T>;
type Runnable = { usage: string; describe: string; run: (argv: string[]) => Promise<void> };

function parse(
  argv: string[],
  options: Record<string, { type: 'string' | 'boolean' }>,
): Record<string, string | boolean | undefined> {
  try {
    return parseArgs({ args: argv, options: { ...options, data: { type: 'string' } }, strict: true })
      .values as Record<string, string | boolean | undefined>;
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}

function required(values: Record<string, string | boolean | undefined>, name: string): string {
  const v = values[name];
  if (typeof v !== 'string' || v === '') throw new UsageError(`--${name} is required`);
  return v;
}

function optionalInt(values: Record<string, string | boolean | undefined>, name: string): number | undefined {
  const v = values[name];
  if (v === undefined) return undefined;
  const n = Number(v);
  if (typeof v !== 'string' || !Number.isInteger(n))
    throw new UsageError(`--${name} must be a whole number (got ${v})`);
  return n;
}

const io: Io = { stdout: process.stdout, stderr: process.stderr };
const str = { type: 'string' } as const;
const bool = { type: 'boolean' } as const;

/**
 * The three commands with their argv parsing, for `src/server/cli-commands.ts`. `withDb` opens
 * the database of `--data DIR` / `DATABASE_URL` for the duration of a call.
 */
export function triageCommands(withDb: WithDb): Record<string, Runnable> {
  return {
    train: {
      usage:
        'earshot train --task sentiment|intent|actionable --input FILE.csv --text-column C --label-column L [--name NAME] [--activate] [--algorithm ensemble|nbsvm|logreg] [--seed N] [--json] [--data DIR]',
      describe: 'Train a triage model from labelled examples and store it for use',
      run: async (argv) => {
        const v = parse(argv, {
          task: str,
          input: str,
          'text-column': str,
          'label-column': str,
          name: str,
          activate: bool,
          algorithm: str,
          seed: str,
          json: bool,
        });
        const opts: TrainCommandOptions = {
          task: required(v, 'task'),
          input: required(v, 'input'),
          textColumn: required(v, 'text-column'),
          labelColumn: required(v, 'label-column'),
          name: v.name as string | undefined,
          activate: Boolean(v.activate),
          algorithm: v.algorithm as string | undefined,
          seed: optionalInt(v, 'seed'),
          json: Boolean(v.json),
        };
        parseTask(opts.task);
        await withDb(v.data as string | undefined, (db) => runTrain(opts, db, io));
      },
    },
    classify: {
      usage: 'earshot classify --input FILE.csv --text-column C [--model NAME] [--output FILE] [--data DIR]',
      describe: 'Write one JSON line of triage signals per input row',
      run: async (argv) => {
        const v = parse(argv, { input: str, 'text-column': str, model: str, output: str });
        const opts: ClassifyCommandOptions = {
          input: required(v, 'input'),
          textColumn: required(v, 'text-column'),
          model: v.model as string | undefined,
          output: v.output as string | undefined,
        };
        await withDb(v.data as string | undefined, (db) => runClassify(opts, db, io));
      },
    },
    eval: {
      usage:
        'earshot eval --task sentiment|intent|actionable --input FILE.csv --text-column C --label-column L [--model NAME] [--folds K] [--seed N] [--json] [--data DIR]',
      describe: 'Accuracy, macro-F1 and confusion matrix; --folds K cross-validates training on the file',
      run: async (argv) => {
        const v = parse(argv, {
          task: str,
          input: str,
          'text-column': str,
          'label-column': str,
          model: str,
          folds: str,
          seed: str,
          json: bool,
        });
        const opts: EvalCommandOptions = {
          task: required(v, 'task'),
          input: required(v, 'input'),
          textColumn: required(v, 'text-column'),
          labelColumn: required(v, 'label-column'),
          model: v.model as string | undefined,
          folds: optionalInt(v, 'folds'),
          seed: optionalInt(v, 'seed'),
          json: Boolean(v.json),
        };
        parseTask(opts.task);
        // Cross-validation without a stored model needs no database (and takes no data-folder lock).
        if (opts.folds !== undefined && !opts.model) await runEval(opts, undefined, io);
        else await withDb(v.data as string | undefined, (db) => runEval(opts, db, io));
      },
    },
  };
}
