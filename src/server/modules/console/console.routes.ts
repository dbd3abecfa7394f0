import { eq } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../context.ts';
import { can } from '../../platform/auth/roles.ts';
import { notFound } from '../../platform/errors.ts';
import { userOf } from '../../platform/http/auth-guard.ts';
import { assertCaseAccess } from '../cases/case-access.ts';
import { cases } from '../cases/cases.schema.ts';
import { findReplyPii } from '../responses/find-reply-pii.ts';
import { replyLengthLimit } from '../responses/reply-limits.ts';

/**
 * Small read endpoints the console needs and no domain module offers. `reply-check` runs the
 * same PII guard and length limits that `POST /cases/:id/replies` enforces, so the composer can
 * warn while the agent types instead of failing on send.
 */
export async function consoleRoutes(app: FastifyInstance, ctx: AppContext) {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.post(
    '/api/v1/console/reply-check',
    {
      config: { roles: can.work },
      schema: {
        tags: ['console'],
        summary:
          'Check a draft reply to a case: personal data found (refused in public) and the length limit',
        body: z.object({
          caseId: z.uuid(),
          text: z.string().max(20_000).default(''),
          mode: z.enum(['public', 'private', 'email']).default('public'),
        }),
      },
    },
    async (req) => {
      const { caseId, text, mode } = req.body;
      await assertCaseAccess(ctx.db, userOf(req), caseId);
      const [c] = await ctx.db
        .select({ channel: cases.channel, personId: cases.personId })
        .from(cases)
        .where(eq(cases.id, caseId));
      if (!c) throw notFound('Case');
      const pii = text.trim() ? await findReplyPii(ctx, text, c) : [];
      const limit = replyLengthLimit(c.channel, mode);
      const length = [...text].length;
      return {
        pii,
        blocked: mode === 'public' && pii.length > 0,
        length,
        limit,
        fits: limit === null || length <= limit,
      };
    },
  );
}
