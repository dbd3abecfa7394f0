import { createHash, createHmac, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  canonicalEntrants,
  commitmentOf,
  entrantsHashOf,
  verifyDraw,
  winnerIndexOf,
} from './drawing-algorithm.ts';

const keys = ['c3', 'a1', 'b2', 'Z9', 'a10'];

describe('drawing algorithm', () => {
  it('follows the published recipe (recomputed here with bare node:crypto)', () => {
    const seed = randomBytes(32).toString('hex');
    const sorted = [...keys].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    const hash = createHash('sha256').update(sorted.join('\n')).digest('hex');
    const limit = ((1n << 256n) / BigInt(sorted.length)) * BigInt(sorted.length);
    let expected = -1;
    for (let i = 0; expected < 0; i++) {
      const h = BigInt(
        `0x${createHmac('sha256', Buffer.from(seed, 'hex')).update(`${hash}:${i}`).digest('hex')}`,
      );
      if (h < limit) expected = Number(h % BigInt(sorted.length));
    }
    expect(commitmentOf(seed)).toBe(createHash('sha256').update(Buffer.from(seed, 'hex')).digest('hex'));
    expect(canonicalEntrants(keys)).toEqual(sorted);
    expect(entrantsHashOf(canonicalEntrants(keys))).toBe(hash);
    expect(winnerIndexOf(seed, hash, sorted.length).index).toBe(expected);
  });

  it('does not depend on the order entrants were found in', () => {
    const seed = randomBytes(32).toString('hex');
    const a = canonicalEntrants(keys);
    const b = canonicalEntrants([...keys].reverse());
    expect(winnerIndexOf(seed, entrantsHashOf(a), a.length)).toEqual(
      winnerIndexOf(seed, entrantsHashOf(b), b.length),
    );
  });

  it('gives every entrant the same chance', () => {
    const counts = [0, 0, 0];
    const hash = entrantsHashOf(['a', 'b', 'c']);
    for (let i = 0; i < 3000; i++) counts[winnerIndexOf(randomBytes(32).toString('hex'), hash, 3).index]!++;
    // Binomial(3000, 1/3): mean 1000, sd ≈ 26; 6 sd either side.
    for (const c of counts) expect(Math.abs(c - 1000)).toBeLessThan(160);
  });

  it('verifies an honest draw and rejects any tampering', () => {
    const seed = randomBytes(32).toString('hex');
    const sorted = canonicalEntrants(keys);
    const entrantsHash = entrantsHashOf(sorted);
    const { index } = winnerIndexOf(seed, entrantsHash, sorted.length);
    const honest = {
      commitment: commitmentOf(seed),
      seed,
      entrants: sorted,
      entrantsHash,
      winnerIndex: index,
      winnerKey: sorted[index]!,
    };
    expect(verifyDraw(honest).ok).toBe(true);
    const failed = (d: typeof honest) =>
      verifyDraw(d)
        .checks.filter((c) => !c.ok)
        .map((c) => c.name);
    expect(failed({ ...honest, entrants: [...sorted, 'late-entry'] })).toContain('entrantsHash');
    expect(
      failed({ ...honest, entrants: sorted.filter((k) => k !== sorted[(index + 1) % sorted.length]) }),
    ).toContain('entrantsHash');
    expect(failed({ ...honest, seed: randomBytes(32).toString('hex') })).toContain('commitment');
    expect(
      failed({
        ...honest,
        winnerIndex: (index + 1) % sorted.length,
        winnerKey: sorted[(index + 1) % sorted.length]!,
      }),
    ).toEqual(['winner']);
    // Re-hashing a changed list does not help: the commitment fixed the seed before the list existed.
    const changed = canonicalEntrants([
      ...sorted.filter((k) => k !== honest.winnerKey),
      'friend-of-operator',
    ]);
    const rehash = entrantsHashOf(changed);
    expect(
      verifyDraw({ ...honest, entrants: changed, entrantsHash: rehash }).checks.find(
        (c) => c.name === 'entrantsHash',
      )!.ok,
    ).toBe(true);
    expect(verifyDraw({ ...honest, entrants: changed, entrantsHash: rehash }).ok).toBe(false);
  });

  it('refuses to draw among nobody', () => {
    expect(() => winnerIndexOf(randomBytes(32).toString('hex'), entrantsHashOf([]), 0)).toThrow(
      /at least one/,
    );
  });
});
