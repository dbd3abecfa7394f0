import { and, asc, eq, ilike, isNull, or } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../context.ts';
import { type Actor, audit } from '../../platform/audit.ts';
import { can } from '../../platform/auth/roles.ts';
import { notFound } from '../../platform/errors.ts';
import { actorOf } from '../../platform/http/auth-guard.ts';
import { getSetting } from '../../platform/settings.ts';
import { getPerson, getPersonTimeline } from './get-person.ts';
import { linkAccount, unlinkAccount } from './link-account.ts';
import {
  LOOKUP_SETTING,
  lookupConfigSchema,
  lookupCustomerAccounts,
  saveLookupConfig,
} from './lookup-customer.ts';
import { detachIdentity, mergePeople } from './merge-people.ts';
import { accountLinks, customerAccounts, people } from './people.schema.ts';
import { upsertCustomerAccount } from './upsert-customer-account.ts';
import { confirmLinkVerification, startLinkVerification } from './verify-link.ts';

const accountSchema = z.object({
  accountNumber: z.string().trim().min(1).max(100),
  name: z.string().max(300).optional(),
  email: z.email().max(300).nullable().optional(),
  phone: z.string().max(50).nullable().optional(),
  plan: z.string().max(100).nullable().optional(),
  status: z.string().max(50).optional(),
  attributes: z
    .record(z.string().max(100), z.string().max(1000))
    .optional()
    .describe('usable in routing rules (`conditions.account`)'),
  knownHandles: z
    .array(z.object({ channel: z.string().min(1).max(64), handle: z.string().min(1).max(300) }))
    .max(100)
    .optional(),
});

export async function peopleRoutes(app: FastifyInstance, ctx: AppContext) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['people'];
  const params = z.object({ id: z.uuid() });
  const linked = async (action: 'created' | 'removed', data: Record<string, unknown>) =>
    ctx.bus.publish(`link.${action}`, { action, ...data, at: new Date().toISOString() });

  r.get(
    '/api/v1/people/:id',
    {
      config: { roles: can.read },
      schema: { tags, summary: 'A person, their identities and linked accounts', params },
    },
    async (req) => getPerson(ctx.db, req.params.id),
  );

  r.get(
    '/api/v1/people/:id/timeline',
    {
      config: { roles: can.read },
      schema: { tags, summary: 'Every interaction on every channel, and their cases', params },
    },
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
        summary:
          'Link a customer account by an agent, with a reason (audited). For a verified link use /verifications.',
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
    async (req, reply) => {
      const link = await linkAccount(ctx.db, req.params.id, req.body, actorOf(req));
      await linked('created', {
        linkId: link.id,
        personId: link.personId,
        accountId: link.accountId,
        method: link.method,
      });
      return reply.status(201).send({ link });
    },
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
    async (req) => {
      const link = await unlinkAccount(
        ctx.db,
        req.params.id,
        req.params.linkId,
        req.query.reason,
        actorOf(req),
      );
      await linked('removed', {
        linkId: link.id,
        personId: link.personId,
        accountId: link.accountId,
        reason: req.query.reason,
      });
      return { link };
    },
  );

  r.post(
    '/api/v1/people/:id/verifications',
    {
      config: { roles: can.work },
      schema: {
        tags,
        summary:
          'Start a verified link: a one-time code and link go to the customer privately (e-mail on the account, or a DM on the case)',
        params,
        body: z
          .object({
            accountId: z.uuid().optional(),
            accountNumber: z.string().min(1).max(100).optional(),
            caseId: z.uuid(),
            via: z.enum(['email', 'private']).optional(),
          })
          .refine((b) => b.accountId || b.accountNumber, { message: 'give accountId or accountNumber' }),
      },
    },
    async (req, reply) =>
      reply.status(202).send(await startLinkVerification(ctx, req.params.id, req.body, actorOf(req))),
  );

  r.post(
    '/api/v1/people/:id/verifications/:verificationId/confirm',
    {
      config: { roles: can.work },
      schema: {
        tags,
        summary: 'Confirm with the code the customer sent back; stores the link with method verified',
        params: z.object({ id: z.uuid(), verificationId: z.uuid() }),
        body: z.object({
          code: z
            .string()
            .trim()
            .regex(/^\d{6}$/, 'the 6-digit code'),
        }),
      },
    },
    async (req, reply) =>
      reply
        .status(201)
        .send(
          await confirmLinkVerification(
            ctx,
            { id: req.params.verificationId, personId: req.params.id, code: req.body.code },
            actorOf(req),
          ),
        ),
  );

  const customer: Actor = { userId: null, label: 'customer (one-time link)' };
  const confirmByToken = async (token: string, ip: string) => {
    const res = await confirmLinkVerification(ctx, { token }, { ...customer, ip });
    return { confirmed: true, linked: Boolean(res.link) };
  };
  const tokenParams = z.object({ token: z.string().min(20).max(200) });
  r.post(
    '/api/v1/link-verifications/:token',
    {
      config: { public: true, rateLimit: { max: 30, timeWindow: '1 minute' } },
      schema: {
        tags,
        summary: 'The customer confirms a verified link with the one-time link (no sign-in)',
        params: tokenParams,
      },
    },
    async (req) => confirmByToken(req.params.token, req.ip),
  );
  r.get(
    '/api/v1/link-verifications/:token',
    {
      config: { public: true, rateLimit: { max: 30, timeWindow: '1 minute' } },
      schema: { tags, summary: 'Same as POST, for the link opened from the message', params: tokenParams },
    },
    async (req) => confirmByToken(req.params.token, req.ip),
  );

  r.post(
    '/api/v1/people/:id/merge',
    {
      config: { roles: can.work },
      schema: {
        tags,
        summary: 'Merge another person into this one (identities, accounts, cases move; audited)',
        params,
        body: z.object({ personId: z.uuid(), reason: z.string().trim().min(1).max(1000) }),
      },
    },
    async (req) => {
      await mergePeople(ctx, req.params.id, req.body.personId, req.body.reason, actorOf(req));
      return getPerson(ctx.db, req.params.id);
    },
  );

  r.post(
    '/api/v1/people/:id/identities/:identityId/detach',
    {
      config: { roles: can.work },
      schema: {
        tags,
        summary: 'Unmerge: move one identity out to a person of its own (audited)',
        params: z.object({ id: z.uuid(), identityId: z.uuid() }),
        body: z.object({ reason: z.string().trim().min(1).max(1000) }),
      },
    },
    async (req, reply) => {
      const personId = await detachIdentity(
        ctx,
        req.params.id,
        req.params.identityId,
        req.body.reason,
        actorOf(req),
      );
      return reply.status(201).send(await getPerson(ctx.db, personId));
    },
  );

  r.post(
    '/api/v1/people/:id/lookup',
    {
      config: { roles: can.work },
      schema: {
        tags,
        summary:
          "Ask the company's customer system (the configured lookup endpoint) for this person's accounts; returns candidates to link",
        params,
      },
    },
    async (req) => lookupCustomerAccounts(ctx.db, req.params.id),
  );

  r.get(
    '/api/v1/settings/customer-lookup',
    {
      config: { roles: can.admin },
      schema: { tags: ['settings'], summary: 'The customer lookup endpoint (header values hidden)' },
    },
    async () => {
      const cfg = await getSetting(ctx.db, LOOKUP_SETTING, lookupConfigSchema);
      return { ...cfg, headers: Object.fromEntries(Object.keys(cfg.headers).map((k) => [k, '•••'])) };
    },
  );
  r.put(
    '/api/v1/settings/customer-lookup',
    {
      config: { roles: can.admin },
      schema: {
        tags: ['settings'],
        summary: 'Configure the optional customer lookup endpoint (admin; audited)',
        body: lookupConfigSchema,
      },
    },
    async (req) => {
      const cfg = await saveLookupConfig(ctx.db, req.body, actorOf(req));
      return { ...cfg, headers: Object.fromEntries(Object.keys(cfg.headers).map((k) => [k, '•••'])) };
    },
  );

  r.get(
    '/api/v1/customer-accounts',
    {
      config: { roles: can.read },
      schema: {
        tags,
        summary: 'Search customer accounts by number, name or e-mail',
        querystring: z.object({
          q: z.string().trim().min(1).max(200).optional(),
          limit: z.coerce.number().int().min(1).max(200).default(50),
        }),
      },
    },
    async (req) => {
      const q = req.query.q ? `%${req.query.q.replace(/[%_\\]/g, (m) => `\\${m}`)}%` : null;
      const rows = await ctx.db
        .select()
        .from(customerAccounts)
        .where(
          q
            ? or(
                ilike(customerAccounts.accountNumber, q),
                ilike(customerAccounts.name, q),
                ilike(customerAccounts.email, q),
              )
            : undefined,
        )
        .orderBy(asc(customerAccounts.accountNumber))
        .limit(req.query.limit);
      return { items: rows };
    },
  );

  r.get(
    '/api/v1/customer-accounts/:id',
    {
      config: { roles: can.read },
      schema: { tags, summary: 'A customer account and the people linked to it', params },
    },
    async (req) => {
      const [a] = await ctx.db.select().from(customerAccounts).where(eq(customerAccounts.id, req.params.id));
      if (!a) throw notFound('Customer account');
      const linkedPeople = await ctx.db
        .select({
          linkId: accountLinks.id,
          personId: people.id,
          displayName: people.displayName,
          method: accountLinks.method,
          reason: accountLinks.reason,
          at: accountLinks.createdAt,
        })
        .from(accountLinks)
        .innerJoin(people, eq(people.id, accountLinks.personId))
        .where(and(eq(accountLinks.accountId, a.id), isNull(accountLinks.removedAt)));
      return { ...a, people: linkedPeople };
    },
  );

  r.put(
    '/api/v1/customer-accounts',
    {
      config: { roles: can.manage },
      schema: {
        tags,
        summary: "Upsert customer accounts from the company's systems (unique on accountNumber)",
        body: z.object({ accounts: z.array(accountSchema).min(1).max(5000) }),
      },
    },
    async (req) => {
      let inserted = 0;
      let updated = 0;
      await ctx.db.transaction(async (tx) => {
        for (const a of req.body.accounts) {
          const r = await upsertCustomerAccount(tx, a);
          if (r.inserted) inserted++;
          else updated++;
        }
        await audit(
          tx,
          actorOf(req),
          'customer_accounts.upserted',
          { type: 'customer_account' },
          { inserted, updated },
        );
      });
      return { inserted, updated };
    },
  );
}
