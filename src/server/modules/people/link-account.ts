import { and, eq, isNull } from 'drizzle-orm';
import { type Actor, audit } from '../../platform/audit.ts';
import type { Db } from '../../platform/db/client.ts';
import { badRequest, conflict, notFound } from '../../platform/errors.ts';
import { accountLinks, customerAccounts, people } from './people.schema.ts';

/** Links a person to a customer account with how (`verified`, `agent`) and why; audited. */
export async function linkAccount(
  db: Db,
  personId: string,
  input: {
    accountId?: string | undefined;
    accountNumber?: string | undefined;
    method: 'verified' | 'agent';
    reason: string;
  },
  actor: Actor,
) {
  return db.transaction(async (tx) => {
    const [p] = await tx.select({ id: people.id }).from(people).where(eq(people.id, personId));
    if (!p) throw notFound('Person');
    const [acct] = input.accountId
      ? await tx.select().from(customerAccounts).where(eq(customerAccounts.id, input.accountId))
      : input.accountNumber
        ? await tx
            .select()
            .from(customerAccounts)
            .where(eq(customerAccounts.accountNumber, input.accountNumber))
        : [];
    if (!acct)
      throw badRequest(
        'No such customer account (give accountId or accountNumber)',
        undefined,
        'unknown_account',
      );
    const [existing] = await tx
      .select({ id: accountLinks.id })
      .from(accountLinks)
      .where(
        and(
          eq(accountLinks.personId, personId),
          eq(accountLinks.accountId, acct.id),
          isNull(accountLinks.removedAt),
        ),
      );
    if (existing)
      throw conflict(
        'The account is already linked to this person',
        { linkId: existing.id },
        'already_linked',
      );
    const [link] = await tx
      .insert(accountLinks)
      .values({
        personId,
        accountId: acct.id,
        method: input.method,
        reason: input.reason,
        createdBy: actor.userId,
      })
      .returning();
    await audit(
      tx,
      actor,
      'link.created',
      { type: 'account_link', id: link!.id },
      {
        personId,
        accountId: acct.id,
        accountNumber: acct.accountNumber,
        method: input.method,
        reason: input.reason,
      },
    );
    return link!;
  });
}

/** Removes a link (kept with removed_at/by/reason for the audit trail). */
export async function unlinkAccount(db: Db, personId: string, linkId: string, reason: string, actor: Actor) {
  return db.transaction(async (tx) => {
    const [link] = await tx
      .update(accountLinks)
      .set({ removedAt: new Date(), removedBy: actor.userId, removedReason: reason })
      .where(
        and(eq(accountLinks.id, linkId), eq(accountLinks.personId, personId), isNull(accountLinks.removedAt)),
      )
      .returning();
    if (!link) throw notFound('Link');
    await audit(
      tx,
      actor,
      'link.removed',
      { type: 'account_link', id: linkId },
      { personId, accountId: link.accountId, reason },
    );
    return link;
  });
}
