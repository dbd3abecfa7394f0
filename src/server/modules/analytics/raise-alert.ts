import { eq } from 'drizzle-orm';
import type { AppContext } from '../../context.ts';
import { type AlertKind, alerts } from './analytics.schema.ts';
import { deliverAlert, presentAlert } from './deliver-alert.ts';

export type NewAlert = {
  kind: AlertKind;
  severity: 'info' | 'warning' | 'critical';
  title: string;
  topicId?: string | null;
  data?: Record<string, unknown>;
  postIds?: string[];
  /** One alert per key: raising the same key again returns the first one. */
  dedupeKey: string;
  score?: number;
};

/**
 * Raises an alert once per dedupe key: stores it, tells live consoles, delivers it by e-mail and
 * webhook. Alerts inform people; they never touch cases, so the service queue order is unchanged.
 */
export async function raiseAlert(
  ctx: AppContext,
  input: NewAlert,
): Promise<{ id: string; created: boolean }> {
  const [existing] = await ctx.db
    .select({ id: alerts.id })
    .from(alerts)
    .where(eq(alerts.dedupeKey, input.dedupeKey))
    .limit(1);
  if (existing) return { id: existing.id, created: false };
  const [a] = await ctx.db
    .insert(alerts)
    .values({
      kind: input.kind,
      severity: input.severity,
      title: input.title,
      topicId: input.topicId ?? null,
      data: input.data ?? {},
      postIds: input.postIds ?? [],
      dedupeKey: input.dedupeKey,
      score: input.score === undefined ? null : Math.round(input.score),
    })
    .onConflictDoNothing({ target: alerts.dedupeKey })
    .returning();
  if (!a) {
    const [raced] = await ctx.db
      .select({ id: alerts.id })
      .from(alerts)
      .where(eq(alerts.dedupeKey, input.dedupeKey));
    return { id: raced!.id, created: false };
  }
  ctx.live.emitEvent({ type: 'alert', alert: presentAlert(ctx, a) });
  await deliverAlert(ctx, a.id);
  return { id: a.id, created: true };
}
