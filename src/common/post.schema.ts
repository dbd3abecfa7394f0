import { z } from 'zod';

/** Channel types Earshot knows. `sandbox` is local: it records what would be sent (demos, tests). */
export const channelTypes = [
  'x',
  'bluesky',
  'mastodon',
  'reddit',
  'rss',
  'discourse',
  'email',
  'webhook',
  'sandbox',
] as const;
export const channelTypeSchema = z.enum(channelTypes);
export type ChannelType = z.infer<typeof channelTypeSchema>;

export const authorSchema = z.object({
  externalId: z.string().min(1).max(256),
  handle: z.string().min(1).max(320),
  displayName: z.string().max(512).optional(),
  followers: z.number().int().nonnegative().optional(),
  email: z.string().max(320).optional(),
});
export type Author = z.infer<typeof authorSchema>;

export const attachmentSchema = z.object({
  filename: z.string().max(512).optional(),
  contentType: z.string().max(256),
  size: z.number().int().nonnegative(),
  /** base64 content; stored only below the configured size limit. */
  contentBase64: z.string().optional(),
  url: z.string().optional(),
});

/**
 * A post from any channel, normalised. What connectors hand to ingest, what `POST /api/v1/posts`
 * and `earshot import jsonl` accept. Idempotent on `(channel, externalId)`.
 */
export const normalisedPostSchema = z.object({
  channel: z
    .string()
    .min(1)
    .max(64)
    .describe('channel type (x, bluesky, …) or the name of a configured channel'),
  externalId: z.string().min(1).max(512),
  url: z.string().max(4096).optional(),
  author: authorSchema,
  text: z.string().max(200_000),
  /** E-mail subject, forum topic title, blog post title. */
  title: z.string().max(2000).optional(),
  createdAt: z.iso.datetime({ offset: true }),
  inReplyTo: z.string().max(512).optional(),
  threadKey: z.string().max(1024).optional(),
  direction: z.enum(['inbound', 'outbound']).default('inbound'),
  toBrand: z.boolean().optional(),
  /** Private message (DM, e-mail) rather than a public post. */
  isPrivate: z.boolean().optional(),
  isRepost: z.boolean().optional(),
  lang: z.string().max(16).optional(),
  links: z.array(z.string().max(4096)).max(200).optional(),
  metrics: z
    .object({
      reposts: z.number().int().nonnegative().optional(),
      replies: z.number().int().nonnegative().optional(),
      likes: z.number().int().nonnegative().optional(),
    })
    .optional(),
  attachments: z.array(attachmentSchema).max(50).optional(),
  /** Channel-specific fields kept verbatim (e-mail headers, AT-URI/CID, …). */
  raw: z.record(z.string(), z.unknown()).optional(),
});
export type NormalisedPost = z.infer<typeof normalisedPostSchema>;
export type NormalisedPostInput = z.input<typeof normalisedPostSchema>;

export const ingestOutcomeSchema = z.object({
  externalId: z.string(),
  outcome: z.enum(['stored', 'duplicate', 'dropped']),
  reason: z.string().optional(),
  postId: z.string().optional(),
  caseId: z.string().optional(),
});
export type IngestOutcome = z.infer<typeof ingestOutcomeSchema>;
