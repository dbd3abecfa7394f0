/**
 * Exponentially weighted mean and variance (West's EWMA/EWMV), the building block of the spike
 * detector's baselines: one per hour-of-week slot (seasonal) and one hourly level.
 */
export type Baseline = { mean: number; variance: number; n: number };

export const SEASONAL_ALPHA = 0.3;
export const LEVEL_ALPHA = 0.05;

/** The baseline after observing `x` with weight `alpha`. */
export function observe(b: Baseline, x: number, alpha: number): Baseline {
  if (b.n === 0) return { mean: x, variance: 0, n: 1 };
  const diff = x - b.mean;
  const mean = b.mean + alpha * diff;
  const variance = (1 - alpha) * (b.variance + alpha * diff * diff);
  return { mean, variance, n: b.n + 1 };
}

/** 0–167: the UTC hour of the week (Sunday 00:00 = 0). */
export function hourOfWeek(hour: Date): number {
  return hour.getUTCDay() * 24 + hour.getUTCHours();
}

export type VolumeVerdict = {
  expected: number;
  sd: number;
  z: number;
  spike: boolean;
  basis: 'seasonal' | 'level';
} | null;

/**
 * Is a volume a spike? Expected value from the hour-of-week slot once it has `warmupWeeks`
 * observations, else from the hourly level once it has a day of history (null before: warming
 * up). The spread never falls below the Poisson noise of the expected count, so a steady stream
 * does not alert on chance.
 */
export function judgeVolume(
  x: number,
  seasonal: Baseline,
  level: Baseline,
  o: { warmupWeeks: number; zThreshold: number; minRatio: number; minCount: number },
): VolumeVerdict {
  const basis = seasonal.n >= o.warmupWeeks ? 'seasonal' : level.n >= 24 ? 'level' : null;
  if (!basis) return null;
  const b = basis === 'seasonal' ? seasonal : level;
  const expected = Math.max(0, b.mean);
  const sd = Math.sqrt(Math.max(b.variance, expected, 1));
  const z = (x - expected) / sd;
  const spike = x >= o.minCount && x >= o.minRatio * expected && z >= o.zThreshold;
  return { expected, sd, z, spike, basis };
}

export type ShareVerdict = { expected: number; share: number; z: number; spike: boolean } | null;

/** Is the negative share of an hour a spike over its baseline share (binomial noise)? */
export function judgeShare(
  negative: number,
  total: number,
  base: Baseline,
  o: { minCount: number; minShareIncrease: number; zThreshold: number },
): ShareVerdict {
  if (base.n < 24 || total <= 0) return null;
  const p0 = Math.min(1, Math.max(0, base.mean));
  const share = negative / total;
  const z = (share - p0) / Math.sqrt(Math.max(p0 * (1 - p0), 0.01) / total);
  const spike = total >= o.minCount && share - p0 >= o.minShareIncrease && z >= o.zThreshold;
  return { expected: p0, share, z, spike };
}
