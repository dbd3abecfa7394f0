import type { LiveEvent, LiveHub } from '../../context.ts';

export type PresenceState = 'viewing' | 'typing';
export type PresenceEntry = { user: { id: string; name: string }; state: PresenceState; since: string };

/** Presence older than this without a refresh is dropped (a closed tab that never said "left"). */
export const PRESENCE_TTL_MS = 60_000;

/**
 * Who is viewing or replying to which case, from the live hub's `presence` events (the console's
 * WebSocket and `POST /api/v1/cases/:id/presence`). Kept in memory per process: collision
 * prevention is a hint; the hard guarantee is the version check on replies.
 */
export class PresenceTracker {
  private byCase = new Map<string, Map<string, PresenceEntry & { at: number }>>();

  constructor(live: LiveHub) {
    live.on('event', (e) => this.observe(e));
  }

  observe(e: LiveEvent): void {
    if (e.type !== 'presence' || typeof e.caseId !== 'string') return;
    const user = e.user as { id: string; name: string } | undefined;
    if (!user?.id) return;
    const state = e.state as string;
    let users = this.byCase.get(e.caseId);
    if (state === 'left') {
      users?.delete(user.id);
      if (users && !users.size) this.byCase.delete(e.caseId);
      return;
    }
    if (state !== 'viewing' && state !== 'typing') return;
    if (!users) {
      users = new Map();
      this.byCase.set(e.caseId, users);
    }
    const prev = users.get(user.id);
    const now = Date.now();
    users.set(user.id, {
      user: { id: user.id, name: user.name },
      state,
      since: prev && prev.state === state ? prev.since : new Date(now).toISOString(),
      at: now,
    });
  }

  /** Who is on the case now (optionally leaving out the asking user). */
  on(caseId: string, exceptUserId?: string): PresenceEntry[] {
    const users = this.byCase.get(caseId);
    if (!users) return [];
    const cutoff = Date.now() - PRESENCE_TTL_MS;
    const out: PresenceEntry[] = [];
    for (const [id, p] of users) {
      if (p.at < cutoff) users.delete(id);
      else if (id !== exceptUserId) out.push({ user: p.user, state: p.state, since: p.since });
    }
    return out;
  }
}

const trackers = new WeakMap<LiveHub, PresenceTracker>();

/** The presence tracker of this process's live hub (created on first use). */
export function presenceOf(live: LiveHub): PresenceTracker {
  let t = trackers.get(live);
  if (!t) {
    t = new PresenceTracker(live);
    trackers.set(live, t);
  }
  return t;
}
