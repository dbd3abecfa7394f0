import type { ReplyMode } from './responses.schema.ts';

/** Public reply length limits per network (characters); private messages and e-mail are not limited here. */
export const PUBLIC_LENGTH_LIMITS: Record<string, number> = {
  x: 280,
  bluesky: 300,
  mastodon: 500,
  reddit: 10_000,
  discourse: 32_000,
};
const PRIVATE_LENGTH_LIMITS: Record<string, number> = { x: 10_000, bluesky: 1000, mastodon: 500 };

/** The most characters a reply may have on this channel in this mode (null: no limit). */
export function replyLengthLimit(channel: string, mode: ReplyMode): number | null {
  if (mode === 'email') return null;
  return (mode === 'public' ? PUBLIC_LENGTH_LIMITS[channel] : PRIVATE_LENGTH_LIMITS[channel]) ?? null;
}
