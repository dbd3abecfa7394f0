import { and, asc, eq, gt, inArray } from 'drizzle-orm';
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

/**
 * Re-derives every open case's position after the priority policy changed, in id order batches
 * so it works on a million cases without holding them all.
 */
export async function recomputeOpenPriorities(db: Db, batch = 1000): Promise<number> {
  const policy = await getPriorityPolicy(db);
  let after = '00000000-0000-0000-0000-000000000000';
  let n = 0;
  for (;;) {
    const rows = await db
      .select()
      .from(cases)
      .where(and(inArray(cases.status, ['new', 'open', 'pending']), gt(cases.id, after)))
      .orderBy(asc(cases.id))
      .limit(batch);
    if (!rows.length) return n;
    for (const c of rows) {
      const p = computePriority(c, policy);
      if (
        p.priorityRank !== c.priorityRank ||
        p.dueAt?.getTime() !== c.dueAt?.getTime() ||
        JSON.stringify(p.priorityReasons) !== JSON.stringify(c.priorityReasons)
      ) {
        await db.update(cases).set(p).where(eq(cases.id, c.id));
        n++;
      }
    }
    after = rows[rows.length - 1]!.id;
  }
}
