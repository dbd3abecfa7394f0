import { eq } from 'drizzle-orm';
import type { Db } from '../../platform/db/client.ts';
import { addBusinessMinutes } from '../routing/business-hours.ts';
import { teams } from '../users/users.schema.ts';

const DEFAULT_SLA = {
  firstResponseMinutes: 60,
  nextResponseMinutes: 120,
  resolutionMinutes: 1440,
  warnBeforeMinutes: 15,
};
const ROUND_THE_CLOCK = { timezone: 'UTC', hours: {}, holidays: [] };

/** The team's SLA targets and calendar (defaults when the case has no team). */
export async function slaOf(db: Db, teamId: string | null) {
  if (!teamId) return { sla: DEFAULT_SLA, calendar: ROUND_THE_CLOCK };
  const [t] = await db
    .select({ sla: teams.sla, calendar: teams.calendar })
    .from(teams)
    .where(eq(teams.id, teamId));
  return { sla: t?.sla ?? DEFAULT_SLA, calendar: t?.calendar ?? ROUND_THE_CLOCK };
}

/** Due times in business hours from the moment the customer wrote. */
export async function dueTimes(db: Db, teamId: string | null, from: Date) {
  const { sla, calendar } = await slaOf(db, teamId);
  return {
    firstResponseDueAt: addBusinessMinutes(from, sla.firstResponseMinutes, calendar),
    nextResponseDueAt: addBusinessMinutes(from, sla.nextResponseMinutes, calendar),
    resolutionDueAt: addBusinessMinutes(from, sla.resolutionMinutes, calendar),
  };
}
