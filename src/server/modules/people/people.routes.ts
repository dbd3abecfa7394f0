import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../context.ts';
import { can } from '../../platform/auth/roles.ts';
import { actorOf } from '../../platform/http/auth-guard.ts';
import { getPerson, getPersonTimeline } from './get-person.ts';
import { linkAccount, unlinkAccount } from './link-account.ts';

export async function peopleRoutes(app: FastifyInstance, ctx: AppContext) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['people'];
  const params = z.object({ id: z.uuid() });

  r.get('/api/v1/people/:id', { config: { roles: can.read }, schema: { tags, summary: 'A person, their identities and linked accounts', params } }, async (req) =>
    getPerson(ctx.db, req.params.id),
  );

  r.get(
    '/api/v1/people/:id/timeline',
    { config: { roles: can.read }, schema: { tags, summary: 'Every interaction on every channel, and their cases', params } },
    async (req) => {
      const person = await getPerson(ctx.db, req.params.id);
      return { person, ...(await getPersonTimeline(ctx.db, req.params.id)) };
    },
  );

  r.post(
    '/api/v1/people/:id/links',
    {
      config: { roles: can.work },
      schema: {
        tags,
        summary: 'Link a customer account (audited)',
        params,
        body: z
          .object({
            accountId: z.uuid().optional(),
            accountNumber: z.string().min(1).max(100).optional(),
            method: z.enum(['verified', 'agent']),
            reason: z.string().trim().min(1, 'say why the link is right').max(1000),
          })
          .refine((b) => b.accountId || b.accountNumber, { message: 'give accountId or accountNumber' }),
      },
    },
    async (req, reply) => reply.status(201).send({ link: await linkAccount(ctx.db, req.params.id, req.body, actorOf(req)) }),
  );

  r.delete(
    '/api/v1/people/:id/links/:linkId',
    {
      config: { roles: can.work },
      schema: {
        tags,
        summary: 'Unlink a customer account (audited; the link is kept as removed)',
        params: z.object({ id: z.uuid(), linkId: z.uuid() }),
        querystring: z.object({ reason: z.string().max(1000).default('removed by an agent') }),
      },
    },
    async (req) => ({ link: await unlinkAccount(ctx.db, req.params.id, req.params.linkId, req.query.reason, actorOf(req)) }),
  );
}
