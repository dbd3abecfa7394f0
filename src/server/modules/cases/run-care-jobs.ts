import type { AppContext } from '../../context.ts';
import { deliverDueWebhooks, requeueStuckWebhooks } from '../responses/deliver-webhooks.ts';
import { checkSlas } from './check-sla.ts';
import { suggestIncidents } from './suggest-incidents.ts';

const SLA_EVERY_MS = 15_000;
const CLUSTER_EVERY_MS = 60_000;
const last = new WeakMap<AppContext, { sla: number; cluster: number; stuck: number }>();

/**
 * The care workflow's periodic jobs, called on every scheduler tick: webhook deliveries each
 * tick; SLA warnings/breaches every 15 s; outage clustering every minute.
 */
export async function runCareJobs(ctx: AppContext, now = new Date()): Promise<void> {
  const t = now.getTime();
  let l = last.get(ctx);
  if (!l) {
    l = { sla: 0, cluster: t, stuck: 0 };
    last.set(ctx, l);
  }
  while ((await deliverDueWebhooks(ctx, now)) > 0) {}
  if (t - l.stuck >= 60_000) {
    l.stuck = t;
    await requeueStuckWebhooks(ctx, now);
  }
  if (t - l.sla >= SLA_EVERY_MS) {
    l.sla = t;
    await checkSlas(ctx, now);
  }
  if (t - l.cluster >= CLUSTER_EVERY_MS) {
    l.cluster = t;
    await suggestIncidents(ctx, { now });
  }
}
