import { useChannels } from '../../api/queries.ts';
import { Badge } from '../../components/badge.tsx';
import { Panel } from '../../components/page.tsx';
import { RelativeTime } from '../../components/relative-time.tsx';
import { EmptyState, ErrorState, LoadingState } from '../../components/states.tsx';
import { channelName } from '../../lib/format.ts';

/** Configured channels and their health: last success, last error, cursor. */
export function ChannelsSection() {
  const channels = useChannels();
  return (
    <Panel
      title="Channels"
      actions={
        <span className="muted small">
          Secrets are write-only; configure channels through the API or CLI.
        </span>
      }
    >
      {channels.isPending ? (
        <LoadingState />
      ) : channels.isError ? (
        <ErrorState error={channels.error} onRetry={() => channels.refetch()} />
      ) : channels.data.length ? (
        <div className="table-wrap">
          <table className="table">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Type</th>
                <th scope="col">Health</th>
                <th scope="col">Last success</th>
                <th scope="col">Last error</th>
              </tr>
            </thead>
            <tbody>
              {channels.data.map((c) => {
                const h = c.health ?? {};
                const failing =
                  Boolean(h.lastError) &&
                  (!h.lastSuccessAt || (h.lastErrorAt && String(h.lastErrorAt) > String(h.lastSuccessAt)));
                return (
                  <tr key={c.id}>
                    <td>
                      <strong>{c.name}</strong>
                    </td>
                    <td>{channelName(c.type)}</td>
                    <td>
                      {!c.enabled ? (
                        <Badge>Off</Badge>
                      ) : failing ? (
                        <Badge tone="danger">Failing</Badge>
                      ) : h.lastSuccessAt ? (
                        <Badge tone="success">Healthy</Badge>
                      ) : (
                        <Badge tone="warning">Not polled yet</Badge>
                      )}
                    </td>
                    <td>{h.lastSuccessAt ? <RelativeTime at={String(h.lastSuccessAt)} /> : '—'}</td>
                    <td className="small">{h.lastError ? String(h.lastError) : '—'}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      ) : (
        <EmptyState title="No channels configured">
          The sandbox channel works without configuration; add real channels with the API.
        </EmptyState>
      )}
    </Panel>
  );
}
