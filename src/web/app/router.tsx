import type { QueryClient } from '@tanstack/react-query';
import {
  createRootRouteWithContext,
  createRoute,
  createRouter,
  lazyRouteComponent,
  redirect,
} from '@tanstack/react-router';
import type { CaseFilters } from '../api/queries.ts';
import { CaseScreen } from '../screens/case/case-screen.tsx';
import { InboxScreen } from '../screens/inbox/inbox-screen.tsx';
import { NotFoundScreen, RootLayout } from './root-layout.tsx';

type Ctx = { queryClient: QueryClient };

const rootRoute = createRootRouteWithContext<Ctx>()({
  component: RootLayout,
  notFoundComponent: NotFoundScreen,
});

const indexRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/',
  beforeLoad: () => {
    throw redirect({ to: '/inbox' });
  },
});

const str = (v: unknown) => (typeof v === 'string' && v ? v : undefined);

/** Inbox filters live in the URL, so a view can be bookmarked and shared. */
export type InboxSearch = CaseFilters & { view?: string | undefined };

export const inboxRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/inbox',
  validateSearch: (s: Record<string, unknown>): InboxSearch => ({
    view: str(s.view),
    status: str(s.status),
    queue: str(s.queue),
    assignee: str(s.assignee),
    channel: str(s.channel),
    topic: str(s.topic),
    intent: str(s.intent),
    sentiment: str(s.sentiment),
    q: str(s.q),
  }),
  component: InboxScreen,
});

export const caseRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/cases/$caseId',
  validateSearch: (s: Record<string, unknown>): { reply?: boolean | undefined } => ({
    reply: s.reply === true || s.reply === 'true' || undefined,
  }),
  component: CaseScreen,
});

export const listeningRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/listening',
  validateSearch: (s: Record<string, unknown>): { topic?: string | undefined } => ({ topic: str(s.topic) }),
  component: lazyRouteComponent(() => import('../screens/listening/listening-screen.tsx'), 'ListeningScreen'),
});

export const incidentsRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/incidents',
  validateSearch: (s: Record<string, unknown>): { incident?: string | undefined } => ({
    incident: str(s.incident),
  }),
  component: lazyRouteComponent(() => import('../screens/incidents/incidents-screen.tsx'), 'IncidentsScreen'),
});

const handoverRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/handover',
  component: lazyRouteComponent(() => import('../screens/handover/handover-screen.tsx'), 'HandoverScreen'),
});

const dashboardRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/dashboard',
  component: lazyRouteComponent(() => import('../screens/dashboard/dashboard-screen.tsx'), 'DashboardScreen'),
});

export const adminRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/admin/$section',
  component: lazyRouteComponent(() => import('../screens/admin/admin-screen.tsx'), 'AdminScreen'),
});

const adminIndexRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/admin',
  beforeLoad: () => {
    throw redirect({ to: '/admin/$section', params: { section: 'users' } });
  },
});

const routeTree = rootRoute.addChildren([
  indexRoute,
  inboxRoute,
  caseRoute,
  listeningRoute,
  incidentsRoute,
  handoverRoute,
  dashboardRoute,
  adminIndexRoute,
  adminRoute,
]);

export function createConsoleRouter(queryClient: QueryClient) {
  return createRouter({
    routeTree,
    context: { queryClient },
    defaultPreload: 'intent',
    scrollRestoration: true,
  });
}

declare module '@tanstack/react-router' {
  interface Register {
    router: ReturnType<typeof createConsoleRouter>;
  }
}
