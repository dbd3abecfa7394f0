import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { type FormEvent, useState } from 'react';
import { api, errorMessage } from '../../api/client.ts';
import { keys } from '../../api/queries.ts';
import type { CaseSummary } from '../../api/types.ts';
import { abilities, useUser } from '../../app/session.ts';
import { Badge } from '../../components/badge.tsx';
import { Button } from '../../components/button.tsx';
import { TextArea, TextField } from '../../components/field.tsx';
import { PageHeader, Panel } from '../../components/page.tsx';
import { RelativeTime } from '../../components/relative-time.tsx';
import { EmptyState, ErrorState, LoadingState, Notice } from '../../components/states.tsx';
import { channelName, titleCase } from '../../lib/format.ts';

type Handovers = { handedOver: CaseSummary[]; assignedToMe: CaseSummary[] };

const statusTone = {
  new: 'accent',
  open: 'info',
  pending: 'warning',
  resolved: 'success',
  closed: 'neutral',
} as const;
const STATUS_TEXT: Record<string, string> = {
  new: 'Waiting for the care team',
  open: 'The care team is on it',
  pending: 'Waiting for the customer',
  resolved: 'Resolved',
  closed: 'Closed',
};

/**
 * For everyone in the organisation: hand a post or a customer's message to the care team, and
 * follow where each hand-over (and whatever is assigned to me) stands.
 */
export function HandoverScreen() {
  const me = useUser();
  const can = abilities(me.role);
  const qc = useQueryClient();
  // Under the `cases` key so live case events refresh it.
  const list = useQuery({
    queryKey: [...keys.allCases, 'handovers'],
    queryFn: () => api.get<Handovers>('/handovers'),
  });
  const [url, setUrl] = useState('');
  const [text, setText] = useState('');
  const [note, setNote] = useState('');
  const [done, setDone] = useState<CaseSummary | null>(null);
  const submit = useMutation({
    mutationFn: () =>
      api.post<{ created: boolean; case: CaseSummary }>('/handovers', {
        ...(url.trim() ? { url: url.trim() } : {}),
        ...(text.trim() ? { text: text.trim() } : {}),
        ...(note.trim() ? { note: note.trim() } : {}),
      }),
    onSuccess: (res) => {
      setDone(res.case);
      setUrl('');
      setText('');
      setNote('');
      void qc.invalidateQueries({ queryKey: keys.allCases });
    },
  });
  function onSubmit(e: FormEvent) {
    e.preventDefault();
    if (url.trim() || text.trim()) submit.mutate();
  }
  return (
    <div className="screen">
      <PageHeader
        title={can.contributor ? 'My items' : 'Hand over'}
        subtitle="Saw a customer post that needs the care team? Paste its link or the text; it becomes a case and you can follow where it stands."
      />
      <div className="handover">
        <Panel title="Hand something over">
          <form className="panel-body stack" onSubmit={onSubmit}>
            <TextField
              label="Link to the post"
              type="url"
              placeholder="https://…"
              value={url}
              onChange={(e) => setUrl(e.target.value)}
            />
            <TextArea
              label="Or the text"
              rows={4}
              placeholder="Paste what the customer wrote"
              value={text}
              onChange={(e) => setText(e.target.value)}
            />
            <TextField
              label="Note for the care team"
              hint="Optional: anything they should know"
              value={note}
              onChange={(e) => setNote(e.target.value)}
            />
            {submit.isError ? (
              <Notice tone="danger" role="alert">
                {errorMessage(submit.error)}
              </Notice>
            ) : null}
            {done ? (
              <Notice tone="success" role="status">
                Handed over as case #{done.number}.{' '}
                <Link to="/cases/$caseId" params={{ caseId: done.id }}>
                  Follow it
                </Link>
              </Notice>
            ) : null}
            <div className="row-end">
              <Button
                type="submit"
                variant="primary"
                busy={submit.isPending}
                disabled={!url.trim() && !text.trim()}
              >
                Hand over
              </Button>
            </div>
          </form>
        </Panel>
        <div className="stack">
          {list.isPending ? (
            <LoadingState />
          ) : list.isError ? (
            <ErrorState error={list.error} onRetry={() => list.refetch()} />
          ) : (
            <>
              <ItemList
                title="What I handed over"
                label="My hand-overs"
                items={list.data.handedOver}
                empty="Nothing handed over yet."
              />
              <ItemList
                title="Assigned to me"
                label="Assigned to me"
                items={list.data.assignedToMe}
                empty="Nothing is assigned to you."
              />
            </>
          )}
        </div>
      </div>
    </div>
  );
}

function ItemList({
  title,
  label,
  items,
  empty,
}: {
  title: string;
  label: string;
  items: CaseSummary[];
  empty: string;
}) {
  return (
    <Panel title={`${title} (${items.length})`}>
      {items.length ? (
        <ul className="preview-list" aria-label={label}>
          {items.map((c) => (
            <li key={c.id} className="preview-item">
              <span className="row small">
                <Link to="/cases/$caseId" params={{ caseId: c.id }}>
                  <strong>#{c.number}</strong>
                </Link>
                <Badge tone={statusTone[c.status]}>{titleCase(c.status)}</Badge>
                <span className="muted">{STATUS_TEXT[c.status]}</span>
                <Badge>{channelName(c.channel)}</Badge>
                <RelativeTime className="muted" at={c.updatedAt} />
              </span>
              <span className="history-text">{c.preview || c.subject}</span>
              <span className="muted small">
                {c.queue?.name ?? 'No queue yet'} ·{' '}
                {c.assignee?.name ? `with ${c.assignee.name}` : 'not yet assigned'}
              </span>
            </li>
          ))}
        </ul>
      ) : (
        <EmptyState title={empty} />
      )}
    </Panel>
  );
}
