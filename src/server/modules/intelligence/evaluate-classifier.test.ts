import { describe, expect, it } from 'vitest';
import { evaluatePredictions, formatReport, stratifiedFolds } from './evaluate-classifier.ts';

describe('evaluatePredictions', () => {
  it('computes accuracy, per-class precision/recall/F1, macro-F1 and the confusion matrix', () => {
    const actual = ['a', 'a', 'a', 'b', 'b', 'c'];
    const predicted = ['a', 'a', 'b', 'b', 'c', 'c'];
    const r = evaluatePredictions(actual, predicted);
    expect(r.labels).toEqual(['a', 'b', 'c']);
    expect(r.accuracy).toBeCloseTo(4 / 6);
    expect(r.confusion).toEqual([
      [2, 1, 0],
      [0, 1, 1],
      [0, 0, 1],
    ]);
    const [a, b, c] = r.perClass;
    expect(a).toMatchObject({ precision: 1, recall: 2 / 3, support: 3 });
    expect(b!.precision).toBeCloseTo(0.5);
    expect(b!.recall).toBeCloseTo(0.5);
    expect(c!.f1).toBeCloseTo(2 / 3);
    expect(r.macroF1).toBeCloseTo((0.8 + 0.5 + 2 / 3) / 3);
  });

  it('scores the always-majority baseline low on macro-F1 even when accuracy looks fine', () => {
    const actual = [
      ...Array(63).fill('negative'),
      ...Array(21).fill('neutral'),
      ...Array(16).fill('positive'),
    ];
    const r = evaluatePredictions(
      actual,
      actual.map(() => 'negative'),
    );
    expect(r.accuracy).toBeCloseTo(0.63);
    expect(r.macroF1).toBeLessThan(0.27);
  });

  it('prints a report whose last line is exactly "macro-F1 0.NNN"', () => {
    const text = formatReport(evaluatePredictions(['x', 'y', 'y'], ['x', 'y', 'x']));
    expect(text).toContain('confusion matrix');
    expect(text.split('\n').at(-1)).toMatch(/^macro-F1 0\.\d{3}$/);
  });
});

describe('stratifiedFolds', () => {
  it('keeps the class mix in every fold and is reproducible with a seed', () => {
    const labels = [...Array(50).fill('a'), ...Array(25).fill('b'), ...Array(10).fill('c')];
    const folds = stratifiedFolds(labels, 5, 1);
    for (let f = 0; f < 5; f++) {
      const inFold = labels.filter((_, i) => folds[i] === f);
      expect(inFold.filter((l) => l === 'a')).toHaveLength(10);
      expect(inFold.filter((l) => l === 'c')).toHaveLength(2);
    }
    expect(stratifiedFolds(labels, 5, 1)).toEqual(folds);
    expect(stratifiedFolds(labels, 5, 2)).not.toEqual(folds);
  });

  it('rejects fewer than two folds', () => {
    expect(() => stratifiedFolds(['a', 'b'], 1, 1)).toThrow(/folds/);
  });
});
