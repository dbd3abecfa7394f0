import { createHash, randomBytes, randomInt } from 'node:crypto';
import { and, eq, isNull } from 'drizzle-orm';
import type { AppContext } from '../../context.ts';
import type { Actor } from '../../platform/audit.ts';
import { AppError, badRequest, conflict, notFound } from '../../platform/errors.ts';
import { cases } from '../cases/cases.schema.ts';
import { queueReply } from '../responses/queue-reply.ts';
import { getBrand } from './brand.ts';
import { linkAccount } from './link-account.ts';
import { customerAccounts, linkVerifications } from './people.schema.ts';

const sha = (s: string) => createHash('sha256').update(s).digest('hex');
const VALID_HOURS = 24;
const MAX_ATTEMPTS = 5;

const maskEmail = (e: string) => e.replace(/^(.)[^@]*(@.*)$/, '$1***$2');

/**
 * Starts a verified link: a one-time code and link go to the customer privately — by e-mail to the
 * address on the account record when it has one (proof they own the account), else as a private
 * message on the case's channel. The customer confirms with the link, or tells the agent the code.
 */
export async function startLinkVerification(
  ctx: AppContext,
  personId: string,
  input: {
    accountId?: string | undefined;
    accountNumber?: string | undefined;
    caseId: string;
    via?: 'email' | 'private' | undefined;
  },
  actor: Actor,
) {
  const [acct] = input.accountId
    ? await ctx.db.select().from(customerAccounts).where(eq(customerAccounts.id, input.accountId))
    : await ctx.db
        .select()
        .from(customerAccounts)
        .where(eq(customerAccounts.accountNumber, input.accountNumber ?? ''));
  if (!acct)
    throw badRequest(
      'No such customer account (give accountId or accountNumber)',
      undefined,
      'unknown_account',
    );
  const [c] = await ctx.db.select({ personId: cases.personId }).from(cases).where(eq(cases.id, input.caseId));
  if (!c) throw badRequest(`No case ${input.caseId}`, undefined, 'unknown_case');
  if (c.personId !== personId)
    throw badRequest(
      'The case is not this person’s: the code must reach them on their own thread',
      undefined,
      'case_of_other_person',
    );
  const via = input.via ?? (acct.email ? 'email' : 'private');
  if (via === 'email' && !acct.email)
    throw badRequest(
      'The account has no e-mail address on file; verify by private message',
      undefined,
      'no_email',
    );
  const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
  const token = randomBytes(24).toString('base64url');
  const brand = await getBrand(ctx.db);
  const base = ctx.config.PUBLIC_URL?.replace(/\/$/, '') ?? '';
  const text = `To confirm that ${brand.name} account ${acct.accountNumber.slice(-4).padStart(acct.accountNumber.length, '•')} is yours, reply with the code ${code} or open ${base}/api/v1/link-verifications/${token}. The code expires in ${VALID_HOURS} hours; ignore this message if you did not ask for it.`;
  const [v] = await ctx.db
    .insert(linkVerifications)
    .values({
      personId,
      accountId: acct.id,
      caseId: input.caseId,
      codeHash: sha(code),
      tokenHash: sha(token),
      expiresAt: new Date(Date.now() + VALID_HOURS * 3600_000),
      createdBy: actor.userId,
    })
    .returning();
  const sent = await queueReply(
    ctx,
    input.caseId,
    {
      mode: via,
      text,
      idempotencyKey: `verify:${v!.id}`,
      ...(via === 'email' ? { emailTo: acct.email! } : {}),
    },
    actor,
  );
  await ctx.db
    .update(linkVerifications)
    .set({ outboxId: sent.item.id })
    .where(eq(linkVerifications.id, v!.id));
  return {
    id: v!.id,
    accountId: acct.id,
    via,
    destination: via === 'email' ? maskEmail(acct.email!) : sent.destination,
    expiresAt: v!.expiresAt,
  };
}

/**
 * Confirms a verification with the code (the agent types what the customer sent back) or the
 * link token (the customer opened the link). Stores the link with method `verified` and the
 * evidence; refuses expired, used or over-tried verifications.
 */
export async function confirmLinkVerification(
  ctx: AppContext,
  by: { id: string; personId: string; code: string } | { token: string },
  actor: Actor,
) {
  const [v] =
    'token' in by
      ? await ctx.db
          .select()
          .from(linkVerifications)
          .where(eq(linkVerifications.tokenHash, sha(by.token)))
      : await ctx.db
          .select()
          .from(linkVerifications)
          .where(and(eq(linkVerifications.id, by.id), eq(linkVerifications.personId, by.personId)));
  if (!v) throw notFound('Verification');
  if (v.confirmedAt)
    throw conflict('This verification was already confirmed', { linkId: v.linkId }, 'already_confirmed');
  if (v.expiresAt < new Date())
    throw new AppError('verification_expired', 'The verification expired; start a new one', 410);
  if ('code' in by) {
    if (v.attempts >= MAX_ATTEMPTS)
      throw new AppError('too_many_attempts', 'Too many wrong codes; start a new verification', 429);
    if (sha(by.code.trim()) !== v.codeHash) {
      await ctx.db
        .update(linkVerifications)
        .set({ attempts: v.attempts + 1 })
        .where(eq(linkVerifications.id, v.id));
      throw badRequest(`Wrong code (${MAX_ATTEMPTS - v.attempts - 1} tries left)`, undefined, 'wrong_code');
    }
  }
  // Claim it once even when two confirmations race.
  const [claimed] = await ctx.db
    .update(linkVerifications)
    .set({ confirmedAt: new Date() })
    .where(and(eq(linkVerifications.id, v.id), isNull(linkVerifications.confirmedAt)))
    .returning();
  if (!claimed) throw conflict('This verification was already confirmed', undefined, 'already_confirmed');
  const how =
    'token' in by
      ? 'the customer opened the one-time link'
      : `the customer returned the one-time code (entered by ${actor.label})`;
  const link = await linkAccount(
    ctx.db,
    v.personId,
    {
      accountId: v.accountId,
      method: 'verified',
      reason: `Verified: one-time code and link sent privately (verification ${v.id}, ${v.createdAt.toISOString()}); ${how}`,
    },
    actor,
  ).catch(async (err: unknown) => {
    if (err instanceof AppError && err.code === 'already_linked') return null;
    throw err;
  });
  await ctx.db
    .update(linkVerifications)
    .set({ linkId: link?.id ?? null })
    .where(eq(linkVerifications.id, v.id));
  if (link)
    await ctx.bus.publish('link.created', {
      action: 'created',
      linkId: link.id,
      personId: v.personId,
      accountId: v.accountId,
      method: 'verified',
      at: new Date().toISOString(),
    });
  return { verificationId: v.id, personId: v.personId, accountId: v.accountId, link };
}
