import { and, desc, eq, lt } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../context.ts';
import { can } from '../../platform/auth/roles.ts';
import { actorOf } from '../../platform/http/auth-guard.ts';
import { queueReply } from './queue-reply.ts';
import { outbox } from './responses.schema.ts';

export async function responsesRoutes(app: FastifyInstance, ctx: AppContext) {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.post(
    '/api/v1/cases/:id/replies',
    {
      config: { roles: can.work },
      schema: {
        tags: ['cases'],
        summary: 'Reply on the channel (public), privately (DM) or by e-mail; queued in the outbox, sent once per idempotency key',
        params: z.object({ id: z.uuid() }),
        body: z.object({
          mode: z.enum(['public', 'private', 'email']),
          text: z.string().min(1).max(20_000),
          idempotencyKey: z.string().min(1).max(200).optional(),
          version: z.number().int().optional(),
        }),
      },
    },
    async (req, reply) => {
      const res = await queueReply(
        ctx,
        req.params.id,
        { mode: req.body.mode, text: req.body.text, idempotencyKey: req.body.idempotencyKey, baseVersion: req.body.version },
        actorOf(req),
      );
      return reply.status(res.duplicate ? 200 : 202).send({
        id: res.item.id,
        status: res.item.status,
        duplicate: res.duplicate,
        channel: res.item.channel,
        mode: res.item.mode,
        destination: res.destination,
      });
    },
  );

  r.get(
    '/api/v1/channels/sandbox/outbox',
    {
      config: { roles: can.read },
      schema: {
        tags: ['channels'],
        summary: 'What the sandbox channel "sent" (demos and tests)',
        querystring: z.object({ before: z.iso.datetime().optional(), limit: z.coerce.number().int().min(1).max(500).default(100) }),
      },
    },
    async (req) => {
      const rows = await ctx.db
        .select()
        .from(outbox)
        .where(
          and(
            eq(outbox.channel, 'sandbox'),
            eq(outbox.status, 'sent'),
            req.query.before ? lt(outbox.sentAt, new Date(req.query.before)) : undefined,
          ),
        )
        .orderBy(desc(outbox.sentAt))
        .limit(req.query.limit);
      return {
        items: rows.map((o) => ({
          id: o.id,
          caseId: o.caseId,
          mode: o.mode,
          text: o.text,
          target: o.target,
          externalId: o.externalId,
          sentAt: o.sentAt,
        })),
      };
    },
  );
}
