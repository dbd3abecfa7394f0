import type { Actor } from '../../platform/audit.ts';
import type { Db } from '../../platform/db/client.ts';
import { badRequest } from '../../platform/errors.ts';
import { classifyIntent } from './classify-intent.ts';
import { holdOutSplit } from './cross-validate.ts';
import { detectActionable } from './detect-actionable.ts';
import { type EvaluationReport, evaluatePredictions } from './evaluate-classifier.ts';
import type { TriageTask } from './intelligence.schema.ts';
import { prepareText } from './normalise-text.ts';
import { loadTrainingExamples } from './record-training-example.ts';
import { scoreSentiment } from './score-sentiment.ts';
import { loadActiveModels, type ModelSummary, saveModel, summariseModel } from './store-models.ts';
import {
  DEFAULT_TRAIN_OPTIONS,
  predictText,
  type TextClassifier,
  trainClassifier,
} from './train-classifier.ts';

export type RetrainOptions = {
  task: TriageTask;
  /** `if_better`: switch when the new model scores at least as well as the active one on the hold-out. */
  activate?: 'if_better' | 'never';
  name?: string;
  /** Share of the examples held out for the comparison. */
  holdout?: number;
  minExamples?: number;
};

export type Score = { macroF1: number; accuracy: number };

export type RetrainResult = {
  model: ModelSummary;
  heldOut: number;
  candidate: Score;
  /** What the task uses now: a stored model, or the built-in rules. */
  current: Score & { name: string };
  activated: boolean;
};

function builtIn(task: TriageTask, text: string): string {
  const sentiment = scoreSentiment(prepareText(text).tokens).label;
  if (task === 'sentiment') return sentiment;
  const intent = classifyIntent(text).intent;
  return task === 'intent'
    ? intent
    : String(detectActionable(intent, sentiment, { toBrand: true }).actionable);
}

function score(report: EvaluationReport): Score {
  return { macroF1: round(report.macroF1), accuracy: round(report.accuracy) };
}

function round(v: number): number {
  return Math.round(v * 10000) / 10000;
}

/**
 * Retrains a task's model from the team's labelled examples. The examples are split (stratified,
 * seeded); a candidate trained on one side and the model in use (or the built-in rules) are both
 * scored on the held-out side. The stored model is then trained on every example and becomes
 * active only when the candidate scored at least as well — a worse model is kept, inactive, for
 * inspection.
 */
export async function retrainModel(db: Db, opts: RetrainOptions, actor: Actor): Promise<RetrainResult> {
  const examples = await loadTrainingExamples(db, opts.task);
  const minExamples = opts.minExamples ?? 20;
  if (examples.length < minExamples) {
    throw badRequest(
      `Only ${examples.length} labelled ${opts.task} examples; at least ${minExamples} are needed to retrain`,
      { examples: examples.length },
      'not_enough_examples',
    );
  }
  const texts = examples.map((e) => e.text);
  const labels = examples.map((e) => e.label);
  if (new Set(labels).size < 2)
    throw badRequest('The examples have only one label; retraining needs at least two');

  const { train, test } = holdOutSplit(labels, opts.holdout ?? 0.2, DEFAULT_TRAIN_OPTIONS.seed);
  const candidate = trainClassifier(
    train.map((i) => texts[i]!),
    train.map((i) => labels[i]!),
  );
  const actual = test.map((i) => labels[i]!);
  const predictWith = (model: TextClassifier) => test.map((i) => predictText(model, texts[i]!).label);
  const candidateScore = score(evaluatePredictions(actual, predictWith(candidate)));
  const active = (await loadActiveModels(db))[opts.task];
  const currentScore = score(
    evaluatePredictions(
      actual,
      active ? predictWith(active.classifier) : test.map((i) => builtIn(opts.task, texts[i]!)),
    ),
  );

  const better = candidateScore.macroF1 >= currentScore.macroF1;
  const activate = (opts.activate ?? 'if_better') === 'if_better' && better;
  const final = trainClassifier(texts, labels);
  const row = await saveModel(
    db,
    {
      task: opts.task,
      name:
        opts.name ?? `${opts.task}-retrained-${new Date().toISOString().slice(0, 19).replace(/[-:T]/g, '')}`,
      classifier: final,
      params: { train: { ...DEFAULT_TRAIN_OPTIONS, features: undefined }, retrain: true },
      metrics: {
        comparison: {
          heldOut: test.length,
          candidate: candidateScore,
          current: { name: active?.name ?? 'built-in', ...currentScore },
        },
      },
      trainedOn: { examples: examples.length, source: 'training_examples' },
      activate,
    },
    actor,
  );
  return {
    model: summariseModel(row),
    heldOut: test.length,
    candidate: candidateScore,
    current: { name: active?.name ?? 'built-in', ...currentScore },
    activated: activate,
  };
}
