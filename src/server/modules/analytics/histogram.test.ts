import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bucketOf, exactQuantile, mergeCounts, quantile } from './histogram.ts';

const histOf = (values: number[]) =>
  values.reduce<Record<string, number>>((h, v) => mergeCounts(h, { [bucketOf(v)]: 1 }), {});

describe('response-time histogram', () => {
  it('is exact below ten minutes (nearest-rank median and p90)', () => {
    const values = [240, 420, 540, 60, 5];
    expect(quantile(histOf(values), 0.5)).toBe(exactQuantile(values, 0.5));
    expect(quantile(histOf(values), 0.9)).toBe(540);
    expect(quantile({}, 0.5)).toBeNull();
  });

  it('stays within 1 % of the exact quantile for any durations up to a year', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 365 * 86_400 }), { minLength: 1, maxLength: 300 }),
        fc.constantFrom(0.5, 0.9, 0.99),
        (values, q) => {
          const exact = exactQuantile(values, q)!;
          const estimate = quantile(histOf(values), q)!;
          expect(Math.abs(estimate - exact)).toBeLessThanOrEqual(Math.max(5, exact * 0.01));
        },
      ),
    );
  });

  it('keeps a bounded number of buckets', () => {
    const keys = new Set<string>();
    for (let s = 0; s < 30 * 86_400; s += 7) keys.add(bucketOf(s));
    expect(keys.size).toBeLessThan(3_000);
  });
});
