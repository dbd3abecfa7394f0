import { eq } from 'drizzle-orm';
import type { AppContext } from '../context.ts';
import { topics } from '../modules/listening/listening.schema.ts';
import { BRAND_SETTING, brandSchema } from '../modules/people/brand.ts';
import { customerAccounts } from '../modules/people/people.schema.ts';
import { routingRules } from '../modules/routing/routing.schema.ts';
import { createUser } from '../modules/users/manage-users.ts';
import { teamMembers, teams, users } from '../modules/users/users.schema.ts';
import { ingestPosts, invalidateBrandCache } from '../pipeline/ingest.ts';
import { settings } from '../platform/db/platform.schema.ts';
import { putSetting } from '../platform/settings.ts';
import { DEMO_BRAND, demoCustomers, demoPost } from './generate-posts.ts';

export const DEMO_LOGIN = { email: 'admin@northwind.example', password: 'earshot-demo' };
const actor = { userId: null, label: 'demo' };

/**
 * Seeds a fictional cable/internet brand once per database: brand settings, agents, queues with
 * SLAs and routing rules, listening topics, customer accounts, and a backlog of posts.
 */
export async function seedDemo(ctx: AppContext): Promise<typeof DEMO_LOGIN> {
  const [done] = await ctx.db.select().from(settings).where(eq(settings.key, 'demo_seeded'));
  if (done) return DEMO_LOGIN;
  await putSetting(ctx.db, BRAND_SETTING, brandSchema, DEMO_BRAND, actor);
  invalidateBrandCache();
  await createUser(ctx.db, { ...DEMO_LOGIN, role: 'admin', name: 'Dana Admin' }, actor);
  const agents = [];
  for (const [email, name, role, skills] of [
    ['maria@northwind.example', 'Maria Agent', 'agent', ['billing']],
    ['kofi@northwind.example', 'Kofi Agent', 'agent', ['technical']],
    ['lena@northwind.example', 'Lena Manager', 'manager', []],
    ['sam@northwind.example', 'Sam Field Ops', 'contributor', []],
    ['vic@northwind.example', 'Vic Viewer', 'viewer', []],
  ] as const) {
    const u = await createUser(ctx.db, { email, name, role, password: DEMO_LOGIN.password }, actor);
    await ctx.db
      .update(users)
      .set({ availability: 'online', skills: [...skills] })
      .where(eq(users.id, u.id));
    agents.push(u);
  }
  const weekdays = Object.fromEntries(
    [1, 2, 3, 4, 5].map((d) => [String(d), [['08:00', '20:00']] as [string, string][]]),
  );
  const [care] = await ctx.db
    .insert(teams)
    .values({ name: 'Care', description: 'Social care team', assignmentStrategy: 'least_loaded' })
    .returning();
  const [billing] = await ctx.db
    .insert(teams)
    .values({
      name: 'Billing',
      description: 'Billing specialists',
      assignmentStrategy: 'round_robin',
      calendar: { timezone: 'America/New_York', hours: weekdays, holidays: ['2026-12-25', '2027-01-01'] },
    })
    .returning();
  const [field] = await ctx.db
    .insert(teams)
    .values({
      name: 'Field Operations',
      description: 'Installations and technicians',
      assignmentStrategy: 'manual',
    })
    .returning();
  for (const a of agents.filter((x) => x.role !== 'viewer')) {
    await ctx.db.insert(teamMembers).values({ teamId: care!.id, userId: a.id });
  }
  await ctx.db.insert(teamMembers).values({ teamId: billing!.id, userId: agents[0]!.id });
  await ctx.db.insert(teamMembers).values({ teamId: field!.id, userId: agents[3]!.id });
  await ctx.db.insert(routingRules).values([
    {
      name: 'Billing questions',
      position: 1,
      conditions: { intents: ['billing'] },
      teamId: billing!.id,
      addTags: ['billing'],
    },
    {
      name: 'Appointments',
      position: 2,
      conditions: { intents: ['appointment'] },
      teamId: field!.id,
      addTags: ['field'],
    },
  ]);
  await ctx.db.insert(topics).values([
    {
      name: 'Brand',
      query: 'northwind OR "north wind cable" OR @northwindcares OR @northwind',
      filters: { dropReposts: true },
    },
    {
      name: 'Outages',
      query: '(northwind OR @northwindcares) AND (outage OR down OR "no internet" OR "internet is out")',
    },
  ]);
  await ctx.db.insert(customerAccounts).values(
    demoCustomers().map((c) => ({
      accountNumber: c.accountNumber,
      name: c.name,
      email: c.email,
      plan: c.plan,
      knownHandles: [{ channel: 'sandbox', handle: c.handle }],
    })),
  );
  await ctx.listener.reload();
  const now = Date.now();
  const backlog = Array.from({ length: 60 }, (_, i) => demoPost(i, new Date(now - (60 - i) * 4 * 60_000)));
  await ingestPosts(ctx, backlog);
  await ctx.db.insert(settings).values({ key: 'demo_seeded', value: { at: new Date().toISOString() } });
  return DEMO_LOGIN;
}

/** A live synthetic stream through the sandbox channel at `rate` posts a minute. */
export function startDemoStream(ctx: AppContext, rate: number): () => Promise<void> {
  let n = 1000 + (Math.floor(Date.now() / 1000) % 100_000);
  const timer = setInterval(
    () => {
      ingestPosts(ctx, [demoPost(n++, new Date())]).catch((err: unknown) =>
        ctx.log.warn({ err }, 'demo stream post failed'),
      );
    },
    Math.max(100, 60_000 / rate),
  );
  return async () => clearInterval(timer);
}
