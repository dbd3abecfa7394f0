import { asc, eq, inArray, isNull } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../context.ts';
import { audit } from '../../platform/audit.ts';
import { can } from '../../platform/auth/roles.ts';
import { notFound } from '../../platform/errors.ts';
import { actorOf } from '../../platform/http/auth-guard.ts';
import { users } from '../users/users.schema.ts';
import {
  deleteRoutingRule,
  getRoutingRule,
  listRoutingRules,
  saveRoutingRule,
} from './manage-routing-rules.ts';
import {
  addMember,
  deleteTeam,
  getTeam,
  listTeams,
  openLoads,
  removeMember,
  saveTeam,
} from './manage-teams.ts';
import { chooseTeam } from './route-case.ts';

const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/, 'use HH:MM (24-hour)');
const timezone = z.string().refine(
  (tz) => {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: tz });
      return true;
    } catch {
      return false;
    }
  },
  { message: 'unknown IANA time zone (e.g. Europe/Berlin)' },
);
export const calendarSchema = z.object({
  timezone: timezone.default('UTC'),
  hours: z
    .partialRecord(
      z.enum(['0', '1', '2', '3', '4', '5', '6']),
      z
        .array(z.tuple([hhmm, hhmm]).refine(([a, b]) => a < b, { message: 'opening must be before closing' }))
        .max(6),
    )
    .default({})
    .describe('opening hours per weekday, 0 = Sunday … 6 = Saturday; empty = round the clock'),
  holidays: z.array(z.iso.date()).max(400).default([]),
});
export const slaSchema = z.object({
  firstResponseMinutes: z.number().int().min(1).max(525_600),
  nextResponseMinutes: z.number().int().min(1).max(525_600),
  resolutionMinutes: z.number().int().min(1).max(525_600),
  warnBeforeMinutes: z.number().int().min(0).max(10_080).default(15),
});
const strategy = z.enum(['manual', 'round_robin', 'least_loaded', 'skills']);
const teamBody = z.object({
  name: z.string().trim().min(1).max(100),
  description: z.string().max(2000).optional(),
  assignmentStrategy: strategy.optional(),
  sla: slaSchema.optional().describe('targets in business minutes of the calendar'),
  calendar: calendarSchema.optional(),
  requiredSkills: z.array(z.string().max(100)).max(50).optional(),
  memberIds: z.array(z.uuid()).max(1000).optional(),
});
const list = (max = 100) => z.array(z.string().trim().min(1).max(200)).max(max).optional();
export const conditionsSchema = z
  .object({
    channels: list(),
    topicIds: z.array(z.uuid()).max(100).optional(),
    intents: list(),
    sentiments: z.array(z.enum(['negative', 'neutral', 'positive'])).optional(),
    languages: list(),
    keywords: list(500),
    account: z
      .record(z.string().min(1).max(100), z.array(z.string().max(200)).min(1))
      .optional()
      .describe('customer-account attributes, e.g. {"plan":["business"]}'),
    serviceRecovery: z.boolean().optional(),
  })
  .strict();
const ruleBody = z.object({
  name: z.string().trim().min(1).max(200),
  position: z.number().int().min(0).max(1_000_000).optional(),
  conditions: conditionsSchema.default({}),
  teamId: z.uuid().nullable().optional(),
  addTags: z.array(z.string().max(64)).max(20).optional(),
  requiredSkills: z.array(z.string().max(100)).max(20).optional(),
  enabled: z.boolean().optional(),
});
const idParams = z.object({ id: z.uuid() });

/** Teams (queues) with strategy, SLA, calendar and members; routing rules; agents' availability and capacity. */
export async function routingRoutes(app: FastifyInstance, ctx: AppContext) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['routing'];

  r.get(
    '/api/v1/teams',
    {
      config: { roles: can.read },
      schema: { tags, summary: 'Teams (queues) with members, load, SLA and calendar' },
    },
    async () => ({
      items: await listTeams(ctx.db),
    }),
  );
  r.get(
    '/api/v1/teams/:id',
    { config: { roles: can.read }, schema: { tags, summary: 'A team (queue)', params: idParams } },
    async (req) => getTeam(ctx.db, req.params.id),
  );
  r.post(
    '/api/v1/teams',
    { config: { roles: can.manage }, schema: { tags, summary: 'Create a team (queue)', body: teamBody } },
    async (req, reply) => reply.status(201).send(await saveTeam(ctx.db, null, req.body, actorOf(req))),
  );
  r.patch(
    '/api/v1/teams/:id',
    {
      config: { roles: can.manage },
      schema: {
        tags,
        summary: 'Change a team: strategy, SLA, calendar, members (replaces the list)',
        params: idParams,
        body: teamBody.partial(),
      },
    },
    async (req) => saveTeam(ctx.db, req.params.id, req.body, actorOf(req)),
  );
  r.delete(
    '/api/v1/teams/:id',
    {
      config: { roles: can.manage },
      schema: { tags, summary: 'Delete a team (its cases become unqueued)', params: idParams },
    },
    async (req, reply) => {
      await deleteTeam(ctx.db, req.params.id, actorOf(req));
      return reply.status(204).send();
    },
  );
  r.put(
    '/api/v1/teams/:id/members/:userId',
    {
      config: { roles: can.manage },
      schema: { tags, summary: 'Add a member', params: z.object({ id: z.uuid(), userId: z.uuid() }) },
    },
    async (req) => addMember(ctx.db, req.params.id, req.params.userId, actorOf(req)),
  );
  r.delete(
    '/api/v1/teams/:id/members/:userId',
    {
      config: { roles: can.manage },
      schema: { tags, summary: 'Remove a member', params: z.object({ id: z.uuid(), userId: z.uuid() }) },
    },
    async (req) => removeMember(ctx.db, req.params.id, req.params.userId, actorOf(req)),
  );

  r.get(
    '/api/v1/routing-rules',
    {
      config: { roles: can.read },
      schema: { tags, summary: 'Routing rules in evaluation order (first match wins)' },
    },
    async () => ({
      items: await listRoutingRules(ctx.db),
    }),
  );
  r.get(
    '/api/v1/routing-rules/:id',
    { config: { roles: can.read }, schema: { tags, summary: 'A routing rule', params: idParams } },
    async (req) => getRoutingRule(ctx.db, req.params.id),
  );
  r.post(
    '/api/v1/routing-rules',
    {
      config: { roles: can.manage },
      schema: {
        tags,
        summary:
          'Create a rule: conditions on channel, topic, intent, sentiment, language, keywords, customer-account attributes',
        body: ruleBody,
      },
    },
    async (req, reply) => reply.status(201).send(await saveRoutingRule(ctx.db, null, req.body, actorOf(req))),
  );
  r.patch(
    '/api/v1/routing-rules/:id',
    {
      config: { roles: can.manage },
      schema: { tags, summary: 'Change a rule', params: idParams, body: ruleBody.partial() },
    },
    async (req) => saveRoutingRule(ctx.db, req.params.id, req.body, actorOf(req)),
  );
  r.delete(
    '/api/v1/routing-rules/:id',
    { config: { roles: can.manage }, schema: { tags, summary: 'Delete a rule', params: idParams } },
    async (req, reply) => {
      await deleteRoutingRule(ctx.db, req.params.id, actorOf(req));
      return reply.status(204).send();
    },
  );
  r.post(
    '/api/v1/routing-rules/test',
    {
      config: { roles: can.manage },
      schema: {
        tags,
        summary: 'Which queue would a case with these facts go to?',
        body: z.object({
          channel: z.string().max(64).default('sandbox'),
          topicIds: z.array(z.uuid()).default([]),
          intent: z.string().max(64).nullable().default(null),
          sentiment: z.enum(['negative', 'neutral', 'positive']).nullable().default(null),
          lang: z.string().max(16).nullable().default(null),
          text: z.string().max(20_000).default(''),
          serviceRecovery: z.boolean().default(false),
          account: z.record(z.string(), z.string()).nullable().default(null),
        }),
      },
    },
    async (req) => chooseTeam(ctx.db, req.body),
  );

  r.get(
    '/api/v1/agents',
    {
      config: { roles: can.read },
      schema: { tags, summary: 'Agents with availability, capacity, skills and open cases' },
    },
    async () => {
      const rows = await ctx.db
        .select({
          id: users.id,
          email: users.email,
          name: users.name,
          role: users.role,
          availability: users.availability,
          capacity: users.capacity,
          skills: users.skills,
        })
        .from(users)
        .where(isNull(users.disabledAt))
        .orderBy(asc(users.email));
      const loads = await openLoads(
        ctx.db,
        rows.map((u) => u.id),
      );
      return { items: rows.map((u) => ({ ...u, openCases: loads.get(u.id) ?? 0 })) };
    },
  );
  r.patch(
    '/api/v1/agents/:id',
    {
      config: { roles: can.manage },
      schema: {
        tags,
        summary: "Set an agent's availability, capacity (open cases under least-loaded) and skills",
        params: idParams,
        body: z.object({
          availability: z.enum(['online', 'away', 'offline']).optional(),
          capacity: z.number().int().min(0).max(1000).optional(),
          skills: z.array(z.string().trim().min(1).max(100)).max(50).optional(),
        }),
      },
    },
    async (req) => {
      const [u] = await ctx.db.transaction(async (tx) => {
        const rows = await tx
          .update(users)
          .set(req.body)
          .where(inArray(users.id, [req.params.id]))
          .returning({
            id: users.id,
            email: users.email,
            availability: users.availability,
            capacity: users.capacity,
            skills: users.skills,
          });
        if (!rows.length) throw notFound('Agent');
        await audit(tx, actorOf(req), 'agent.updated', { type: 'user', id: req.params.id }, req.body);
        return rows;
      });
      const loads = await openLoads(ctx.db, [u!.id]);
      const [full] = await ctx.db
        .select({ name: users.name, role: users.role })
        .from(users)
        .where(eq(users.id, u!.id));
      return { ...u!, ...full!, openCases: loads.get(u!.id) ?? 0 };
    },
  );
}
