import type { FastifyInstance, FastifyRequest } from 'fastify';
import { type AuthUser, resolveCredential } from '../../modules/users/manage-users.ts';
import type { Role } from '../../modules/users/users.schema.ts';
import type { Actor } from '../audit.ts';
import type { Db } from '../db/client.ts';
import { forbidden, unauthorized } from '../errors.ts';

export const SESSION_COOKIE = 'earshot_session';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Roles allowed on this route. Every /api route must say, or be `public`. */
    roles?: readonly Role[];
    public?: boolean;
  }
  interface FastifyRequest {
    user: AuthUser | null;
  }
  interface FastifyInstance {
    /** Every /api route with the roles it allows (for the route-role enumeration test and docs). */
    apiRoutes: { method: string; url: string; roles: readonly Role[]; public: boolean }[];
  }
}

/**
 * Every /api route is guarded: a route without `config.roles` (or `config.public`) fails at
 * registration, so a forgotten guard cannot ship. Credentials: a bearer token or the session
 * cookie; 401 without them, 403 when the role is not allowed.
 */
export function installAuthGuard(app: FastifyInstance, db: Db) {
  app.decorateRequest('user', null);
  const table: FastifyInstance['apiRoutes'] = [];
  app.decorate('apiRoutes', table);
  app.addHook('onRoute', (route) => {
    if (
      !route.url.startsWith('/api/') ||
      route.url.startsWith('/api/docs') ||
      route.url === '/api/openapi.json'
    )
      return;
    const cfg = route.config as { roles?: readonly Role[]; public?: boolean } | undefined;
    if (!cfg?.public && !cfg?.roles?.length) {
      throw new Error(`Route ${route.method} ${route.url} declares neither config.roles nor config.public`);
    }
    for (const method of [route.method].flat()) {
      if (method === 'HEAD') continue;
      table.push({ method, url: route.url, roles: cfg?.roles ?? [], public: Boolean(cfg?.public) });
    }
  });
  // onRequest: credentials are checked before the body is parsed or validated.
  app.addHook('onRequest', async (req) => {
    const cfg = req.routeOptions.config;
    const url = req.routeOptions.url;
    if (!url?.startsWith('/api/') || isDocs(url)) return;
    const user = await authenticate(req, db);
    req.user = user;
    if (cfg.public) return;
    if (!user) throw unauthorized();
    if (!cfg.roles?.includes(user.role)) throw forbidden(`Your role (${user.role}) does not allow this`);
  });
}

/** The API's own documentation is public. */
const isDocs = (url: string) => url.startsWith('/api/docs') || url === '/api/openapi.json';

async function authenticate(req: FastifyRequest, db: Db): Promise<AuthUser | null> {
  const header = req.headers.authorization;
  if (header) {
    const m = /^Bearer\s+(\S+)$/i.exec(header);
    if (!m) throw unauthorized('Authorization header must be "Bearer <token>"');
    const u = await resolveCredential(db, 'token', m[1]!);
    if (!u) throw unauthorized('The bearer token is invalid or revoked');
    return u;
  }
  const cookie = req.cookies?.[SESSION_COOKIE];
  if (cookie) return resolveCredential(db, 'session', cookie);
  return null;
}

/** The acting user of an authenticated request, for the audit log. */
export function actorOf(req: FastifyRequest): Actor {
  return { userId: req.user?.id ?? null, label: req.user?.email ?? 'anonymous', ip: req.ip };
}

/** The signed-in user (routes with roles always have one). */
export function userOf(req: FastifyRequest): AuthUser {
  if (!req.user) throw unauthorized();
  return req.user;
}
