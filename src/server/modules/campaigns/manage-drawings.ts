import { randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { AppContext } from '../../context.ts';
import { type Actor, audit } from '../../platform/audit.ts';
import { badRequest, conflict, notFound } from '../../platform/errors.ts';
import { parseQuery, QuerySyntaxError } from '../listening/index.ts';
import { topics } from '../listening/listening.schema.ts';
import { type DrawingRules, drawingEntrants, drawings, type FulfilmentStatus } from './campaigns.schema.ts';
import { commitmentOf, DRAWING_ALGORITHM, entrantsHashOf, winnerIndexOf } from './drawing-algorithm.ts';
import { selectEntrants } from './select-entrants.ts';

export type NewDrawing = {
  name: string;
  query?: string | undefined;
  topicId?: string | undefined;
  windowStart: Date;
  windowEnd: Date;
  prize: string;
  timezone?: string | undefined;
  rules?: DrawingRules | undefined;
};

/**
 * Creates a drawing: a secret random 32-byte seed is drawn and only its SHA-256 commitment is
 * published (the seed is revealed after the draw). The qualifying query is checked now, so a
 * typo is a 400 naming the position, not a failed draw a week later. Audited.
 */
export async function createDrawing(ctx: AppContext, input: NewDrawing, actor: Actor) {
  if (!input.query === !input.topicId)
    throw badRequest('Give either query or topicId', { fields: ['query', 'topicId'] }, 'query_or_topic');
  if (input.windowStart >= input.windowEnd)
    throw badRequest('windowStart must be before windowEnd', undefined, 'invalid_window');
  if (input.query) {
    try {
      parseQuery(input.query);
    } catch (err) {
      if (err instanceof QuerySyntaxError) {
        throw badRequest(
          `Invalid query: ${err.message}`,
          { field: 'query', position: err.position, expected: err.expected },
          'invalid_query',
        );
      }
      throw err;
    }
  }
  if (input.topicId) {
    const [t] = await ctx.db.select({ id: topics.id }).from(topics).where(eq(topics.id, input.topicId));
    if (!t) throw badRequest(`No topic ${input.topicId}`, { field: 'topicId' }, 'unknown_topic');
  }
  const seed = randomBytes(32).toString('hex');
  return ctx.db.transaction(async (tx) => {
    const [d] = await tx
      .insert(drawings)
      .values({
        name: input.name,
        query: input.query ?? null,
        topicId: input.topicId ?? null,
        windowStart: input.windowStart,
        windowEnd: input.windowEnd,
        prize: input.prize,
        timezone: input.timezone ?? 'UTC',
        rules: input.rules ?? {},
        commitment: commitmentOf(seed),
        seed,
        algorithm: DRAWING_ALGORITHM,
        createdBy: actor.userId,
      })
      .returning();
    await audit(
      tx,
      actor,
      'drawing.created',
      { type: 'drawing', id: d!.id },
      {
        name: d!.name,
        query: d!.query,
        topicId: d!.topicId,
        windowStart: d!.windowStart.toISOString(),
        windowEnd: d!.windowEnd.toISOString(),
        prize: d!.prize,
        commitment: d!.commitment,
      },
    );
    return d!;
  });
}

/**
 * Draws the winner: entrants are selected (one per person, exclusions applied), listed in their
 * canonical order, hashed, and the winner is the documented function of the committed seed and
 * that hash. The list, the hash, the winner and (from now on) the seed are stored and published.
 * Only after the window ends, unless forced (the route allows that to admins). Audited.
 */
export async function drawDrawing(
  ctx: AppContext,
  id: string,
  opts: { force: boolean },
  actor: Actor,
  now = new Date(),
) {
  const [d] = await ctx.db.select().from(drawings).where(eq(drawings.id, id));
  if (!d) throw notFound('Drawing');
  if (d.status !== 'open')
    throw conflict(`The drawing is ${d.status}`, { status: d.status }, 'already_drawn');
  if (now < d.windowEnd && !opts.force) {
    throw conflict(
      `The window is open until ${d.windowEnd.toISOString()}; draw after it ends (an admin may force it)`,
      { windowEnd: d.windowEnd },
      'window_open',
    );
  }
  const { entrants, excluded } = await selectEntrants(ctx.db, d);
  if (!entrants.length)
    throw conflict('Nobody qualified in the window; nothing to draw', { excluded }, 'no_entrants');
  const keys = entrants.map((e) => e.entrantKey);
  const entrantsHash = entrantsHashOf(keys);
  const { index, rounds } = winnerIndexOf(d.seed, entrantsHash, keys.length);
  const winner = entrants[index]!;
  await ctx.db.transaction(async (tx) => {
    const [locked] = await tx
      .select({ status: drawings.status })
      .from(drawings)
      .where(eq(drawings.id, id))
      .for('update');
    if (locked?.status !== 'open')
      throw conflict('The drawing was drawn meanwhile', undefined, 'already_drawn');
    for (let i = 0; i < entrants.length; i += 1000) {
      await tx.insert(drawingEntrants).values(
        entrants.slice(i, i + 1000).map((e, j) => ({
          drawingId: id,
          position: i + j,
          personId: e.personId,
          postId: e.postId,
          entrantKey: e.entrantKey,
          label: e.label,
        })),
      );
    }
    await tx
      .update(drawings)
      .set({
        status: 'drawn',
        entrantsHash,
        entrantCount: entrants.length,
        winnerPersonId: winner.personId,
        winnerPostId: winner.postId,
        winnerIndex: index,
        winnerEntrantKey: winner.entrantKey,
        algorithm: DRAWING_ALGORITHM,
        drawnAt: now,
      })
      .where(eq(drawings.id, id));
    await audit(
      tx,
      actor,
      'drawing.drawn',
      { type: 'drawing', id },
      {
        entrants: entrants.length,
        excluded,
        entrantsHash,
        winnerIndex: index,
        winnerEntrantKey: winner.entrantKey,
        rounds,
        forced: now < d.windowEnd,
        seed: d.seed,
      },
    );
  });
  return { excluded };
}

export const fulfilmentStatuses = ['pending', 'notified', 'sent', 'claimed', 'forfeited'] as const;

/** Tracks prize fulfilment (audited). */
export async function updateFulfilment(
  ctx: AppContext,
  id: string,
  status: FulfilmentStatus,
  note: string,
  actor: Actor,
) {
  return ctx.db.transaction(async (tx) => {
    const [d] = await tx.select().from(drawings).where(eq(drawings.id, id)).for('update');
    if (!d) throw notFound('Drawing');
    if (d.status !== 'drawn') throw conflict('Draw the winner first', undefined, 'not_drawn');
    await tx
      .update(drawings)
      .set({ fulfilmentStatus: status, fulfilmentNote: note })
      .where(eq(drawings.id, id));
    await audit(
      tx,
      actor,
      'drawing.fulfilment_updated',
      { type: 'drawing', id },
      { from: d.fulfilmentStatus, to: status, note },
    );
    return { status, note };
  });
}
