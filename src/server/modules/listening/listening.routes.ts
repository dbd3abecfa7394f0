import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../context.ts';
import { can } from '../../platform/auth/roles.ts';
import { actorOf } from '../../platform/http/auth-guard.ts';
import { setMatchDismissed } from './dismiss-match.ts';
import { getTopicPrecision } from './get-topic-precision.ts';
import { deleteTopic, getTopic, listTopics, saveTopic } from './manage-topics.ts';
import { previewTopic } from './preview-topic.ts';
import { suggestExclusions } from './suggest-exclusions.ts';

const queryText = z.string().trim().min(1).max(20_000).describe('boolean query, see docs/query-language.md');
const filtersSchema = z
  .object({
    dropReposts: z.boolean().optional(),
    excludeBrandAccounts: z.boolean().optional(),
    excludedAuthors: z.array(z.string().trim().min(1).max(320)).max(10_000).optional(),
    minLength: z.number().int().min(0).max(100_000).optional(),
    languages: z.array(z.string().trim().min(2).max(16)).max(100).optional(),
  })
  .strict();
const topicBody = z.object({
  name: z.string().trim().min(1).max(200),
  query: queryText,
  includes: z.array(queryText).max(100).optional().describe('further queries, OR-ed with `query`'),
  excludes: z.array(queryText).max(100).optional().describe('a post matching any of these is not a match'),
  filters: filtersSchema.optional(),
  enabled: z.boolean().optional(),
});
const previewBody = z.object({
  query: queryText,
  includes: z.array(queryText).max(100).optional(),
  excludes: z.array(queryText).max(100).optional(),
  filters: filtersSchema.optional(),
  limit: z.number().int().min(1).max(500).optional().describe('matches to return (default 50)'),
  scan: z
    .number()
    .int()
    .min(1)
    .max(100_000)
    .optional()
    .describe('recent stored posts to search (default 10,000)'),
});
const idParams = z.object({ id: z.uuid() });

/** Listening topics: CRUD, live preview, and the precision loop (dismissals, precision, suggestions). */
export async function listeningRoutes(app: FastifyInstance, ctx: AppContext) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['listening'];

  r.get(
    '/api/v1/topics',
    {
      config: { roles: can.read },
      schema: { tags, summary: 'Listening topics with their 30-day precision' },
    },
    async () => ({ items: await listTopics(ctx.db) }),
  );
  r.get(
    '/api/v1/topics/:id',
    { config: { roles: can.read }, schema: { tags, summary: 'A listening topic', params: idParams } },
    async (req) => getTopic(ctx.db, req.params.id),
  );
  r.post(
    '/api/v1/topics',
    {
      config: { roles: can.manage },
      schema: {
        tags,
        summary: 'Create a topic; an invalid query gets 400 invalid_query with the position of the error',
        body: topicBody,
      },
    },
    async (req, reply) => {
      const row = await saveTopic(ctx.db, null, req.body, actorOf(req));
      await ctx.listener.reload();
      return reply.status(201).send(await getTopic(ctx.db, row.id));
    },
  );
  r.patch(
    '/api/v1/topics/:id',
    {
      config: { roles: can.manage },
      schema: {
        tags,
        summary: 'Change a topic (takes effect on the next post)',
        params: idParams,
        body: topicBody.partial(),
      },
    },
    async (req) => {
      await saveTopic(ctx.db, req.params.id, req.body, actorOf(req));
      await ctx.listener.reload();
      return getTopic(ctx.db, req.params.id);
    },
  );
  r.delete(
    '/api/v1/topics/:id',
    { config: { roles: can.manage }, schema: { tags, summary: 'Delete a topic', params: idParams } },
    async (req, reply) => {
      await deleteTopic(ctx.db, req.params.id, actorOf(req));
      await ctx.listener.reload();
      return reply.status(204).send();
    },
  );
  r.post(
    '/api/v1/topics/preview',
    {
      config: { roles: can.manage },
      schema: {
        tags,
        summary:
          'Run a draft query over recent stored posts: {total, scanned, matches:[{postId, externalId, text, highlights}]}',
        body: previewBody,
      },
    },
    async (req) => previewTopic(ctx.db, req.body),
  );
  r.post(
    '/api/v1/topics/:id/matches/:postId/dismiss',
    {
      config: { roles: can.work },
      schema: {
        tags,
        summary: 'Mark a matched post "not relevant" for the topic (precision loop)',
        params: z.object({ id: z.uuid(), postId: z.uuid() }),
      },
    },
    async (req) => setMatchDismissed(ctx.db, req.params.id, req.params.postId, true, actorOf(req)),
  );
  r.delete(
    '/api/v1/topics/:id/matches/:postId/dismiss',
    {
      config: { roles: can.work },
      schema: {
        tags,
        summary: 'Take back a "not relevant" verdict',
        params: z.object({ id: z.uuid(), postId: z.uuid() }),
      },
    },
    async (req) => setMatchDismissed(ctx.db, req.params.id, req.params.postId, false, actorOf(req)),
  );
  r.get(
    '/api/v1/topics/:id/precision',
    {
      config: { roles: can.read },
      schema: {
        tags,
        summary: 'Precision per day: matches, dismissed as not relevant, share kept',
        params: idParams,
        querystring: z.object({ days: z.coerce.number().int().min(1).max(366).default(30) }),
      },
    },
    async (req) => getTopicPrecision(ctx.db, req.params.id, req.query.days),
  );
  r.get(
    '/api/v1/topics/:id/suggestions',
    {
      config: { roles: can.read },
      schema: {
        tags,
        summary: 'Exclusion terms frequent in dismissed matches and rare in kept ones',
        params: idParams,
      },
    },
    async (req) => ({ items: await suggestExclusions(ctx.db, req.params.id) }),
  );
}
