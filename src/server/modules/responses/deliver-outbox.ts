import { and, eq, lte, sql } from 'drizzle-orm';
import { senderFor } from '../../connectors/registry.ts';
import type { AppContext } from '../../context.ts';
import { backoffMs } from '../../platform/bus/bus.ts';
import { queryRows } from '../../platform/db/client.ts';
import { caseEvents } from '../cases/cases.schema.ts';
import { recordResponse } from '../cases/record-response.ts';
import { channels } from '../channels/channels.schema.ts';
import { outbox } from './responses.schema.ts';

const MAX_ATTEMPTS = 8;

/**
 * Delivers due outbox items through the connector registry. Rows are claimed with
 * `FOR UPDATE SKIP LOCKED` so several workers never send the same message; a failure is retried
 * with backoff, then marked failed with its error.
 */
export async function deliverDueOutbox(ctx: AppContext, limit = 20): Promise<number> {
  const claimed = await queryRows<{ id: string }>(
    ctx.db,
    sql`UPDATE outbox SET status = 'sending', attempts = attempts + 1
        WHERE id IN (SELECT id FROM outbox WHERE status = 'queued' AND next_attempt_at <= now()
                     ORDER BY next_attempt_at LIMIT ${limit} FOR UPDATE SKIP LOCKED)
        RETURNING id`,
  );
  for (const { id } of claimed) {
    const [item] = await ctx.db.select().from(outbox).where(eq(outbox.id, id));
    if (!item) continue;
    const [channel] = item.channelId
      ? await ctx.db.select().from(channels).where(eq(channels.id, item.channelId))
      : [];
    const send = senderFor(item.channel);
    try {
      if (!send) throw new Error(`no connector can send on ${item.channel}`);
      const { externalId } = await send(item, channel ?? null);
      const sentAt = new Date();
      await ctx.db
        .update(outbox)
        .set({ status: 'sent', sentAt, externalId, lastError: null })
        .where(eq(outbox.id, id));
      await ctx.db
        .update(caseEvents)
        .set({ data: sql`${caseEvents.data} || ${JSON.stringify({ status: 'sent', externalId })}::jsonb` })
        .where(eq(caseEvents.outboxId, id));
      if (item.caseId) {
        await recordResponse(ctx.db, item.caseId, sentAt, {});
        ctx.live.emitEvent({ type: 'case.updated', caseId: item.caseId });
      }
      await ctx.bus.publish('reply.sent', {
        outboxId: id,
        caseId: item.caseId,
        sentAt: sentAt.toISOString(),
      });
    } catch (err) {
      const message = (err as Error).message.slice(0, 1000);
      const failed = item.attempts >= MAX_ATTEMPTS;
      await ctx.db
        .update(outbox)
        .set({
          status: failed ? 'failed' : 'queued',
          lastError: message,
          nextAttemptAt: new Date(Date.now() + backoffMs(item.attempts) * 10),
        })
        .where(eq(outbox.id, id));
      await ctx.db
        .update(caseEvents)
        .set({
          data: sql`${caseEvents.data} || ${JSON.stringify({ status: failed ? 'failed' : 'retrying', error: message })}::jsonb`,
        })
        .where(eq(caseEvents.outboxId, id));
      ctx.log.warn({ outboxId: id, err: message }, 'outbox delivery failed');
    }
  }
  return claimed.length;
}

/** Items left in `sending` by a crash are retried (the sender's own idempotency protects the channel). */
export async function requeueStuckOutbox(ctx: AppContext): Promise<void> {
  await ctx.db
    .update(outbox)
    .set({ status: 'queued' })
    .where(and(eq(outbox.status, 'sending'), lte(outbox.nextAttemptAt, new Date(Date.now() - 5 * 60_000))));
}
