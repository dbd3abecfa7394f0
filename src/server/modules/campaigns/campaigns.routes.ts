import { eq } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../context.ts';
import { can } from '../../platform/auth/roles.ts';
import { notFound } from '../../platform/errors.ts';
import { actorOf } from '../../platform/http/auth-guard.ts';
import { getSetting, putSetting } from '../../platform/settings.ts';
import { posts } from '../conversations/conversations.schema.ts';
import { discoverDismissals } from './campaigns.schema.ts';
import { listDiscover } from './list-discover.ts';
import { addDoNotContact, listDoNotContact, removeDoNotContact } from './manage-do-not-contact.ts';
import { getOutreachSettings, OUTREACH_SETTING, outreachSettingsSchema } from './outreach-settings.ts';
import { startOutreach } from './start-outreach.ts';

/** Proactive outreach: the Discover queue, outreach cases, the do-not-contact list, the guardrail settings. */
export async function campaignsRoutes(app: FastifyInstance, ctx: AppContext) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['outreach'];
  const postParams = z.object({ postId: z.uuid() });

  r.get(
    '/api/v1/discover',
    {
      config: { roles: can.work },
      schema: {
        tags,
        summary:
          'Posts that talk about the brand without addressing it, most like a customer with a problem first (each says why)',
        querystring: z.object({
          topicId: z.uuid().optional(),
          cursor: z
            .string()
            .regex(/^\d{1,7}$/, 'must be a cursor returned by this endpoint')
            .optional(),
          limit: z.coerce.number().int().min(1).max(200).default(50),
        }),
      },
    },
    async (req) => {
      const s = await getOutreachSettings(ctx.db);
      return listDiscover(ctx.db, s, {
        limit: req.query.limit,
        offset: Number(req.query.cursor ?? 0),
        topicId: req.query.topicId,
      });
    },
  );

  r.post(
    '/api/v1/discover/:postId/outreach',
    {
      config: { roles: can.work },
      schema: {
        tags,
        summary:
          'Reach out: turn a Discover post into an outreach case (409 when the do-not-contact list, an opt-out or the per-person limit forbids it)',
        params: postParams,
        body: z.object({ note: z.string().max(1000).optional() }).default({}),
      },
    },
    async (req, reply) =>
      reply.status(201).send(await startOutreach(ctx, req.params.postId, actorOf(req), req.body.note)),
  );

  r.post(
    '/api/v1/discover/:postId/dismiss',
    {
      config: { roles: can.work },
      schema: { tags, summary: 'Remove a post from the Discover queue', params: postParams },
    },
    async (req) => {
      const [p] = await ctx.db.select({ id: posts.id }).from(posts).where(eq(posts.id, req.params.postId));
      if (!p) throw notFound('Post');
      await ctx.db
        .insert(discoverDismissals)
        .values({ postId: p.id, dismissedBy: actorOf(req).userId })
        .onConflictDoNothing();
      return { ok: true };
    },
  );

  r.get(
    '/api/v1/do-not-contact',
    { config: { roles: can.work }, schema: { tags, summary: 'The do-not-contact list' } },
    async () => ({
      items: await listDoNotContact(ctx.db),
    }),
  );

  r.post(
    '/api/v1/do-not-contact',
    {
      config: { roles: can.work },
      schema: {
        tags,
        summary:
          'Add a person (all their identities) or a handle (on one channel, or any) to the do-not-contact list (audited)',
        body: z
          .object({
            personId: z.uuid().optional(),
            channel: z.string().min(1).max(64).optional(),
            handle: z.string().trim().min(1).max(320).optional(),
            reason: z.string().trim().min(1, 'say why').max(1000),
          })
          .refine((b) => b.personId || b.handle, { message: 'give personId or handle', path: ['personId'] }),
      },
    },
    async (req, reply) => reply.status(201).send(await addDoNotContact(ctx.db, req.body, actorOf(req))),
  );

  r.delete(
    '/api/v1/do-not-contact/:id',
    {
      config: { roles: can.manage },
      schema: {
        tags,
        summary: 'Remove an entry from the do-not-contact list (audited)',
        params: z.object({ id: z.uuid() }),
      },
    },
    async (req) => removeDoNotContact(ctx.db, req.params.id, actorOf(req)),
  );

  r.get(
    '/api/v1/settings/outreach',
    {
      config: { roles: can.read },
      schema: {
        tags,
        summary: 'Outreach guardrails: contacts per person per period, Discover window, problem intents',
      },
    },
    async () => getSetting(ctx.db, OUTREACH_SETTING, outreachSettingsSchema),
  );
  r.put(
    '/api/v1/settings/outreach',
    {
      config: { roles: can.manage },
      schema: { tags, summary: 'Change the outreach guardrails (audited)', body: outreachSettingsSchema },
    },
    async (req) => putSetting(ctx.db, OUTREACH_SETTING, outreachSettingsSchema, req.body, actorOf(req)),
  );
}
