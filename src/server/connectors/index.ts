import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../context.ts';
import { registerChannelConfig } from '../modules/channels/channel-config.ts';
import { registerReader } from './registry.ts';
import { readRss, rssConfigSchema } from './rss/rss-reader.ts';
import { registerSandboxSender } from './sandbox/sandbox-sender.ts';
import { webhookConfigSchema, webhookRoutes } from './webhook/webhook.routes.ts';

/** Registers every connector's config schema, reader and sender with the registries. */
export function registerConnectors(): void {
  registerSandboxSender();
  registerChannelConfig('webhook', webhookConfigSchema);
  registerChannelConfig('rss', rssConfigSchema);
  registerReader('rss', readRss);
}

/** HTTP routes that connectors need (inbound webhooks). */
export async function connectorRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  await webhookRoutes(app, ctx);
}
