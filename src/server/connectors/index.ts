import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../context.ts';
import { registerChannelConfig } from '../modules/channels/channel-config.ts';
import { blueskyConfigSchema } from './bluesky/bluesky-config.ts';
import { readJetstream } from './bluesky/read-jetstream.ts';
import { sendBluesky } from './bluesky/send-bluesky.ts';
import { discourseConfigSchema } from './discourse/discourse-config.ts';
import { readDiscourse } from './discourse/read-discourse.ts';
import { sendDiscourse } from './discourse/send-discourse.ts';
import { emailConfigSchema } from './email/email-config.ts';
import { readEmail } from './email/read-email.ts';
import { sendEmail } from './email/send-email.ts';
import { mastodonConfigSchema } from './mastodon/mastodon-config.ts';
import { readMastodon } from './mastodon/read-mastodon.ts';
import { sendMastodon } from './mastodon/send-mastodon.ts';
import { readReddit } from './reddit/read-reddit.ts';
import { redditConfigSchema } from './reddit/reddit-config.ts';
import { sendReddit } from './reddit/send-reddit.ts';
import { registerReader, registerSender } from './registry.ts';
import { readRss, rssConfigSchema } from './rss/rss-reader.ts';
import { registerSandboxSender } from './sandbox/sandbox-sender.ts';
import { webhookConfigSchema, webhookRoutes } from './webhook/webhook.routes.ts';
import { readX } from './x/read-x.ts';
import { sendX } from './x/send-x.ts';
import { xConfigSchema } from './x/x-config.ts';

/** Registers every connector's config schema, reader and sender with the registries. */
export function registerConnectors(): void {
  registerSandboxSender();
  registerChannelConfig('webhook', webhookConfigSchema);
  registerChannelConfig('rss', rssConfigSchema);
  registerReader('rss', readRss);
  registerChannelConfig('email', emailConfigSchema);
  registerReader('email', readEmail);
  registerSender('email', sendEmail);
  registerChannelConfig('bluesky', blueskyConfigSchema);
  registerReader('bluesky', readJetstream);
  registerSender('bluesky', sendBluesky);
  registerChannelConfig('mastodon', mastodonConfigSchema);
  registerReader('mastodon', readMastodon);
  registerSender('mastodon', sendMastodon);
  registerChannelConfig('x', xConfigSchema);
  registerReader('x', readX);
  registerSender('x', sendX);
  registerChannelConfig('reddit', redditConfigSchema);
  registerReader('reddit', readReddit, { minRequestIntervalMs: 1000 });
  registerSender('reddit', sendReddit);
  registerChannelConfig('discourse', discourseConfigSchema);
  registerReader('discourse', readDiscourse);
  registerSender('discourse', sendDiscourse);
}

/** HTTP routes that connectors need (inbound webhooks). */
export async function connectorRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  await webhookRoutes(app, ctx);
}
