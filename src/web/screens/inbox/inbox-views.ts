import type { InboxSearch } from '../../app/router.tsx';

/** Saved views: one click (or a bookmark) to the slices of the queue a team works from. */
export const INBOX_VIEWS: { id: string; label: string; search: InboxSearch }[] = [
  { id: 'open', label: 'All open', search: {} },
  { id: 'mine', label: 'Mine', search: { assignee: 'me' } },
  { id: 'unassigned', label: 'Unassigned', search: { assignee: 'none' } },
  { id: 'new', label: 'New', search: { status: 'new' } },
  { id: 'pending', label: 'Waiting on customer', search: { status: 'pending' } },
  { id: 'negative', label: 'Negative', search: { sentiment: 'negative' } },
  { id: 'resolved', label: 'Resolved', search: { status: 'resolved,closed' } },
];

const FILTER_KEYS = ['status', 'queue', 'assignee', 'channel', 'topic', 'intent', 'sentiment', 'q'] as const;

/** The API filters of a URL search (the view id is only a label). */
export function filtersOf(s: InboxSearch) {
  const out: Record<string, string> = {};
  for (const k of FILTER_KEYS) {
    const v = s[k];
    if (v) out[k] = v;
  }
  return out;
}

/** Which saved view the current filters are, if any. */
export function activeView(s: InboxSearch): string | null {
  const f = filtersOf(s);
  const key = JSON.stringify(Object.entries(f).sort());
  for (const v of INBOX_VIEWS) {
    if (JSON.stringify(Object.entries(filtersOf(v.search)).sort()) === key) return v.id;
  }
  if (s.queue && Object.keys(f).length === 1) return `queue:${s.queue}`;
  return null;
}
