import { z } from 'zod';
import { baseChannelConfig, httpUrl } from '../ingestion/channel-config-base.ts';

/**
 * A Bluesky channel: the Jetstream instance to read, and the account (PDS `service`,
 * `identifier`, secret `appPassword`) replies and chats are sent as.
 */
export const blueskyConfigSchema = baseChannelConfig.extend({
  jetstreamUrl: z
    .url({ protocol: /^wss?$/, error: 'must be a ws(s):// URL' })
    .default('wss://jetstream2.us-east.bsky.network/subscribe'),
  /** Only posts by these accounts (Jetstream `wantedDids`); empty = the whole network. */
  wantedDids: z
    .array(z.string().regex(/^did:[a-z]+:[A-Za-z0-9._:%-]+$/, 'must be a DID'))
    .max(10_000)
    .default([]),
  /** The brand's DID: posts that mention it or reply to it address the brand. */
  brandDid: z
    .string()
    .regex(/^did:[a-z]+:[A-Za-z0-9._:%-]+$/, 'must be a DID')
    .optional(),
  /** After downtime, replay at most this far back (Jetstream keeps roughly a day). */
  maxBackfillHours: z.number().min(0).max(72).default(24),
  /** Events are handed to ingest in batches of this size or every `flushMs`. */
  batchSize: z.number().int().min(1).max(5000).default(500),
  flushMs: z.number().int().min(10).max(10_000).default(250),
  service: httpUrl().default('https://bsky.social'),
  identifier: z.string().min(1).max(320).optional(),
});
export type BlueskyConfig = z.infer<typeof blueskyConfigSchema>;
