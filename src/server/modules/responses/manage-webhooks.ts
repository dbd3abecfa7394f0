import { randomBytes } from 'node:crypto';
import { and, desc, eq, lt } from 'drizzle-orm';
import { type Actor, audit } from '../../platform/audit.ts';
import type { Db } from '../../platform/db/client.ts';
import { notFound } from '../../platform/errors.ts';
import { webhookDeliveries, webhooks } from './responses.schema.ts';

type WebhookRow = typeof webhooks.$inferSelect;
export type WebhookInput = {
  url?: string | undefined;
  events?: string[] | undefined;
  enabled?: boolean | undefined;
  description?: string | undefined;
  secret?: string | undefined;
};

/** The secret is write-only: shown once when created (or rotated), never again. */
export const presentWebhook = (w: WebhookRow) => ({
  id: w.id,
  url: w.url,
  events: w.events,
  enabled: w.enabled === 1,
  description: w.description,
  secretHint: `${w.secret.slice(0, 8)}…`,
  createdAt: w.createdAt,
});

export async function listWebhooks(db: Db) {
  return (await db.select().from(webhooks).orderBy(desc(webhooks.createdAt))).map(presentWebhook);
}

export async function getWebhook(db: Db, id: string) {
  const [w] = await db.select().from(webhooks).where(eq(webhooks.id, id));
  if (!w) throw notFound('Webhook');
  return w;
}

const newSecret = () => `whsec_${randomBytes(24).toString('base64url')}`;

export async function createWebhook(db: Db, input: WebhookInput & { url: string }, actor: Actor) {
  const secret = input.secret ?? newSecret();
  return db.transaction(async (tx) => {
    const [w] = await tx
      .insert(webhooks)
      .values({
        url: input.url,
        secret,
        events: input.events ?? [],
        enabled: input.enabled === false ? 0 : 1,
        description: input.description ?? '',
        createdBy: actor.userId,
      })
      .returning();
    await audit(
      tx,
      actor,
      'webhook.created',
      { type: 'webhook', id: w!.id },
      { url: input.url, events: w!.events },
    );
    return { ...presentWebhook(w!), secret };
  });
}

export async function updateWebhook(
  db: Db,
  id: string,
  input: WebhookInput & { rotateSecret?: boolean | undefined },
  actor: Actor,
) {
  const secret = input.rotateSecret ? newSecret() : input.secret;
  return db.transaction(async (tx) => {
    const [w] = await tx
      .update(webhooks)
      .set({
        ...(input.url !== undefined ? { url: input.url } : {}),
        ...(input.events !== undefined ? { events: input.events } : {}),
        ...(input.enabled !== undefined ? { enabled: input.enabled ? 1 : 0 } : {}),
        ...(input.description !== undefined ? { description: input.description } : {}),
        ...(secret ? { secret } : {}),
      })
      .where(eq(webhooks.id, id))
      .returning();
    if (!w) throw notFound('Webhook');
    await audit(
      tx,
      actor,
      'webhook.updated',
      { type: 'webhook', id },
      { url: input.url, events: input.events, enabled: input.enabled, secretChanged: Boolean(secret) },
    );
    return { ...presentWebhook(w), ...(secret ? { secret } : {}) };
  });
}

export async function deleteWebhook(db: Db, id: string, actor: Actor) {
  await db.transaction(async (tx) => {
    const [w] = await tx.delete(webhooks).where(eq(webhooks.id, id)).returning({ url: webhooks.url });
    if (!w) throw notFound('Webhook');
    await audit(tx, actor, 'webhook.deleted', { type: 'webhook', id }, { url: w.url });
  });
}

/** The delivery log of a webhook, newest first. */
export async function listDeliveries(
  db: Db,
  webhookId: string,
  opts: { before?: string | undefined; limit: number },
) {
  await getWebhook(db, webhookId);
  const rows = await db
    .select()
    .from(webhookDeliveries)
    .where(
      and(
        eq(webhookDeliveries.webhookId, webhookId),
        opts.before ? lt(webhookDeliveries.createdAt, new Date(opts.before)) : undefined,
      ),
    )
    .orderBy(desc(webhookDeliveries.createdAt))
    .limit(opts.limit);
  return rows.map((d) => ({
    id: d.id,
    event: d.event,
    status: d.status,
    attempts: d.attempts,
    responseStatus: d.responseStatus,
    lastError: d.lastError,
    durationMs: d.durationMs,
    nextAttemptAt: d.status === 'queued' ? d.nextAttemptAt : null,
    createdAt: d.createdAt,
    sentAt: d.sentAt,
    payload: d.payload,
  }));
}
