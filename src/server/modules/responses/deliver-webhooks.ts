import { createHash, createHmac } from 'node:crypto';
import { eq, inArray, sql } from 'drizzle-orm';
import type { AppContext } from '../../context.ts';
import { queryRows } from '../../platform/db/client.ts';
import { loadCaseSummary } from '../cases/present-case.ts';
import { webhookDeliveries, webhooks } from './responses.schema.ts';

/** Subjects on the bus that other support areas may follow. */
export const WEBHOOK_SUBJECTS = [
  'case.>',
  'post.processed',
  'reply.sent',
  'link.>',
  'incident.>',
  'person.>',
];
export const WEBHOOK_MAX_ATTEMPTS = 8;

/** Retry delay after the n-th failed attempt: 30 s, 1 min, 2 min … capped at 1 h. */
export function webhookBackoffMs(attempt: number): number {
  return Math.min(3_600_000, 30_000 * 2 ** Math.max(0, attempt - 1));
}

/**
 * The signature receivers check: `sha256=` + hex HMAC-SHA256, keyed with the webhook's secret,
 * of `<timestamp>.<raw body>` (the timestamp is the `X-Earshot-Timestamp` header, Unix seconds),
 * so a captured request cannot be replayed later with another timestamp.
 */
export function signWebhook(secret: string, timestamp: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/** True when an event name matches one of a webhook's patterns (`case.*`, `*`, exact; empty = all). */
export function eventMatches(patterns: string[], event: string): boolean {
  if (!patterns.length) return true;
  return patterns.some(
    (p) => p === '*' || p === event || (p.endsWith('.*') && event.startsWith(p.slice(0, -1))),
  );
}

/** Bus message → the webhook event other systems see (`case.created`, `case.updated` + action, `reply.sent`, …). */
export function webhookEventOf(
  subject: string,
  data: Record<string, unknown>,
): { event: string; action?: string } | null {
  if (subject === 'post.processed') {
    if (!data.caseId) return null;
    return data.created ? { event: 'case.created' } : { event: 'case.updated', action: 'message_received' };
  }
  if (subject === 'case.created') return { event: 'case.created' };
  if (subject.startsWith('case.')) return { event: 'case.updated', action: subject.slice('case.'.length) };
  return { event: subject };
}

/**
 * Fans a bus event out to the matching enabled webhooks as queued deliveries (one per webhook and
 * event, even when the bus redelivers). Case events carry the case's current summary.
 */
export async function enqueueWebhookDeliveries(
  ctx: AppContext,
  subject: string,
  data: Record<string, unknown>,
  onlyWebhookIds?: string[],
): Promise<number> {
  const ev = webhookEventOf(subject, data);
  if (!ev) return 0;
  const hooks = onlyWebhookIds
    ? await ctx.db.select().from(webhooks).where(inArray(webhooks.id, onlyWebhookIds))
    : (await ctx.db.select().from(webhooks).where(eq(webhooks.enabled, 1))).filter((w) =>
        eventMatches(w.events, ev.event),
      );
  if (!hooks.length) return 0;
  const eventKey = createHash('sha256')
    .update(`${subject}\u0000${JSON.stringify(data)}`)
    .digest('hex')
    .slice(0, 32);
  let caseSummary: unknown;
  if (typeof data.caseId === 'string')
    caseSummary = await loadCaseSummary(ctx.db, data.caseId).catch(() => undefined);
  const payload = {
    event: ev.event,
    ...(ev.action ? { action: ev.action } : {}),
    occurredAt:
      typeof data.at === 'string'
        ? data.at
        : typeof data.sentAt === 'string'
          ? data.sentAt
          : new Date().toISOString(),
    data,
    ...(caseSummary ? { case: caseSummary } : {}),
  };
  const rows = await ctx.db
    .insert(webhookDeliveries)
    .values(hooks.map((w) => ({ webhookId: w.id, event: ev.event, payload, eventKey })))
    .onConflictDoNothing()
    .returning({ id: webhookDeliveries.id });
  return rows.length;
}

/** Subscribes the webhook fan-out to the bus (one consumer group across all workers). */
export async function startWebhookFanout(ctx: AppContext): Promise<void> {
  for (const pattern of WEBHOOK_SUBJECTS) {
    await ctx.bus.subscribe(pattern, 'webhooks', async (data) => {
      const d = data as Record<string, unknown>;
      await enqueueWebhookDeliveries(ctx, concreteSubject(pattern, d), d);
    });
  }
}

// Handlers see the subscription pattern, not the subject: wildcard publishers (case.*, link.*,
// incident.*) put their action in the payload, which names the subject.
function concreteSubject(pattern: string, data: Record<string, unknown>): string {
  if (!pattern.endsWith('>')) return pattern;
  return `${pattern.slice(0, -1)}${typeof data.action === 'string' ? data.action : 'updated'}`;
}

/**
 * Delivers due webhook calls: claimed with `FOR UPDATE SKIP LOCKED` (several schedulers never
 * send one twice), POSTed with `X-Earshot-Signature`, retried with exponential backoff on a
 * non-2xx answer or a network error, and marked failed after the last attempt. Every attempt
 * leaves its status, error and duration in the delivery log.
 */
export async function deliverDueWebhooks(ctx: AppContext, now = new Date(), limit = 20): Promise<number> {
  const claimed = await queryRows<{ id: string }>(
    ctx.db,
    sql`UPDATE webhook_deliveries SET status = 'sending', attempts = attempts + 1
        WHERE id IN (SELECT id FROM webhook_deliveries WHERE status = 'queued' AND next_attempt_at <= ${now.toISOString()}::timestamptz
                     ORDER BY next_attempt_at LIMIT ${limit} FOR UPDATE SKIP LOCKED)
        RETURNING id`,
  );
  await Promise.all(
    claimed.map(async ({ id }) => {
      const [d] = await ctx.db
        .select({ d: webhookDeliveries, url: webhooks.url, secret: webhooks.secret })
        .from(webhookDeliveries)
        .innerJoin(webhooks, eq(webhooks.id, webhookDeliveries.webhookId))
        .where(eq(webhookDeliveries.id, id));
      if (!d) return;
      const body = JSON.stringify({ id, ...d.d.payload });
      const timestamp = String(Math.floor(Date.now() / 1000));
      const started = Date.now();
      let responseStatus: number | null = null;
      let error: string | null = null;
      try {
        const res = await fetch(d.url, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'user-agent': 'Earshot-Webhooks/1',
            'x-earshot-event': d.d.event,
            'x-earshot-delivery': id,
            'x-earshot-timestamp': timestamp,
            'x-earshot-signature': signWebhook(d.secret, timestamp, body),
          },
          body,
          redirect: 'manual',
          signal: AbortSignal.timeout(10_000),
        });
        responseStatus = res.status;
        await res.body?.cancel().catch(() => {});
        if (res.status < 200 || res.status >= 300) error = `HTTP ${res.status}`;
      } catch (err) {
        error = ((err as Error).cause as Error | undefined)?.message ?? (err as Error).message;
      }
      const durationMs = Date.now() - started;
      if (!error) {
        await ctx.db
          .update(webhookDeliveries)
          .set({ status: 'sent', sentAt: new Date(), responseStatus, lastError: null, durationMs })
          .where(eq(webhookDeliveries.id, id));
        return;
      }
      const failed = d.d.attempts >= WEBHOOK_MAX_ATTEMPTS;
      await ctx.db
        .update(webhookDeliveries)
        .set({
          status: failed ? 'failed' : 'queued',
          responseStatus,
          lastError: error.slice(0, 1000),
          durationMs,
          nextAttemptAt: new Date(now.getTime() + webhookBackoffMs(d.d.attempts)),
        })
        .where(eq(webhookDeliveries.id, id));
      ctx.log.warn(
        { deliveryId: id, url: d.url, err: error },
        failed ? 'webhook delivery failed permanently' : 'webhook delivery failed; will retry',
      );
    }),
  );
  return claimed.length;
}

/** Deliveries left in `sending` by a crash are tried again (receivers dedupe on X-Earshot-Delivery). */
export async function requeueStuckWebhooks(ctx: AppContext, now = new Date()): Promise<void> {
  await ctx.db.execute(
    sql`UPDATE webhook_deliveries SET status = 'queued' WHERE status = 'sending' AND next_attempt_at <= ${new Date(now.getTime() - 5 * 60_000).toISOString()}::timestamptz`,
  );
}
