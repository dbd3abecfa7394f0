import { type InfiniteData, type QueryClient, useQueryClient } from '@tanstack/react-query';
import { Link, Outlet } from '@tanstack/react-router';
import { useEffect, useRef, useState } from 'react';
import { ApiError, api, onUnauthorized } from '../api/client.ts';
import { live, useLiveEvents } from '../api/live.ts';
import { summaryOf, upsertIntoPages } from '../api/patch-inbox.ts';
import { type CaseFilters, keys, useMe } from '../api/queries.ts';
import type { CaseDetail, CasePage, CaseSummary, User } from '../api/types.ts';
import { EmptyState, ErrorState, LoadingState } from '../components/states.tsx';
import { SignInScreen } from '../screens/sign-in/sign-in-screen.tsx';
import { AppShell } from './app-shell.tsx';

/**
 * Signed out (or the session expired), every URL shows the sign-in form and returns to the same
 * screen after signing in; signed in, the app shell with the live connection.
 */
export function RootLayout() {
  const me = useMe();
  const qc = useQueryClient();
  const [expired, setExpired] = useState(false);
  const hadUser = useRef(false);
  if (me.data) hadUser.current = true;

  useEffect(
    () =>
      onUnauthorized(() => {
        if (hadUser.current) setExpired(true);
        live.stop();
        qc.setQueryData(keys.me, null);
      }),
    [qc],
  );

  useEffect(() => {
    if (me.data) {
      setExpired(false);
      live.start();
    }
  }, [me.data]);

  if (me.isPending) return <LoadingState label="Starting Earshot…" />;
  if (me.isError)
    return <ErrorState error={me.error} onRetry={() => me.refetch()} title="Earshot cannot be reached" />;
  if (!me.data) return <SignInScreen expired={expired} />;
  return (
    <AppShell user={me.data}>
      <LiveBridge />
      <Outlet />
    </AppShell>
  );
}

/** Inbox lists with more pages loaded than this are patched case by case instead of refetched. */
const REFETCH_PAGES = 3;

/**
 * Keeps the inbox and open cases current from live events, batching bursts: a short inbox is
 * refetched; a long one (thousands of cases scrolled) is patched with just the changed cases.
 */
function LiveBridge() {
  const qc = useQueryClient();
  const pending = useRef<{ all: boolean; cases: Set<string>; timer: ReturnType<typeof setTimeout> | null }>({
    all: false,
    cases: new Set(),
    timer: null,
  });
  useLiveEvents((e) => {
    const p = pending.current;
    if ((e.type === 'case.created' || e.type === 'case.updated') && typeof e.caseId === 'string')
      p.cases.add(e.caseId);
    else if (e.type === 'live.reconnected') p.all = true;
    else return;
    p.timer ??= setTimeout(() => {
      p.timer = null;
      const ids = [...p.cases];
      const all = p.all;
      p.all = false;
      p.cases.clear();
      void applyLiveChanges(qc, ids, all);
    }, 80);
  });
  useEffect(
    () => () => {
      if (pending.current.timer) clearTimeout(pending.current.timer);
    },
    [],
  );
  return null;
}

async function applyLiveChanges(qc: QueryClient, ids: string[], all: boolean) {
  const meId = qc.getQueryData<User | null>(keys.me)?.id ?? '';
  const lists = qc.getQueriesData<InfiniteData<CasePage>>({ queryKey: keys.allCases });
  const long = lists.filter(
    ([key, data]) => !all && typeof key[1] === 'object' && (data?.pages.length ?? 0) > REFETCH_PAGES,
  );
  for (const [key] of lists)
    if (!long.some(([k]) => k === key)) void qc.invalidateQueries({ queryKey: key, exact: true });
  if (!long.length) {
    for (const id of ids) void qc.invalidateQueries({ queryKey: keys.case(id) });
    return;
  }
  const fresh = new Map<string, CaseSummary | null>();
  await Promise.all(
    ids.map(async (id) => {
      try {
        const d = await api.get<CaseDetail>(`/cases/${id}`);
        qc.setQueryData(keys.case(id), d);
        fresh.set(id, summaryOf(d));
      } catch (err) {
        if (err instanceof ApiError && (err.status === 404 || err.status === 403)) fresh.set(id, null);
      }
    }),
  );
  for (const [key, data] of long) {
    if (!data) continue;
    let pages: CasePage[] | null = data.pages;
    for (const id of ids) {
      if (!pages) break;
      const c = fresh.get(id);
      if (c === undefined) continue;
      pages =
        c === null
          ? pages.map((pg) => ({ ...pg, items: pg.items.filter((x) => x.id !== id) }))
          : upsertIntoPages(pages, c, key[1] as CaseFilters, meId);
    }
    if (pages) qc.setQueryData<InfiniteData<CasePage>>(key, { ...data, pages });
    else void qc.invalidateQueries({ queryKey: key, exact: true });
  }
}

export function NotFoundScreen() {
  return (
    <div className="screen">
      <EmptyState title="There is nothing at this address" action={<Link to="/inbox">Go to the inbox</Link>}>
        The link may be old, or the item was removed.
      </EmptyState>
    </div>
  );
}
