/**
 * How long a reply may be on each channel and mode (characters). Public posts on short-form
 * networks are tight; private messages and e-mail are not. Unknown channels get a generous limit.
 */
const PUBLIC_LIMITS: Record<string, number> = {
  x: 280,
  bluesky: 300,
  mastodon: 500,
  sandbox: 280,
  reddit: 10_000,
  discourse: 32_000,
  rss: 5_000,
};
const PRIVATE_LIMITS: Record<string, number> = {
  x: 10_000,
  bluesky: 1_000,
  mastodon: 500,
  sandbox: 1_000,
  reddit: 10_000,
};

export function replyLimit(channel: string, mode: 'public' | 'private' | 'email'): number {
  if (mode === 'email') return 20_000;
  const table = mode === 'public' ? PUBLIC_LIMITS : PRIVATE_LIMITS;
  return table[channel] ?? 20_000;
}

/** Characters as a person counts them (emoji and other astral symbols count once). */
export function countCharacters(text: string): number {
  let n = 0;
  for (const _ of text) n++;
  return n;
}
