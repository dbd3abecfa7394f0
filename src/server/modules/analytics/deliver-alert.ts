import { and, asc, eq, gt, isNotNull, lt, or } from 'drizzle-orm';
import nodemailer from 'nodemailer';
import type { AppContext } from '../../context.ts';
import { signWebhook } from '../responses/deliver-webhooks.ts';
import { type AlertSettings, getAlertSettings } from './alert-settings.ts';
import { alerts } from './analytics.schema.ts';

type Alert = typeof alerts.$inferSelect;

/** Links to the console for the alert and the posts behind it. */
export function alertLinks(ctx: AppContext, a: Alert) {
  const base = (ctx.config.PUBLIC_URL ?? `http://${ctx.config.HOST}:${ctx.config.PORT}`).replace(/\/$/, '');
  return {
    alert: `${base}/alerts/${a.id}`,
    posts: a.postIds.map((id) => ({
      postId: id,
      url: `${base}/posts/${id}`,
      api: `${base}/api/v1/posts/${id}`,
    })),
  };
}

/** The JSON an alert is delivered as (webhook body, live event). */
export function presentAlert(ctx: AppContext, a: Alert) {
  return {
    id: a.id,
    kind: a.kind,
    severity: a.severity,
    title: a.title,
    topicId: a.topicId,
    data: a.data,
    postIds: a.postIds,
    links: alertLinks(ctx, a),
    createdAt: a.createdAt,
    acknowledgedAt: a.acknowledgedAt,
    deliveredVia: a.deliveredVia,
  };
}

// Alerts are signed like every outgoing webhook (see the responses module): `X-Earshot-Signature:
// sha256=<hex HMAC-SHA256 of "<timestamp>.<body>">`, with `X-Earshot-Timestamp`.
export { signWebhook };

async function sendEmail(ctx: AppContext, s: AlertSettings, a: Alert) {
  const smtp = s.email.smtp;
  const transport = nodemailer.createTransport({
    host: smtp.host,
    port: smtp.port,
    secure: smtp.secure,
    ignoreTLS: smtp.ignoreTLS,
    auth: smtp.user ? { user: smtp.user, pass: smtp.pass ?? '' } : undefined,
  });
  const links = alertLinks(ctx, a);
  const text = [
    a.title,
    '',
    ...Object.entries(a.data).map(
      ([k, v]) => `${k}: ${typeof v === 'object' ? JSON.stringify(v) : String(v)}`,
    ),
    '',
    `Alert: ${links.alert}`,
    ...links.posts.map((p) => `Post: ${p.url}`),
  ].join('\n');
  try {
    await transport.sendMail({
      from: s.email.from,
      to: s.email.recipients,
      subject: `[Earshot ${a.severity}] ${a.title}`,
      text,
    });
  } finally {
    transport.close();
  }
}

async function sendWebhook(ctx: AppContext, hook: { url: string; secret: string }, a: Alert) {
  const body = JSON.stringify({ event: 'alert', alert: presentAlert(ctx, a) });
  const timestamp = String(Math.floor(Date.now() / 1000));
  const res = await fetch(hook.url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-earshot-event': 'alert',
      'x-earshot-timestamp': timestamp,
      'x-earshot-signature': signWebhook(hook.secret, timestamp, body),
    },
    body,
    signal: AbortSignal.timeout(10_000),
  });
  if (!res.ok) throw new Error(`${hook.url} answered ${res.status}`);
}

/**
 * Delivers an alert by e-mail and to every signed webhook it has not reached yet; what succeeded
 * is recorded in `delivered_via`, a failure in `delivery_error` (retried by the alert monitor).
 */
export async function deliverAlert(ctx: AppContext, alertId: string): Promise<void> {
  const [a] = await ctx.db.select().from(alerts).where(eq(alerts.id, alertId));
  if (!a) return;
  const s = await getAlertSettings(ctx.db);
  const done = new Set(a.deliveredVia);
  const errors: string[] = [];
  if (s.email.enabled && s.email.recipients.length && !done.has('email')) {
    try {
      await sendEmail(ctx, s, a);
      done.add('email');
    } catch (err) {
      errors.push(`email: ${(err as Error).message}`);
    }
  }
  for (const hook of s.webhooks) {
    const key = `webhook:${hook.url}`;
    if (done.has(key)) continue;
    try {
      await sendWebhook(ctx, hook, a);
      done.add(key);
    } catch (err) {
      errors.push(`${key}: ${(err as Error).message}`);
    }
  }
  await ctx.db
    .update(alerts)
    .set({
      deliveredVia: [...done],
      deliveryAttempts: a.deliveryAttempts + 1,
      deliveryError: errors.length ? errors.join('; ').slice(0, 2000) : null,
    })
    .where(eq(alerts.id, alertId));
  if (errors.length) ctx.log.warn({ alertId, errors }, 'alert delivery failed');
}

/**
 * Delivers alerts other modules stored without delivering (e.g. PR risk), and retries failed
 * deliveries (at most 5 attempts each).
 */
export async function retryAlertDeliveries(ctx: AppContext): Promise<void> {
  const due = await ctx.db
    .select({ id: alerts.id })
    .from(alerts)
    .where(
      or(
        and(isNotNull(alerts.deliveryError), lt(alerts.deliveryAttempts, 5)),
        and(eq(alerts.deliveryAttempts, 0), gt(alerts.createdAt, new Date(Date.now() - 86_400_000))),
      ),
    )
    .orderBy(asc(alerts.createdAt))
    .limit(20);
  for (const a of due) await deliverAlert(ctx, a.id);
}
