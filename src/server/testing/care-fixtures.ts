import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { NormalisedPostInput } from '../../common/post.schema.ts';
import { posts } from '../modules/conversations/conversations.schema.ts';
import { deliverDueOutbox } from '../modules/responses/deliver-outbox.ts';
import type { Role } from '../modules/users/users.schema.ts';
import { users } from '../modules/users/users.schema.ts';
import { createTestApp, type TestApp } from './test-app.ts';
import type { Driver } from './test-db.ts';

/** The care team's test brand: posts mentioning @northwindcares address it. */
export const BRAND = {
  name: 'Northwind',
  handles: ['northwindcares'],
  emails: ['care@northwind.example'],
  domains: ['northwind.example'],
};

// biome-ignore lint/suspicious/noExplicitAny: response bodies are checked field by field by the tests' assertions
type Json = any;

export type Caller = {
  token: string;
  userId: string;
  email: string;
  /** Calls the API as this user; returns status and parsed JSON. */
  call: (
    method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
    url: string,
    payload?: unknown,
  ) => Promise<{ status: number; body: Json }>;
};

export type Care = TestApp & {
  as: (role: Role, opts?: { email?: string; online?: boolean; name?: string }) => Promise<Caller>;
  admin: Caller;
  /** Ingests posts through `POST /api/v1/posts` and waits until the pipeline is idle. */
  ingest: (...p: Partial<NormalisedPostInput>[]) => Promise<NormalisedPostInput[]>;
  /** The case a stored post landed on. */
  caseOf: (externalId: string, channel?: string) => Promise<string>;
  /** Runs the outbox delivery once (the scheduler is off in these tests, so timing is explicit). */
  deliver: () => Promise<void>;
};

let seq = 0;

/** A normalised inbound post addressed to the brand; override anything. */
export function inbound(over: Partial<NormalisedPostInput> = {}): NormalisedPostInput {
  seq++;
  return {
    channel: 'sandbox',
    externalId: `t-${randomUUID()}`,
    author: { externalId: `author-${seq}`, handle: `customer${seq}` },
    text: '@northwindcares my internet has been down since this morning',
    createdAt: new Date().toISOString(),
    direction: 'inbound',
    ...over,
  };
}

/** A test server for the care workflow: brand set, scheduler off, helpers for calling the API as any role. */
export async function createCareApp(driver: Driver): Promise<Care> {
  const t = await createTestApp(driver, { scheduler: false });
  const as = async (
    role: Role,
    opts: { email?: string; online?: boolean; name?: string } = {},
  ): Promise<Caller> => {
    const u = await t.tokenFor(role, opts.email);
    if (opts.online || opts.name) {
      await t.ctx.db
        .update(users)
        .set({
          ...(opts.online ? { availability: 'online' as const } : {}),
          ...(opts.name ? { name: opts.name } : {}),
        })
        .where(eq(users.id, u.userId));
    }
    return {
      ...u,
      call: async (method, url, payload) => {
        const res = await t.app.inject({
          method,
          url,
          headers: { authorization: `Bearer ${u.token}` },
          ...(payload === undefined ? {} : { payload: payload as object }),
        });
        return { status: res.statusCode, body: res.body ? res.json() : null };
      },
    };
  };
  const admin = await as('admin', { name: 'Ada Admin' });
  const brand = await admin.call('PUT', '/api/v1/settings/brand', BRAND);
  if (brand.status !== 200) throw new Error(`brand settings failed: ${JSON.stringify(brand.body)}`);
  return {
    ...t,
    as,
    admin,
    ingest: async (...over) => {
      const list = over.map((o) => inbound(o));
      const res = await admin.call('POST', '/api/v1/posts', { posts: list });
      if (res.status !== 200) throw new Error(`ingest failed: ${JSON.stringify(res.body)}`);
      await t.idle();
      return list;
    },
    caseOf: async (externalId, channel = 'sandbox') => {
      await t.idle();
      const [p] = await t.ctx.db
        .select({ caseId: posts.caseId, channel: posts.channel, ext: posts.externalId })
        .from(posts)
        .where(eq(posts.externalId, externalId));
      if (!p || p.channel !== channel || !p.caseId) throw new Error(`post ${externalId} has no case`);
      return p.caseId;
    },
    deliver: async () => {
      while ((await deliverDueOutbox(t.ctx)) > 0) {}
      await t.idle();
    },
  };
}
