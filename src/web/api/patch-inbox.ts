import type { CaseFilters } from './queries.ts';
import type { CaseDetail, CasePage, CaseSummary } from './types.ts';

const OPEN = ['new', 'open', 'pending'];

/** The inbox order: service recovery first, then the next due time (none last), then arrival, then id. */
export function compareQueue(a: CaseSummary, b: CaseSummary): number {
  if (a.priority.rank !== b.priority.rank) return a.priority.rank - b.priority.rank;
  const da = a.priority.dueAt ? Date.parse(a.priority.dueAt) : Number.POSITIVE_INFINITY;
  const db = b.priority.dueAt ? Date.parse(b.priority.dueAt) : Number.POSITIVE_INFINITY;
  if (da !== db) return da < db ? -1 : 1;
  const ca = Date.parse(a.createdAt);
  const cb = Date.parse(b.createdAt);
  if (ca !== cb) return ca < cb ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/**
 * Whether a case belongs in a filtered inbox, when that can be decided here; null when it cannot
 * (full-text search, a queue named rather than identified): then the server must be asked.
 */
export function matchesFilters(c: CaseSummary, f: CaseFilters, meId: string): boolean | null {
  if (f.q || (f.queue && !/^[0-9a-f-]{36}$/i.test(f.queue))) return null;
  const statuses = f.status ? f.status.split(',') : OPEN;
  if (!statuses.includes(c.status)) return false;
  if (f.assignee === 'me' && c.assignee?.id !== meId) return false;
  if (f.assignee === 'none' && c.assignee) return false;
  if (f.assignee && f.assignee !== 'me' && f.assignee !== 'none' && c.assignee?.id !== f.assignee)
    return false;
  if (f.channel && c.channel !== f.channel) return false;
  if (f.intent && c.intent !== f.intent) return false;
  if (f.sentiment && c.sentiment !== f.sentiment) return false;
  if (f.topic && !c.topicIds.includes(f.topic)) return false;
  if (f.queue && c.queue?.id !== f.queue) return false;
  return true;
}

/** The inbox row of a case, from the case view's answer (which names the author in its timeline). */
export function summaryOf(d: CaseDetail): CaseSummary {
  const { timeline, person, history, version, presence, ...summary } = d;
  const lastIn = [...timeline].reverse().find((e) => e.kind === 'inbound' && e.post?.author.handle);
  const handle = lastIn?.post?.author.handle ?? null;
  return {
    ...summary,
    author: handle
      ? { handle, name: lastIn?.post?.author.displayName ?? person?.displayName ?? null }
      : summary.author,
  };
}

/**
 * The loaded inbox pages with one case updated in place: removed when it no longer belongs,
 * moved to its place in the order when it does, added when it is new and falls within what is
 * loaded (or everything is loaded). Returns null when the filters need the server to decide.
 */
export function upsertIntoPages(
  pages: CasePage[],
  c: CaseSummary,
  filters: CaseFilters,
  meId: string,
): CasePage[] | null {
  const belongs = matchesFilters(c, filters, meId);
  if (belongs === null) return null;
  const all = pages.flatMap((p) => p.items).filter((x) => x.id !== c.id);
  const last = all[all.length - 1];
  const complete = !pages[pages.length - 1]?.nextCursor;
  if (belongs && (complete || (last && compareQueue(c, last) < 0))) {
    let at = all.findIndex((x) => compareQueue(c, x) < 0);
    if (at === -1) at = all.length;
    all.splice(at, 0, c);
  }
  // Same page sizes as before (a page may grow or shrink by one); cursors stay the server's.
  const out: CasePage[] = [];
  let offset = 0;
  pages.forEach((p, i) => {
    const size = i === pages.length - 1 ? all.length - offset : p.items.length;
    out.push({ items: all.slice(offset, offset + size), nextCursor: p.nextCursor });
    offset += size;
  });
  return out;
}
