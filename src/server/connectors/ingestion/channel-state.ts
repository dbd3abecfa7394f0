import { and, eq, sql } from 'drizzle-orm';
import { channels } from '../../modules/channels/channels.schema.ts';
import type { Db } from '../../platform/db/client.ts';
import { queryRows } from '../../platform/db/client.ts';
import type { Cursor } from './reader.ts';

/** Health facts the ingestion layer keeps beyond the base `ChannelHealth` (all optional). */
export type HealthPatch = Record<string, unknown>;

/** Merges `patch` into the channel's health (jsonb `||`), leaving other fields as they are. */
export async function patchHealth(db: Db, channelId: string, patch: HealthPatch): Promise<void> {
  await db
    .update(channels)
    .set({ health: sql`${channels.health} || ${JSON.stringify(patch)}::jsonb` })
    .where(eq(channels.id, channelId));
}

export type CommitCounts = { stored: number; duplicates: number; dropped: number; invalid: number };

/**
 * Stores the cursor and, with `counts`, records success, in one statement and only while `owner`
 * holds the lease (fencing: a reader that lost its lease to another process cannot move the
 * cursor). Returns false when the lease was lost.
 */
export async function saveCursor(
  db: Db,
  channelId: string,
  owner: string,
  cursor: Cursor,
  success: { counts: CommitCounts; status: string } | null,
): Promise<boolean> {
  const now = new Date().toISOString();
  const health = success
    ? sql`health || jsonb_build_object(
            'status', ${success.status}::text,
            'lastSuccessAt', ${now}::text,
            'consecutiveFailures', 0,
            'received', coalesce((health->>'received')::bigint, 0) + ${success.counts.stored}::bigint,
            'duplicates', coalesce((health->>'duplicates')::bigint, 0) + ${success.counts.duplicates}::bigint,
            'dropped', coalesce((health->>'dropped')::bigint, 0) + ${success.counts.dropped}::bigint,
            'invalid', coalesce((health->>'invalid')::bigint, 0) + ${success.counts.invalid}::bigint)`
    : sql`health`;
  const rows = await queryRows<{ id: string }>(
    db,
    sql`UPDATE channels SET cursor = ${JSON.stringify(cursor)}::jsonb, health = ${health}
        WHERE id = ${channelId} AND health->>'leaseOwner' = ${owner}
        RETURNING id`,
  );
  return rows.length > 0;
}

/** Counts received posts on a channel without a cursor (pushed to us: webhooks, the SMTP listener). */
export async function recordReceived(db: Db, channelId: string, counts: CommitCounts): Promise<void> {
  const now = new Date().toISOString();
  await queryRows(
    db,
    sql`UPDATE channels SET health = health || jsonb_build_object(
            'status', 'ok',
            'lastSuccessAt', ${now}::text,
            'consecutiveFailures', 0,
            'received', coalesce((health->>'received')::bigint, 0) + ${counts.stored}::bigint,
            'duplicates', coalesce((health->>'duplicates')::bigint, 0) + ${counts.duplicates}::bigint,
            'dropped', coalesce((health->>'dropped')::bigint, 0) + ${counts.dropped}::bigint,
            'invalid', coalesce((health->>'invalid')::bigint, 0) + ${counts.invalid}::bigint)
        WHERE id = ${channelId} RETURNING id`,
  );
}

/**
 * One reader per channel across every worker process: a lease in the channel's health
 * (`leaseOwner`, `leaseUntil`), taken when free, expired or already ours.
 */
export async function acquireLease(
  db: Db,
  channelId: string,
  owner: string,
  ttlMs: number,
): Promise<boolean> {
  const until = new Date(Date.now() + ttlMs).toISOString();
  const rows = await queryRows<{ id: string }>(
    db,
    sql`UPDATE channels SET health = health || jsonb_build_object('leaseOwner', ${owner}::text, 'leaseUntil', ${until}::text)
        WHERE id = ${channelId}
          AND (health->>'leaseOwner' IS NULL OR health->>'leaseOwner' = ${owner}
               OR (health->>'leaseUntil')::timestamptz < now())
        RETURNING id`,
  );
  return rows.length > 0;
}

export async function releaseLease(db: Db, channelId: string, owner: string): Promise<void> {
  await db
    .update(channels)
    .set({ health: sql`${channels.health} - 'leaseOwner' - 'leaseUntil'` })
    .where(and(eq(channels.id, channelId), sql`${channels.health}->>'leaseOwner' = ${owner}`));
}
