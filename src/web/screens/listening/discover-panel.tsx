import { useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import { useNavigate } from '@tanstack/react-router';
import { api, errorMessage } from '../../api/client.ts';
import { Badge } from '../../components/badge.tsx';
import { Button } from '../../components/button.tsx';
import { Panel } from '../../components/page.tsx';
import { RelativeTime } from '../../components/relative-time.tsx';
import { EmptyState, ErrorState, LoadingState } from '../../components/states.tsx';
import { useToast } from '../../components/toast.tsx';
import { channelName } from '../../lib/format.ts';

type DiscoverItem = {
  postId: string;
  channel: string;
  url: string | null;
  text: string;
  createdAt: string;
  author: { handle: string; displayName: string | null };
  score: number;
  reasons: string[];
};

/**
 * Discover: people who talk about the brand without addressing it, most like a customer with a
 * problem first. Reaching out opens a proactive case (within the do-not-contact and per-person
 * guardrails); dismissing takes the post off the queue.
 */
export function DiscoverPanel() {
  const qc = useQueryClient();
  const toast = useToast();
  const navigate = useNavigate();
  const q = useInfiniteQuery({
    queryKey: ['discover'],
    queryFn: ({ pageParam }) =>
      api.get<{ items: DiscoverItem[]; nextCursor: string | null }>('/discover', {
        cursor: pageParam,
        limit: 50,
      }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const reach = useMutation({
    mutationFn: (postId: string) => api.post<{ caseId: string }>(`/discover/${postId}/outreach`, {}),
    onSuccess: (r) => {
      toast.show('Outreach case opened');
      void qc.invalidateQueries({ queryKey: ['discover'] });
      void navigate({ to: '/cases/$caseId', params: { caseId: r.caseId }, search: { reply: true } });
    },
    onError: (e) => toast.show(errorMessage(e), 'danger'),
  });
  const dismiss = useMutation({
    mutationFn: (postId: string) => api.post(`/discover/${postId}/dismiss`, {}),
    onSuccess: () => void qc.invalidateQueries({ queryKey: ['discover'] }),
    onError: (e) => toast.show(errorMessage(e), 'danger'),
  });
  const items = q.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <Panel
      title="Discover: mentions that did not tag the brand"
      actions={<span className="muted small">Reach out first — within the contact guardrails</span>}
    >
      {q.isPending ? (
        <LoadingState />
      ) : q.isError ? (
        <ErrorState error={q.error} onRetry={() => q.refetch()} />
      ) : items.length ? (
        <ul className="preview-list" aria-label="Discover">
          {items.map((d) => (
            <li key={d.postId} className="preview-item">
              <span className="row small">
                <Badge>{channelName(d.channel)}</Badge>
                <strong>@{d.author.handle}</strong>
                <RelativeTime className="muted" at={d.createdAt} />
                {d.reasons.map((r) => (
                  <Badge key={r} tone={r.startsWith('mentions the brand') ? 'neutral' : 'warning'}>
                    {r}
                  </Badge>
                ))}
              </span>
              <span>{d.text}</span>
              <span className="row">
                <Button
                  size="sm"
                  variant="primary"
                  busy={reach.isPending && reach.variables === d.postId}
                  onClick={() => reach.mutate(d.postId)}
                >
                  Reach out
                </Button>
                <Button size="sm" variant="ghost" onClick={() => dismiss.mutate(d.postId)}>
                  Not for us
                </Button>
                {d.url ? (
                  <a className="small" href={d.url} target="_blank" rel="noreferrer noopener">
                    View on {channelName(d.channel)}
                  </a>
                ) : null}
              </span>
            </li>
          ))}
        </ul>
      ) : (
        <EmptyState title="Nothing to discover right now">
          Posts about the brand that do not tag it appear here.
        </EmptyState>
      )}
      {q.hasNextPage ? (
        <div className="row-end panel-body">
          <Button busy={q.isFetchingNextPage} onClick={() => void q.fetchNextPage()}>
            More
          </Button>
        </div>
      ) : null}
    </Panel>
  );
}
