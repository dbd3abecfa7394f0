import { and, eq, isNull, sql } from 'drizzle-orm';
import type { Db } from '../../platform/db/client.ts';
import { accountLinks, customerAccounts, identities, identityLinks, people } from './people.schema.ts';

/**
 * Identify: the person behind an identity. A new identity whose e-mail matches another identity
 * or a customer account joins that person (method `email-match`); otherwise a new person is
 * created. Customer accounts that list the handle or e-mail are linked with their evidence.
 */
export async function resolvePerson(db: Db, identityId: string): Promise<string> {
  // Fast path: most posts come from identities already resolved.
  const [known] = await db
    .select({ personId: identities.personId })
    .from(identities)
    .where(eq(identities.id, identityId));
  if (known?.personId) return known.personId;
  return db.transaction(async (tx) => {
    await tx.execute(sql`SELECT pg_advisory_xact_lock(hashtext(${`identity:${identityId}`}))`);
    const [ident] = await tx.select().from(identities).where(eq(identities.id, identityId));
    if (!ident) throw new Error(`identity ${identityId} vanished`);
    if (ident.personId) return ident.personId;
    let personId: string | null = null;
    let evidence = '';
    if (ident.email) {
      const [same] = await tx
        .select({ personId: identities.personId })
        .from(identities)
        .where(and(eq(identities.email, ident.email), sql`${identities.personId} IS NOT NULL`))
        .limit(1);
      if (same?.personId) {
        personId = same.personId;
        evidence = `same e-mail address ${ident.email} as another identity`;
      }
    }
    if (!personId) {
      const [p] = await tx
        .insert(people)
        .values({ displayName: ident.displayName ?? ident.handle, primaryEmail: ident.email })
        .returning({ id: people.id });
      personId = p!.id;
      evidence = 'first seen';
    }
    await tx.update(identities).set({ personId }).where(eq(identities.id, identityId));
    await tx.insert(identityLinks).values({
      identityId,
      personId,
      method: evidence === 'first seen' ? 'auto' : 'email-match',
      evidence: `${ident.channel}:${ident.handle} — ${evidence}`,
    });
    // Customer accounts that list this handle or e-mail.
    const handle = ident.handle.replace(/^@/, '').toLowerCase();
    const accounts = await tx
      .select({ id: customerAccounts.id, email: customerAccounts.email })
      .from(customerAccounts)
      .where(
        sql`(${ident.email !== null} AND lower(${customerAccounts.email}) = ${ident.email ?? ''}) OR ${customerAccounts.knownHandles} @> ${JSON.stringify([{ channel: ident.channel, handle }])}::jsonb`,
      );
    for (const a of accounts) {
      const [already] = await tx
        .select({ id: accountLinks.id })
        .from(accountLinks)
        .where(
          and(
            eq(accountLinks.personId, personId),
            eq(accountLinks.accountId, a.id),
            isNull(accountLinks.removedAt),
          ),
        );
      if (already) continue;
      await tx.insert(accountLinks).values({
        personId,
        accountId: a.id,
        method: 'import',
        reason:
          a.email && ident.email && a.email.toLowerCase() === ident.email
            ? `account e-mail ${a.email} matches ${ident.channel} identity`
            : `account lists ${ident.channel} handle ${handle}`,
      });
    }
    return personId;
  });
}
