/**
 * Histograms of durations in seconds, stored as `{ "<lower bound>": count }`: one bucket per
 * second up to 10 minutes, per 10 s up to an hour, per minute up to a day, then 1 % wide. A
 * quantile read from the histogram is within 1 % of the exact value (exact below 10 minutes),
 * while any range of data stays a few thousand keys at most.
 */
const LOG_GROWTH = Math.log(1.01);

type Band = { upTo: number; width: number };
const BANDS: Band[] = [
  { upTo: 600, width: 1 },
  { upTo: 3_600, width: 10 },
  { upTo: 86_400, width: 60 },
];

/** The bucket (its lower bound, as a string key) a duration falls into. */
export function bucketOf(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  for (const b of BANDS) if (s < b.upTo) return String(Math.floor(s / b.width) * b.width);
  const k = Math.floor(Math.log(s / 86_400) / LOG_GROWTH + 1e-9);
  return String(Math.max(86_400, Math.floor(86_400 * 1.01 ** k)));
}

/** The value a bucket stands for: its middle (exact below 10 minutes). */
function representative(lower: number): number {
  for (const b of BANDS) if (lower < b.upTo) return lower + (b.width - 1) / 2;
  return Math.round(lower * Math.sqrt(1.01));
}

/** Adds `b` into `a` (both histograms or counters). */
export function mergeCounts(
  a: Record<string, number>,
  b: Record<string, number> | null | undefined,
): Record<string, number> {
  if (!b) return a;
  for (const k in b) a[k] = (a[k] ?? 0) + Number(b[k]);
  return a;
}

/**
 * The q-quantile (0 < q ≤ 1) of a histogram by nearest rank: the value of the smallest bucket
 * whose cumulative count reaches ⌈q·n⌉ (the median of 1, 2, 3, 4 is 2). Null when empty.
 */
export function quantile(hist: Record<string, number>, q: number): number | null {
  const entries = Object.entries(hist)
    .map(([k, v]) => [Number(k), Number(v)] as const)
    .filter(([, v]) => v > 0)
    .sort((x, y) => x[0] - y[0]);
  const n = entries.reduce((s, [, v]) => s + v, 0);
  if (!n) return null;
  const rank = Math.max(1, Math.ceil(q * n));
  let seen = 0;
  for (const [k, v] of entries) {
    seen += v;
    if (seen >= rank) return representative(k);
  }
  return representative(entries[entries.length - 1]![0]);
}

/** The same nearest-rank quantile over exact values (for checks and benchmarks). */
export function exactQuantile(values: readonly number[], q: number): number | null {
  if (!values.length) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(1, Math.ceil(q * sorted.length)) - 1]!;
}
