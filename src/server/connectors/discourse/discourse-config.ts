import { z } from 'zod';
import { baseChannelConfig, httpUrl } from '../ingestion/channel-config-base.ts';

/** A Discourse forum. Secret `apiKey` (with `apiUsername`) reads private categories and posts replies. */
export const discourseConfigSchema = baseChannelConfig.extend({
  baseUrl: httpUrl(),
  /** The forum user replies are posted as (the brand's account). */
  apiUsername: z.string().min(1).max(60).optional(),
  /** Only posts in these categories (ids); empty = all. */
  categoryIds: z.array(z.number().int().positive()).max(500).default([]),
  intervalSeconds: z.number().min(0.1).max(86_400).default(60),
  maxBackfillPages: z.number().int().min(1).max(50).default(20),
});
export type DiscourseConfig = z.infer<typeof discourseConfigSchema>;

/** Discourse's API headers (https://docs.discourse.org/#tag/Posts): `Api-Key` and `Api-Username`. */
export function discourseHeaders(
  config: DiscourseConfig,
  apiKey: string | undefined,
): Record<string, string> {
  return {
    accept: 'application/json',
    ...(apiKey ? { 'Api-Key': apiKey, 'Api-Username': config.apiUsername ?? 'system' } : {}),
  };
}
