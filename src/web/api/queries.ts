import { keepPreviousData, useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { ApiError, api } from './client.ts';
import type { AuditEntry, CaseDetail, CasePage, Channel, PriorityPolicy, User } from './types.ts';

/** Inbox filters, as in the URL and in `GET /api/v1/cases`. */
export type CaseFilters = {
  status?: string | undefined;
  queue?: string | undefined;
  assignee?: string | undefined;
  channel?: string | undefined;
  topic?: string | undefined;
  intent?: string | undefined;
  sentiment?: string | undefined;
  q?: string | undefined;
};

export const keys = {
  me: ['me'] as const,
  cases: (f: CaseFilters) => ['cases', f] as const,
  allCases: ['cases'] as const,
  case: (id: string) => ['case', id] as const,
  users: ['users'] as const,
  channels: ['channels'] as const,
  policy: ['settings', 'priority-policy'] as const,
  audit: ['audit'] as const,
};

/** The signed-in user, or null when signed out (401). */
export function useMe() {
  return useQuery({
    queryKey: keys.me,
    queryFn: async () => {
      try {
        return (await api.get<{ user: User }>('/auth/me')).user;
      } catch (err) {
        if (err instanceof ApiError && err.status === 401) return null;
        throw err;
      }
    },
    staleTime: 5 * 60_000,
    retry: (n, err) => !(err instanceof ApiError && err.status < 500) && n < 3,
  });
}

export const INBOX_PAGE_SIZE = 100;

/** The inbox in the order an agent should work it, page by page (keyset cursor). */
export function useCases(filters: CaseFilters) {
  return useInfiniteQuery({
    queryKey: keys.cases(filters),
    queryFn: ({ pageParam, signal }) =>
      api.get<CasePage>('/cases', { ...filters, cursor: pageParam, limit: INBOX_PAGE_SIZE }, signal),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    placeholderData: keepPreviousData,
  });
}

export function useCase(id: string) {
  return useQuery({
    queryKey: keys.case(id),
    queryFn: ({ signal }) => api.get<CaseDetail>(`/cases/${id}`, {}, signal),
  });
}

export function useUsers(enabled = true) {
  return useQuery({
    queryKey: keys.users,
    queryFn: async () => (await api.get<{ items: User[] }>('/users')).items,
    staleTime: 60_000,
    enabled,
  });
}

export function useChannels() {
  return useQuery({
    queryKey: keys.channels,
    queryFn: async () => (await api.get<{ items: Channel[] }>('/channels')).items,
  });
}

export function usePriorityPolicy() {
  return useQuery({
    queryKey: keys.policy,
    queryFn: () => api.get<PriorityPolicy>('/settings/priority-policy'),
  });
}

export function useAudit() {
  return useQuery({
    queryKey: keys.audit,
    queryFn: async () => (await api.get<{ items: AuditEntry[] }>('/audit', { limit: 200 })).items,
  });
}

/** A list endpoint that may not exist on this server yet: null when it answers 404. */
async function optionalList<T>(path: string): Promise<T[] | null> {
  try {
    const res = await api.get<{ items: T[] } | T[]>(path);
    return Array.isArray(res) ? res : res.items;
  } catch (err) {
    if (err instanceof ApiError && err.status === 404 && err.message.startsWith('No route')) return null;
    throw err;
  }
}

export type Topic = {
  id: string;
  name: string;
  query: string;
  enabled?: boolean;
  filters?: Record<string, unknown>;
  precision?: number | null;
  stats?: Record<string, unknown>;
  [k: string]: unknown;
};

export function useTopics(enabled = true) {
  return useQuery({
    queryKey: ['topics'],
    queryFn: () => optionalList<Topic>('/topics'),
    enabled,
    staleTime: 60_000,
  });
}

export type Team = {
  id: string;
  name: string;
  description?: string;
  assignmentStrategy?: string;
  [k: string]: unknown;
};

export function useTeams(enabled = true) {
  return useQuery({
    queryKey: ['teams'],
    queryFn: () => optionalList<Team>('/teams'),
    enabled,
    staleTime: 60_000,
  });
}

export type Template = { id: string; name: string; body: string; channels: string[]; modes: string[] };

export function useTemplates(enabled = true) {
  return useQuery({
    queryKey: ['templates'],
    queryFn: () => optionalList<Template>('/templates'),
    enabled,
    staleTime: 60_000,
  });
}
