import { eq } from 'drizzle-orm';
import type { Db } from '../../platform/db/client.ts';
import { cases } from './cases.schema.ts';
import { computePriority, getPriorityPolicy } from './priority-policy.ts';

/** Re-derives the case's queue position and its reasons from its current state. */
export async function recomputePriority(db: Db, caseId: string): Promise<void> {
  const [c] = await db.select().from(cases).where(eq(cases.id, caseId));
  if (!c) return;
  const p = computePriority(c, await getPriorityPolicy(db));
  await db
    .update(cases)
    .set({ priorityRank: p.priorityRank, dueAt: p.dueAt, priorityReasons: p.priorityReasons })
    .where(eq(cases.id, caseId));
}
