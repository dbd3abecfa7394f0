import type { FastifyInstance } from 'fastify';
import { connectorRoutes } from '../connectors/index.ts';
import type { AppContext } from '../context.ts';
import { liveRoutes } from '../platform/http/live.routes.ts';
import { analyticsRoutes } from './analytics/analytics.routes.ts';
import { campaignsRoutes } from './campaigns/campaigns.routes.ts';
import { drawingsRoutes } from './campaigns/drawings.routes.ts';
import { casesRoutes } from './cases/cases.routes.ts';
import { channelsRoutes } from './channels/channels.routes.ts';
import { consoleRoutes } from './console/console.routes.ts';
import { postsRoutes } from './conversations/posts.routes.ts';
import { intelligenceRoutes } from './intelligence/intelligence.routes.ts';
import { listeningRoutes } from './listening/listening.routes.ts';
import { peopleRoutes } from './people/people.routes.ts';
import { responsesRoutes } from './responses/responses.routes.ts';
import { routingRoutes } from './routing/routing.routes.ts';
import { settingsRoutes } from './settings.routes.ts';
import { usersRoutes } from './users/users.routes.ts';

/** Every module's routes. A new module adds one line here. */
export async function registerModuleRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  await usersRoutes(app, ctx);
  await postsRoutes(app, ctx);
  await casesRoutes(app, ctx);
  await responsesRoutes(app, ctx);
  await peopleRoutes(app, ctx);
  await routingRoutes(app, ctx);
  await channelsRoutes(app, ctx);
  await consoleRoutes(app, ctx);
  await connectorRoutes(app, ctx);
  await analyticsRoutes(app, ctx);
  await campaignsRoutes(app, ctx);
  await drawingsRoutes(app, ctx);
  await listeningRoutes(app, ctx);
  await intelligenceRoutes(app, ctx);
  await settingsRoutes(app, ctx);
  await liveRoutes(app, ctx);
}
