import { eq } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { channelTypeSchema } from '../../../common/post.schema.ts';
import type { AppContext } from '../../context.ts';
import { audit } from '../../platform/audit.ts';
import { can } from '../../platform/auth/roles.ts';
import { conflict, notFound } from '../../platform/errors.ts';
import { actorOf } from '../../platform/http/auth-guard.ts';
import { validateChannelConfig } from './channel-config.ts';
import { channels } from './channels.schema.ts';

/** Secrets are write-only: only which ones are set is shown. */
export function presentChannel(c: typeof channels.$inferSelect) {
  return {
    id: c.id,
    type: c.type,
    name: c.name,
    config: c.config,
    secrets: Object.fromEntries(Object.keys(c.secrets).map((k) => [k, 'set'])),
    enabled: c.enabled,
    cursor: c.cursor,
    health: c.health,
    createdAt: c.createdAt,
    updatedAt: c.updatedAt,
  };
}

export async function channelsRoutes(app: FastifyInstance, ctx: AppContext) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['channels'];

  r.get(
    '/api/v1/channels',
    { config: { roles: can.read }, schema: { tags, summary: 'Configured channels with their health' } },
    async () => ({
      items: (await ctx.db.select().from(channels).orderBy(channels.name)).map(presentChannel),
    }),
  );

  r.get(
    '/api/v1/channels/:id',
    {
      config: { roles: can.read },
      schema: { tags, summary: 'A channel with its health and cursor', params: z.object({ id: z.uuid() }) },
    },
    async (req) => {
      const [c] = await ctx.db.select().from(channels).where(eq(channels.id, req.params.id));
      if (!c) throw notFound('Channel');
      return presentChannel(c);
    },
  );

  r.post(
    '/api/v1/channels',
    {
      config: { roles: can.admin },
      schema: {
        tags,
        summary: 'Configure a channel (secrets are write-only)',
        body: z.object({
          type: channelTypeSchema,
          name: z.string().trim().min(1).max(200),
          config: z.record(z.string(), z.unknown()).default({}),
          secrets: z.record(z.string(), z.string()).default({}),
          enabled: z.boolean().default(true),
        }),
      },
    },
    async (req, reply) => {
      const config = validateChannelConfig(req.body.type, req.body.config);
      const [exists] = await ctx.db
        .select({ id: channels.id })
        .from(channels)
        .where(eq(channels.name, req.body.name));
      if (exists) throw conflict(`A channel named ${req.body.name} exists`, undefined, 'channel_exists');
      const c = await ctx.db.transaction(async (tx) => {
        const [row] = await tx
          .insert(channels)
          .values({ ...req.body, config })
          .returning();
        await audit(
          tx,
          actorOf(req),
          'channel.created',
          { type: 'channel', id: row!.id },
          { type: row!.type, name: row!.name, config },
        );
        return row!;
      });
      await ctx.bus.publish('channel.changed', { channelId: c.id });
      return reply.status(201).send(presentChannel(c));
    },
  );

  r.patch(
    '/api/v1/channels/:id',
    {
      config: { roles: can.admin },
      schema: {
        tags,
        summary: 'Change a channel (config, secrets, enabled)',
        params: z.object({ id: z.uuid() }),
        body: z.object({
          name: z.string().trim().min(1).max(200).optional(),
          config: z.record(z.string(), z.unknown()).optional(),
          secrets: z.record(z.string(), z.string()).optional(),
          enabled: z.boolean().optional(),
        }),
      },
    },
    async (req) => {
      const [cur] = await ctx.db.select().from(channels).where(eq(channels.id, req.params.id));
      if (!cur) throw notFound('Channel');
      const config = req.body.config ? validateChannelConfig(cur.type, req.body.config) : cur.config;
      const c = await ctx.db.transaction(async (tx) => {
        const [row] = await tx
          .update(channels)
          .set({
            name: req.body.name ?? cur.name,
            config,
            secrets: req.body.secrets ? { ...cur.secrets, ...req.body.secrets } : cur.secrets,
            enabled: req.body.enabled ?? cur.enabled,
            updatedAt: new Date(),
          })
          .where(eq(channels.id, req.params.id))
          .returning();
        await audit(
          tx,
          actorOf(req),
          'channel.updated',
          { type: 'channel', id: cur.id },
          {
            name: req.body.name,
            config: req.body.config ? config : undefined,
            secretsChanged: Object.keys(req.body.secrets ?? {}),
            enabled: req.body.enabled,
          },
        );
        return row!;
      });
      await ctx.bus.publish('channel.changed', { channelId: c.id });
      return presentChannel(c);
    },
  );
}
