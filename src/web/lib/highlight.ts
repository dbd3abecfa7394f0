export type Segment = { text: string; hit: boolean };

/**
 * Splits `text` into plain and highlighted segments from `[start, end)` spans (as the listening
 * preview returns them); overlapping or unsorted spans are merged, out-of-range ones clipped.
 */
export function splitHighlights(text: string, spans: readonly (readonly [number, number])[]): Segment[] {
  const sorted = spans
    .map(
      ([s, e]) =>
        [Math.max(0, Math.min(s, text.length)), Math.max(0, Math.min(e, text.length))] as [number, number],
    )
    .filter(([s, e]) => e > s)
    .sort((a, b) => a[0] - b[0]);
  const merged: [number, number][] = [];
  for (const span of sorted) {
    const last = merged[merged.length - 1];
    if (last && span[0] <= last[1]) last[1] = Math.max(last[1], span[1]);
    else merged.push([span[0], span[1]]);
  }
  const out: Segment[] = [];
  let at = 0;
  for (const [s, e] of merged) {
    if (s > at) out.push({ text: text.slice(at, s), hit: false });
    out.push({ text: text.slice(s, e), hit: true });
    at = e;
  }
  if (at < text.length) out.push({ text: text.slice(at), hit: false });
  return out;
}
