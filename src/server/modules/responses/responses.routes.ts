import { and, desc, eq, lt } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../context.ts';
import { can } from '../../platform/auth/roles.ts';
import { badRequest } from '../../platform/errors.ts';
import { actorOf, userOf } from '../../platform/http/auth-guard.ts';
import { cases } from '../cases/cases.schema.ts';
import {
  deleteTemplate,
  getTemplate,
  listTemplates,
  presentTemplate,
  saveTemplate,
} from './manage-templates.ts';
import { DEFAULT_MOVE_PRIVATE_TEXT, moveToPrivate } from './move-to-private.ts';
import { queueReply } from './queue-reply.ts';
import { fillTemplate, TEMPLATE_VARIABLES, templateValues } from './render-template.ts';
import { replyLengthLimit } from './reply-limits.ts';
import { outbox } from './responses.schema.ts';
import { webhooksRoutes } from './webhooks.routes.ts';

const modes = z.enum(['public', 'private', 'email']);
const presentQueued = (res: Awaited<ReturnType<typeof queueReply>>) => ({
  id: res.item.id,
  status: res.item.status,
  duplicate: res.duplicate,
  channel: res.item.channel,
  mode: res.item.mode,
  text: res.item.text,
  destination: res.destination,
});

export async function responsesRoutes(app: FastifyInstance, ctx: AppContext) {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.post(
    '/api/v1/cases/:id/replies',
    {
      config: { roles: can.work },
      schema: {
        tags: ['cases'],
        summary:
          'Reply on the channel (public), privately (DM) or by e-mail; queued in the outbox, sent once per idempotency key',
        description:
          'Give `text`, or a `templateId` (its variables are filled for this case and agent). A public reply with personal data (account, phone, card number, e-mail address) is refused with 400 `pii_in_public_reply`; `version` (the case version you saw) refuses a reply based on a stale view with 409 `stale_case`. The response says where the reply will go (`destination`).',
        params: z.object({ id: z.uuid() }),
        body: z
          .object({
            mode: modes,
            text: z.string().min(1).max(20_000).optional(),
            templateId: z.uuid().optional(),
            idempotencyKey: z.string().min(1).max(200).optional(),
            version: z.number().int().optional(),
          })
          .refine((b) => b.text || b.templateId, { message: 'give text or templateId', path: ['text'] }),
      },
    },
    async (req, reply) => {
      let text = req.body.text;
      if (!text) {
        const t = await getTemplate(ctx.db, req.body.templateId!);
        text = fillTemplate(t.body, await templateValues(ctx.db, req.params.id, userOf(req).id));
      }
      const res = await queueReply(
        ctx,
        req.params.id,
        { mode: req.body.mode, text, idempotencyKey: req.body.idempotencyKey, baseVersion: req.body.version },
        actorOf(req),
      );
      return reply.status(res.duplicate ? 200 : 202).send(presentQueued(res));
    },
  );

  r.post(
    '/api/v1/cases/:id/move-private',
    {
      config: { roles: can.work },
      schema: {
        tags: ['cases'],
        summary: 'Move the conversation to private: a short public reply plus a private message, one thread',
        params: z.object({ id: z.uuid() }),
        body: z.object({
          text: z.string().trim().min(1).max(20_000).describe('the private message'),
          publicText: z
            .string()
            .trim()
            .min(1)
            .max(1000)
            .optional()
            .describe(`default: "${DEFAULT_MOVE_PRIVATE_TEXT}"`),
          idempotencyKey: z.string().min(1).max(190).optional(),
          version: z.number().int().optional(),
        }),
      },
    },
    async (req, reply) => {
      const res = await moveToPrivate(
        ctx,
        req.params.id,
        {
          text: req.body.text,
          publicText: req.body.publicText,
          idempotencyKey: req.body.idempotencyKey,
          baseVersion: req.body.version,
        },
        actorOf(req),
      );
      return reply
        .status(res.private.duplicate && res.public.duplicate ? 200 : 202)
        .send({ public: presentQueued(res.public), private: presentQueued(res.private) });
    },
  );

  r.get(
    '/api/v1/channels/sandbox/outbox',
    {
      config: { roles: can.read },
      schema: {
        tags: ['channels'],
        summary: 'What the sandbox channel "sent" (demos and tests)',
        querystring: z.object({
          before: z.iso.datetime().optional(),
          limit: z.coerce.number().int().min(1).max(500).default(100),
        }),
      },
    },
    async (req) => {
      const rows = await ctx.db
        .select()
        .from(outbox)
        .where(
          and(
            eq(outbox.channel, 'sandbox'),
            eq(outbox.status, 'sent'),
            req.query.before ? lt(outbox.sentAt, new Date(req.query.before)) : undefined,
          ),
        )
        .orderBy(desc(outbox.sentAt))
        .limit(req.query.limit);
      return {
        items: rows.map((o) => ({
          id: o.id,
          caseId: o.caseId,
          mode: o.mode,
          text: o.text,
          target: o.target,
          externalId: o.externalId,
          sentAt: o.sentAt,
        })),
      };
    },
  );

  const tags = ['templates'];
  const templateBody = z.object({
    name: z.string().trim().min(1).max(200),
    body: z
      .string()
      .min(1)
      .max(20_000)
      .describe(`text with {{variables}}: ${Object.keys(TEMPLATE_VARIABLES).join(', ')}`),
    channels: z.array(z.string().min(1).max(64)).max(50).optional(),
    modes: z.array(modes).max(3).optional(),
  });
  const idParams = z.object({ id: z.uuid() });

  r.get(
    '/api/v1/templates',
    {
      config: { roles: can.work },
      schema: {
        tags,
        summary: 'Reply templates (optionally only those fitting a channel and mode)',
        querystring: z.object({ channel: z.string().max(64).optional(), mode: modes.optional() }),
      },
    },
    async (req) => ({ items: await listTemplates(ctx.db, req.query), variables: TEMPLATE_VARIABLES }),
  );
  r.get(
    '/api/v1/templates/:id',
    { config: { roles: can.work }, schema: { tags, summary: 'A template', params: idParams } },
    async (req) => presentTemplate(await getTemplate(ctx.db, req.params.id)),
  );
  r.post(
    '/api/v1/templates',
    { config: { roles: can.manage }, schema: { tags, summary: 'Create a template', body: templateBody } },
    async (req, reply) => reply.status(201).send(await saveTemplate(ctx.db, null, req.body, actorOf(req))),
  );
  r.patch(
    '/api/v1/templates/:id',
    {
      config: { roles: can.manage },
      schema: { tags, summary: 'Change a template', params: idParams, body: templateBody.partial() },
    },
    async (req) => saveTemplate(ctx.db, req.params.id, req.body, actorOf(req)),
  );
  r.delete(
    '/api/v1/templates/:id',
    { config: { roles: can.manage }, schema: { tags, summary: 'Delete a template', params: idParams } },
    async (req, reply) => {
      await deleteTemplate(ctx.db, req.params.id, actorOf(req));
      return reply.status(204).send();
    },
  );
  r.post(
    '/api/v1/templates/:id/render',
    {
      config: { roles: can.work },
      schema: {
        tags,
        summary: 'Fill a template for a case (and me as the agent); says whether it fits the channel limit',
        params: idParams,
        body: z.object({ caseId: z.uuid(), mode: modes.default('public') }),
      },
    },
    async (req) => {
      const t = await getTemplate(ctx.db, req.params.id);
      const values = await templateValues(ctx.db, req.body.caseId, userOf(req).id);
      const text = fillTemplate(t.body, values);
      if (!text.trim())
        throw badRequest('The template renders to nothing for this case', undefined, 'empty_reply');
      const [c] = await ctx.db
        .select({ channel: cases.channel })
        .from(cases)
        .where(eq(cases.id, req.body.caseId));
      const limit = replyLengthLimit(c!.channel, req.body.mode);
      return { text, length: [...text].length, limit, fits: limit === null || [...text].length <= limit };
    },
  );

  await webhooksRoutes(app, ctx);
}
