import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The verifiable drawing, as published in docs/drawing.md. Everything here is a pure function of
 * published data, so anyone can recompute a draw:
 *
 * 1. At creation a secret 32-byte seed is drawn; the commitment `SHA-256(seed bytes)` (hex) is
 *    published at once.
 * 2. Entrants are the people who qualified in the window, one entry per person; each is named by
 *    an entrant key (the person's id). The canonical list is the keys sorted by code unit and
 *    joined with "\n"; `entrantsHash = SHA-256(canonical list, UTF-8)` (hex).
 * 3. Winner: for i = 0, 1, 2, …: `h = HMAC-SHA256(key = seed bytes, message = entrantsHash + ":" + i)`
 *    read as a 256-bit unsigned big-endian integer; accept the first `h < floor(2^256 / N) · N`
 *    (rejection sampling, so every entrant has exactly the same chance) and the winner is the
 *    entrant at 0-based position `h mod N` of the canonical list.
 * 4. After the draw the seed is published; verification checks the commitment, the hash of the
 *    published list and the winner.
 */
export const DRAWING_ALGORITHM =
  'earshot-draw-v1: commitment=SHA-256(seed); entrantsHash=SHA-256(sorted keys joined by LF); index=HMAC-SHA256(seed, entrantsHash:i) mod N with rejection sampling';

const TWO_256 = 1n << 256n;

export function commitmentOf(seedHex: string): string {
  return createHash('sha256').update(Buffer.from(seedHex, 'hex')).digest('hex');
}

/** The canonical order: keys sorted by UTF-16 code unit (plain `<`), duplicates removed. */
export function canonicalEntrants(keys: readonly string[]): string[] {
  return [...new Set(keys)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

export function entrantsHashOf(sortedKeys: readonly string[]): string {
  return createHash('sha256').update(sortedKeys.join('\n'), 'utf8').digest('hex');
}

/** The 0-based winner position for N entrants (N ≥ 1), and how many HMAC rounds it took. */
export function winnerIndexOf(
  seedHex: string,
  entrantsHash: string,
  n: number,
): { index: number; rounds: number } {
  if (!Number.isInteger(n) || n < 1) throw new Error('a drawing needs at least one entrant');
  const N = BigInt(n);
  const limit = (TWO_256 / N) * N;
  const key = Buffer.from(seedHex, 'hex');
  for (let i = 0; ; i++) {
    const h = BigInt(`0x${createHmac('sha256', key).update(`${entrantsHash}:${i}`).digest('hex')}`);
    if (h < limit) return { index: Number(h % N), rounds: i + 1 };
  }
}

export type PublishedDraw = {
  commitment: string;
  seed: string;
  /** The entrant keys as published (any order: verification sorts them). */
  entrants: readonly string[];
  entrantsHash: string;
  winnerIndex: number;
  winnerKey: string;
};

export type Verification = { ok: boolean; checks: { name: string; ok: boolean; detail: string }[] };

const sameHex = (a: string, b: string) =>
  a.length === b.length && timingSafeEqual(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));

/** Recomputes a draw from what was published; any change to seed, list or winner fails a check. */
export function verifyDraw(d: PublishedDraw): Verification {
  const checks: Verification['checks'] = [];
  const seedOk = /^[0-9a-f]{64}$/i.test(d.seed);
  checks.push({
    name: 'seed',
    ok: seedOk,
    detail: seedOk ? '32 bytes, hex' : 'the seed must be 64 hex characters',
  });
  const commitment = seedOk ? commitmentOf(d.seed) : '';
  checks.push({
    name: 'commitment',
    ok: seedOk && sameHex(commitment, d.commitment.toLowerCase()),
    detail: `SHA-256(seed) = ${commitment || '?'}; published ${d.commitment}`,
  });
  const sorted = canonicalEntrants(d.entrants);
  const hash = entrantsHashOf(sorted);
  checks.push({
    name: 'entrantsHash',
    ok: sameHex(hash, d.entrantsHash.toLowerCase()) && sorted.length === d.entrants.length,
    detail: `SHA-256 of the ${sorted.length} sorted entrant keys = ${hash}; published ${d.entrantsHash}`,
  });
  if (seedOk && sorted.length) {
    const { index } = winnerIndexOf(d.seed, hash, sorted.length);
    checks.push({
      name: 'winner',
      ok: index === d.winnerIndex && sorted[index] === d.winnerKey,
      detail: `index ${index} of ${sorted.length} → ${sorted[index]}; published index ${d.winnerIndex} → ${d.winnerKey}`,
    });
  } else checks.push({ name: 'winner', ok: false, detail: 'no entrants or no valid seed to draw from' });
  return { ok: checks.every((c) => c.ok), checks };
}
