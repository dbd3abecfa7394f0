import { seededRandom, shuffleInPlace } from './seeded-random.ts';

export type ClassMetrics = { label: string; precision: number; recall: number; f1: number; support: number };

export type EvaluationReport = {
  labels: string[];
  examples: number;
  accuracy: number;
  macroF1: number;
  perClass: ClassMetrics[];
  /** confusion[actual][predicted], in `labels` order. */
  confusion: number[][];
};

/** Accuracy, macro-F1, per-class precision/recall/F1 and the confusion matrix. */
export function evaluatePredictions(
  actual: readonly string[],
  predicted: readonly string[],
  labelOrder?: readonly string[],
): EvaluationReport {
  if (actual.length !== predicted.length) throw new Error('actual and predicted differ in length');
  const labels = labelOrder ? [...labelOrder] : [...new Set([...actual, ...predicted])].sort();
  const index = new Map(labels.map((l, i) => [l, i]));
  for (const l of [...actual, ...predicted]) {
    if (!index.has(l)) {
      index.set(l, labels.length);
      labels.push(l);
    }
  }
  const k = labels.length;
  const confusion = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  let correct = 0;
  for (let i = 0; i < actual.length; i++) {
    const a = index.get(actual[i]!)!;
    const p = index.get(predicted[i]!)!;
    confusion[a]![p]!++;
    if (a === p) correct++;
  }
  const perClass = labels.map((label, c) => {
    const tp = confusion[c]![c]!;
    let predictedC = 0;
    let support = 0;
    for (let r = 0; r < k; r++) {
      predictedC += confusion[r]![c]!;
      support += confusion[c]![r]!;
    }
    const precision = predictedC ? tp / predictedC : 0;
    const recall = support ? tp / support : 0;
    const f1 = precision + recall ? (2 * precision * recall) / (precision + recall) : 0;
    return { label, precision, recall, f1, support };
  });
  const present = perClass.filter((m) => m.support > 0);
  const macroF1 = present.length ? present.reduce((s, m) => s + m.f1, 0) / present.length : 0;
  return {
    labels,
    examples: actual.length,
    accuracy: actual.length ? correct / actual.length : 0,
    macroF1,
    perClass,
    confusion,
  };
}

/**
 * Stratified K-fold split: every class is shuffled (seeded) and dealt round-robin over the folds,
 * so each fold keeps the class mix. Returns the fold number of each example.
 */
export function stratifiedFolds(labels: readonly string[], k: number, seed: number): Int32Array {
  if (!Number.isInteger(k) || k < 2) throw new Error('folds must be an integer ≥ 2');
  const byClass = new Map<string, number[]>();
  labels.forEach((l, i) => {
    const list = byClass.get(l);
    if (list) list.push(i);
    else byClass.set(l, [i]);
  });
  const fold = new Int32Array(labels.length);
  const random = seededRandom(seed);
  let next = 0;
  for (const key of [...byClass.keys()].sort()) {
    for (const i of shuffleInPlace(byClass.get(key)!, random)) {
      fold[i] = next;
      next = (next + 1) % k;
    }
  }
  return fold;
}

function pad(s: string, n: number): string {
  return s.length >= n ? s : ' '.repeat(n - s.length) + s;
}

/** Human-readable report; the last line is exactly `macro-F1 0.NNN`. */
export function formatReport(report: EvaluationReport, title?: string): string {
  const lines: string[] = [];
  if (title) lines.push(title);
  lines.push(`examples ${report.examples}`);
  lines.push(`accuracy ${report.accuracy.toFixed(3)}`);
  const w = Math.max(9, ...report.labels.map((l) => l.length)) + 1;
  lines.push(
    `${pad('class', w)} ${pad('precision', 9)} ${pad('recall', 7)} ${pad('f1', 6)} ${pad('support', 8)}`,
  );
  for (const m of report.perClass) {
    lines.push(
      `${pad(m.label, w)} ${pad(m.precision.toFixed(3), 9)} ${pad(m.recall.toFixed(3), 7)} ${pad(
        m.f1.toFixed(3),
        6,
      )} ${pad(String(m.support), 8)}`,
    );
  }
  lines.push('confusion matrix (rows: actual, columns: predicted)');
  const cw = Math.max(7, ...report.labels.map((l) => l.length)) + 1;
  lines.push(pad('', w) + report.labels.map((l) => pad(l, cw)).join(''));
  report.labels.forEach((l, r) => {
    lines.push(pad(l, w) + report.confusion[r]!.map((n) => pad(String(n), cw)).join(''));
  });
  lines.push(`macro-F1 ${report.macroF1.toFixed(3)}`);
  return lines.join('\n');
}
