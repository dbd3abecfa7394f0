const BITS = 1 << 18;
const MASK = BITS - 1;

function mix(h: number): number {
  h ^= h >>> 15;
  h = Math.imul(h, 0x2c1b3c6d);
  return h ^ (h >>> 12);
}

/**
 * A Bloom filter (32 KB, two probes) of the keys and key prefixes any stored query uses. Most
 * tokens of a post — seven in ten on real tweets — are words no query mentions; the filter answers
 * "certainly not" for them from a bit array that stays in the CPU cache, so only the others pay for
 * a hash-table lookup of a freshly sliced string.
 */
export class KeyFilter {
  private readonly bits = new Uint32Array(BITS >>> 5);
  /** `prefixLength[n]` is 1 when some stored prefix has n UTF-16 units. */
  private readonly prefixLength = new Uint8Array(65);
  private longPrefixes = false;

  private set(h: number): void {
    const a = mix(h) & MASK;
    const b = mix(h ^ 0x5bd1e995) & MASK;
    this.bits[a >>> 5]! |= 1 << (a & 31);
    this.bits[b >>> 5]! |= 1 << (b & 31);
  }

  private has(h: number): boolean {
    const a = mix(h) & MASK;
    if ((this.bits[a >>> 5]! & (1 << (a & 31))) === 0) return false;
    const b = mix(h ^ 0x5bd1e995) & MASK;
    return (this.bits[b >>> 5]! & (1 << (b & 31))) !== 0;
  }

  /** Adds a whole key (a token must equal it). */
  addKey(key: string): void {
    this.set(hashOf(key, key.length));
  }

  /** Adds a key prefix (a token must start with it). */
  addPrefix(prefix: string): void {
    if (prefix.length > 64) this.longPrefixes = true;
    else this.prefixLength[prefix.length] = 1;
    this.set(hashOf(prefix, prefix.length));
  }

  /**
   * Like `mayMatter(head + value.toLowerCase())` without building the string (attribute keys such
   * as `author:` + a handle), a leading `@` of the value dropped. Non-ASCII values say maybe.
   */
  mayMatterLowered(head: string, value: string): boolean {
    if (this.longPrefixes) return true;
    const lengths = this.prefixLength;
    let h = 0x811c9dc5 | 0;
    for (let i = 0; i < head.length; i++) h = Math.imul(h ^ head.charCodeAt(i), 0x01000193);
    const from = value.charCodeAt(0) === 64 ? 1 : 0;
    const n = head.length + value.length - from;
    for (let i = from, len = head.length; i < value.length; i++) {
      let c = value.charCodeAt(i);
      if (c >= 128) return true;
      if (c >= 65 && c <= 90) c += 32;
      h = Math.imul(h ^ c, 0x01000193);
      len++;
      if (len <= 64 && lengths[len] === 1 && len < n && this.has(h)) return true;
    }
    return this.has(h);
  }

  /** False when no stored key equals `token` and no stored prefix starts it. */
  mayMatter(token: string): boolean {
    if (this.longPrefixes) return true;
    const n = token.length;
    const lengths = this.prefixLength;
    let h = 0x811c9dc5 | 0;
    for (let i = 0; i < n; i++) {
      h = Math.imul(h ^ token.charCodeAt(i), 0x01000193);
      if (i < 64 && lengths[i + 1] === 1 && i + 1 < n && this.has(h)) return true;
    }
    return this.has(h);
  }
}

function hashOf(s: string, n: number): number {
  let h = 0x811c9dc5 | 0;
  for (let i = 0; i < n; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h;
}
