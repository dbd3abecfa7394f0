import { eq } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../context.ts';
import { can } from '../../platform/auth/roles.ts';
import { actorOf, userOf } from '../../platform/http/auth-guard.ts';
import { forbidden } from '../../platform/errors.ts';
import { caseStatuses, cases } from './cases.schema.ts';
import { getCase } from './get-case.ts';
import { listCases } from './list-cases.ts';
import { presentCaseSummary } from './present-case.ts';
import { addNote, assignCase, changeCaseStatus, flagServiceRecovery, setTags } from './update-case.ts';

const idParams = z.object({ id: z.uuid() });

export async function casesRoutes(app: FastifyInstance, ctx: AppContext) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['cases'];

  r.get(
    '/api/v1/cases',
    {
      config: { roles: can.anyone },
      schema: {
        tags,
        summary: 'The inbox, in the order an agent should work it (each item explains its priority)',
        querystring: z.object({
          status: z
            .string()
            .optional()
            .transform((s) => (s ? s.split(',').filter(Boolean) : undefined))
            .pipe(z.array(z.enum(caseStatuses)).optional()),
          queue: z.string().max(200).optional(),
          assignee: z.string().max(100).optional(),
          q: z.string().max(500).optional(),
          channel: z.string().max(64).optional(),
          topic: z.uuid().optional(),
          intent: z.string().max(64).optional(),
          sentiment: z.enum(['negative', 'neutral', 'positive']).optional(),
          incident: z.uuid().optional(),
          cursor: z.string().max(500).optional(),
          limit: z.coerce.number().int().min(1).max(200).optional(),
        }),
      },
    },
    async (req) => {
      const me = userOf(req);
      const q = req.query;
      // Contributors see what they handed over and what is assigned to them, nothing else.
      const contributor = me.role === 'contributor';
      if (contributor && q.assignee && q.assignee !== 'me' && q.assignee !== me.id) throw forbidden('Contributors see only their own items');
      const res = await listCases(
        ctx.db,
        {
          status: q.status,
          queue: q.queue,
          assignee: contributor && !q.assignee ? undefined : q.assignee,
          handedOverBy: contributor && !q.assignee ? me.id : undefined,
          q: q.q,
          channel: q.channel,
          topic: q.topic,
          intent: q.intent,
          sentiment: q.sentiment,
          incidentId: q.incident,
          cursor: q.cursor,
          limit: q.limit,
        },
        me,
      );
      return {
        items: res.rows.map((x) => presentCaseSummary(x.c, { team: x.team, assignee: x.assignee, handle: x.handle, personName: x.personName })),
        nextCursor: res.nextCursor,
      };
    },
  );

  r.get('/api/v1/cases/:id', { config: { roles: can.anyone }, schema: { tags, summary: 'A case with its conversation, the person, linked accounts and cross-channel history', params: idParams } }, async (req) => {
    const c = await getCase(ctx.db, req.params.id);
    const me = userOf(req);
    if (me.role === 'contributor' && c.assignee?.id !== me.id) {
      const [row] = await ctx.db.select({ by: cases.handedOverBy }).from(cases).where(eq(cases.id, c.id));
      if (row?.by !== me.id) throw forbidden('Contributors see only their own items');
    }
    return c;
  });

  r.post(
    '/api/v1/cases/:id/assign',
    {
      config: { roles: can.work },
      schema: {
        tags,
        summary: 'Assign to a user and/or a team (queue); null unassigns',
        params: idParams,
        body: z.object({ userId: z.uuid().nullable().optional(), teamId: z.uuid().nullable().optional() }),
      },
    },
    async (req) => presentCaseSummary(await assignCase(ctx, req.params.id, req.body, actorOf(req)), { team: null, assignee: null, handle: null }),
  );

  r.post(
    '/api/v1/cases/:id/status',
    {
      config: { roles: can.work },
      schema: {
        tags,
        summary: 'Change the lifecycle status',
        params: idParams,
        body: z.object({ status: z.enum(caseStatuses), version: z.number().int().optional() }),
      },
    },
    async (req) =>
      presentCaseSummary(await changeCaseStatus(ctx, req.params.id, req.body.status, actorOf(req), req.body.version), {
        team: null,
        assignee: null,
        handle: null,
      }),
  );

  r.post(
    '/api/v1/cases/:id/notes',
    { config: { roles: can.work }, schema: { tags, summary: 'Add an internal note', params: idParams, body: z.object({ text: z.string().min(1).max(20_000) }) } },
    async (req, reply) => {
      await addNote(ctx, req.params.id, req.body.text, actorOf(req));
      return reply.status(201).send({ ok: true });
    },
  );

  r.post(
    '/api/v1/cases/:id/tags',
    { config: { roles: can.work }, schema: { tags, summary: 'Replace the tags', params: idParams, body: z.object({ tags: z.array(z.string().max(64)).max(50) }) } },
    async (req) => presentCaseSummary(await setTags(ctx, req.params.id, req.body.tags, actorOf(req)), { team: null, assignee: null, handle: null }),
  );

  r.post(
    '/api/v1/cases/:id/service-recovery',
    {
      config: { roles: can.work },
      schema: {
        tags,
        summary: 'Flag or clear service recovery (the company made an error: the case goes first)',
        params: idParams,
        body: z.object({ on: z.boolean(), reason: z.string().min(1).max(1000) }),
      },
    },
    async (req) =>
      presentCaseSummary(await flagServiceRecovery(ctx, req.params.id, req.body.on, req.body.reason, actorOf(req)), {
        team: null,
        assignee: null,
        handle: null,
      }),
  );
}
