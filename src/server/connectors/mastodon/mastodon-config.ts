import { z } from 'zod';
import { baseChannelConfig, httpUrl } from '../ingestion/channel-config-base.ts';

const stream = z.discriminatedUnion('type', [
  z.object({ type: z.literal('user') }),
  z.object({ type: z.literal('public') }),
  z.object({ type: z.literal('public:local') }),
  z.object({
    type: z.literal('hashtag'),
    tag: z
      .string()
      .regex(/^[\p{L}\p{N}_]+$/u, 'a hashtag without #')
      .max(100),
  }),
]);

/**
 * A Mastodon channel: the instance, the streams to listen to, and the account replies are
 * posted as (secret `accessToken`, scopes read + write:statuses).
 */
export const mastodonConfigSchema = baseChannelConfig.extend({
  instanceUrl: httpUrl(),
  /** `user` = the brand's notifications and home timeline (mentions, replies, DMs). */
  streams: z
    .array(stream)
    .min(1)
    .max(20)
    .default([{ type: 'user' }]),
  /** Visibility of public replies (`direct` is used for private ones). */
  replyVisibility: z.enum(['public', 'unlisted']).default('public'),
  batchSize: z.number().int().min(1).max(1000).default(100),
  flushMs: z.number().int().min(10).max(10_000).default(250),
  /** A stream silent this long (no status, no heartbeat) is reconnected. */
  idleTimeoutSeconds: z.number().int().min(1).max(600).default(90),
});
export type MastodonConfig = z.infer<typeof mastodonConfigSchema>;
export type MastodonStream = z.infer<typeof stream>;
