import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import cookie from '@fastify/cookie';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import websocket from '@fastify/websocket';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import type { AppContext } from '../../context.ts';
import { registerModuleRoutes } from '../../modules/routes.ts';
import { installAuthGuard } from './auth-guard.ts';
import { installErrorHandler } from './error-handler.ts';

export const WEB_DIST = fileURLToPath(new URL('../../../../dist/web/', import.meta.url));

export type App = FastifyInstance;

/** Builds the HTTP server: plugins, the auth guard, every module's routes, the console. */
export async function buildApp(ctx: AppContext): Promise<App> {
  const app: FastifyInstance = Fastify({
    loggerInstance: ctx.log as FastifyBaseLogger,
    bodyLimit: 20 * 1024 * 1024,
    trustProxy: true,
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  installErrorHandler(app);

  await app.register(cookie);
  await app.register(helmet, {
    contentSecurityPolicy: {
      directives: {
        'style-src': ["'self'", "'unsafe-inline'"],
        'img-src': ["'self'", 'data:', 'https:'],
        'connect-src': ["'self'", 'ws:', 'wss:'],
        'upgrade-insecure-requests': null,
      },
    },
  });
  await app.register(rateLimit, { global: false });
  await app.register(websocket);
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Earshot API',
        version: '1',
        description:
          'Social customer care: listening, cases, people, replies, analytics. Authenticate with `Authorization: Bearer <token>` (see `earshot token create`) or the console session cookie.',
      },
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer' },
          session: { type: 'apiKey', in: 'cookie', name: 'earshot_session' },
        },
      },
      security: [{ bearer: [] }, { session: [] }],
    },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs', staticCSP: true });
  installAuthGuard(app, ctx.db);

  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  app.get(
    '/api/v1/health',
    {
      config: { public: true },
      schema: { tags: ['platform'], summary: 'Liveness and which database/bus are in use' },
    },
    async () => ({
      status: 'ok',
      database: ctx.database.kind,
      bus: ctx.bus.kind,
      version: '0.1.0',
      uptimeSeconds: Math.round(process.uptime()),
    }),
  );

  await registerModuleRoutes(app, ctx);

  if (existsSync(WEB_DIST)) {
    await app.register(fastifyStatic, { root: WEB_DIST, prefix: '/', wildcard: false, index: 'index.html' });
    // Client-side routes: any other GET outside /api gets the console's index.html. A catch-all
    // route rather than a second not-found handler (the error handler owns that one).
    app.get('/*', { schema: { hide: true } }, async (req, reply) => {
      if (req.url.startsWith('/api/')) {
        return reply
          .status(404)
          .send({ error: { code: 'not_found', message: `No route GET ${req.url.split('?')[0]}` } });
      }
      // Assets of a build newer than this process (static routes are registered at start).
      const path = req.url.split('?')[0]!;
      if (path.startsWith('/assets/')) return reply.sendFile(decodeURIComponent(path.slice(1)));
      return reply.header('cache-control', 'no-cache').sendFile('index.html');
    });
  } else {
    app.get('/', { schema: { hide: true } }, async (_req, reply) =>
      reply
        .type('text/html')
        .send(
          '<!doctype html><title>Earshot</title><p>The console is not built. Run <code>npm run build:web</code>.</p>',
        ),
    );
  }
  return app;
}
