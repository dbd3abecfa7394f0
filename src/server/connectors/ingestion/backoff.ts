export type BackoffOptions = { baseMs: number; maxMs: number };

export const defaultBackoff: BackoffOptions = { baseMs: 1000, maxMs: 5 * 60_000 };

/**
 * Exponential backoff with "equal jitter": half the exponential delay is fixed, the other half
 * random, so many channels failing together (a network outage) do not retry in lockstep.
 */
export function backoffWithJitter(
  attempt: number,
  opts: BackoffOptions = defaultBackoff,
  random = Math.random,
): number {
  const exp = Math.min(opts.maxMs, opts.baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(exp / 2 + random() * (exp / 2));
}
