import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { type FormEvent, useState } from 'react';
import { api, errorMessage } from '../../api/client.ts';
import type { CaseStatus } from '../../api/types.ts';
import { incidentsRoute } from '../../app/router.tsx';
import { abilities, useUser } from '../../app/session.ts';
import { Badge } from '../../components/badge.tsx';
import { Button } from '../../components/button.tsx';
import { Dialog } from '../../components/dialog.tsx';
import { SelectField, TextArea, TextField } from '../../components/field.tsx';
import { PageHeader, Panel } from '../../components/page.tsx';
import { RelativeTime } from '../../components/relative-time.tsx';
import { EmptyState, ErrorState, LoadingState, Notice } from '../../components/states.tsx';
import { useToast } from '../../components/toast.tsx';
import { channelName, titleCase } from '../../lib/format.ts';

export type Incident = {
  id: string;
  title: string;
  description: string;
  status: 'suggested' | 'open' | 'resolved' | 'dismissed';
  source: 'agent' | 'clustering';
  createdAt: string;
  resolvedAt: string | null;
  cases?: { total: number; active: number };
};
type IncidentDetail = Incident & {
  linkedCases: {
    id: string;
    number: number;
    status: CaseStatus;
    channel: string;
    preview: string;
    createdAt: string;
  }[];
  updates: { id: string; text: string; at: string; cases: number }[];
};

const TONE = { suggested: 'warning', open: 'danger', resolved: 'success', dismissed: 'neutral' } as const;
const MODES = [
  { value: 'auto', label: 'As each case requires (e-mail, private or public)' },
  { value: 'public', label: 'Public reply on every case' },
  { value: 'private', label: 'Private message on every case' },
  { value: 'email', label: 'E-mail on every case' },
];

export const incidentKeys = { list: ['incidents'] as const, one: (id: string) => ['incidents', id] as const };

/** Incidents: one failure many customers report; one update reaches every linked case; they close together. */
export function IncidentsScreen() {
  const me = useUser();
  const can = abilities(me.role);
  const { incident } = incidentsRoute.useSearch();
  const list = useQuery({
    queryKey: incidentKeys.list,
    queryFn: () => api.get<{ items: Incident[] }>('/incidents'),
  });
  const [creating, setCreating] = useState(false);
  const items = list.data?.items ?? [];
  const selected =
    items.find((i) => i.id === incident) ??
    items.find((i) => i.status === 'open' || i.status === 'suggested') ??
    items[0];
  return (
    <div className="screen">
      <PageHeader
        title="Incidents"
        subtitle="When many customers report the same failure: link their cases, send one update to all, resolve them together."
        actions={
          can.work ? (
            <Button variant="primary" onClick={() => setCreating(true)}>
              New incident
            </Button>
          ) : null
        }
      />
      {list.isPending ? (
        <LoadingState />
      ) : list.isError ? (
        <ErrorState error={list.error} onRetry={() => list.refetch()} />
      ) : !items.length ? (
        <EmptyState title="No incidents">
          Bursts of similar complaints are suggested here automatically; you can also open one by hand.
        </EmptyState>
      ) : (
        <div className="listening">
          <nav className="panel" aria-label="Incidents">
            <ul className="topic-list">
              {items.map((i) => (
                <li key={i.id}>
                  <Link
                    to="/incidents"
                    search={{ incident: i.id }}
                    className={i.id === selected?.id ? 'topic-link active' : 'topic-link'}
                    aria-current={i.id === selected?.id ? 'page' : undefined}
                  >
                    <span className="row">
                      <strong>{i.title}</strong>
                      <Badge tone={TONE[i.status]}>{titleCase(i.status)}</Badge>
                    </span>
                    <span className="muted small">
                      {i.cases?.total ?? 0} cases, {i.cases?.active ?? 0} active ·{' '}
                      <RelativeTime at={i.createdAt} />
                    </span>
                  </Link>
                </li>
              ))}
            </ul>
          </nav>
          {selected ? <IncidentDetailView key={selected.id} id={selected.id} canWork={can.work} /> : null}
        </div>
      )}
      <NewIncidentDialog open={creating} onClose={() => setCreating(false)} />
    </div>
  );
}

function IncidentDetailView({ id, canWork }: { id: string; canWork: boolean }) {
  const qc = useQueryClient();
  const toast = useToast();
  const q = useQuery({
    queryKey: incidentKeys.one(id),
    queryFn: () => api.get<IncidentDetail>(`/incidents/${id}`),
  });
  const [text, setText] = useState('');
  const [mode, setMode] = useState('auto');
  const [key, setKey] = useState(() => crypto.randomUUID());
  const refresh = () => {
    void qc.invalidateQueries({ queryKey: incidentKeys.list });
    void qc.invalidateQueries({ queryKey: ['cases'] });
  };
  const update = useMutation({
    mutationFn: () =>
      api.post<{ results: unknown[] }>(`/incidents/${id}/updates`, { text, mode, idempotencyKey: key }),
    onSuccess: (r) => {
      toast.show(`Update queued for ${r.results.length} case${r.results.length === 1 ? '' : 's'}`);
      setText('');
      setKey(crypto.randomUUID());
      refresh();
    },
  });
  const resolve = useMutation({
    mutationFn: () =>
      api.post<{ resolvedCases: number }>(`/incidents/${id}/resolve`, {
        ...(text.trim() ? { text, mode } : {}),
        idempotencyKey: key,
      }),
    onSuccess: (r) => {
      toast.show(`Incident resolved with ${r.resolvedCases} case${r.resolvedCases === 1 ? '' : 's'}`);
      setText('');
      refresh();
    },
  });
  const setStatus = useMutation({
    mutationFn: (status: 'open' | 'dismissed') => api.patch(`/incidents/${id}`, { status }),
    onSuccess: (_r, s) => {
      toast.show(s === 'open' ? 'Suggestion accepted: the incident is open' : 'Suggestion dismissed');
      refresh();
    },
    onError: (e) => toast.show(errorMessage(e), 'danger'),
  });
  const unlink = useMutation({
    mutationFn: (caseId: string) => api.delete(`/incidents/${id}/cases/${caseId}`),
    onSuccess: refresh,
    onError: (e) => toast.show(errorMessage(e), 'danger'),
  });
  if (q.isPending) return <LoadingState />;
  if (q.isError) return <ErrorState error={q.error} onRetry={() => q.refetch()} />;
  const i = q.data;
  const active = i.status === 'open';
  function submit(e: FormEvent) {
    e.preventDefault();
    if (text.trim()) update.mutate();
  }
  return (
    <div className="stack">
      <Panel
        title={i.title}
        actions={
          <span className="row">
            <Badge tone={TONE[i.status]}>{titleCase(i.status)}</Badge>
            {i.source === 'clustering' ? <Badge tone="info">Suggested by clustering</Badge> : null}
          </span>
        }
      >
        <div className="panel-body stack">
          {i.description ? <p>{i.description}</p> : null}
          <p className="muted small">
            Opened <RelativeTime at={i.createdAt} />
            {i.resolvedAt ? (
              <>
                {' '}
                · resolved <RelativeTime at={i.resolvedAt} />
              </>
            ) : null}
          </p>
          {canWork && i.status === 'suggested' ? (
            <div className="row">
              <Button variant="primary" busy={setStatus.isPending} onClick={() => setStatus.mutate('open')}>
                Accept
              </Button>
              <Button variant="ghost" onClick={() => setStatus.mutate('dismissed')}>
                Dismiss
              </Button>
            </div>
          ) : null}
        </div>
      </Panel>
      {canWork && active ? (
        <Panel title="Update everyone affected">
          <form className="panel-body stack" onSubmit={submit}>
            <TextArea
              label="Update"
              rows={3}
              placeholder="What happened, what we are doing, when it will be fixed"
              value={text}
              onChange={(e) => setText(e.target.value)}
            />
            <SelectField
              label="How it reaches each customer"
              value={mode}
              onChange={(e) => setMode(e.target.value)}
              options={MODES}
            />
            {update.isError || resolve.isError ? (
              <Notice tone="danger" role="alert">
                {errorMessage(update.error ?? resolve.error)}
              </Notice>
            ) : null}
            <div className="row-end">
              <Button
                variant="ghost"
                busy={resolve.isPending}
                onClick={() => {
                  if (
                    window.confirm(
                      `Resolve the incident and its ${i.cases?.active ?? 0} active cases${text.trim() ? ', sending this update to all' : ''}?`,
                    )
                  )
                    resolve.mutate();
                }}
              >
                {text.trim() ? 'Send and resolve all' : 'Resolve all'}
              </Button>
              <Button type="submit" variant="primary" busy={update.isPending} disabled={!text.trim()}>
                Send update to {i.cases?.total ?? 0} cases
              </Button>
            </div>
          </form>
        </Panel>
      ) : null}
      <Panel title={`Linked cases (${i.linkedCases.length})`}>
        {i.linkedCases.length ? (
          <ul className="preview-list" aria-label="Linked cases">
            {i.linkedCases.map((c) => (
              <li key={c.id} className="preview-item">
                <span className="row small">
                  <Link to="/cases/$caseId" params={{ caseId: c.id }}>
                    #{c.number}
                  </Link>
                  <Badge>{titleCase(c.status)}</Badge>
                  <Badge>{channelName(c.channel)}</Badge>
                  <RelativeTime className="muted" at={c.createdAt} />
                  {canWork && active ? (
                    <button
                      type="button"
                      className="link-btn"
                      style={{ marginLeft: 'auto' }}
                      onClick={() => unlink.mutate(c.id)}
                    >
                      Unlink
                    </button>
                  ) : null}
                </span>
                <span className="history-text">{c.preview}</span>
              </li>
            ))}
          </ul>
        ) : (
          <p className="panel-body muted">
            No case is linked yet. Link cases from the case view ("Add to incident").
          </p>
        )}
      </Panel>
      {i.updates.length ? (
        <Panel title="Updates sent">
          <ul className="preview-list">
            {i.updates.map((u) => (
              <li key={u.id} className="preview-item">
                <span className="muted small">
                  <RelativeTime at={u.at} /> · to {u.cases} cases
                </span>
                <span>{u.text}</span>
              </li>
            ))}
          </ul>
        </Panel>
      ) : null}
    </div>
  );
}

function NewIncidentDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const qc = useQueryClient();
  const [title, setTitle] = useState('');
  const [description, setDescription] = useState('');
  const create = useMutation({
    mutationFn: () => api.post<Incident>('/incidents', { title, description }),
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: incidentKeys.list });
      setTitle('');
      setDescription('');
      onClose();
    },
  });
  return (
    <Dialog open={open} onClose={onClose} title="New incident">
      <form
        className="stack"
        onSubmit={(e) => {
          e.preventDefault();
          if (title.trim()) create.mutate();
        }}
      >
        <TextField
          label="Title"
          placeholder="Internet outage in Oakdale"
          value={title}
          onChange={(e) => setTitle(e.target.value)}
          required
          autoFocus
        />
        <TextArea
          label="Description"
          rows={3}
          value={description}
          onChange={(e) => setDescription(e.target.value)}
        />
        {create.isError ? (
          <Notice tone="danger" role="alert">
            {errorMessage(create.error)}
          </Notice>
        ) : null}
        <div className="row-end">
          <Button onClick={onClose}>Cancel</Button>
          <Button type="submit" variant="primary" busy={create.isPending} disabled={!title.trim()}>
            Open incident
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
