import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Link, useNavigate } from '@tanstack/react-router';
import { type FormEvent, useEffect, useRef, useState } from 'react';
import { ApiError, api, errorMessage } from '../../api/client.ts';
import { keys, useCase } from '../../api/queries.ts';
import type { CaseDetail } from '../../api/types.ts';
import { caseRoute } from '../../app/router.tsx';
import { abilities, useUser } from '../../app/session.ts';
import { Badge } from '../../components/badge.tsx';
import { Button } from '../../components/button.tsx';
import { Dialog } from '../../components/dialog.tsx';
import { TextArea, TextField } from '../../components/field.tsx';
import { RelativeTime, useNow } from '../../components/relative-time.tsx';
import { EmptyState, ErrorState, LoadingState, Notice } from '../../components/states.tsx';
import { useToast } from '../../components/toast.tsx';
import { channelName, dueState, titleCase } from '../../lib/format.ts';
import { useHotkeys } from '../../lib/hotkeys.ts';
import { AssignDialog } from './assign-dialog.tsx';
import { CustomerPanel } from './customer-panel.tsx';
import { IncidentButton } from './incident-button.tsx';
import { ReplyComposer } from './reply-composer.tsx';
import { Timeline } from './timeline.tsx';
import { useCaseActions } from './use-case-actions.ts';
import { type Presence, usePresence } from './use-presence.ts';

/** One case: the conversation across channels, the customer beside it, the composer below. */
export function CaseScreen() {
  const { caseId } = caseRoute.useParams();
  const q = useCase(caseId);
  if (q.isPending) return <LoadingState label="Loading the case…" />;
  if (q.isError) {
    const status = q.error instanceof ApiError ? q.error.status : 0;
    if (status === 404)
      return (
        <div className="screen">
          <EmptyState title="This case does not exist" action={<Link to="/inbox">Back to the inbox</Link>}>
            It may have been merged into another case.
          </EmptyState>
        </div>
      );
    return (
      <div className="screen">
        <ErrorState error={q.error} onRetry={() => q.refetch()} />
      </div>
    );
  }
  return <CaseView c={q.data} />;
}

function CaseView({ c }: { c: CaseDetail }) {
  const me = useUser();
  const can = abilities(me.role);
  const navigate = useNavigate();
  const search = caseRoute.useSearch();
  const actions = useCaseActions();
  const replyRef = useRef<HTMLTextAreaElement>(null);
  const [assigning, setAssigning] = useState(false);
  const { others, typing } = usePresence(c.id, me.id, c.presence);
  const resolved = c.status === 'resolved' || c.status === 'closed';

  useEffect(() => {
    if (search.reply) replyRef.current?.focus();
  }, [search.reply]);

  useHotkeys({
    r: () => replyRef.current?.focus(),
    a: () =>
      can.work &&
      c.assignee?.id !== me.id &&
      actions.assign.mutate({ id: c.id, number: c.number, userId: me.id, label: 'you' }),
    e: () =>
      can.work && !resolved && actions.setStatus.mutate({ id: c.id, number: c.number, status: 'resolved' }),
    u: () => navigate({ to: '/inbox' }),
    escape: (e) => {
      if (e.target instanceof HTMLElement && e.target.closest('input, textarea, select'))
        (e.target as HTMLElement).blur();
      else navigate({ to: '/inbox' });
    },
  });

  return (
    <div className="screen case-screen">
      <CaseHeader c={c} others={others} />
      <div className="case-toolbar" role="toolbar" aria-label="Case actions">
        {can.work ? (
          <>
            <Button onClick={() => setAssigning(true)}>Assign</Button>
            {resolved ? (
              <Button
                busy={actions.setStatus.isPending}
                onClick={() => actions.setStatus.mutate({ id: c.id, number: c.number, status: 'open' })}
              >
                Reopen
              </Button>
            ) : (
              <Button
                variant="primary"
                busy={actions.setStatus.isPending}
                onClick={() => actions.setStatus.mutate({ id: c.id, number: c.number, status: 'resolved' })}
              >
                Resolve
              </Button>
            )}
            {c.status !== 'pending' && !resolved ? (
              <Button
                variant="ghost"
                onClick={() => actions.setStatus.mutate({ id: c.id, number: c.number, status: 'pending' })}
              >
                Waiting on customer
              </Button>
            ) : null}
            <TagsButton c={c} />
            <ServiceRecoveryButton c={c} />
            <IncidentButton c={c} />
          </>
        ) : (
          <Notice tone="info">
            You have read-only access ({me.role}): you can read cases and customer history, but replying,
            assigning and resolving are for the care team.
          </Notice>
        )}
      </div>
      <div className="case-body">
        <section className="case-main" aria-label="Conversation and reply">
          <Timeline entries={c.timeline} />
          {can.work ? (
            <>
              {c.status === 'closed' ? (
                <Notice tone="info">This case is closed. Reopen it to reply.</Notice>
              ) : (
                <ReplyComposer c={c} textRef={replyRef} onTyping={typing} />
              )}
              <NoteForm c={c} />
            </>
          ) : null}
        </section>
        <CustomerPanel c={c} canWork={can.work} />
      </div>
      {can.work ? (
        <AssignDialog open={assigning} onClose={() => setAssigning(false)} c={c} me={me} actions={actions} />
      ) : null}
    </div>
  );
}

const statusTone = {
  new: 'accent',
  open: 'info',
  pending: 'warning',
  resolved: 'success',
  closed: 'neutral',
} as const;

function CaseHeader({ c, others }: { c: CaseDetail; others: Presence[] }) {
  const now = useNow();
  const due = dueState(c.priority.dueAt, now);
  return (
    <header className="case-header">
      <div className="case-title-row">
        <Link to="/inbox" className="back-link" aria-label="Back to the inbox">
          ←
        </Link>
        <h1>
          <span className="muted">#{c.number}</span> {c.subject || c.preview || 'Case'}
        </h1>
      </div>
      <div className="case-meta">
        <Badge tone={statusTone[c.status]}>{titleCase(c.status)}</Badge>
        <Badge>{channelName(c.channel)}</Badge>
        {c.priority.serviceRecovery ? <Badge tone="danger">Service recovery</Badge> : null}
        {due && c.status !== 'resolved' && c.status !== 'closed' ? (
          <Badge tone={due.tone}>{due.label}</Badge>
        ) : null}
        <span className="muted">
          {c.queue?.name ?? 'No queue'} · {c.assignee ? `Assigned to ${c.assignee.name}` : 'Unassigned'} ·
          opened <RelativeTime at={c.createdAt} />
        </span>
        {c.incidentId ? (
          <Link to="/incidents" search={{ incident: c.incidentId }} className="badge badge-danger">
            Part of an incident
          </Link>
        ) : null}
        {c.tags.map((t) => (
          <Badge key={t} tone="neutral">
            #{t}
          </Badge>
        ))}
      </div>
      <details className="why">
        <summary>Why it is at this position in the queue</summary>
        <ol className="reasons">
          {c.priority.reasons.map((r) => (
            <li key={r}>{r}</li>
          ))}
        </ol>
      </details>
      <PresenceBar others={others} />
    </header>
  );
}

function PresenceBar({ others }: { others: Presence[] }) {
  if (!others.length) return null;
  const typing = others.filter((o) => o.state === 'typing');
  const viewing = others.filter((o) => o.state !== 'typing');
  return (
    <p className="presence" role="status" aria-live="polite">
      {typing.length ? (
        <span className="presence-typing">
          {typing.map((o) => o.name).join(', ')} {typing.length === 1 ? 'is' : 'are'} typing a reply…
        </span>
      ) : null}
      {viewing.length ? (
        <span>
          {viewing.map((o) => o.name).join(', ')} {viewing.length === 1 ? 'is' : 'are'} viewing this case
        </span>
      ) : null}
    </p>
  );
}

function NoteForm({ c }: { c: CaseDetail }) {
  const qc = useQueryClient();
  const toast = useToast();
  const [text, setText] = useState('');
  const add = useMutation({
    mutationFn: () => api.post(`/cases/${c.id}/notes`, { text }),
    onSuccess: () => {
      setText('');
      toast.show('Note added');
      void qc.invalidateQueries({ queryKey: keys.case(c.id) });
    },
    onError: (e) => toast.show(errorMessage(e), 'danger'),
  });
  function submit(e: FormEvent) {
    e.preventDefault();
    if (text.trim()) add.mutate();
  }
  return (
    <details className="note-form">
      <summary>Add an internal note</summary>
      <form onSubmit={submit} className="stack">
        <TextArea
          label="Internal note"
          hint="Only your team sees notes"
          rows={2}
          value={text}
          onChange={(e) => setText(e.target.value)}
        />
        <div className="row-end">
          <Button type="submit" busy={add.isPending} disabled={!text.trim()}>
            Add note
          </Button>
        </div>
      </form>
    </details>
  );
}

function TagsButton({ c }: { c: CaseDetail }) {
  const qc = useQueryClient();
  const toast = useToast();
  const [open, setOpen] = useState(false);
  const [value, setValue] = useState(c.tags.join(', '));
  const save = useMutation({
    mutationFn: (tags: string[]) => api.post(`/cases/${c.id}/tags`, { tags }),
    onSuccess: () => {
      toast.show('Tags saved');
      setOpen(false);
      void qc.invalidateQueries({ queryKey: keys.case(c.id) });
      void qc.invalidateQueries({ queryKey: keys.allCases });
    },
  });
  return (
    <>
      <Button
        variant="ghost"
        onClick={() => {
          setValue(c.tags.join(', '));
          setOpen(true);
        }}
      >
        Tags
      </Button>
      <Dialog open={open} onClose={() => setOpen(false)} title="Tags">
        <form
          className="stack"
          onSubmit={(e) => {
            e.preventDefault();
            save.mutate([
              ...new Set(
                value
                  .split(',')
                  .map((t) => t.trim().toLowerCase())
                  .filter(Boolean),
              ),
            ]);
          }}
        >
          <TextField
            label="Tags"
            hint="Separate with commas"
            value={value}
            onChange={(e) => setValue(e.target.value)}
            autoFocus
          />
          {save.isError ? (
            <Notice tone="danger" role="alert">
              {errorMessage(save.error)}
            </Notice>
          ) : null}
          <div className="row-end">
            <Button type="submit" variant="primary" busy={save.isPending}>
              Save tags
            </Button>
          </div>
        </form>
      </Dialog>
    </>
  );
}

function ServiceRecoveryButton({ c }: { c: CaseDetail }) {
  const qc = useQueryClient();
  const toast = useToast();
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  const on = !c.priority.serviceRecovery;
  const save = useMutation({
    mutationFn: () => api.post(`/cases/${c.id}/service-recovery`, { on, reason }),
    onSuccess: () => {
      toast.show(on ? 'Flagged as service recovery: this case now goes first' : 'Service recovery cleared');
      setOpen(false);
      setReason('');
      void qc.invalidateQueries({ queryKey: keys.case(c.id) });
      void qc.invalidateQueries({ queryKey: keys.allCases });
    },
  });
  return (
    <>
      <Button variant="ghost" onClick={() => setOpen(true)}>
        {on ? 'Flag service recovery' : 'Clear service recovery'}
      </Button>
      <Dialog
        open={open}
        onClose={() => setOpen(false)}
        title={on ? 'Flag service recovery' : 'Clear service recovery'}
      >
        <form
          className="stack"
          onSubmit={(e) => {
            e.preventDefault();
            if (reason.trim()) save.mutate();
          }}
        >
          <p className="muted">
            {on
              ? 'When the company made an error (a billing mistake, a missed appointment, an outage we caused), the customer is cared for first, whatever channel they used.'
              : 'The case returns to the normal order by SLA due time.'}
          </p>
          <TextField
            label="Reason"
            hint="Recorded in the audit log"
            value={reason}
            onChange={(e) => setReason(e.target.value)}
            autoFocus
            required
          />
          {save.isError ? (
            <Notice tone="danger" role="alert">
              {errorMessage(save.error)}
            </Notice>
          ) : null}
          <div className="row-end">
            <Button
              type="submit"
              variant={on ? 'danger' : 'primary'}
              busy={save.isPending}
              disabled={!reason.trim()}
            >
              {on ? 'Flag it' : 'Clear it'}
            </Button>
          </div>
        </form>
      </Dialog>
    </>
  );
}
