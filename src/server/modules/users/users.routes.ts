import { and, desc, eq, isNull } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../context.ts';
import { audit } from '../../platform/audit.ts';
import { can } from '../../platform/auth/roles.ts';
import { hashPassword } from '../../platform/auth/secrets.ts';
import { notFound, unauthorized } from '../../platform/errors.ts';
import { actorOf, SESSION_COOKIE, userOf } from '../../platform/http/auth-guard.ts';
import {
  checkPassword,
  createApiToken,
  createSession,
  createUser,
  emailSchema,
  passwordSchema,
  revokeApiToken,
  revokeSession,
  roleSchema,
} from './manage-users.ts';
import { apiTokens, sessions, teamMembers, teams, users } from './users.schema.ts';

const presentUser = (u: typeof users.$inferSelect) => ({
  id: u.id,
  email: u.email,
  name: u.name,
  role: u.role,
  availability: u.availability,
  capacity: u.capacity,
  skills: u.skills,
  disabled: Boolean(u.disabledAt),
  createdAt: u.createdAt,
});

export async function usersRoutes(app: FastifyInstance, ctx: AppContext) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['users'];

  r.post(
    '/api/v1/auth/login',
    {
      config: { public: true, rateLimit: { max: 20, timeWindow: '1 minute' } },
      schema: {
        tags,
        summary: 'Sign in; sets the session cookie',
        body: z.object({ email: z.string(), password: z.string() }),
      },
    },
    async (req, reply) => {
      const u = await checkPassword(ctx.db, req.body.email, req.body.password);
      if (!u) throw unauthorized('Wrong e-mail or password');
      const s = await createSession(ctx.db, u.id, ctx.config.SESSION_TTL_HOURS, {
        ua: req.headers['user-agent'],
        ip: req.ip,
      });
      await ctx.db
        .update(users)
        .set({ lastSeenAt: new Date(), availability: 'online' })
        .where(eq(users.id, u.id));
      reply.setCookie(SESSION_COOKIE, s.token, {
        path: '/',
        httpOnly: true,
        sameSite: 'strict',
        secure: ctx.config.COOKIE_SECURE === 'true',
        expires: s.expiresAt,
      });
      return { user: u, expiresAt: s.expiresAt };
    },
  );

  r.post(
    '/api/v1/auth/logout',
    { config: { roles: can.anyone }, schema: { tags, summary: 'Sign out (revokes the session)' } },
    async (req, reply) => {
      const token = req.cookies[SESSION_COOKIE];
      if (token) await revokeSession(ctx.db, token);
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return { ok: true };
    },
  );

  r.get(
    '/api/v1/auth/me',
    { config: { roles: can.anyone }, schema: { tags, summary: 'The signed-in user' } },
    async (req) => {
      const [u] = await ctx.db
        .select()
        .from(users)
        .where(eq(users.id, userOf(req).id));
      const myTeams = await ctx.db
        .select({ id: teams.id, name: teams.name })
        .from(teamMembers)
        .innerJoin(teams, eq(teams.id, teamMembers.teamId))
        .where(eq(teamMembers.userId, userOf(req).id));
      return { user: { ...presentUser(u!), teams: myTeams } };
    },
  );

  r.post(
    '/api/v1/auth/availability',
    {
      config: { roles: can.anyone },
      schema: {
        tags,
        summary: 'Set my availability',
        body: z.object({ availability: z.enum(['online', 'away', 'offline']) }),
      },
    },
    async (req) => {
      await ctx.db
        .update(users)
        .set({ availability: req.body.availability })
        .where(eq(users.id, userOf(req).id));
      return { availability: req.body.availability };
    },
  );

  r.get(
    '/api/v1/users',
    { config: { roles: can.read }, schema: { tags, summary: 'List users' } },
    async () => {
      const rows = await ctx.db.select().from(users).orderBy(users.email);
      return { items: rows.map(presentUser) };
    },
  );

  r.post(
    '/api/v1/users',
    {
      config: { roles: can.admin },
      schema: {
        tags,
        summary: 'Create a user',
        body: z.object({
          email: emailSchema,
          role: roleSchema,
          name: z.string().max(200).optional(),
          password: passwordSchema.optional(),
        }),
      },
    },
    async (req, reply) => {
      const u = await createUser(ctx.db, req.body, actorOf(req));
      return reply.status(201).send({ user: u });
    },
  );

  r.patch(
    '/api/v1/users/:id',
    {
      config: { roles: can.admin },
      schema: {
        tags,
        summary: 'Change a user (role, capacity, skills, disable, password)',
        params: z.object({ id: z.uuid() }),
        body: z.object({
          role: roleSchema.optional(),
          name: z.string().max(200).optional(),
          capacity: z.number().int().min(0).max(1000).optional(),
          skills: z.array(z.string().max(100)).max(50).optional(),
          disabled: z.boolean().optional(),
          password: passwordSchema.optional(),
          availability: z.enum(['online', 'away', 'offline']).optional(),
        }),
      },
    },
    async (req) => {
      const { password, disabled, ...rest } = req.body;
      const set: Partial<typeof users.$inferInsert> = { ...rest };
      if (password) set.passwordHash = await hashPassword(password);
      if (disabled !== undefined) set.disabledAt = disabled ? new Date() : null;
      const updated = await ctx.db.transaction(async (tx) => {
        const [u] = await tx.update(users).set(set).where(eq(users.id, req.params.id)).returning();
        if (!u) throw notFound('User');
        if (disabled) {
          await tx
            .update(sessions)
            .set({ revokedAt: new Date() })
            .where(and(eq(sessions.userId, u.id), isNull(sessions.revokedAt)));
        }
        await audit(
          tx,
          actorOf(req),
          'user.updated',
          { type: 'user', id: u.id },
          { ...rest, disabled, passwordChanged: Boolean(password) },
        );
        return u;
      });
      return { user: presentUser(updated) };
    },
  );

  r.get(
    '/api/v1/tokens',
    { config: { roles: can.anyone }, schema: { tags, summary: 'My API tokens' } },
    async (req) => {
      const rows = await ctx.db
        .select({
          id: apiTokens.id,
          name: apiTokens.name,
          prefix: apiTokens.prefix,
          createdAt: apiTokens.createdAt,
          lastUsedAt: apiTokens.lastUsedAt,
          revokedAt: apiTokens.revokedAt,
        })
        .from(apiTokens)
        .where(eq(apiTokens.userId, userOf(req).id))
        .orderBy(desc(apiTokens.createdAt));
      return { items: rows };
    },
  );

  r.post(
    '/api/v1/tokens',
    {
      config: { roles: can.anyone },
      schema: {
        tags,
        summary: 'Create an API token for myself (shown once)',
        body: z.object({ name: z.string().max(200).default('') }),
      },
    },
    async (req, reply) => {
      const t = await createApiToken(ctx.db, userOf(req).email, req.body.name, actorOf(req));
      return reply.status(201).send(t);
    },
  );

  r.delete(
    '/api/v1/tokens/:id',
    {
      config: { roles: can.anyone },
      schema: { tags, summary: 'Revoke a token (mine, or any as admin)', params: z.object({ id: z.uuid() }) },
    },
    async (req) => {
      const me = userOf(req);
      await revokeApiToken(ctx.db, req.params.id, actorOf(req), me.role === 'admin' ? undefined : me.id);
      return { revoked: true };
    },
  );
}
