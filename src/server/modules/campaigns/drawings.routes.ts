import { desc, eq } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../context.ts';
import { can } from '../../platform/auth/roles.ts';
import { forbidden, notFound } from '../../platform/errors.ts';
import { actorOf, userOf } from '../../platform/http/auth-guard.ts';
import { drawings } from './campaigns.schema.ts';
import { createDrawing, drawDrawing, fulfilmentStatuses, updateFulfilment } from './manage-drawings.ts';
import { notifyWinner } from './notify-winner.ts';
import { listEntrants, presentDrawing, verifyStoredDrawing } from './present-drawing.ts';

const params = z.object({ id: z.uuid() });

export async function drawingsRoutes(app: FastifyInstance, ctx: AppContext) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['drawings'];
  const load = async (id: string) => {
    const [d] = await ctx.db.select().from(drawings).where(eq(drawings.id, id));
    if (!d) throw notFound('Drawing');
    return d;
  };

  r.get(
    '/api/v1/drawings',
    { config: { roles: can.read }, schema: { tags, summary: 'Drawings, newest first' } },
    async () => {
      const rows = await ctx.db.select().from(drawings).orderBy(desc(drawings.createdAt)).limit(200);
      return { items: await Promise.all(rows.map((d) => presentDrawing(ctx.db, d))) };
    },
  );

  r.post(
    '/api/v1/drawings',
    {
      config: { roles: can.manage },
      schema: {
        tags,
        summary:
          'Create a drawing: the seed stays secret, its SHA-256 commitment is published at once (audited)',
        body: z.object({
          name: z.string().trim().min(1).max(200),
          query: z.string().trim().min(1).max(20_000).optional(),
          topicId: z.uuid().optional(),
          windowStart: z.iso.datetime({ offset: true }),
          windowEnd: z.iso.datetime({ offset: true }),
          prize: z.string().trim().min(1).max(500),
          timezone: z.string().max(64).optional(),
          rules: z
            .object({
              minAccountAgeDays: z.number().int().min(0).max(3650).optional(),
              excludeEmployees: z.boolean().optional(),
              excludeHandles: z.array(z.string().min(1).max(320)).max(1000).optional(),
            })
            .optional(),
        }),
      },
    },
    async (req, reply) => {
      const b = req.body;
      const d = await createDrawing(
        ctx,
        { ...b, windowStart: new Date(b.windowStart), windowEnd: new Date(b.windowEnd) },
        actorOf(req),
      );
      return reply.status(201).send(await presentDrawing(ctx.db, d));
    },
  );

  r.get(
    '/api/v1/drawings/:id',
    {
      config: { roles: can.read },
      schema: {
        tags,
        summary: 'A drawing: entrants, seed commitment, winner, and what anyone needs to verify it',
        params,
      },
    },
    async (req) => presentDrawing(ctx.db, await load(req.params.id)),
  );

  r.post(
    '/api/v1/drawings/:id/draw',
    {
      config: { roles: can.manage },
      schema: {
        tags,
        summary: 'Draw the winner (only after windowEnd, unless {"force":true} by an admin; audited)',
        params,
        body: z.object({ force: z.boolean().default(false) }).default({ force: false }),
      },
    },
    async (req) => {
      if (req.body.force && userOf(req).role !== 'admin')
        throw forbidden('Only an admin may draw before the window ends');
      const { excluded } = await drawDrawing(ctx, req.params.id, { force: req.body.force }, actorOf(req));
      return { ...(await presentDrawing(ctx.db, await load(req.params.id))), excluded };
    },
  );

  r.get(
    '/api/v1/drawings/:id/entrants',
    {
      config: { roles: can.read },
      schema: {
        tags,
        summary: 'The published entrant list in canonical order (to recompute the draw)',
        params,
      },
    },
    async (req) => {
      const d = await load(req.params.id);
      const entrants = d.status === 'drawn' ? await listEntrants(ctx.db, d.id) : [];
      return {
        drawingId: d.id,
        status: d.status,
        entrantsHash: d.entrantsHash,
        count: entrants.length,
        entrants,
      };
    },
  );

  r.get(
    '/api/v1/drawings/:id/verify',
    {
      config: { roles: can.read },
      schema: { tags, summary: 'Recompute the draw from the published data', params },
    },
    async (req) => verifyStoredDrawing(ctx.db, await load(req.params.id)),
  );

  r.post(
    '/api/v1/drawings/:id/notify',
    {
      config: { roles: can.work },
      schema: {
        tags,
        summary:
          'Tell the winner by private message (template with {{name}}, {{prize}}, {{drawing}}); sent once',
        params,
        body: z.object({ template: z.string().trim().min(1).max(5000).optional() }).default({}),
      },
    },
    async (req, reply) =>
      reply.status(202).send(await notifyWinner(ctx, req.params.id, req.body.template, actorOf(req))),
  );

  r.post(
    '/api/v1/drawings/:id/fulfilment',
    {
      config: { roles: can.manage },
      schema: {
        tags,
        summary: 'Track prize fulfilment (audited)',
        params,
        body: z.object({ status: z.enum(fulfilmentStatuses), note: z.string().max(2000).default('') }),
      },
    },
    async (req) => updateFulfilment(ctx, req.params.id, req.body.status, req.body.note, actorOf(req)),
  );
}
