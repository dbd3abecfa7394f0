import { type SQL, sql } from 'drizzle-orm';
import type { Db } from '../../platform/db/client.ts';
import { queryRows } from '../../platform/db/client.ts';
import type { OutreachSettings } from './outreach-settings.ts';

export type Blocked = { reason: 'do_not_contact' | 'opted_out' | 'contact_limit'; message: string };

/**
 * SQL that is true when the identity `i` (joined as `i`, with the post's channel `channel`) may
 * be contacted unsolicited: not on the do-not-contact list (by person or by handle), not opted
 * out, and under the per-person limit of outreach contacts in the period.
 */
export function contactableSql(s: OutreachSettings, now: Date, channel: SQL): SQL {
  const since = new Date(now.getTime() - s.periodDays * 86_400_000);
  return sql`(
    NOT EXISTS (SELECT 1 FROM people pe WHERE pe.id = i.person_id AND (pe.do_not_contact OR pe.opted_out_at IS NOT NULL))
    AND NOT EXISTS (
      SELECT 1 FROM do_not_contact n
      WHERE (n.person_id IS NOT NULL AND n.person_id = i.person_id)
         OR (n.handle IS NOT NULL AND lower(n.handle) = lower(i.handle) AND (n.channel IS NULL OR n.channel = ${channel}))
    )
    AND (i.person_id IS NULL OR (
      SELECT count(*) FROM outreach_contacts oc WHERE oc.person_id = i.person_id AND oc.created_at >= ${since}
    ) < ${s.maxContactsPerPerson})
  )`;
}

/** Why an identity may not be contacted unsolicited now, or null when it may. */
export async function whyNotContactable(
  db: Db,
  identityId: string,
  channel: string,
  s: OutreachSettings,
  now = new Date(),
): Promise<Blocked | null> {
  const since = new Date(now.getTime() - s.periodDays * 86_400_000);
  const [r] = await queryRows<{ dnc: boolean; opted_out: boolean; contacts: string | number }>(
    db,
    sql`SELECT
          (coalesce(pe.do_not_contact, false) OR EXISTS (
            SELECT 1 FROM do_not_contact n
            WHERE (n.person_id IS NOT NULL AND n.person_id = i.person_id)
               OR (n.handle IS NOT NULL AND lower(n.handle) = lower(i.handle) AND (n.channel IS NULL OR n.channel = ${channel}))
          )) AS dnc,
          (pe.opted_out_at IS NOT NULL) AS opted_out,
          (SELECT count(*) FROM outreach_contacts oc WHERE i.person_id IS NOT NULL AND oc.person_id = i.person_id AND oc.created_at >= ${since}) AS contacts
        FROM identities i LEFT JOIN people pe ON pe.id = i.person_id
        WHERE i.id = ${identityId}`,
  );
  if (!r) return null;
  if (r.dnc) return { reason: 'do_not_contact', message: 'This person is on the do-not-contact list' };
  if (r.opted_out)
    return { reason: 'opted_out', message: 'This person asked not to be contacted (opted out)' };
  if (Number(r.contacts) >= s.maxContactsPerPerson) {
    return {
      reason: 'contact_limit',
      message: `This person was already contacted unsolicited ${r.contacts} time(s) in the last ${s.periodDays} days (limit ${s.maxContactsPerPerson})`,
    };
  }
  return null;
}
