import { desc, eq, sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ingestOutcomeSchema, normalisedPostSchema } from '../../../common/post.schema.ts';
import type { AppContext } from '../../context.ts';
import { ingestPosts } from '../../pipeline/ingest.ts';
import { can } from '../../platform/auth/roles.ts';
import { notFound } from '../../platform/errors.ts';
import { identities } from '../people/people.schema.ts';
import { posts } from './conversations.schema.ts';

export async function postsRoutes(app: FastifyInstance, ctx: AppContext) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['posts'];

  r.post(
    '/api/v1/posts',
    {
      config: { roles: can.work },
      schema: {
        tags,
        summary: 'Ingest a batch of normalised posts from any source (idempotent on channel + externalId)',
        body: z.object({ posts: z.array(normalisedPostSchema).min(1).max(5000) }),
        response: { 200: z.object({ results: z.array(ingestOutcomeSchema) }) },
      },
    },
    async (req) => ({ results: await ingestPosts(ctx, req.body.posts) }),
  );

  r.get(
    '/api/v1/posts',
    {
      config: { roles: can.read },
      schema: {
        tags,
        summary: 'Search stored posts (full text), newest first',
        querystring: z.object({
          q: z.string().max(500).optional(),
          channel: z.string().max(64).optional(),
          limit: z.coerce.number().int().min(1).max(200).default(50),
        }),
      },
    },
    async (req) => {
      const { q, channel, limit } = req.query;
      const rows = await ctx.db
        .select({ p: posts, handle: identities.handle })
        .from(posts)
        .innerJoin(identities, eq(identities.id, posts.identityId))
        .where(
          sql`true ${q ? sql`AND ${posts.search} @@ plainto_tsquery('simple', ${q})` : sql``} ${channel ? sql`AND ${posts.channel} = ${channel}` : sql``}`,
        )
        .orderBy(desc(posts.createdAt))
        .limit(limit);
      return { items: rows.map((x) => presentPost(x.p, x.handle)) };
    },
  );

  r.get(
    '/api/v1/posts/:id',
    {
      config: { roles: can.read },
      schema: { tags, summary: 'A stored post with its triage signals', params: z.object({ id: z.uuid() }) },
    },
    async (req) => {
      const [row] = await ctx.db
        .select({ p: posts, handle: identities.handle })
        .from(posts)
        .innerJoin(identities, eq(identities.id, posts.identityId))
        .where(eq(posts.id, req.params.id));
      if (!row) throw notFound('Post');
      return presentPost(row.p, row.handle);
    },
  );
}

export function presentPost(p: typeof posts.$inferSelect, handle: string) {
  return {
    id: p.id,
    channel: p.channel,
    externalId: p.externalId,
    url: p.url,
    author: { handle },
    direction: p.direction,
    toBrand: p.toBrand,
    isPrivate: p.isPrivate,
    text: p.text,
    title: p.title,
    createdAt: p.createdAt,
    conversationId: p.conversationId,
    caseId: p.caseId,
    topicIds: p.topicIds,
    highlights: p.highlights,
    lang: p.lang,
    sentiment: p.sentiment,
    sentimentScore: p.sentimentScore,
    intent: p.intent,
    actionable: p.actionable,
    serviceRecovery: p.serviceRecovery,
    pii: p.pii,
  };
}
