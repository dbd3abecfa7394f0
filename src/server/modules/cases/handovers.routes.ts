import { desc, eq, or } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../context.ts';
import { can } from '../../platform/auth/roles.ts';
import { forbidden } from '../../platform/errors.ts';
import { actorOf, userOf } from '../../platform/http/auth-guard.ts';
import type { Role } from '../users/users.schema.ts';
import { teams, users } from '../users/users.schema.ts';
import { cases } from './cases.schema.ts';
import { createHandover } from './create-handover.ts';
import { loadCaseSummary, presentCaseSummary } from './present-case.ts';

const submitters: Role[] = [...can.work, 'contributor'];

/** Organisation-wide hand-off: any employee hands something over and follows where it stands. */
export async function handoversRoutes(app: FastifyInstance, ctx: AppContext) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['handovers'];

  r.post(
    '/api/v1/handovers',
    {
      config: { roles: submitters },
      schema: {
        tags,
        summary:
          'Hand something to the care team (a post URL or pasted text); it becomes a case you can follow',
        description:
          'Agents can also use it for an internal task addressed to a team or an owner anywhere in the organisation (`teamId`, `assigneeId`).',
        body: z
          .object({
            url: z.url().max(2000).optional(),
            text: z.string().max(20_000).optional(),
            note: z.string().max(5000).optional(),
            teamId: z.uuid().optional(),
            assigneeId: z.uuid().optional(),
          })
          .refine((b) => Boolean(b.url?.trim() || b.text?.trim()), {
            message: 'give url or text',
            path: ['text'],
          }),
      },
    },
    async (req, reply) => {
      const me = userOf(req);
      if (me.role === 'contributor' && (req.body.teamId || req.body.assigneeId)) {
        throw forbidden('Contributors hand items to the care team; agents route them');
      }
      const res = await createHandover(ctx, req.body, { ...actorOf(req), userId: me.id });
      return reply
        .status(res.created ? 201 : 200)
        .send({ created: res.created, case: await loadCaseSummary(ctx.db, res.caseId) });
    },
  );

  r.get(
    '/api/v1/handovers',
    {
      config: { roles: can.anyone },
      schema: {
        tags,
        summary: 'What I handed over and what is assigned to me, with where each stands (every status)',
        querystring: z.object({ limit: z.coerce.number().int().min(1).max(500).default(100) }),
      },
    },
    async (req) => {
      const me = userOf(req);
      const rows = await ctx.db
        .select({ c: cases, team: teams.name, assignee: users.name })
        .from(cases)
        .leftJoin(teams, eq(teams.id, cases.teamId))
        .leftJoin(users, eq(users.id, cases.assigneeId))
        .where(or(eq(cases.handedOverBy, me.id), eq(cases.assigneeId, me.id)))
        .orderBy(desc(cases.updatedAt))
        .limit(req.query.limit);
      const present = (x: (typeof rows)[number]) =>
        presentCaseSummary(x.c, { team: x.team, assignee: x.assignee, handle: null });
      return {
        handedOver: rows.filter((x) => x.c.handedOverBy === me.id).map(present),
        assignedToMe: rows.filter((x) => x.c.assigneeId === me.id).map(present),
      };
    },
  );
}
