import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../context.ts';
import { can } from '../../platform/auth/roles.ts';

/**
 * Small read endpoints the console needs and no domain module offers. `reply-check` runs the
 * same PII detector that guards public replies, so the composer can warn before sending.
 */
export async function consoleRoutes(app: FastifyInstance, ctx: AppContext) {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.post(
    '/api/v1/console/reply-check',
    {
      config: { roles: can.work },
      schema: {
        tags: ['console'],
        summary: 'Check a draft reply for personal data before sending (a public reply with PII is refused)',
        body: z.object({
          text: z.string().max(20_000),
          channel: z.string().max(64).default('sandbox'),
          mode: z.enum(['public', 'private', 'email']).default('public'),
        }),
      },
    },
    async (req) => {
      const { text, channel, mode } = req.body;
      const pii = text.trim() ? ctx.enricher.enrich(text, { channel, toBrand: false }).pii : [];
      return { pii, blocked: mode === 'public' && pii.length > 0 };
    },
  );
}
