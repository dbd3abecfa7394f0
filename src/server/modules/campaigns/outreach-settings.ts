import { z } from 'zod';
import type { Db } from '../../platform/db/client.ts';
import { getSetting } from '../../platform/settings.ts';

export const OUTREACH_SETTING = 'outreach';

/** Guardrails of proactive outreach, per installation. */
export const outreachSettingsSchema = z.object({
  /** Unsolicited contacts one person may receive per period (across all their identities). */
  maxContactsPerPerson: z.number().int().min(0).max(100).default(1),
  periodDays: z.number().int().min(1).max(3650).default(30),
  /** How far back the Discover queue looks. */
  discoverDays: z.number().int().min(1).max(365).default(14),
  /** Intents (prefixes) that look like a customer with a problem. */
  problemIntents: z
    .array(z.string().min(1).max(64))
    .max(50)
    .default([
      'outage',
      'service_down',
      'billing',
      'technical',
      'installation',
      'appointment',
      'cancellation',
      'churn',
      'complaint',
      'delivery',
    ]),
});
export type OutreachSettings = z.infer<typeof outreachSettingsSchema>;

export function getOutreachSettings(db: Db): Promise<OutreachSettings> {
  return getSetting(db, OUTREACH_SETTING, outreachSettingsSchema);
}
