import { and, desc, eq, inArray, isNull } from 'drizzle-orm';
import type { Db } from '../../platform/db/client.ts';
import { notFound } from '../../platform/errors.ts';
import { cases } from '../cases/cases.schema.ts';
import { posts } from '../conversations/conversations.schema.ts';
import { users } from '../users/users.schema.ts';
import { accountLinks, customerAccounts, identities, identityLinks, people } from './people.schema.ts';

/** A person with their identities (and how each was linked) and linked customer accounts. */
export async function getPerson(db: Db, personId: string) {
  const [p] = await db.select().from(people).where(eq(people.id, personId));
  if (!p) throw notFound('Person');
  const idents = await db.select().from(identities).where(eq(identities.personId, personId));
  const identLinks = idents.length
    ? await db
        .select()
        .from(identityLinks)
        .where(
          and(
            inArray(
              identityLinks.identityId,
              idents.map((i) => i.id),
            ),
            isNull(identityLinks.removedAt),
          ),
        )
    : [];
  const accounts = await db
    .select({ link: accountLinks, account: customerAccounts, by: users.email })
    .from(accountLinks)
    .innerJoin(customerAccounts, eq(customerAccounts.id, accountLinks.accountId))
    .leftJoin(users, eq(users.id, accountLinks.createdBy))
    .where(and(eq(accountLinks.personId, personId), isNull(accountLinks.removedAt)));
  return {
    id: p.id,
    displayName: p.displayName,
    primaryEmail: p.primaryEmail,
    doNotContact: p.doNotContact,
    optedOutAt: p.optedOutAt,
    identities: idents.map((i) => {
      const link = identLinks.find((l) => l.identityId === i.id);
      return {
        id: i.id,
        channel: i.channel,
        externalId: i.externalId,
        handle: i.handle,
        displayName: i.displayName,
        followers: i.followers,
        email: i.email,
        link: link ? { method: link.method, evidence: link.evidence, at: link.createdAt } : null,
      };
    }),
    accounts: accounts.map((a) => ({
      linkId: a.link.id,
      method: a.link.method,
      reason: a.link.reason,
      linkedBy: a.by,
      linkedAt: a.link.createdAt,
      account: {
        id: a.account.id,
        accountNumber: a.account.accountNumber,
        name: a.account.name,
        email: a.account.email,
        phone: a.account.phone,
        plan: a.account.plan,
        status: a.account.status,
        attributes: a.account.attributes,
      },
    })),
  };
}

/** Every interaction of the person on every channel, newest first. */
export async function getPersonTimeline(db: Db, personId: string, limit = 200) {
  const rows = await db
    .select({
      id: posts.id,
      channel: posts.channel,
      externalId: posts.externalId,
      direction: posts.direction,
      text: posts.text,
      title: posts.title,
      url: posts.url,
      createdAt: posts.createdAt,
      caseId: posts.caseId,
      sentiment: posts.sentiment,
      intent: posts.intent,
      handle: identities.handle,
    })
    .from(posts)
    .innerJoin(identities, eq(identities.id, posts.identityId))
    .where(eq(identities.personId, personId))
    .orderBy(desc(posts.createdAt))
    .limit(limit);
  const personCases = await db
    .select({
      id: cases.id,
      number: cases.number,
      status: cases.status,
      channel: cases.channel,
      subject: cases.subject,
      createdAt: cases.createdAt,
      resolvedAt: cases.resolvedAt,
    })
    .from(cases)
    .where(eq(cases.personId, personId))
    .orderBy(desc(cases.createdAt))
    .limit(100);
  return { interactions: rows, cases: personCases };
}
