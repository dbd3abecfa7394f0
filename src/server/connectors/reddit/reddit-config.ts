import { z } from 'zod';
import { baseChannelConfig, httpUrl } from '../ingestion/channel-config-base.ts';

/**
 * A Reddit channel (a "script" app: https://github.com/reddit-archive/reddit/wiki/OAuth2).
 * Secrets: `clientSecret` and the account's `password` (password grant, so the channel can
 * also reply as the brand's account).
 */
export const redditConfigSchema = baseChannelConfig.extend({
  authUrl: httpUrl().default('https://www.reddit.com'),
  apiUrl: httpUrl().default('https://oauth.reddit.com'),
  clientId: z.string().min(1).max(100),
  username: z.string().min(1).max(100),
  /** Subreddits whose new posts and comments are read. */
  subreddits: z
    .array(z.string().regex(/^[A-Za-z0-9_]{2,21}$/, 'a subreddit name without r/'))
    .max(100)
    .default([]),
  /** Site-wide searches (sorted by new), e.g. the brand's name. */
  searches: z.array(z.string().min(1).max(512)).max(50).default([]),
  includeComments: z.boolean().default(true),
  intervalSeconds: z.number().min(0.1).max(86_400).default(60),
  /** After downtime, page back at most this many pages of 100 per listing. */
  maxBackfillPages: z.number().int().min(1).max(10).default(10),
});
export type RedditConfig = z.infer<typeof redditConfigSchema>;
