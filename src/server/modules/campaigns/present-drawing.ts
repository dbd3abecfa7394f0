import { asc, eq } from 'drizzle-orm';
import type { Db } from '../../platform/db/client.ts';
import { posts } from '../conversations/conversations.schema.ts';
import { drawingEntrants, type drawings } from './campaigns.schema.ts';
import { type Verification, verifyDraw } from './drawing-algorithm.ts';

type DrawingRow = typeof drawings.$inferSelect;

/**
 * A drawing as published: the commitment from the start; after the draw the seed, the entrant
 * count and hash, the winner, and what anyone needs to recompute it. The seed is never shown
 * before the draw.
 */
export async function presentDrawing(db: Db, d: DrawingRow) {
  const drawn = d.status === 'drawn';
  const [winner] =
    drawn && d.winnerIndex !== null
      ? await db
          .select({
            e: drawingEntrants,
            url: posts.url,
            externalId: posts.externalId,
            channel: posts.channel,
          })
          .from(drawingEntrants)
          .leftJoin(posts, eq(posts.id, drawingEntrants.postId))
          .where(eq(drawingEntrants.drawingId, d.id))
          .orderBy(asc(drawingEntrants.position))
          .offset(d.winnerIndex)
          .limit(1)
      : [];
  return {
    id: d.id,
    name: d.name,
    status: d.status,
    query: d.query,
    topicId: d.topicId,
    windowStart: d.windowStart,
    windowEnd: d.windowEnd,
    timezone: d.timezone,
    prize: d.prize,
    rules: d.rules,
    entrants: d.entrantCount ?? 0,
    commitment: d.commitment,
    seed: drawn ? d.seed : null,
    winner: winner
      ? {
          position: winner.e.position,
          entrantKey: winner.e.entrantKey,
          personId: winner.e.personId,
          label: winner.e.label,
          post: {
            id: winner.e.postId,
            channel: winner.channel,
            externalId: winner.externalId,
            url: winner.url,
          },
        }
      : null,
    verification: {
      algorithm: d.algorithm,
      commitment: d.commitment,
      entrantsHash: d.entrantsHash,
      entrantCount: d.entrantCount,
      winnerIndex: d.winnerIndex,
      seed: drawn ? d.seed : null,
      entrantsUrl: `/api/v1/drawings/${d.id}/entrants`,
      recipe: 'docs/drawing.md',
    },
    fulfilment: {
      status: d.fulfilmentStatus,
      note: d.fulfilmentNote,
      notifiedAt: d.notifiedAt,
      caseId: d.notifyCaseId,
    },
    createdAt: d.createdAt,
    drawnAt: d.drawnAt,
  };
}

export async function listEntrants(db: Db, drawingId: string) {
  return db
    .select({
      position: drawingEntrants.position,
      entrantKey: drawingEntrants.entrantKey,
      label: drawingEntrants.label,
    })
    .from(drawingEntrants)
    .where(eq(drawingEntrants.drawingId, drawingId))
    .orderBy(asc(drawingEntrants.position));
}

/** Recomputes a drawn drawing from its stored, published data. */
export async function verifyStoredDrawing(db: Db, d: DrawingRow): Promise<Verification> {
  if (d.status !== 'drawn' || d.entrantsHash === null || d.winnerIndex === null || !d.winnerEntrantKey) {
    return {
      ok: false,
      checks: [{ name: 'drawn', ok: false, detail: 'the drawing has not been drawn yet' }],
    };
  }
  const entrants = await listEntrants(db, d.id);
  return verifyDraw({
    commitment: d.commitment,
    seed: d.seed,
    entrants: entrants.map((e) => e.entrantKey),
    entrantsHash: d.entrantsHash,
    winnerIndex: d.winnerIndex,
    winnerKey: d.winnerEntrantKey,
  });
}
