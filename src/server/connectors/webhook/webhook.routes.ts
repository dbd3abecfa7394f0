import { eq } from 'drizzle-orm';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ingestOutcomeSchema, normalisedPostSchema } from '../../../common/post.schema.ts';
import type { AppContext } from '../../context.ts';
import { channels } from '../../modules/channels/channels.schema.ts';
import { ingestPosts } from '../../pipeline/ingest.ts';
import { badRequest, notFound, unauthorized } from '../../platform/errors.ts';
import { baseChannelConfig } from '../ingestion/channel-config-base.ts';
import { recordReceived } from '../ingestion/channel-state.ts';
import { SIGNATURE_HEADER, TIMESTAMP_HEADER, verifyWebhookSignature } from './verify-signature.ts';

export const webhookConfigSchema = baseChannelConfig.extend({
  /** How far the sender's timestamp may be from now; older deliveries are refused as replays. */
  toleranceSeconds: z.number().int().min(10).max(3600).default(300),
});

const webhookPostSchema = normalisedPostSchema.extend({
  channel: z.string().min(1).max(64).default('webhook'),
});

const rawBodies = new WeakMap<FastifyRequest, Buffer>();

/**
 * The signed inbound webhook: `POST /api/v1/channels/:id/webhook` with `{"posts":[…]}`
 * (normalised posts), `X-Earshot-Timestamp: <unix seconds>` and
 * `X-Earshot-Signature: sha256=<hex HMAC-SHA256(secret, "<timestamp>.<raw body>")>`, the scheme
 * Stripe and Slack use (https://docs.stripe.com/webhooks#verify-manually). The secret is the
 * channel's write-only `signingSecret`. Bad or missing signature, or a timestamp outside the
 * tolerance: 401; the body is parsed only after the signature checks out.
 */
export async function webhookRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  await app.register(async (scope) => {
    scope.removeContentTypeParser('application/json');
    scope.addContentTypeParser('application/json', { parseAs: 'buffer' }, (req, body, done) => {
      rawBodies.set(req, body as Buffer);
      done(null, {});
    });
    const r = scope.withTypeProvider<ZodTypeProvider>();
    r.post(
      '/api/v1/channels/:id/webhook',
      {
        config: { public: true },
        schema: {
          tags: ['channels'],
          summary: 'Signed inbound webhook: normalised posts from any system (HMAC-SHA256, timestamped)',
          security: [],
          params: z.object({ id: z.uuid() }),
          headers: z.object({
            [SIGNATURE_HEADER]: z.string().optional(),
            [TIMESTAMP_HEADER]: z.string().optional(),
          }),
          body: z.object({ posts: z.array(webhookPostSchema).min(1).max(1000) }),
          response: { 200: z.object({ results: z.array(ingestOutcomeSchema) }) },
        },
        preValidation: async (req) => {
          const { id } = req.params as { id: string };
          if (!z.uuid().safeParse(id).success) throw notFound('Channel');
          const [channel] = await ctx.db.select().from(channels).where(eq(channels.id, id));
          if (channel?.type !== 'webhook' || !channel.enabled) throw notFound('Webhook channel');
          const secret = channel.secrets.signingSecret;
          if (!secret)
            throw unauthorized(
              'This webhook channel has no signingSecret set; set one with PATCH /api/v1/channels/:id',
            );
          const config = webhookConfigSchema.parse(channel.config);
          const body = rawBodies.get(req) ?? Buffer.alloc(0);
          const check = verifyWebhookSignature({
            secret,
            body,
            signature: req.headers[SIGNATURE_HEADER] as string | undefined,
            timestamp: req.headers[TIMESTAMP_HEADER] as string | undefined,
            toleranceSeconds: config.toleranceSeconds,
          });
          if (!check.ok) throw unauthorized(`Webhook refused: ${check.reason}`);
          try {
            req.body = JSON.parse(body.toString('utf8'));
          } catch (err) {
            throw badRequest(
              `The body is not valid JSON: ${(err as Error).message}`,
              undefined,
              'invalid_json',
            );
          }
        },
      },
      async (req) => {
        const results = await ingestPosts(ctx, req.body.posts, { channelId: req.params.id });
        await recordReceived(ctx.db, req.params.id, {
          stored: results.filter((r) => r.outcome === 'stored').length,
          duplicates: results.filter((r) => r.outcome === 'duplicate').length,
          dropped: results.filter((r) => r.outcome === 'dropped').length,
          invalid: 0,
        });
        return { results };
      },
    );
  });
}
