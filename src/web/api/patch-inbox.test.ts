import { describe, expect, it } from 'vitest';
import { compareQueue, matchesFilters, upsertIntoPages } from './patch-inbox.ts';
import type { CasePage, CaseSummary } from './types.ts';

let n = 0;
function kase(over: Partial<CaseSummary> & { due?: string | null; rank?: number } = {}): CaseSummary {
  n++;
  const { due, rank, ...rest } = over;
  return {
    id: `00000000-0000-0000-0000-${String(n).padStart(12, '0')}`,
    number: n,
    status: 'new',
    channel: 'sandbox',
    subject: '',
    preview: `case ${n}`,
    priority: {
      rank: rank ?? 1,
      dueAt: due === undefined ? `2026-03-10T1${n % 10}:00:00Z` : due,
      serviceRecovery: rank === 0,
      serviceRecoverySource: null,
      reasons: [],
    },
    sla: {
      firstResponseDueAt: null,
      nextResponseDueAt: null,
      resolutionDueAt: null,
      firstResponseAt: null,
      breachedAt: null,
    },
    queue: null,
    assignee: null,
    personId: null,
    author: null,
    followers: null,
    intent: null,
    sentiment: null,
    lang: null,
    tags: [],
    topicIds: [],
    incidentId: null,
    isOutreach: false,
    inboundCount: 1,
    outboundCount: 0,
    createdAt: '2026-03-10T08:00:00Z',
    updatedAt: '2026-03-10T08:00:00Z',
    lastInboundAt: null,
    ...rest,
  };
}
const ids = (pages: CasePage[] | null) => pages?.map((p) => p.items.map((c) => c.preview));

describe('compareQueue', () => {
  it('puts service recovery first, then the earlier due time, cases without one last', () => {
    const a = kase({ due: '2026-03-10T10:00:00Z' });
    const b = kase({ due: '2026-03-10T09:00:00Z' });
    const none = kase({ due: null });
    const recovery = kase({ rank: 0, due: '2026-03-11T00:00:00Z' });
    expect([a, none, b, recovery].sort(compareQueue).map((c) => c.preview)).toEqual(
      [recovery, b, a, none].map((c) => c.preview),
    );
  });
});

describe('matchesFilters', () => {
  it('decides status, assignee and field filters here, and leaves full-text search to the server', () => {
    const mine = kase({ assignee: { id: 'me-1', name: 'Me' }, channel: 'x' });
    expect(matchesFilters(mine, {}, 'me-1')).toBe(true);
    expect(matchesFilters(mine, { assignee: 'me' }, 'me-1')).toBe(true);
    expect(matchesFilters(mine, { assignee: 'none' }, 'me-1')).toBe(false);
    expect(matchesFilters(mine, { channel: 'email' }, 'me-1')).toBe(false);
    expect(matchesFilters({ ...mine, status: 'resolved' }, {}, 'me-1')).toBe(false);
    expect(matchesFilters({ ...mine, status: 'resolved' }, { status: 'resolved,closed' }, 'me-1')).toBe(true);
    expect(matchesFilters(mine, { q: 'modem' }, 'me-1')).toBeNull();
  });
});

describe('upsertIntoPages', () => {
  const a = kase({ due: '2026-03-10T09:00:00Z', preview: 'a' });
  const b = kase({ due: '2026-03-10T10:00:00Z', preview: 'b' });
  const c = kase({ due: '2026-03-10T11:00:00Z', preview: 'c' });
  const d = kase({ due: '2026-03-10T12:00:00Z', preview: 'd' });
  const pages: CasePage[] = [
    { items: [a, b], nextCursor: 'p2' },
    { items: [c, d], nextCursor: 'p3' },
  ];

  it('adds a new case at its place within what is loaded', () => {
    const x = kase({ due: '2026-03-10T10:30:00Z', preview: 'x' });
    expect(ids(upsertIntoPages(pages, x, {}, 'me'))).toEqual([
      ['a', 'b'],
      ['x', 'c', 'd'],
    ]);
  });

  it('does not add a case that sorts after what is loaded while more pages exist, but does when all are loaded', () => {
    const late = kase({ due: '2026-03-11T00:00:00Z', preview: 'late' });
    expect(ids(upsertIntoPages(pages, late, {}, 'me'))).toEqual([
      ['a', 'b'],
      ['c', 'd'],
    ]);
    const complete = [pages[0]!, { ...pages[1]!, nextCursor: null }];
    expect(ids(upsertIntoPages(complete, late, {}, 'me'))).toEqual([
      ['a', 'b'],
      ['c', 'd', 'late'],
    ]);
  });

  it('moves an updated case (service recovery goes to the top) and removes one that no longer belongs', () => {
    expect(ids(upsertIntoPages(pages, { ...d, priority: { ...d.priority, rank: 0 } }, {}, 'me'))).toEqual([
      ['d', 'a'],
      ['b', 'c'],
    ]);
    expect(ids(upsertIntoPages(pages, { ...b, status: 'resolved' }, {}, 'me'))).toEqual([['a', 'c'], ['d']]);
  });

  it('asks for the server when the filters cannot be decided here', () => {
    expect(upsertIntoPages(pages, a, { q: 'modem' }, 'me')).toBeNull();
  });
});
