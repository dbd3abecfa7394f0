import { desc, lt } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../context.ts';
import { invalidateBrandCache } from '../pipeline/ingest.ts';
import { can } from '../platform/auth/roles.ts';
import { auditLog } from '../platform/db/platform.schema.ts';
import { actorOf } from '../platform/http/auth-guard.ts';
import { getSetting, putSetting } from '../platform/settings.ts';
import { PRIORITY_POLICY_SETTING, priorityPolicySchema } from './cases/priority-policy.ts';
import { recomputeOpenPriorities } from './cases/recompute-priority.ts';
import { BRAND_SETTING, brandSchema } from './people/brand.ts';

/** Installation settings (brand, priority policy) and the audit log. */
export async function settingsRoutes(app: FastifyInstance, ctx: AppContext) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['settings'];

  r.get(
    '/api/v1/settings/brand',
    { config: { roles: can.read }, schema: { tags, summary: "The brand's handles, addresses and domains" } },
    async () => getSetting(ctx.db, BRAND_SETTING, brandSchema),
  );
  r.put(
    '/api/v1/settings/brand',
    {
      config: { roles: can.admin },
      schema: { tags, summary: "Set the brand's handles, addresses and domains", body: brandSchema },
    },
    async (req) => {
      const v = await putSetting(ctx.db, BRAND_SETTING, brandSchema, req.body, actorOf(req));
      invalidateBrandCache();
      return v;
    },
  );
  r.get(
    '/api/v1/settings/priority-policy',
    {
      config: { roles: can.read },
      schema: { tags, summary: 'The priority policy (influence-blind; service recovery first)' },
    },
    async () => getSetting(ctx.db, PRIORITY_POLICY_SETTING, priorityPolicySchema),
  );
  r.put(
    '/api/v1/settings/priority-policy',
    {
      config: { roles: can.admin },
      schema: { tags, summary: 'Change the priority policy (admin; audited)', body: priorityPolicySchema },
    },
    async (req) => {
      const v = await putSetting(
        ctx.db,
        PRIORITY_POLICY_SETTING,
        priorityPolicySchema,
        req.body,
        actorOf(req),
      );
      await recomputeOpenPriorities(ctx.db);
      return v;
    },
  );
  r.get(
    '/api/v1/audit',
    {
      config: { roles: can.admin },
      schema: {
        tags,
        summary: 'The audit log, newest first',
        querystring: z.object({
          before: z.iso.datetime().optional(),
          limit: z.coerce.number().int().min(1).max(500).default(100),
        }),
      },
    },
    async (req) => ({
      items: await ctx.db
        .select()
        .from(auditLog)
        .where(req.query.before ? lt(auditLog.at, new Date(req.query.before)) : undefined)
        .orderBy(desc(auditLog.at))
        .limit(req.query.limit),
    }),
  );
}
