import { desc, eq } from 'drizzle-orm';
import { type Actor, audit } from '../../platform/audit.ts';
import type { Db } from '../../platform/db/client.ts';
import { badRequest, notFound } from '../../platform/errors.ts';
import { people } from '../people/people.schema.ts';
import { doNotContact } from './campaigns.schema.ts';

export type DoNotContactInput = {
  personId?: string | undefined;
  channel?: string | undefined;
  handle?: string | undefined;
  reason: string;
};

const normHandle = (h: string) => h.trim().replace(/^@/, '');

export function listDoNotContact(db: Db) {
  return db.select().from(doNotContact).orderBy(desc(doNotContact.createdAt)).limit(5000);
}

/** Puts a person (all their identities) or a handle (on one channel, or any) on the list; audited. */
export async function addDoNotContact(db: Db, input: DoNotContactInput, actor: Actor) {
  if (!input.personId && !input.handle)
    throw badRequest('Give personId or handle', undefined, 'nothing_to_block');
  return db.transaction(async (tx) => {
    if (input.personId) {
      const [p] = await tx.select({ id: people.id }).from(people).where(eq(people.id, input.personId));
      if (!p) throw badRequest(`No person ${input.personId}`, { field: 'personId' }, 'unknown_person');
    }
    const [row] = await tx
      .insert(doNotContact)
      .values({
        personId: input.personId ?? null,
        channel: input.channel ?? null,
        handle: input.handle ? normHandle(input.handle) : null,
        reason: input.reason,
        createdBy: actor.userId,
      })
      .returning();
    await audit(tx, actor, 'do_not_contact.added', { type: 'do_not_contact', id: row!.id }, { ...input });
    return row!;
  });
}

export async function removeDoNotContact(db: Db, id: string, actor: Actor) {
  return db.transaction(async (tx) => {
    const [row] = await tx.delete(doNotContact).where(eq(doNotContact.id, id)).returning();
    if (!row) throw notFound('Do-not-contact entry');
    await audit(
      tx,
      actor,
      'do_not_contact.removed',
      { type: 'do_not_contact', id },
      { personId: row.personId, channel: row.channel, handle: row.handle, reason: row.reason },
    );
    return row;
  });
}
