import { and, eq, isNull } from 'drizzle-orm';
import type { AppContext } from '../../context.ts';
import { accountLinks, customerAccounts, identities, people } from '../people/people.schema.ts';

export type ReplyPii = { kind: string; start: number; end: number };

const EMAIL = /[\w.+-]+@[\w-]+(?:\.[\w-]+)+/g;
const PHONE = /(?:\+?\d[\s().-]?){9,14}\d/g;
const CARD = /\b(?:\d[ -]?){12,18}\d\b/g;
const ACCOUNT =
  /\b(?:account|acct|a\/c|customer)\s*(?:number|no\.?|#|num)?\s*[:#]?\s*([A-Z0-9][A-Z0-9-]{4,})/gi;

function luhn(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

/** Patterns of personal data an agent might paste into a reply: e-mail, phone, card (Luhn), labelled account number. */
export function findPiiPatterns(text: string): ReplyPii[] {
  const out: ReplyPii[] = [];
  for (const m of text.matchAll(EMAIL))
    out.push({ kind: 'email', start: m.index, end: m.index + m[0].length });
  for (const m of text.matchAll(CARD)) {
    const digits = m[0].replace(/\D/g, '');
    if (digits.length >= 13 && digits.length <= 19 && luhn(digits))
      out.push({ kind: 'card_number', start: m.index, end: m.index + m[0].length });
  }
  for (const m of text.matchAll(PHONE)) {
    const overlaps = out.some((p) => p.start < m.index + m[0].length && m.index < p.end);
    const digits = m[0].replace(/\D/g, '');
    if (!overlaps && digits.length >= 10 && digits.length <= 15)
      out.push({ kind: 'phone', start: m.index, end: m.index + m[0].length });
  }
  for (const m of text.matchAll(ACCOUNT)) {
    if (/\d/.test(m[1]!)) out.push({ kind: 'account_number', start: m.index, end: m.index + m[0].length });
  }
  return out;
}

/**
 * The PII guard's view of a reply: what the intelligence module's detector finds, the generic
 * patterns above, and — what no detector can know — the customer's own account numbers, phone
 * numbers and e-mail addresses from their linked accounts and identities, wherever they appear.
 */
export async function findReplyPii(
  ctx: AppContext,
  text: string,
  c: { channel: string; personId: string | null },
): Promise<ReplyPii[]> {
  const found: ReplyPii[] = [
    ...ctx.enricher.enrich(text, { channel: c.channel, toBrand: false }).pii,
    ...findPiiPatterns(text),
  ];
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
