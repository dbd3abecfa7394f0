import { and, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { AppContext } from '../../context.ts';
import { type Actor, audit } from '../../platform/audit.ts';
import { badRequest, conflict, notFound } from '../../platform/errors.ts';
import { cases } from '../cases/cases.schema.ts';
import { accountLinks, identities, identityLinks, people } from './people.schema.ts';

/**
 * Merges a person into another (the same customer seen as two people): identities, account links
 * and cases move to the target with the agent's reason as evidence; the source keeps
 * `merged_into_id`. Reversible per identity with `detachIdentity`. Audited.
 */
export async function mergePeople(
  ctx: AppContext,
  targetId: string,
  sourceId: string,
  reason: string,
  actor: Actor,
) {
  if (targetId === sourceId)
    throw badRequest('A person cannot be merged into themselves', undefined, 'same_person');
  await ctx.db.transaction(async (tx) => {
    const rows = await tx
      .select()
      .from(people)
      .where(inArray(people.id, [targetId, sourceId]))
      .orderBy(people.id)
      .for('update');
    const target = rows.find((p) => p.id === targetId);
    const source = rows.find((p) => p.id === sourceId);
    if (!target) throw notFound('Person');
    if (!source) throw badRequest(`No person ${sourceId}`, undefined, 'unknown_person');
    if (target.mergedIntoId || source.mergedIntoId)
      throw conflict('One of them was already merged into someone else', undefined, 'already_merged');
    const idents = await tx.select().from(identities).where(eq(identities.personId, sourceId));
    if (idents.length) {
      const ids = idents.map((i) => i.id);
      await tx
        .update(identityLinks)
        .set({ removedAt: new Date(), removedBy: actor.userId })
        .where(and(inArray(identityLinks.identityId, ids), isNull(identityLinks.removedAt)));
      await tx.update(identities).set({ personId: targetId }).where(inArray(identities.id, ids));
      await tx.insert(identityLinks).values(
        idents.map((i) => ({
          identityId: i.id,
          personId: targetId,
          method: 'agent' as const,
          evidence: `${i.channel}:${i.handle} — merged by ${actor.label}: ${reason}`,
          createdBy: actor.userId,
        })),
      );
    }
    // Account links move, unless the target already has the same account.
    const targetAccounts = await tx
      .select({ accountId: accountLinks.accountId })
      .from(accountLinks)
      .where(and(eq(accountLinks.personId, targetId), isNull(accountLinks.removedAt)));
    const have = new Set(targetAccounts.map((a) => a.accountId));
    const sourceLinks = await tx
      .select()
      .from(accountLinks)
      .where(and(eq(accountLinks.personId, sourceId), isNull(accountLinks.removedAt)));
    for (const l of sourceLinks) {
      if (have.has(l.accountId)) {
        await tx
          .update(accountLinks)
          .set({
            removedAt: new Date(),
            removedBy: actor.userId,
            removedReason: `duplicate after merging into person ${targetId}`,
          })
          .where(eq(accountLinks.id, l.id));
      } else {
        await tx.update(accountLinks).set({ personId: targetId }).where(eq(accountLinks.id, l.id));
      }
    }
    await tx.update(cases).set({ personId: targetId }).where(eq(cases.personId, sourceId));
    await tx
      .update(people)
      .set({ mergedIntoId: targetId, primaryEmail: null })
      .where(eq(people.id, sourceId));
    if (!target.primaryEmail && source.primaryEmail)
      await tx.update(people).set({ primaryEmail: source.primaryEmail }).where(eq(people.id, targetId));
    await audit(
      tx,
      actor,
      'person.merged',
      { type: 'person', id: targetId },
      {
        from: sourceId,
        reason,
        identities: idents.map((i) => `${i.channel}:${i.handle}`),
        accountLinksMoved: sourceLinks.length,
      },
    );
  });
  await ctx.bus.publish('person.merged', {
    personId: targetId,
    action: 'merged',
    from: sourceId,
    actor: actor.label,
    at: new Date().toISOString(),
  });
}

/**
 * Unmerge: takes one identity out of a person into a new person of its own (a wrong merge or a
 * wrong automatic join). Cases whose messages all came from that identity go with it. Audited.
 */
export async function detachIdentity(
  ctx: AppContext,
  personId: string,
  identityId: string,
  reason: string,
  actor: Actor,
) {
  const newPersonId = await ctx.db.transaction(async (tx) => {
    const [ident] = await tx.select().from(identities).where(eq(identities.id, identityId)).for('update');
    if (!ident || ident.personId !== personId) throw notFound('Identity of this person');
    const [{ n } = { n: 0 }] = await tx
      .select({ n: sql<number>`count(*)::int` })
      .from(identities)
      .where(eq(identities.personId, personId));
    if (Number(n) < 2)
      throw badRequest(
        'This is the person’s only identity; there is nothing to separate',
        undefined,
        'only_identity',
      );
    const [p] = await tx
      .insert(people)
      .values({ displayName: ident.displayName ?? ident.handle, primaryEmail: ident.email })
      .returning({ id: people.id });
    await tx
      .update(identityLinks)
      .set({ removedAt: new Date(), removedBy: actor.userId })
      .where(and(eq(identityLinks.identityId, identityId), isNull(identityLinks.removedAt)));
    await tx.update(identities).set({ personId: p!.id }).where(eq(identities.id, identityId));
    await tx.insert(identityLinks).values({
      identityId,
      personId: p!.id,
      method: 'agent',
      evidence: `${ident.channel}:${ident.handle} — separated by ${actor.label}: ${reason}`,
      createdBy: actor.userId,
    });
    await tx.execute(sql`
      UPDATE cases SET person_id = ${p!.id}::uuid
      WHERE person_id = ${personId}::uuid
        AND EXISTS (SELECT 1 FROM posts WHERE posts.case_id = cases.id AND posts.identity_id = ${identityId}::uuid)
        AND NOT EXISTS (SELECT 1 FROM posts WHERE posts.case_id = cases.id AND posts.direction = 'inbound' AND posts.identity_id <> ${identityId}::uuid)`);
    await audit(
      tx,
      actor,
      'person.identity_detached',
      { type: 'person', id: personId },
      { identityId, newPersonId: p!.id, reason },
    );
    return p!.id;
  });
  await ctx.bus.publish('person.identity_detached', {
    personId,
    action: 'identity_detached',
    identityId,
    newPersonId,
    actor: actor.label,
    at: new Date().toISOString(),
  });
  return newPersonId;
}
