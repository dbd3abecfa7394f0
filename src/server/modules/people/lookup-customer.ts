import { eq } from 'drizzle-orm';
import { z } from 'zod';
import { type Actor, audit } from '../../platform/audit.ts';
import type { Db } from '../../platform/db/client.ts';
import { settings } from '../../platform/db/platform.schema.ts';
import { AppError, conflict } from '../../platform/errors.ts';
import { getSetting } from '../../platform/settings.ts';
import { getPerson } from './get-person.ts';
import { customerAccounts } from './people.schema.ts';
import { upsertCustomerAccount } from './upsert-customer-account.ts';

/** Where the company's customer system answers "which accounts belong to these handles/e-mails?". */
export const lookupConfigSchema = z.object({
  url: z.url({ protocol: /^https?$/ }).optional(),
  /** Sent with every request (e.g. an API key); write-only through the API. */
  headers: z.record(z.string().min(1).max(100), z.string().max(2000)).default({}),
  timeoutMs: z.number().int().min(100).max(30_000).default(5000),
});
export const LOOKUP_SETTING = 'customer_lookup';

const answerSchema = z.object({
  accounts: z
    .array(
      z.object({
        accountNumber: z.string().trim().min(1).max(100),
        name: z.string().max(300).optional(),
        email: z.string().max(300).nullable().optional(),
        phone: z.string().max(50).nullable().optional(),
        plan: z.string().max(100).nullable().optional(),
        status: z.string().max(50).optional(),
        attributes: z.record(z.string(), z.string()).optional(),
      }),
    )
    .max(50),
});

/**
 * The optional lookup adapter: POSTs the person's identities to the configured endpoint
 * (`{"identities":[{channel,handle,email}],"email"}`), expects `{"accounts":[…]}`, and upserts what
 * it returns as candidates. Nothing is linked automatically: an agent links with a reason, or
 * starts a verification.
 */
export async function lookupCustomerAccounts(db: Db, personId: string) {
  const cfg = await getSetting(db, LOOKUP_SETTING, lookupConfigSchema);
  if (!cfg.url)
    throw conflict(
      'No customer lookup endpoint is configured (PUT /api/v1/settings/customer-lookup)',
      undefined,
      'lookup_not_configured',
    );
  const person = await getPerson(db, personId);
  const body = {
    identities: person.identities.map((i) => ({ channel: i.channel, handle: i.handle, email: i.email })),
    email: person.primaryEmail,
  };
  let answer: unknown;
  try {
    const res = await fetch(cfg.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...cfg.headers },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(cfg.timeoutMs),
    });
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    answer = await res.json();
  } catch (err) {
    throw new AppError(
      'lookup_failed',
      `The customer lookup endpoint failed: ${(err as Error).message}`,
      502,
    );
  }
  const parsed = answerSchema.safeParse(answer);
  if (!parsed.success) {
    const first = parsed.error.issues[0]!;
    throw new AppError(
      'lookup_failed',
      `The customer lookup endpoint answered badly at ${first.path.join('.') || 'body'}: ${first.message}`,
      502,
    );
  }
  const accounts = [];
  for (const a of parsed.data.accounts) {
    const { id } = await upsertCustomerAccount(db, a);
    const [row] = await db.select().from(customerAccounts).where(eq(customerAccounts.id, id));
    accounts.push(row!);
  }
  return { candidates: accounts, linked: person.accounts.map((a) => a.account.id) };
}

/** Stores the lookup configuration; the audit entry names the header keys, never their values. */
export async function saveLookupConfig(db: Db, value: unknown, actor: Actor) {
  const parsed = lookupConfigSchema.parse(value);
  await db.transaction(async (tx) => {
    await tx
      .insert(settings)
      .values({ key: LOOKUP_SETTING, value: parsed, updatedBy: actor.userId })
      .onConflictDoUpdate({
        target: settings.key,
        set: { value: parsed, updatedAt: new Date(), updatedBy: actor.userId },
      });
    await audit(
      tx,
      actor,
      'setting.updated',
      { type: 'setting', id: LOOKUP_SETTING },
      { url: parsed.url ?? null, headerNames: Object.keys(parsed.headers) },
    );
  });
  return parsed;
}
