import { sql } from 'drizzle-orm';
import type { Db } from '../../platform/db/client.ts';
import { customerAccounts } from './people.schema.ts';

export type CustomerAccountInput = {
  accountNumber: string;
  name?: string | undefined;
  email?: string | null | undefined;
  phone?: string | null | undefined;
  plan?: string | null | undefined;
  status?: string | undefined;
  attributes?: Record<string, string> | undefined;
  /** Handles and e-mails the company's record lists: `{channel, handle}`. */
  knownHandles?: { channel: string; handle: string }[] | undefined;
};

/** Inserts or updates a customer account from the company's systems (unique on account number). */
export async function upsertCustomerAccount(
  db: Db,
  a: CustomerAccountInput,
): Promise<{ id: string; inserted: boolean }> {
  const values = {
    accountNumber: a.accountNumber.trim(),
    name: a.name ?? '',
    email: a.email?.trim().toLowerCase() || null,
    phone: a.phone || null,
    plan: a.plan || null,
    status: a.status || 'active',
    attributes: a.attributes ?? {},
    knownHandles: (a.knownHandles ?? []).map((h) => ({
      channel: h.channel.toLowerCase(),
      handle: h.handle.replace(/^@/, '').toLowerCase(),
    })),
  };
  const [row] = await db
    .insert(customerAccounts)
    .values(values)
    .onConflictDoUpdate({ target: customerAccounts.accountNumber, set: { ...values } })
    .returning({ id: customerAccounts.id, inserted: sql<boolean>`(xmax = 0)` });
  return { id: row!.id, inserted: Boolean(row!.inserted) };
}
