import { useQueryClient } from '@tanstack/react-query';
import { Link, Outlet } from '@tanstack/react-router';
import { useEffect, useRef, useState } from 'react';
import { onUnauthorized } from '../api/client.ts';
import { live, useLiveEvents } from '../api/live.ts';
import { keys, useMe } from '../api/queries.ts';
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

/** Keeps the inbox and open cases current from live events, batching bursts. */
function LiveBridge() {
  const qc = useQueryClient();
  const pending = useRef<{ inbox: boolean; cases: Set<string>; timer: ReturnType<typeof setTimeout> | null }>(
    {
      inbox: false,
      cases: new Set(),
      timer: null,
    },
  );
  useLiveEvents((e) => {
    const p = pending.current;
    if (e.type === 'case.created' || e.type === 'case.updated') {
      p.inbox = true;
      if (typeof e.caseId === 'string') p.cases.add(e.caseId);
    } else if (e.type === 'live.reconnected') {
      p.inbox = true;
    } else return;
    p.timer ??= setTimeout(() => {
      p.timer = null;
      if (p.inbox) qc.invalidateQueries({ queryKey: keys.allCases });
      for (const id of p.cases) qc.invalidateQueries({ queryKey: keys.case(id) });
      p.inbox = false;
      p.cases.clear();
    }, 150);
  });
  useEffect(
    () => () => {
      if (pending.current.timer) clearTimeout(pending.current.timer);
    },
    [],
  );
  return null;
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
