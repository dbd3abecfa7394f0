import type { Db } from './db/client.ts';
import { auditLog } from './db/platform.schema.ts';

export type Actor = { userId: string | null; label: string; ip?: string };
export const systemActor: Actor = { userId: null, label: 'system' };

/** Records who did what to which record. Call it inside the transaction that makes the change. */
export async function audit(
  db: Db,
  actor: Actor,
  action: string,
  target: { type: string; id?: string | null },
  data: Record<string, unknown> = {},
): Promise<void> {
  await db.insert(auditLog).values({
    actorUserId: actor.userId,
    actorLabel: actor.label,
    action,
    targetType: target.type,
    targetId: target.id ?? null,
    data,
    ip: actor.ip ?? null,
  });
}
