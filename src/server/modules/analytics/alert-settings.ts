import { z } from 'zod';
import type { Actor } from '../../platform/audit.ts';
import type { Db } from '../../platform/db/client.ts';
import { getSetting, putSetting } from '../../platform/settings.ts';

export const ALERT_SETTING = 'alerts';
const MASK = '********';

/** Where alerts go and how sensitive the detectors are. Secrets (SMTP password, webhook secrets) are write-only. */
export const alertSettingsSchema = z.object({
  email: z
    .object({
      enabled: z.boolean().default(false),
      recipients: z.array(z.email()).max(50).default([]),
      from: z.string().min(3).default('Earshot <alerts@earshot.invalid>'),
      smtp: z
        .object({
          host: z.string().min(1).default('127.0.0.1'),
          port: z.number().int().min(1).max(65535).default(25),
          secure: z.boolean().default(false),
          /** Send without STARTTLS even when the server offers it (local relays). */
          ignoreTLS: z.boolean().default(false),
          user: z.string().optional(),
          pass: z.string().optional(),
        })
        .prefault({}),
    })
    .prefault({}),
  webhooks: z
    .array(z.object({ url: z.url({ protocol: /^https?$/ }), secret: z.string().min(8).max(500) }))
    .max(20)
    .default([]),
  spike: z
    .object({
      /** Hours with fewer posts than this never alert. */
      minCount: z.number().int().min(1).default(10),
      /** Standard deviations above the seasonal baseline. */
      zThreshold: z.number().min(1).default(4),
      /** And at least this many times the baseline. */
      minRatio: z.number().min(1).default(2),
      /** Weeks of history an hour-of-week slot needs before it is the baseline (before: the recent hourly level). */
      warmupWeeks: z.number().int().min(1).max(52).default(2),
      /** Also watch all mentions together (reported only when no topic explains the spike). */
      overall: z.boolean().default(true),
    })
    .prefault({}),
  negative: z
    .object({
      minCount: z.number().int().min(1).default(10),
      /** Rise of the negative share over its baseline (0.2 = 20 points). */
      minShareIncrease: z.number().min(0).max(1).default(0.2),
      zThreshold: z.number().min(1).default(3),
    })
    .prefault({}),
  viral: z
    .object({
      /** Reshares + replies per hour. */
      minVelocityPerHour: z.number().min(1).default(100),
      minEngagement: z.number().int().min(1).default(50),
    })
    .prefault({}),
  sla: z
    .object({ enabled: z.boolean().default(true), warnBeforeMinutes: z.number().int().min(1).default(15) })
    .prefault({}),
});
export type AlertSettings = z.infer<typeof alertSettingsSchema>;

export function getAlertSettings(db: Db): Promise<AlertSettings> {
  return getSetting(db, ALERT_SETTING, alertSettingsSchema);
}

/** The settings as shown to a manager: secrets replaced by a mask. */
export function maskAlertSettings(s: AlertSettings) {
  return {
    ...s,
    email: { ...s.email, smtp: { ...s.email.smtp, pass: s.email.smtp.pass ? MASK : undefined } },
    webhooks: s.webhooks.map((w) => ({ url: w.url, secret: MASK })),
  };
}

/** Saves new settings (audited); a masked secret keeps the stored one. */
export async function putAlertSettings(db: Db, input: AlertSettings, actor: Actor): Promise<AlertSettings> {
  const current = await getAlertSettings(db);
  const pass = input.email.smtp.pass === MASK ? current.email.smtp.pass : input.email.smtp.pass;
  const webhooks = input.webhooks.map((w) =>
    w.secret === MASK
      ? { url: w.url, secret: current.webhooks.find((c) => c.url === w.url)?.secret ?? '' }
      : w,
  );
  return putSetting(
    db,
    ALERT_SETTING,
    alertSettingsSchema,
    { ...input, email: { ...input.email, smtp: { ...input.email.smtp, pass } }, webhooks },
    actor,
  );
}
