import { and, desc, eq, isNull } from 'drizzle-orm';
import type { Db } from '../../platform/db/client.ts';
import { badRequest, notFound } from '../../platform/errors.ts';
import { cases } from '../cases/cases.schema.ts';
import { posts } from '../conversations/conversations.schema.ts';
import { getBrand } from '../people/brand.ts';
import { accountLinks, customerAccounts, identities, people } from '../people/people.schema.ts';
import { users } from '../users/users.schema.ts';

/** The variables a template may use, and what each means. */
export const TEMPLATE_VARIABLES: Record<string, string> = {
  'customer.name': "the customer's name (account name, else display name, else handle)",
  'customer.firstName': "the first word of the customer's name",
  'customer.handle': "the customer's handle on the case's channel, with @",
  'case.number': 'the case number',
  'case.subject': 'the case subject',
  'agent.name': "the sending agent's name",
  'agent.firstName': "the first word of the sending agent's name",
  'brand.name': 'the brand name (settings)',
  'account.number':
    'the linked account number (private and e-mail replies only: the PII guard blocks it in public)',
};

const VAR = /\{\{\s*([a-zA-Z]+\.[a-zA-Z]+)\s*\}\}/g;

/** The variables a template body uses; unknown ones are an error naming them. */
export function templateVariables(body: string): string[] {
  const used = [...new Set([...body.matchAll(VAR)].map((m) => m[1]!))];
  const unknown = used.filter((v) => !(v in TEMPLATE_VARIABLES));
  if (unknown.length) {
    throw badRequest(
      `Unknown template variable ${unknown.map((u) => `{{${u}}}`).join(', ')}; known: ${Object.keys(TEMPLATE_VARIABLES).join(', ')}`,
      { unknown },
      'unknown_variable',
    );
  }
  return used;
}

export function fillTemplate(body: string, values: Record<string, string>): string {
  return body.replace(VAR, (_, name: string) => values[name] ?? '');
}

/** The values of every template variable for a case and the sending agent. */
export async function templateValues(
  db: Db,
  caseId: string,
  agentUserId: string | null,
): Promise<Record<string, string>> {
  const [c] = await db.select().from(cases).where(eq(cases.id, caseId));
  if (!c) throw notFound('Case');
  const [last] = await db
    .select({ handle: identities.handle, displayName: identities.displayName })
    .from(posts)
    .innerJoin(identities, eq(identities.id, posts.identityId))
    .where(and(eq(posts.caseId, caseId), eq(posts.direction, 'inbound')))
    .orderBy(desc(posts.createdAt))
    .limit(1);
  const [person] = c.personId
    ? await db.select({ name: people.displayName }).from(people).where(eq(people.id, c.personId))
    : [];
  const [account] = c.personId
    ? await db
        .select({ name: customerAccounts.name, number: customerAccounts.accountNumber })
        .from(accountLinks)
        .innerJoin(customerAccounts, eq(customerAccounts.id, accountLinks.accountId))
        .where(and(eq(accountLinks.personId, c.personId), isNull(accountLinks.removedAt)))
        .limit(1)
    : [];
  const [agent] = agentUserId
    ? await db.select({ name: users.name, email: users.email }).from(users).where(eq(users.id, agentUserId))
    : [];
  const brand = await getBrand(db);
  const customer = account?.name || last?.displayName || person?.name || last?.handle || 'there';
  const agentName = agent?.name || agent?.email.split('@')[0] || brand.name;
  return {
    'customer.name': customer,
    'customer.firstName': customer.split(/\s+/)[0] ?? customer,
    'customer.handle': last?.handle ? `@${last.handle.replace(/^@/, '')}` : '',
    'case.number': String(c.number),
    'case.subject': c.subject,
    'agent.name': agentName,
    'agent.firstName': agentName.split(/\s+/)[0] ?? agentName,
    'brand.name': brand.name,
    'account.number': account?.number ?? '',
  };
}
