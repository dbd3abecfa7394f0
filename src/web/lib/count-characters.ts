/** Characters as people (and the networks' limits) count them: emoji and other astral symbols count once. */
export function countCharacters(text: string): number {
  let n = 0;
  for (const _ of text) n++;
  return n;
}
