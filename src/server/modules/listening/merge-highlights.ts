/** Turns flat `[start, end, start, end, …]` marks into sorted, non-overlapping `[start, end]` spans. */
export function mergeHighlights(marks: readonly number[]): [number, number][] {
  if (marks.length === 2) return marks[0]! >= 0 && marks[1]! > marks[0]! ? [[marks[0]!, marks[1]!]] : [];
  const pairs: [number, number][] = [];
  for (let k = 0; k + 1 < marks.length; k += 2) {
    const s = marks[k]!;
    const e = marks[k + 1]!;
    if (s >= 0 && e > s) pairs.push([s, e]);
  }
  pairs.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const out: [number, number][] = [];
  for (const p of pairs) {
    const last = out[out.length - 1];
    if (last && p[0] < last[1]) last[1] = Math.max(last[1], p[1]);
    else out.push([p[0], p[1]]);
  }
  return out;
}
