import { type EvaluationReport, evaluatePredictions, stratifiedFolds } from './evaluate-classifier.ts';
import { extractFeatures } from './extract-features.ts';
import {
  DEFAULT_TRAIN_OPTIONS,
  encodeLabels,
  scoreVector,
  type TextClassifier,
  type TrainOptions,
  type TrainProgress,
  trainOnVectors,
} from './train-classifier.ts';

export type CvProgress = TrainProgress & { fold: number; folds: number };

/**
 * Stratified K-fold cross-validation: features are extracted once, each fold trains on the
 * others and predicts its own examples; the report pools the out-of-fold predictions.
 */
export function crossValidate(
  texts: readonly string[],
  labels: readonly string[],
  folds: number,
  options: Partial<TrainOptions> = {},
  onProgress?: (p: CvProgress) => void,
): EvaluationReport {
  const opts = { ...DEFAULT_TRAIN_OPTIONS, ...options };
  const { labels: classes, y } = encodeLabels(labels);
  const xs = texts.map((t) => extractFeatures(t, opts.features));
  const fold = stratifiedFolds(labels, folds, opts.seed);
  const predicted = new Array<string>(texts.length);
  for (let f = 0; f < folds; f++) {
    const train: number[] = [];
    const test: number[] = [];
    for (let i = 0; i < texts.length; i++) (fold[i] === f ? test : train).push(i);
    if (train.length === 0 || test.length === 0) continue;
    const model = trainOnVectors(
      train.map((i) => xs[i]!),
      Int32Array.from(train, (i) => y[i]!),
      classes,
      opts,
      (p) => onProgress?.({ ...p, fold: f + 1, folds }),
    );
    for (const i of test) predicted[i] = predictVector(model, xs[i]!);
  }
  return evaluatePredictions(labels, predicted, classes);
}

function predictVector(model: TextClassifier, x: Parameters<typeof scoreVector>[1]): string {
  const s = scoreVector(model, x);
  let best = 0;
  for (let c = 1; c < s.length; c++) if (s[c]! > s[best]!) best = c;
  return model.labels[best]!;
}

/**
 * A seeded stratified hold-out split: `share` of each class goes to the test side. Used to
 * measure a model before it is stored, and to compare a retrained model with the active one.
 */
export function holdOutSplit(
  labels: readonly string[],
  share: number,
  seed: number,
): { train: number[]; test: number[] } {
  const k = Math.max(2, Math.round(1 / share));
  const fold = stratifiedFolds(labels, k, seed);
  const train: number[] = [];
  const test: number[] = [];
  for (let i = 0; i < labels.length; i++) (fold[i] === 0 ? test : train).push(i);
  return { train, test };
}
