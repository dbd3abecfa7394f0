import { and, eq, isNull } from 'drizzle-orm';
import type { AppContext } from '../../context.ts';
import { accountLinks, customerAccounts, identities, people } from '../people/people.schema.ts';

export type ReplyPii = { kind: string; start: number; end: number };

/**
 * The PII guard's view of a reply: what the intelligence module's detector finds (e-mail, phone,
 * card, account, address patterns), and — what no pattern can know — the customer's own account
 * numbers, phone numbers and e-mail addresses from their linked accounts and identities, wherever
 * they appear, in whatever format.
 */
export async function findReplyPii(
  ctx: AppContext,
  text: string,
  c: { channel: string; personId: string | null },
): Promise<ReplyPii[]> {
  const found: ReplyPii[] = [...ctx.enricher.enrich(text, { channel: c.channel, toBrand: false }).pii];
  if (c.personId) {
    const accounts = await ctx.db
      .select({
        number: customerAccounts.accountNumber,
        phone: customerAccounts.phone,
        email: customerAccounts.email,
      })
      .from(accountLinks)
      .innerJoin(customerAccounts, eq(customerAccounts.id, accountLinks.accountId))
      .where(and(eq(accountLinks.personId, c.personId), isNull(accountLinks.removedAt)));
    const emails = await ctx.db
      .select({ email: identities.email })
      .from(identities)
      .where(eq(identities.personId, c.personId));
    const [p] = await ctx.db
      .select({ email: people.primaryEmail })
      .from(people)
      .where(eq(people.id, c.personId));
    const known: { kind: string; value: string | null }[] = [
      ...accounts.flatMap((a) => [
        { kind: 'account_number', value: a.number },
        { kind: 'phone', value: a.phone },
        { kind: 'email', value: a.email },
      ]),
      ...emails.map((e) => ({ kind: 'email', value: e.email })),
      { kind: 'email', value: p?.email ?? null },
    ];
    const lower = text.toLowerCase();
    const compact = text.replace(/[\s().-]/g, '');
    for (const k of known) {
      if (!k.value || k.value.length < 4) continue;
      const i = lower.indexOf(k.value.toLowerCase());
      if (i !== -1) found.push({ kind: k.kind, start: i, end: i + k.value.length });
      else if (k.kind === 'phone' && compact.includes(k.value.replace(/[\s().-]/g, '')))
        found.push({ kind: 'phone', start: 0, end: text.length });
    }
  }
  return found.sort((a, b) => a.start - b.start);
}
