import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../context.ts';
import { can } from '../../platform/auth/roles.ts';
import { actorOf } from '../../platform/http/auth-guard.ts';
import { incidentStatuses } from './cases.schema.ts';
import {
  createIncident,
  getIncident,
  linkIncidentCases,
  listIncidents,
  unlinkIncidentCase,
  updateIncident,
} from './manage-incidents.ts';
import { postIncidentUpdate, resolveIncident } from './post-incident-update.ts';
import { suggestIncidents } from './suggest-incidents.ts';

const params = z.object({ id: z.uuid() });
const updateMode = z
  .enum(['auto', 'public', 'private', 'email'])
  .default('auto')
  .describe('`auto`: each case as it requires (e-mail, DM or public)');

/** Incidents: one failure many customers report; one update reaches all linked cases, which close together. */
export async function incidentsRoutes(app: FastifyInstance, ctx: AppContext) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['incidents'];

  r.get(
    '/api/v1/incidents',
    {
      config: { roles: can.read },
      schema: {
        tags,
        summary: 'Incidents and suggestions, newest first',
        querystring: z.object({
          status: z
            .string()
            .optional()
            .transform((s) => (s ? s.split(',').filter(Boolean) : undefined))
            .pipe(z.array(z.enum(incidentStatuses)).optional()),
        }),
      },
    },
    async (req) => ({ items: await listIncidents(ctx.db, req.query.status) }),
  );

  r.post(
    '/api/v1/incidents',
    {
      config: { roles: can.work },
      schema: {
        tags,
        summary: 'Open an incident, optionally linking cases',
        body: z.object({
          title: z.string().trim().min(1).max(300),
          description: z.string().max(10_000).optional(),
          caseIds: z.array(z.uuid()).max(5000).optional(),
        }),
      },
    },
    async (req, reply) => reply.status(201).send(await createIncident(ctx, req.body, actorOf(req))),
  );

  r.post(
    '/api/v1/incidents/suggest',
    {
      config: { roles: can.manage },
      schema: {
        tags,
        summary: 'Run outage clustering now (the scheduler runs it every minute)',
        body: z.object({
          windowMinutes: z.number().int().min(1).max(1440).default(60),
          minCases: z.number().int().min(2).max(1000).default(5),
        }),
      },
    },
    async (req) => ({ items: await suggestIncidents(ctx, req.body) }),
  );

  r.get(
    '/api/v1/incidents/:id',
    {
      config: { roles: can.read },
      schema: { tags, summary: 'An incident, its linked cases and the updates sent', params },
    },
    async (req) => getIncident(ctx.db, req.params.id),
  );

  r.patch(
    '/api/v1/incidents/:id',
    {
      config: { roles: can.work },
      schema: {
        tags,
        summary:
          'Edit; accept a suggestion (`status: open`) or dismiss it (`dismissed`, its cases are unlinked)',
        params,
        body: z.object({
          title: z.string().trim().min(1).max(300).optional(),
          description: z.string().max(10_000).optional(),
          status: z.enum(['open', 'dismissed']).optional(),
        }),
      },
    },
    async (req) => updateIncident(ctx, req.params.id, req.body, actorOf(req)),
  );

  r.post(
    '/api/v1/incidents/:id/cases',
    {
      config: { roles: can.work },
      schema: {
        tags,
        summary: 'Link cases to the incident',
        params,
        body: z.object({ caseIds: z.array(z.uuid()).min(1).max(5000) }),
      },
    },
    async (req) => {
      const linked = await linkIncidentCases(ctx.db, req.params.id, req.body.caseIds, actorOf(req));
      return { linked, incident: await getIncident(ctx.db, req.params.id) };
    },
  );

  r.delete(
    '/api/v1/incidents/:id/cases/:caseId',
    {
      config: { roles: can.work },
      schema: { tags, summary: 'Unlink a case', params: z.object({ id: z.uuid(), caseId: z.uuid() }) },
    },
    async (req) => {
      await unlinkIncidentCase(ctx.db, req.params.id, req.params.caseId, actorOf(req));
      return getIncident(ctx.db, req.params.id);
    },
  );

  r.post(
    '/api/v1/incidents/:id/updates',
    {
      config: { roles: can.work },
      schema: {
        tags,
        summary: 'Send one update to every linked case through the outbox (idempotent per idempotencyKey)',
        params,
        body: z.object({
          text: z.string().trim().min(1).max(5000),
          mode: updateMode,
          idempotencyKey: z.string().min(1).max(200).optional(),
        }),
      },
    },
    async (req, reply) =>
      reply.status(202).send(await postIncidentUpdate(ctx, req.params.id, req.body, actorOf(req))),
  );

  r.post(
    '/api/v1/incidents/:id/resolve',
    {
      config: { roles: can.work },
      schema: {
        tags,
        summary: 'Resolve the incident and every linked case together, optionally with a last update to all',
        params,
        body: z.object({
          text: z.string().trim().min(1).max(5000).optional(),
          mode: updateMode,
          idempotencyKey: z.string().min(1).max(200).optional(),
        }),
      },
    },
    async (req) => resolveIncident(ctx, req.params.id, req.body, actorOf(req)),
  );
}
