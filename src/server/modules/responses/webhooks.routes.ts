import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../context.ts';
import { can } from '../../platform/auth/roles.ts';
import { actorOf } from '../../platform/http/auth-guard.ts';
import { enqueueWebhookDeliveries } from './deliver-webhooks.ts';
import {
  createWebhook,
  deleteWebhook,
  getWebhook,
  listDeliveries,
  listWebhooks,
  presentWebhook,
  updateWebhook,
} from './manage-webhooks.ts';

const eventPattern = z
  .string()
  .regex(/^(\*|[a-z_]+\.(\*|[a-z_]+))$/, 'an event name (case.created) or pattern (case.*, *)')
  .max(100);
const body = z.object({
  url: z.url({ protocol: /^https?$/ }).max(2000),
  events: z
    .array(eventPattern)
    .max(50)
    .optional()
    .describe(
      'case.created, case.updated, reply.sent, link.created, link.removed, incident.*, …; empty = all',
    ),
  enabled: z.boolean().optional(),
  description: z.string().max(1000).optional(),
  secret: z
    .string()
    .min(16)
    .max(200)
    .optional()
    .describe('write-only; generated when omitted and shown once'),
});
const params = z.object({ id: z.uuid() });

/**
 * Outgoing webhooks: each call is signed (`X-Earshot-Signature: sha256=HMAC(secret, timestamp + "." + body)`),
 * retried with backoff, and logged.
 */
export async function webhooksRoutes(app: FastifyInstance, ctx: AppContext) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['webhooks'];

  r.get(
    '/api/v1/webhooks',
    {
      config: { roles: can.manage },
      schema: { tags, summary: 'Outgoing webhooks (secrets are write-only)' },
    },
    async () => ({
      items: await listWebhooks(ctx.db),
    }),
  );
  r.get(
    '/api/v1/webhooks/:id',
    { config: { roles: can.manage }, schema: { tags, summary: 'A webhook', params } },
    async (req) => presentWebhook(await getWebhook(ctx.db, req.params.id)),
  );
  r.post(
    '/api/v1/webhooks',
    {
      config: { roles: can.admin },
      schema: {
        tags,
        summary: 'Create a webhook; the response carries the signing secret once',
        description:
          'Receivers verify `X-Earshot-Signature` = `sha256=` + hex HMAC-SHA256 with the secret over `X-Earshot-Timestamp` + "." + the raw body, and dedupe on `X-Earshot-Delivery`.',
        body,
      },
    },
    async (req, reply) => reply.status(201).send(await createWebhook(ctx.db, req.body, actorOf(req))),
  );
  r.patch(
    '/api/v1/webhooks/:id',
    {
      config: { roles: can.admin },
      schema: {
        tags,
        summary: 'Change a webhook (`rotateSecret` returns a new secret once)',
        params,
        body: body.partial().extend({ rotateSecret: z.boolean().optional() }),
      },
    },
    async (req) => updateWebhook(ctx.db, req.params.id, req.body, actorOf(req)),
  );
  r.delete(
    '/api/v1/webhooks/:id',
    { config: { roles: can.admin }, schema: { tags, summary: 'Delete a webhook and its log', params } },
    async (req, reply) => {
      await deleteWebhook(ctx.db, req.params.id, actorOf(req));
      return reply.status(204).send();
    },
  );
  r.get(
    '/api/v1/webhooks/:id/deliveries',
    {
      config: { roles: can.manage },
      schema: {
        tags,
        summary: 'The delivery log: every call with status, attempts, HTTP status, error and duration',
        params,
        querystring: z.object({
          before: z.iso.datetime().optional(),
          limit: z.coerce.number().int().min(1).max(500).default(100),
        }),
      },
    },
    async (req) => ({ items: await listDeliveries(ctx.db, req.params.id, req.query) }),
  );
  r.post(
    '/api/v1/webhooks/:id/ping',
    {
      config: { roles: can.manage },
      schema: { tags, summary: 'Queue a `ping` event to this webhook', params },
    },
    async (req, reply) => {
      const w = await getWebhook(ctx.db, req.params.id);
      await enqueueWebhookDeliveries(ctx, 'ping', { webhookId: w.id, at: new Date().toISOString() }, [w.id]);
      return reply.status(202).send({ queued: true });
    },
  );
}
