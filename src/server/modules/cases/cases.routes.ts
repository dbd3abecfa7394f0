import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../context.ts';
import { can } from '../../platform/auth/roles.ts';
import { forbidden } from '../../platform/errors.ts';
import { actorOf, userOf } from '../../platform/http/auth-guard.ts';
import type { Role } from '../users/users.schema.ts';
import { assertCaseAccess } from './case-access.ts';
import { caseStatuses } from './cases.schema.ts';
import { getCase } from './get-case.ts';
import { handoversRoutes } from './handovers.routes.ts';
import { incidentsRoutes } from './incidents.routes.ts';
import { listCases } from './list-cases.ts';
import { mergeCases } from './merge-cases.ts';
import { loadCaseSummary, presentCaseSummary } from './present-case.ts';
import { splitCase } from './split-case.ts';
import { presenceOf } from './track-presence.ts';
import {
  addNote,
  assignCase,
  changeCaseStatus,
  flagServiceRecovery,
  handBackCase,
  recordCallbackOutcome,
  requestCallback,
  setTags,
} from './update-case.ts';

const idParams = z.object({ id: z.uuid() });
/** Agents, and the owners of items anywhere in the organisation (contributors, on their own items). */
const owners: Role[] = [...can.work, 'contributor'];

export async function casesRoutes(app: FastifyInstance, ctx: AppContext) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['cases'];
  const presence = presenceOf(ctx.live);

  r.get(
    '/api/v1/cases',
    {
      config: { roles: can.anyone },
      schema: {
        tags,
        summary: 'The inbox, in the order an agent should work it (each item explains its priority)',
        description:
          'Order: service recovery first (the company made an error), then the next SLA deadline, then arrival. Follower counts never change the order. Contributors see only what they handed over and what is assigned to them.',
        querystring: z.object({
          status: z
            .string()
            .optional()
            .transform((s) => (s ? s.split(',').filter(Boolean) : undefined))
            .pipe(z.array(z.enum(caseStatuses)).optional()),
          queue: z.string().max(200).optional(),
          assignee: z.string().max(100).optional().describe('a user id, `me` or `none`'),
          handedOverBy: z.string().max(100).optional().describe('a user id or `me`'),
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
      const contributor = me.role === 'contributor';
      if (contributor && q.assignee && q.assignee !== 'me' && q.assignee !== me.id)
        throw forbidden('Contributors see only their own items');
      const handedOverBy = q.handedOverBy === 'me' ? me.id : q.handedOverBy;
      if (contributor && handedOverBy && handedOverBy !== me.id)
        throw forbidden('Contributors see only their own items');
      const res = await listCases(
        ctx.db,
        {
          status: q.status,
          queue: q.queue,
          assignee: q.assignee,
          handedOverBy,
          involving: contributor && !q.assignee && !handedOverBy ? me.id : undefined,
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
        items: res.rows.map((x) =>
          presentCaseSummary(x.c, {
            team: x.team,
            assignee: x.assignee,
            handle: x.handle,
            personName: x.personName,
          }),
        ),
        nextCursor: res.nextCursor,
      };
    },
  );

  r.get(
    '/api/v1/cases/:id',
    {
      config: { roles: can.anyone },
      schema: {
        tags,
        summary:
          'A case with its conversation, the person, linked accounts, cross-channel history, and who else is viewing or replying',
        params: idParams,
      },
    },
    async (req) => {
      const me = userOf(req);
      await assertCaseAccess(ctx.db, me, req.params.id);
      const c = await getCase(ctx.db, req.params.id);
      return { ...c, presence: presence.on(c.id, me.id) };
    },
  );

  r.get(
    '/api/v1/cases/:id/presence',
    {
      config: { roles: can.anyone },
      schema: { tags, summary: 'Who else is viewing or replying to the case now', params: idParams },
    },
    async (req) => {
      const me = userOf(req);
      await assertCaseAccess(ctx.db, me, req.params.id);
      return { items: presence.on(req.params.id, me.id) };
    },
  );

  r.post(
    '/api/v1/cases/:id/presence',
    {
      config: { roles: can.anyone },
      schema: {
        tags,
        summary:
          'Say that I am viewing or replying to (typing on) the case, or that I left; returns who else is there',
        description:
          'The console sends the same over the live WebSocket. Presence expires after 60 s without a refresh.',
        params: idParams,
        body: z.object({ state: z.enum(['viewing', 'typing', 'left']) }),
      },
    },
    async (req) => {
      const me = userOf(req);
      await assertCaseAccess(ctx.db, me, req.params.id);
      ctx.live.emitEvent({
        type: 'presence',
        caseId: req.params.id,
        state: req.body.state,
        user: { id: me.id, name: me.name || me.email },
      });
      return { items: presence.on(req.params.id, me.id) };
    },
  );

  r.post(
    '/api/v1/cases/:id/assign',
    {
      config: { roles: can.work },
      schema: {
        tags,
        summary:
          'Assign to anyone in the organisation (agents, contributors) and/or a team (queue); null unassigns',
        params: idParams,
        body: z.object({ userId: z.uuid().nullable().optional(), teamId: z.uuid().nullable().optional() }),
      },
    },
    async (req) => {
      await assignCase(ctx, req.params.id, req.body, actorOf(req));
      return loadCaseSummary(ctx.db, req.params.id);
    },
  );

  r.post(
    '/api/v1/cases/:id/status',
    {
      config: { roles: can.work },
      schema: {
        tags,
        summary: 'Change the lifecycle status (new, open, pending, resolved, closed)',
        params: idParams,
        body: z.object({ status: z.enum(caseStatuses), version: z.number().int().optional() }),
      },
    },
    async (req) => {
      await changeCaseStatus(ctx, req.params.id, req.body.status, actorOf(req), req.body.version);
      return loadCaseSummary(ctx.db, req.params.id);
    },
  );

  r.post(
    '/api/v1/cases/:id/notes',
    {
      config: { roles: owners },
      schema: {
        tags,
        summary: 'Add an internal note (owners of a handed-over item too)',
        params: idParams,
        body: z.object({ text: z.string().min(1).max(20_000) }),
      },
    },
    async (req, reply) => {
      await assertCaseAccess(ctx.db, userOf(req), req.params.id);
      await addNote(ctx, req.params.id, req.body.text, actorOf(req));
      return reply.status(201).send({ ok: true });
    },
  );

  r.post(
    '/api/v1/cases/:id/tags',
    {
      config: { roles: can.work },
      schema: {
        tags,
        summary: 'Replace the tags',
        params: idParams,
        body: z.object({ tags: z.array(z.string().max(64)).max(50) }),
      },
    },
    async (req) => {
      await setTags(ctx, req.params.id, req.body.tags, actorOf(req));
      return loadCaseSummary(ctx.db, req.params.id);
    },
  );

  r.post(
    '/api/v1/cases/:id/service-recovery',
    {
      config: { roles: can.work },
      schema: {
        tags,
        summary: 'Flag or clear service recovery (the company made an error: the case goes first)',
        params: idParams,
        body: z.object({ on: z.boolean(), reason: z.string().trim().min(1).max(1000) }),
      },
    },
    async (req) => {
      await flagServiceRecovery(ctx, req.params.id, req.body.on, req.body.reason, actorOf(req));
      return loadCaseSummary(ctx.db, req.params.id);
    },
  );

  r.post(
    '/api/v1/cases/:id/merge',
    {
      config: { roles: can.work },
      schema: {
        tags,
        summary: 'Merge other cases into this one (their timelines move here; they close as merged)',
        params: idParams,
        body: z.object({ caseIds: z.array(z.uuid()).min(1).max(100) }),
      },
    },
    async (req) => {
      await mergeCases(ctx, req.params.id, req.body.caseIds, actorOf(req));
      return loadCaseSummary(ctx.db, req.params.id);
    },
  );

  r.post(
    '/api/v1/cases/:id/split',
    {
      config: { roles: can.work },
      schema: {
        tags,
        summary: 'Split inbound messages into a new case',
        params: idParams,
        body: z.object({
          postIds: z.array(z.uuid()).min(1).max(500),
          subject: z.string().max(140).optional(),
        }),
      },
    },
    async (req, reply) => {
      const c = await splitCase(ctx, req.params.id, req.body, actorOf(req));
      return reply.status(201).send(await loadCaseSummary(ctx.db, c.id));
    },
  );

  r.post(
    '/api/v1/cases/:id/hand-back',
    {
      config: { roles: owners },
      schema: {
        tags,
        summary: 'The owner hands the case back to the care team with a note',
        params: idParams,
        body: z.object({ note: z.string().trim().min(1).max(5000) }),
      },
    },
    async (req) => {
      await assertCaseAccess(ctx.db, userOf(req), req.params.id);
      await handBackCase(ctx, req.params.id, req.body.note, actorOf(req));
      return loadCaseSummary(ctx.db, req.params.id);
    },
  );

  r.post(
    '/api/v1/cases/:id/callbacks',
    {
      config: { roles: can.work },
      schema: {
        tags,
        summary: 'Create a phone call-back task on the case',
        params: idParams,
        body: z.object({ phone: z.string().trim().min(3).max(50), note: z.string().max(2000).default('') }),
      },
    },
    async (req, reply) => {
      await requestCallback(ctx, req.params.id, req.body, actorOf(req));
      const c = await getCase(ctx.db, req.params.id);
      const task = c.timeline.filter((e) => e.type === 'callback_requested').at(-1);
      return reply
        .status(201)
        .send({ taskId: (task?.data as { taskId?: string } | undefined)?.taskId ?? null });
    },
  );

  r.post(
    '/api/v1/cases/:id/callbacks/:taskId/outcome',
    {
      config: { roles: can.work },
      schema: {
        tags,
        summary: 'Record the outcome of a call-back',
        params: z.object({ id: z.uuid(), taskId: z.uuid() }),
        body: z.object({
          outcome: z.enum(['reached', 'no_answer', 'voicemail', 'wrong_number']),
          note: z.string().max(5000).default(''),
        }),
      },
    },
    async (req) => {
      await recordCallbackOutcome(ctx, req.params.id, req.params.taskId, req.body, actorOf(req));
      return loadCaseSummary(ctx.db, req.params.id);
    },
  );

  await handoversRoutes(app, ctx);
  await incidentsRoutes(app, ctx);
}
