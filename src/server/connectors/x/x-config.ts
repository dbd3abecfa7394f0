import { z } from 'zod';
import { baseChannelConfig, httpUrl } from '../ingestion/channel-config-base.ts';

/**
 * An X (API v2) channel. Secrets: `bearerToken` (app-only: filtered stream, rules, recent
 * search) and `userAccessToken` (OAuth 2.0 user context with tweet.write/dm.write: replies, DMs).
 */
export const xConfigSchema = baseChannelConfig.extend({
  apiBaseUrl: httpUrl().default('https://api.x.com'),
  /** The brand's account: a rule for its mentions is always added. */
  brandUsername: z
    .string()
    .regex(/^[A-Za-z0-9_]{1,15}$/, 'an X username without @')
    .optional(),
  brandUserId: z.string().regex(/^\d+$/).optional(),
  /** Extra filtered-stream rules in X's rule syntax. */
  rules: z
    .array(z.object({ value: z.string().min(1).max(1024), tag: z.string().max(100).optional() }))
    .max(1000)
    .default([]),
  /** Also turn listening topics whose queries X can express into stream rules. */
  rulesFromTopics: z.boolean().default(true),
  /** Longest rule X accepts on this access level. */
  maxRuleLength: z.number().int().min(64).max(4096).default(512),
  /** After downtime, fill the gap with recent search (last 7 days) from the newest id seen. */
  backfill: z.boolean().default(true),
  batchSize: z.number().int().min(1).max(1000).default(100),
  flushMs: z.number().int().min(10).max(10_000).default(250),
  /** The stream sends a keep-alive every ~20 s; silence this long means a dead connection. */
  idleTimeoutSeconds: z.number().int().min(1).max(600).default(60),
});
export type XConfig = z.infer<typeof xConfigSchema>;
