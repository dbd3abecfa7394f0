import { Link } from '@tanstack/react-router';
import { type Topic, useTopics } from '../../api/queries.ts';
import { listeningRoute } from '../../app/router.tsx';
import { abilities, useUser } from '../../app/session.ts';
import { Badge } from '../../components/badge.tsx';
import { PageHeader } from '../../components/page.tsx';
import { EmptyState, ErrorState, LoadingState } from '../../components/states.tsx';
import { formatNumber, formatPercent } from '../../lib/format.ts';
import { DiscoverPanel } from './discover-panel.tsx';
import { TopicEditor } from './topic-editor.tsx';

/** Listening: the topics that decide what Earshot keeps, each with its query, preview and precision. */
export function ListeningScreen() {
  const me = useUser();
  const can = abilities(me.role);
  const { topic } = listeningRoute.useSearch();
  const topics = useTopics();
  const list = topics.data ?? [];
  const discover = topic === 'discover';
  const selected: Topic | null =
    list.find((t) => t.id === topic) ?? (topic === 'new' || discover ? null : (list[0] ?? null));
  const creating = !discover && (topic === 'new' || (!selected && !list.length && can.manage));
  return (
    <div className="screen">
      <PageHeader
        title="Listening"
        subtitle="Topics decide which posts Earshot keeps. Precise queries keep the noise (like bloggers who merely show a brand e-mail address) away from people."
        actions={
          can.manage ? (
            <Link to="/listening" search={{ topic: 'new' }} className="btn btn-primary">
              New topic
            </Link>
          ) : null
        }
      />
      {topics.isPending ? (
        <LoadingState />
      ) : topics.isError ? (
        <ErrorState error={topics.error} onRetry={() => topics.refetch()} />
      ) : topics.data === null ? (
        <EmptyState title="Listening is not available on this server yet" />
      ) : (
        <div className="listening">
          <nav className="panel" aria-label="Topics">
            {can.work ? (
              <ul className="topic-list">
                <li>
                  <Link
                    to="/listening"
                    search={{ topic: 'discover' }}
                    className={discover ? 'topic-link active' : 'topic-link'}
                    aria-current={discover ? 'page' : undefined}
                  >
                    <strong>Discover</strong>
                    <span className="muted small">Mentions that did not tag the brand</span>
                  </Link>
                </li>
              </ul>
            ) : null}
            {list.length ? (
              <ul className="topic-list">
                {list.map((t) => (
                  <li key={t.id}>
                    <Link
                      to="/listening"
                      search={{ topic: t.id }}
                      className={t.id === selected?.id ? 'topic-link active' : 'topic-link'}
                      aria-current={t.id === selected?.id ? 'page' : undefined}
                    >
                      <span className="row">
                        <strong>{t.name}</strong>
                        {t.enabled === false ? <Badge>Paused</Badge> : null}
                      </span>
                      <span className="muted small">
                        {formatNumber((t.stats as { matches30d?: number } | undefined)?.matches30d ?? 0)}{' '}
                        matches · precision {formatPercent(t.precision ?? null)}
                      </span>
                    </Link>
                  </li>
                ))}
              </ul>
            ) : (
              <p className="muted small panel-body">No topics yet.</p>
            )}
          </nav>
          {discover ? (
            <DiscoverPanel />
          ) : creating ? (
            <TopicEditor key="new" topic={null} canManage={can.manage} canWork={can.work} />
          ) : selected ? (
            <TopicEditor key={selected.id} topic={selected} canManage={can.manage} canWork={can.work} />
          ) : (
            <EmptyState title="Choose a topic">
              Pick a topic on the left to see its query, live matches and precision.
            </EmptyState>
          )}
        </div>
      )}
    </div>
  );
}
