import { eq } from 'drizzle-orm';
import type { Db } from '../../platform/db/client.ts';
import { forbidden, notFound } from '../../platform/errors.ts';
import type { Role } from '../users/users.schema.ts';
import { cases } from './cases.schema.ts';

/**
 * Contributors (employees without an agent seat) see and work only their own items: what they
 * handed over and what is assigned to them. Everyone else with access sees every case.
 */
export async function assertCaseAccess(
  db: Db,
  me: { id: string; role: Role },
  caseId: string,
): Promise<void> {
  if (me.role !== 'contributor') return;
  const [c] = await db
    .select({ by: cases.handedOverBy, assignee: cases.assigneeId })
    .from(cases)
    .where(eq(cases.id, caseId));
  if (!c) throw notFound('Case');
  if (c.by !== me.id && c.assignee !== me.id)
    throw forbidden('Contributors see only what they handed over and what is assigned to them');
}
