import { useInfiniteQuery } from '@tanstack/react-query';
import { api } from '../../api/client.ts';
import type { AuditEntry } from '../../api/types.ts';
import { Button } from '../../components/button.tsx';
import { Panel } from '../../components/page.tsx';
import { RelativeTime } from '../../components/relative-time.tsx';
import { ErrorState, LoadingState } from '../../components/states.tsx';

const PAGE = 100;

/** The audit log, newest first: every change to a link, a policy or a case, and who made it. */
export function AuditSection() {
  const q = useInfiniteQuery({
    queryKey: ['audit'],
    queryFn: ({ pageParam }) =>
      api.get<{ items: AuditEntry[] }>('/audit', { limit: PAGE, before: pageParam }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) =>
      last.items.length === PAGE ? last.items[last.items.length - 1]?.at : undefined,
  });
  const items = q.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <Panel title="Audit log">
      {q.isPending ? (
        <LoadingState />
      ) : q.isError ? (
        <ErrorState error={q.error} onRetry={() => q.refetch()} />
      ) : (
        <div className="table-wrap">
          <table className="table">
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Who</th>
                <th scope="col">What</th>
                <th scope="col">On</th>
                <th scope="col">Details</th>
              </tr>
            </thead>
            <tbody>
              {items.map((e) => (
                <tr key={e.id}>
                  <td>
                    <RelativeTime at={e.at} />
                  </td>
                  <td>{e.actorLabel}</td>
                  <td>
                    <code>{e.action}</code>
                  </td>
                  <td className="small">
                    {e.targetType}
                    {e.targetId ? ` ${e.targetId.slice(0, 8)}` : ''}
                  </td>
                  <td className="small mono audit-data">
                    {e.data && Object.keys(e.data).length ? JSON.stringify(e.data) : ''}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {q.hasNextPage ? (
            <div className="row-end panel-body">
              <Button busy={q.isFetchingNextPage} onClick={() => void q.fetchNextPage()}>
                Older entries
              </Button>
            </div>
          ) : null}
        </div>
      )}
    </Panel>
  );
}
