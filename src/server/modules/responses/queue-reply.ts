import { randomUUID } from 'node:crypto';
import { and, desc, eq, isNull, sql } from 'drizzle-orm';
import { senderFor } from '../../connectors/registry.ts';
import type { AppContext } from '../../context.ts';
import { type Actor, audit } from '../../platform/audit.ts';
import { badRequest, conflict, notFound } from '../../platform/errors.ts';
import { caseEvents, cases } from '../cases/cases.schema.ts';
import { channels } from '../channels/channels.schema.ts';
import { posts } from '../conversations/conversations.schema.ts';
import { accountLinks, customerAccounts, identities, people } from '../people/people.schema.ts';
import { findReplyPii } from './find-reply-pii.ts';
import { replyLengthLimit } from './reply-limits.ts';
import { outbox, type ReplyMode } from './responses.schema.ts';

export type ReplyInput = {
  mode: ReplyMode;
  text: string;
  idempotencyKey?: string | undefined;
  /** The case version the agent was looking at; a reply based on a stale view is refused. */
  baseVersion?: number | undefined;
  /** E-mail mode: send to this address instead of the customer's (a verification to the account's address on file). */
  emailTo?: string | undefined;
};

/**
 * Queues a reply in the outbox (delivered by the worker through the connector registry). The
 * same idempotency key never queues twice; PII is never echoed into a public reply.
 */
export async function queueReply(ctx: AppContext, caseId: string, input: ReplyInput, actor: Actor) {
  const text = input.text.trim();
  if (!text) throw badRequest('The reply is empty', undefined, 'empty_reply');
  const [c] = await ctx.db.select().from(cases).where(eq(cases.id, caseId));
  if (!c) throw notFound('Case');
  const key = `${caseId}:${input.idempotencyKey ?? randomUUID()}`;
  const [already] = await ctx.db.select().from(outbox).where(eq(outbox.idempotencyKey, key));
  if (already) return { item: already, duplicate: true, destination: already.target };
  if (c.status === 'closed')
    throw conflict('The case is closed; reopen it to reply', undefined, 'case_closed');
  if (input.baseVersion !== undefined && input.baseVersion !== c.version) {
    throw conflict(
      'The case changed since you opened it (someone replied or it was updated); review it before sending',
      { currentVersion: c.version },
      'stale_case',
    );
  }
  const limit = replyLengthLimit(c.channel, input.mode);
  if (limit !== null && [...text].length > limit) {
    throw badRequest(
      `The reply has ${[...text].length} characters; a ${input.mode} reply on ${c.channel} allows ${limit}`,
      { limit, length: [...text].length },
      'reply_too_long',
    );
  }
  const pii = input.mode === 'public' ? await findReplyPii(ctx, text, c) : [];
  if (pii.length) {
    throw badRequest(
      `The reply contains personal data (${[...new Set(pii.map((p) => p.kind))].join(', ')}); never post it publicly — use a private or e-mail reply`,
      { pii },
      'pii_in_public_reply',
    );
  }
  // Where it goes: the latest inbound post of the case and its author.
  const [last] = await ctx.db
    .select({ post: posts, identity: identities })
    .from(caseEvents)
    .innerJoin(posts, eq(posts.id, caseEvents.postId))
    .innerJoin(identities, eq(identities.id, posts.identityId))
    .where(and(eq(caseEvents.caseId, caseId), eq(caseEvents.kind, 'inbound')))
    .orderBy(desc(caseEvents.createdAt))
    .limit(1);
  let channelType = c.channel;
  const target: Record<string, unknown> = {
    handle: last?.identity.handle,
    identityExternalId: last?.identity.externalId,
  };
  if (input.mode === 'public') {
    target.inReplyTo = last?.post.externalId;
    target.url = last?.post.url;
  }
  if (input.mode === 'email') {
    const email =
      input.emailTo ??
      (await emailFor(ctx, c.personId, last?.identity.email ?? null, last?.post.raw ?? null));
    if (!email)
      throw badRequest(
        'No e-mail address is known for this customer; link an account or reply privately',
        undefined,
        'no_email',
      );
    target.email = email;
    target.subject = c.subject ? `Re: ${c.subject.replace(/^re:\s*/i, '')}` : 'Your message';
    if (last?.post.channel === 'email') {
      target.inReplyToMessageId = last.post.externalId;
      target.references = (last.post.raw as { references?: string[] } | null)?.references ?? [];
    }
    if (c.channel !== 'sandbox') channelType = 'email';
  }
  const [configured] = await ctx.db
    .select({ id: channels.id })
    .from(channels)
    .where(and(eq(channels.type, channelType), eq(channels.enabled, true)))
    .limit(1);
  if (!senderFor(channelType) || (channelType !== 'sandbox' && !configured)) {
    throw conflict(
      `No ${channelType} channel is configured to send through`,
      { channel: channelType },
      'channel_unavailable',
    );
  }
  const item = await ctx.db.transaction(async (tx) => {
    // Two agents answering the same view: the second one's version no longer matches.
    const [locked] = await tx
      .select({ version: cases.version })
      .from(cases)
      .where(eq(cases.id, caseId))
      .for('update');
    if (input.baseVersion !== undefined && input.baseVersion !== locked?.version) {
      throw conflict(
        'The case changed since you opened it (someone replied or it was updated); review it before sending',
        { currentVersion: locked?.version },
        'stale_case',
      );
    }
    const [row] = await tx
      .insert(outbox)
      .values({
        caseId,
        channel: channelType,
        channelId: configured?.id ?? null,
        mode: input.mode,
        text,
        target,
        idempotencyKey: key,
        createdBy: actor.userId,
      })
      .onConflictDoNothing({ target: outbox.idempotencyKey })
      .returning();
    if (!row) return null;
    await tx.insert(caseEvents).values({
      caseId,
      kind: 'outbound',
      outboxId: row.id,
      actorUserId: actor.userId,
      body: text,
      data: { mode: input.mode, status: 'queued' },
    });
    await tx
      .update(cases)
      .set({ version: sql`${cases.version} + 1`, updatedAt: new Date() })
      .where(eq(cases.id, caseId));
    await audit(
      tx,
      actor,
      'case.reply_queued',
      { type: 'case', id: caseId },
      { mode: input.mode, outboxId: row.id },
    );
    return row;
  });
  if (!item) {
    const [existing] = await ctx.db.select().from(outbox).where(eq(outbox.idempotencyKey, key));
    return { item: existing!, duplicate: true, destination: existing!.target };
  }
  return { item, duplicate: false, destination: target };
}

async function emailFor(
  ctx: AppContext,
  personId: string | null,
  identityEmail: string | null,
  raw: unknown,
) {
  if (identityEmail) return identityEmail;
  const from = (raw as { from?: string } | null)?.from;
  if (from) return from;
  if (!personId) return null;
  const [p] = await ctx.db.select({ email: people.primaryEmail }).from(people).where(eq(people.id, personId));
  if (p?.email) return p.email;
  const [a] = await ctx.db
    .select({ email: customerAccounts.email })
    .from(accountLinks)
    .innerJoin(customerAccounts, eq(customerAccounts.id, accountLinks.accountId))
    .where(and(eq(accountLinks.personId, personId), isNull(accountLinks.removedAt)))
    .limit(1);
  return a?.email ?? null;
}
