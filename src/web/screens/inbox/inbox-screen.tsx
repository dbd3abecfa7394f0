import { Link, Navigate, useNavigate } from '@tanstack/react-router';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useCases, useTopics } from '../../api/queries.ts';
import type { CaseSummary } from '../../api/types.ts';
import { inboxRoute } from '../../app/router.tsx';
import { abilities, useUser } from '../../app/session.ts';
import { Badge } from '../../components/badge.tsx';
import { PageHeader } from '../../components/page.tsx';
import { Spinner } from '../../components/spinner.tsx';
import { EmptyState, ErrorState, LoadingState } from '../../components/states.tsx';
import { useHotkeys } from '../../lib/hotkeys.ts';
import { useCaseActions } from '../case/use-case-actions.ts';
import { CaseRow, ROW_HEIGHT } from './case-row.tsx';
import { InboxFilters } from './inbox-filters.tsx';
import { activeView, filtersOf, INBOX_VIEWS } from './inbox-views.ts';
import { PriorityPanel } from './priority-panel.tsx';

/** The inbox: the queue in the order to work it, live, virtualised, driven from the keyboard. */
export function InboxScreen() {
  const user = useUser();
  if (user.role === 'contributor') return <Navigate to="/handover" />;
  return <Inbox />;
}

function Inbox() {
  const user = useUser();
  const can = abilities(user.role);
  const search = inboxRoute.useSearch();
  const navigate = useNavigate();
  const filters = useMemo(() => filtersOf(search), [search]);
  const query = useCases(filters);
  const topics = useTopics();
  const items = useMemo(() => query.data?.pages.flatMap((p) => p.items) ?? [], [query.data]);
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const selectedIndex = Math.max(
    0,
    items.findIndex((c) => c.id === selectedId),
  );
  const selected: CaseSummary | undefined = items[selectedIndex];
  const scrollRef = useRef<HTMLDivElement>(null);
  const searchRef = useRef<HTMLInputElement>(null);
  const links = useRef(new Map<string, HTMLAnchorElement>());
  const focusNext = useRef(false);
  // One stable ref callback per row, so memoised rows do not re-render for a new function.
  const refCallbacks = useRef(new Map<string, (el: HTMLAnchorElement | null) => void>());
  const linkRefFor = (id: string) => {
    let cb = refCallbacks.current.get(id);
    if (!cb) {
      cb = (el) => {
        if (el) links.current.set(id, el);
        else links.current.delete(id);
      };
      refCallbacks.current.set(id, cb);
    }
    return cb;
  };
  const open = useCallback(
    (id: string) => void navigate({ to: '/cases/$caseId', params: { caseId: id } }),
    [navigate],
  );
  const actions = useCaseActions();

  // Cases that arrived live (not with a page loaded by scrolling) get a brief highlight.
  const seen = useRef<{ ids: Set<string>; pages: number } | null>(null);
  const fresh = useMemo(() => {
    const out = new Set<string>();
    if (!query.data) return out;
    const pages = query.data.pages.length;
    const live = seen.current !== null && pages <= seen.current.pages;
    seen.current ??= { ids: new Set(), pages };
    seen.current.pages = pages;
    for (const c of items) {
      if (seen.current.ids.has(c.id)) continue;
      seen.current.ids.add(c.id);
      if (live) out.add(c.id);
    }
    return out;
  }, [items, query.data]);

  const hasMore = Boolean(query.hasNextPage);
  // Stable between renders: the virtualizer re-measures all rows when its key function changes.
  const getItemKey = useCallback((i: number) => items[i]?.id ?? i, [items]);
  const virtualizer = useVirtualizer({
    count: items.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 8,
    getItemKey,
  });
  const virtualItems = virtualizer.getVirtualItems();
  const lastVisible = virtualItems[virtualItems.length - 1]?.index ?? 0;

  useEffect(() => {
    if (hasMore && !query.isFetchingNextPage && lastVisible >= items.length - 20) void query.fetchNextPage();
  }, [hasMore, lastVisible, items.length, query.isFetchingNextPage, query.fetchNextPage]);

  function move(delta: number) {
    if (!items.length) return;
    const next = Math.min(items.length - 1, Math.max(0, selectedIndex + (selectedId ? delta : 0)));
    setSelectedId(items[next]!.id);
    focusNext.current = true;
    virtualizer.scrollToIndex(next, { align: 'auto' });
  }

  useEffect(() => {
    if (!focusNext.current || !selectedId) return;
    const id = requestAnimationFrame(() => {
      const el = links.current.get(selectedId);
      if (el) {
        focusNext.current = false;
        el.focus({ preventScroll: true });
      }
    });
    return () => cancelAnimationFrame(id);
  });

  useHotkeys({
    j: () => move(1),
    k: () => move(-1),
    arrowdown: () => move(1),
    arrowup: () => move(-1),
    enter: () => selected && navigate({ to: '/cases/$caseId', params: { caseId: selected.id } }),
    o: () => selected && navigate({ to: '/cases/$caseId', params: { caseId: selected.id } }),
    r: () =>
      selected &&
      can.work &&
      navigate({ to: '/cases/$caseId', params: { caseId: selected.id }, search: { reply: true } }),
    a: () =>
      selected &&
      can.work &&
      actions.assign.mutate({ id: selected.id, number: selected.number, userId: user.id, label: 'you' }),
    e: () =>
      selected &&
      can.work &&
      actions.setStatus.mutate({ id: selected.id, number: selected.number, status: 'resolved' }),
    '/': () => searchRef.current?.focus(),
  });

  const view = activeView(search);
  const queues = user.teams ?? [];

  return (
    <div className="screen inbox-screen">
      <PageHeader
        title="Inbox"
        subtitle="In the order to work it: service recovery first, then the next SLA deadline — never follower count."
        actions={
          query.isFetching && !query.isPending ? (
            <span className="muted" role="status">
              <Spinner size={14} /> Updating
            </span>
          ) : null
        }
      />
      <nav className="views" aria-label="Inbox views">
        {INBOX_VIEWS.map((v) => (
          <Link
            key={v.id}
            to="/inbox"
            search={{ ...v.search, view: v.id }}
            className={view === v.id ? 'view active' : 'view'}
            aria-current={view === v.id ? 'page' : undefined}
          >
            {v.label}
          </Link>
        ))}
        {queues.map((q) => (
          <Link
            key={q.id}
            to="/inbox"
            search={{ queue: q.id }}
            className={view === `queue:${q.id}` ? 'view active' : 'view'}
            aria-current={view === `queue:${q.id}` ? 'page' : undefined}
          >
            Queue: {q.name}
          </Link>
        ))}
      </nav>
      <InboxFilters search={search} searchRef={searchRef} topics={topics.data ?? []} />
      <div className="inbox-body">
        <section className="inbox-list-wrap" aria-label="Cases">
          {query.isPending ? (
            <LoadingState label="Loading the inbox…" />
          ) : query.isError ? (
            <ErrorState error={query.error} onRetry={() => query.refetch()} />
          ) : items.length === 0 ? (
            <EmptyState title={Object.keys(filters).length ? 'No case matches these filters' : 'Inbox zero'}>
              {Object.keys(filters).length ? (
                <Link to="/inbox" search={{}}>
                  Clear the filters
                </Link>
              ) : (
                'New posts that need an answer appear here as they arrive.'
              )}
            </EmptyState>
          ) : null}
          <div ref={scrollRef} className="case-list" hidden={!items.length}>
            <ul
              aria-label="Inbox"
              aria-busy={query.isFetching || undefined}
              className="case-list-inner"
              style={{ height: virtualizer.getTotalSize() }}
            >
              {virtualItems.map((vi) => {
                const c = items[vi.index];
                if (!c) return null;
                return (
                  <CaseRow
                    key={c.id}
                    c={c}
                    position={vi.index + 1}
                    setSize={hasMore ? -1 : items.length}
                    selected={selected?.id === c.id && selectedId !== null}
                    fresh={fresh.has(c.id)}
                    top={vi.start}
                    onSelect={setSelectedId}
                    onOpen={open}
                    linkRef={linkRefFor(c.id)}
                  />
                );
              })}
            </ul>
          </div>
          <p className="list-foot muted" aria-live="polite">
            {items.length
              ? `${items.length.toLocaleString('en-US')} case${items.length === 1 ? '' : 's'}${hasMore ? ' loaded — scroll for more' : ''}`
              : ''}
            {query.isFetchingNextPage ? ' · loading more…' : ''}
          </p>
        </section>
        <PriorityPanel
          c={selectedId ? selected : items[0]}
          canWork={can.work}
          position={selectedId ? selectedIndex + 1 : 1}
          actions={actions}
          me={user.id}
        />
      </div>
      <p className="hint-bar muted">
        <kbd>j</kbd>/<kbd>k</kbd> move · <kbd>Enter</kbd> open · <kbd>r</kbd> reply · <kbd>a</kbd> assign to
        me · <kbd>e</kbd> resolve · <kbd>/</kbd> search · <kbd>?</kbd> all shortcuts{' '}
        {can.work ? null : <Badge tone="warning">Read-only</Badge>}
      </p>
    </div>
  );
}
