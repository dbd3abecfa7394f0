import { Link } from '@tanstack/react-router';
import type { CaseSummary } from '../../api/types.ts';
import { Badge } from '../../components/badge.tsx';
import { Button } from '../../components/button.tsx';
import { RelativeTime } from '../../components/relative-time.tsx';
import { channelName, formatNumber } from '../../lib/format.ts';
import type { useCaseActions } from '../case/use-case-actions.ts';

/** Beside the list: the selected case, why it sits at its position, and the quick actions. */
export function PriorityPanel({
  c,
  position,
  canWork,
  actions,
  me,
}: {
  c: CaseSummary | undefined;
  position: number;
  canWork: boolean;
  actions: ReturnType<typeof useCaseActions>;
  me: string;
}) {
  if (!c) return <aside className="inbox-aside" aria-label="Selected case" />;
  return (
    <aside className="inbox-aside" aria-label="Selected case">
      <h2 className="aside-title">
        #{c.number} · position {position}
      </h2>
      <p className="aside-preview">{c.preview || c.subject}</p>
      <h3 className="aside-subtitle">Why it is here</h3>
      <ol className="reasons">
        {c.priority.reasons.map((r) => (
          <li key={r}>{r}</li>
        ))}
      </ol>
      <dl className="facts">
        <dt>Channel</dt>
        <dd>{channelName(c.channel)}</dd>
        <dt>Queue</dt>
        <dd>{c.queue?.name ?? 'None'}</dd>
        <dt>Assignee</dt>
        <dd>{c.assignee?.name ?? 'Unassigned'}</dd>
        <dt>Arrived</dt>
        <dd>
          <RelativeTime at={c.createdAt} />
        </dd>
        {c.followers !== null ? (
          <>
            <dt>Followers</dt>
            <dd>
              {formatNumber(c.followers)} <span className="muted">(context only)</span>
            </dd>
          </>
        ) : null}
        {c.tags.length ? (
          <>
            <dt>Tags</dt>
            <dd>
              {c.tags.map((t) => (
                <Badge key={t}>{t}</Badge>
              ))}
            </dd>
          </>
        ) : null}
      </dl>
      <div className="aside-actions">
        <Link to="/cases/$caseId" params={{ caseId: c.id }} className="btn btn-primary btn-sm">
          Open
        </Link>
        {canWork ? (
          <>
            <Button
              size="sm"
              disabled={c.assignee?.id === me}
              busy={actions.assign.isPending}
              onClick={() => actions.assign.mutate({ id: c.id, number: c.number, userId: me, label: 'you' })}
            >
              Assign to me
            </Button>
            <Button
              size="sm"
              busy={actions.setStatus.isPending}
              onClick={() => actions.setStatus.mutate({ id: c.id, number: c.number, status: 'resolved' })}
            >
              Resolve
            </Button>
          </>
        ) : null}
      </div>
    </aside>
  );
}
