import { sql } from 'drizzle-orm';
import type { Author } from '../../../common/post.schema.ts';
import type { Db } from '../../platform/db/client.ts';
import { identities } from './people.schema.ts';

const key = (channel: string, externalId: string) => `${channel}\u0000${externalId}`;

/**
 * Upserts the authors of a batch (unique on channel + external id) and returns their ids by
 * `channel\0externalId`. The latest handle, display name and follower count win.
 */
export async function upsertIdentities(
  db: Db,
  authors: { channel: string; author: Author }[],
): Promise<Map<string, string>> {
  const unique = new Map<string, { channel: string; author: Author }>();
  for (const a of authors) unique.set(key(a.channel, a.author.externalId), a);
  const out = new Map<string, string>();
  const values = [...unique.values()].map(({ channel, author }) => ({
    channel,
    externalId: author.externalId,
    handle: author.handle,
    displayName: author.displayName ?? null,
    followers: author.followers ?? null,
    email: author.email?.toLowerCase() ?? null,
  }));
  for (let i = 0; i < values.length; i += 500) {
    const rows = await db
      .insert(identities)
      .values(values.slice(i, i + 500))
      .onConflictDoUpdate({
        target: [identities.channel, identities.externalId],
        set: {
          handle: sql`excluded.handle`,
          displayName: sql`coalesce(excluded.display_name, ${identities.displayName})`,
          followers: sql`coalesce(excluded.followers, ${identities.followers})`,
          email: sql`coalesce(excluded.email, ${identities.email})`,
          lastSeenAt: sql`now()`,
        },
      })
      .returning({ id: identities.id, channel: identities.channel, externalId: identities.externalId });
    for (const r of rows) out.set(key(r.channel, r.externalId), r.id);
  }
  return out;
}

export { key as identityKey };
