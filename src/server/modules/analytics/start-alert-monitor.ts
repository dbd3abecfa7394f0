import type { AppContext } from '../../context.ts';
import { retryAlertDeliveries } from './deliver-alert.ts';
import { detectSlaRisk } from './detect-sla-risk.ts';
import { detectSpikes } from './detect-spikes.ts';

const inFlight = new WeakMap<AppContext, Promise<unknown>>();

/**
 * One pass of every periodic alert check; returns the ids of alerts raised. Passes in one process
 * never overlap (the spike detector's cursor and baselines are read, then written).
 */
export async function runAlertChecks(ctx: AppContext, now = new Date()): Promise<string[]> {
  const before = inFlight.get(ctx) ?? Promise.resolve();
  const run = before
    .catch(() => {})
    .then(async () => {
      const raised = [...(await detectSpikes(ctx, now)), ...(await detectSlaRisk(ctx, now))];
      await retryAlertDeliveries(ctx);
      return raised;
    });
  inFlight.set(ctx, run);
  return run;
}

/** Runs the alert checks every `intervalMs` on the scheduler; returns a stop function. */
export function startAlertMonitor(ctx: AppContext, intervalMs = 60_000): () => Promise<void> {
  let stopped = false;
  let running: Promise<unknown> = Promise.resolve();
  const tick = async () => {
    if (stopped) return;
    running = runAlertChecks(ctx).catch((err) => ctx.log.error({ err }, 'alert checks failed'));
    await running;
    if (!stopped) timer = setTimeout(tick, intervalMs);
  };
  let timer = setTimeout(tick, Math.min(intervalMs, 5_000));
  return async () => {
    stopped = true;
    clearTimeout(timer);
    await running;
  };
}
