import {
  BIAS_INDEX,
  DEFAULT_FEATURE_OPTIONS,
  extractFeatures,
  type FeatureOptions,
  type SparseVector,
} from './extract-features.ts';
import { seededRandom, shuffleInPlace } from './seeded-random.ts';

export type Algorithm = 'logreg' | 'nbsvm' | 'ensemble';

export type TrainOptions = {
  /** `logreg`: multinomial logistic regression; `nbsvm`: one-vs-rest NB-weighted logistic; `ensemble`: both. */
  algorithm: Algorithm;
  features: FeatureOptions;
  epochs: number;
  learningRate: number;
  /** L2 penalty, applied to the weights a training example touches (frequency-scaled). */
  l2: number;
  /** `balanced` weighs each class by n / (classes × n_class), which favours macro-F1. */
  classWeight: 'balanced' | 'none';
  /** Smoothing of the naive-Bayes log-count ratios. */
  nbAlpha: number;
  /** Weight of the NB-SVM scores in the ensemble (logistic regression gets 1 − this). */
  nbWeight: number;
  /** Train this many models with different seeds and average them (bagging over shuffles). */
  bags: number;
  /** Features seen in fewer training examples than this are dropped. */
  minCount: number;
  seed: number;
};

export const DEFAULT_TRAIN_OPTIONS: TrainOptions = {
  algorithm: 'ensemble',
  features: DEFAULT_FEATURE_OPTIONS,
  epochs: 4,
  learningRate: 0.1,
  l2: 1e-4,
  classWeight: 'balanced',
  nbAlpha: 0.5,
  nbWeight: 0.5,
  minCount: 1,
  bags: 1,
  seed: 42,
};

/**
 * A trained linear text classifier. Every algorithm folds into one weight matrix (feature-major,
 * `weights[f * labels.length + c]`), so classifying costs one sparse dot product per class.
 */
export type TextClassifier = {
  algorithm: Algorithm;
  labels: string[];
  features: FeatureOptions;
  weights: Float32Array;
};

export type TrainProgress = { stage: string; epoch: number; epochs: number };

function classWeights(y: Int32Array, classes: number, mode: TrainOptions['classWeight']): Float64Array {
  const w = new Float64Array(classes).fill(1);
  if (mode === 'none') return w;
  const counts = new Float64Array(classes);
  for (const c of y) counts[c]!++;
  for (let c = 0; c < classes; c++) w[c] = counts[c]! > 0 ? y.length / (classes * counts[c]!) : 0;
  return w;
}

/**
 * Multinomial logistic regression by per-example AdaGrad. The AdaGrad accumulator is shared by
 * the classes of a feature (one square root per feature, not per weight), which is a third of
 * the cost and trains as well.
 */
function trainSoftmax(
  xs: SparseVector[],
  y: Int32Array,
  classes: number,
  dim: number,
  opts: TrainOptions,
  onProgress?: (p: TrainProgress) => void,
): Float64Array {
  const w = new Float64Array(dim * classes);
  const g2 = new Float64Array(dim);
  const cw = classWeights(y, classes, opts.classWeight);
  const random = seededRandom(opts.seed);
  const order = Array.from(xs.keys());
  const scores = new Float64Array(classes);
  const lr = opts.learningRate;
  for (let epoch = 0; epoch < opts.epochs; epoch++) {
    shuffleInPlace(order, random);
    for (const i of order) {
      const { indices, values } = xs[i]!;
      scores.fill(0);
      for (let k = 0; k < indices.length; k++) {
        const base = indices[k]! * classes;
        const v = values[k]!;
        for (let c = 0; c < classes; c++) scores[c]! += w[base + c]! * v;
      }
      let max = Number.NEGATIVE_INFINITY;
      for (let c = 0; c < classes; c++) if (scores[c]! > max) max = scores[c]!;
      let sum = 0;
      for (let c = 0; c < classes; c++) {
        scores[c] = Math.exp(scores[c]! - max);
        sum += scores[c]!;
      }
      const weight = cw[y[i]!]!;
      let gnorm = 0;
      for (let c = 0; c < classes; c++) {
        const g = (scores[c]! / sum - (c === y[i] ? 1 : 0)) * weight;
        scores[c] = g;
        gnorm += g * g;
      }
      for (let k = 0; k < indices.length; k++) {
        const f = indices[k]!;
        const base = f * classes;
        const v = values[k]!;
        const l2 = f === BIAS_INDEX ? 0 : opts.l2;
        g2[f]! += gnorm * v * v;
        const step = lr / (Math.sqrt(g2[f]!) + 1e-8);
        for (let c = 0; c < classes; c++) {
          const j = base + c;
          w[j]! -= step * (scores[c]! * v + l2 * w[j]!);
        }
      }
    }
    onProgress?.({ stage: 'logreg', epoch: epoch + 1, epochs: opts.epochs });
  }
  return w;
}

/**
 * NB-SVM (Wang & Manning 2012), one-vs-rest: each class scales the features by its naive-Bayes
 * log-count ratio, then a binary logistic model is trained on the scaled features (all classes in
 * the same pass). The ratio is folded back into the weights so inference stays a dot product.
 */
function trainNbSvm(
  xs: SparseVector[],
  y: Int32Array,
  classes: number,
  dim: number,
  opts: TrainOptions,
  onProgress?: (p: TrainProgress) => void,
): Float64Array {
  // document frequency per feature and class
  const counts = new Float64Array(dim * classes);
  for (let i = 0; i < xs.length; i++) {
    const { indices } = xs[i]!;
    for (let k = 0; k < indices.length; k++) counts[indices[k]! * classes + y[i]!]!++;
  }
  // log-count ratio r[f,c] = log((p[f]/|p|) / (q[f]/|q|)), p = class c, q = the other classes
  const a = opts.nbAlpha;
  const total = new Float64Array(classes);
  let all = 0;
  for (let f = 0; f < dim; f++) {
    for (let c = 0; c < classes; c++) total[c]! += counts[f * classes + c]!;
  }
  for (const t of total) all += t;
  const r = new Float64Array(dim * classes);
  for (let f = 0; f < dim; f++) {
    let fAll = 0;
    for (let c = 0; c < classes; c++) fAll += counts[f * classes + c]!;
    for (let c = 0; c < classes; c++) {
      const p = counts[f * classes + c]! + a;
      const q = fAll - counts[f * classes + c]! + a;
      const pSum = total[c]! + a * dim;
      const qSum = all - total[c]! + a * dim;
      r[f * classes + c] = Math.log(p / pSum / (q / qSum));
    }
  }
  for (let c = 0; c < classes; c++) r[BIAS_INDEX * classes + c] = 1;
  const wPos = new Float64Array(classes).fill(1);
  const wNeg = new Float64Array(classes).fill(1);
  if (opts.classWeight === 'balanced') {
    for (let c = 0; c < classes; c++) {
      let positives = 0;
      for (const yy of y) if (yy === c) positives++;
      wPos[c] = y.length / (2 * Math.max(positives, 1));
      wNeg[c] = y.length / (2 * Math.max(y.length - positives, 1));
    }
  }
  const w = new Float64Array(dim * classes);
  const g2 = new Float64Array(dim);
  const g = new Float64Array(classes);
  const random = seededRandom(opts.seed + 1);
  const order = Array.from(xs.keys());
  const lr = opts.learningRate;
  for (let epoch = 0; epoch < opts.epochs; epoch++) {
    shuffleInPlace(order, random);
    for (const i of order) {
      const { indices, values } = xs[i]!;
      g.fill(0);
      for (let k = 0; k < indices.length; k++) {
        const base = indices[k]! * classes;
        const v = values[k]!;
        for (let c = 0; c < classes; c++) g[c]! += w[base + c]! * r[base + c]! * v;
      }
      for (let c = 0; c < classes; c++) {
        const target = y[i] === c ? 1 : 0;
        g[c] = (1 / (1 + Math.exp(-g[c]!)) - target) * (target ? wPos[c]! : wNeg[c]!);
      }
      for (let k = 0; k < indices.length; k++) {
        const f = indices[k]!;
        const base = f * classes;
        const v = values[k]!;
        const l2 = f === BIAS_INDEX ? 0 : opts.l2;
        let sq = 0;
        for (let c = 0; c < classes; c++) sq += g[c]! * g[c]! * r[base + c]! * r[base + c]!;
        g2[f]! += sq * v * v;
        const step = lr / (Math.sqrt(g2[f]!) + 1e-8);
        for (let c = 0; c < classes; c++) {
          const j = base + c;
          w[j]! -= step * (g[c]! * v * r[j]! + l2 * w[j]!);
        }
      }
    }
    onProgress?.({ stage: 'nbsvm', epoch: epoch + 1, epochs: opts.epochs });
  }
  for (let j = 0; j < w.length; j++) w[j]! *= r[j]!;
  return w;
}

/**
 * Re-indexes the hashed features seen in training densely, most frequent first, and drops those
 * seen in fewer than `minCount` examples. Training then touches a small, cache-friendly array
 * (the frequent features stay in L1/L2), which makes it several times faster than working in
 * the full hashed space.
 */
function compactFeatures(
  xs: SparseVector[],
  dim: number,
  minCount: number,
): { compact: SparseVector[]; original: Uint32Array } {
  const df = new Uint32Array(dim);
  for (const x of xs) for (const f of x.indices) df[f]!++;
  const kept: number[] = [];
  for (let f = 0; f < dim; f++) if (df[f]! >= minCount || (f === BIAS_INDEX && df[f]! > 0)) kept.push(f);
  kept.sort((a, b) => df[b]! - df[a]! || a - b);
  const map = new Int32Array(dim).fill(-1);
  kept.forEach((f, i) => {
    map[f] = i;
  });
  const compact = xs.map(({ indices, values }) => {
    const ci: number[] = [];
    const cv: number[] = [];
    for (let k = 0; k < indices.length; k++) {
      const m = map[indices[k]!]!;
      if (m >= 0) {
        ci.push(m);
        cv.push(values[k]!);
      }
    }
    return { indices: Uint32Array.from(ci), values: Float32Array.from(cv) };
  });
  return { compact, original: Uint32Array.from(kept) };
}

/** Trains on already extracted feature vectors (cross-validation extracts once and reuses). */
export function trainOnVectors(
  xs: SparseVector[],
  y: Int32Array,
  labels: string[],
  opts: TrainOptions,
  onProgress?: (p: TrainProgress) => void,
): TextClassifier {
  const classes = labels.length;
  const dim = 1 << opts.features.hashBits;
  const { compact, original } = compactFeatures(xs, dim, opts.minCount);
  const cdim = original.length;
  const trained = new Float64Array(cdim * classes);
  const parts: Array<[number, (o: TrainOptions) => Float64Array]> = [];
  const softmax = (o: TrainOptions) => trainSoftmax(compact, y, classes, cdim, o, onProgress);
  const nbsvm = (o: TrainOptions) => trainNbSvm(compact, y, classes, cdim, o, onProgress);
  if (opts.algorithm === 'logreg') parts.push([1, softmax]);
  else if (opts.algorithm === 'nbsvm') parts.push([1, nbsvm]);
  else parts.push([1 - opts.nbWeight, softmax], [opts.nbWeight, nbsvm]);
  for (let bag = 0; bag < opts.bags; bag++) {
    for (const [share, train] of parts) {
      const w = train({ ...opts, seed: opts.seed + 7919 * bag });
      for (let j = 0; j < trained.length; j++) trained[j]! += (share * w[j]!) / opts.bags;
    }
  }
  const weights = new Float32Array(dim * classes);
  for (let i = 0; i < cdim; i++) {
    for (let c = 0; c < classes; c++) weights[original[i]! * classes + c] = trained[i * classes + c]!;
  }
  return { algorithm: opts.algorithm, labels, features: opts.features, weights };
}

/** Maps label strings to class indices; labels are sorted so that models are reproducible. */
export function encodeLabels(raw: readonly string[]): { labels: string[]; y: Int32Array } {
  const labels = [...new Set(raw)].sort();
  const index = new Map(labels.map((l, i) => [l, i]));
  return { labels, y: Int32Array.from(raw, (l) => index.get(l)!) };
}

/**
 * Trains a text classifier on labelled texts. Deterministic for a given seed; ~7,000 tweets train in
 * a couple of seconds on one core.
 */
export function trainClassifier(
  texts: readonly string[],
  rawLabels: readonly string[],
  options: Partial<TrainOptions> = {},
  onProgress?: (p: TrainProgress) => void,
): TextClassifier {
  const opts = { ...DEFAULT_TRAIN_OPTIONS, ...options };
  const { labels, y } = encodeLabels(rawLabels);
  const xs = texts.map((t) => extractFeatures(t, opts.features));
  return trainOnVectors(xs, y, labels, opts, onProgress);
}

/** Raw class scores (logits) of one feature vector. */
export function scoreVector(model: TextClassifier, x: SparseVector): Float64Array {
  const classes = model.labels.length;
  const scores = new Float64Array(classes);
  const { indices, values } = x;
  for (let k = 0; k < indices.length; k++) {
    const base = indices[k]! * classes;
    const v = values[k]!;
    for (let c = 0; c < classes; c++) scores[c]! += model.weights[base + c]! * v;
  }
  return scores;
}

/** Softmax of the scores: a probability-like confidence per class. */
export function softmax(scores: Float64Array): Float64Array {
  let max = Number.NEGATIVE_INFINITY;
  for (const s of scores) if (s > max) max = s;
  const out = new Float64Array(scores.length);
  let sum = 0;
  for (let c = 0; c < scores.length; c++) {
    out[c] = Math.exp(scores[c]! - max);
    sum += out[c]!;
  }
  for (let c = 0; c < scores.length; c++) out[c]! /= sum;
  return out;
}

export type Prediction = { label: string; confidence: number; probabilities: Record<string, number> };

/** Classifies one text with a trained model. */
export function predictText(model: TextClassifier, text: string): Prediction {
  const p = softmax(scoreVector(model, extractFeatures(text, model.features)));
  let best = 0;
  for (let c = 1; c < p.length; c++) if (p[c]! > p[best]!) best = c;
  const probabilities: Record<string, number> = {};
  model.labels.forEach((l, c) => {
    probabilities[l] = p[c]!;
  });
  return { label: model.labels[best]!, confidence: p[best]!, probabilities };
}
