import { useState } from 'react';
import { useTeams, useUsers } from '../../api/queries.ts';
import type { CaseDetail, User } from '../../api/types.ts';
import { Button } from '../../components/button.tsx';
import { Dialog } from '../../components/dialog.tsx';
import { LoadingState } from '../../components/states.tsx';
import type { useCaseActions } from './use-case-actions.ts';

/** Assign to a person (me first) or hand to a team's queue. */
export function AssignDialog({
  open,
  onClose,
  c,
  me,
  actions,
}: {
  open: boolean;
  onClose: () => void;
  c: CaseDetail;
  me: User;
  actions: ReturnType<typeof useCaseActions>;
}) {
  const users = useUsers(open);
  const teams = useTeams(open);
  const [filter, setFilter] = useState('');
  const people = (users.data ?? [])
    .filter((u) => !u.disabled && u.role !== 'viewer' && u.id !== me.id)
    .filter((u) => `${u.name ?? ''} ${u.email}`.toLowerCase().includes(filter.toLowerCase()));
  const assign = (v: { userId?: string | null; teamId?: string | null; label: string }) =>
    actions.assign.mutate({ id: c.id, number: c.number, ...v }, { onSuccess: onClose });
  return (
    <Dialog open={open} onClose={onClose} title={`Assign case #${c.number}`}>
      <div className="stack">
        <p className="muted">
          Now: {c.assignee?.name ?? 'unassigned'}
          {c.queue ? ` in ${c.queue.name}` : ''}
        </p>
        <div className="assign-options">
          <Button
            variant="primary"
            disabled={c.assignee?.id === me.id}
            onClick={() => assign({ userId: me.id, label: 'you' })}
            busy={actions.assign.isPending}
          >
            Assign to me
          </Button>
          {c.assignee ? (
            <Button onClick={() => assign({ userId: null, label: 'nobody (unassigned)' })}>Unassign</Button>
          ) : null}
        </div>
        <label className="field-label" htmlFor="assign-filter">
          Someone else
        </label>
        <input
          id="assign-filter"
          className="input"
          placeholder="Filter people"
          value={filter}
          onChange={(e) => setFilter(e.target.value)}
        />
        {users.isPending ? (
          <LoadingState />
        ) : (
          <ul className="pick-list">
            {people.map((u) => (
              <li key={u.id}>
                <button
                  type="button"
                  className="pick"
                  onClick={() => assign({ userId: u.id, label: u.name ?? u.email })}
                >
                  <span className={`presence-dot presence-${u.availability}`} aria-hidden="true" />
                  <span>{u.name ?? u.email}</span>
                  <span className="muted small">
                    {u.role} · {u.availability}
                  </span>
                </button>
              </li>
            ))}
            {people.length ? null : <li className="muted small">Nobody matches.</li>}
          </ul>
        )}
        {teams.data?.length ? (
          <>
            <p className="field-label">A team's queue</p>
            <ul className="pick-list">
              {teams.data.map((t) => (
                <li key={t.id}>
                  <button
                    type="button"
                    className="pick"
                    onClick={() => assign({ teamId: t.id, label: t.name })}
                  >
                    <span>{t.name}</span>
                    {t.assignmentStrategy ? (
                      <span className="muted small">{String(t.assignmentStrategy).replaceAll('_', ' ')}</span>
                    ) : null}
                  </button>
                </li>
              ))}
            </ul>
          </>
        ) : null}
      </div>
    </Dialog>
  );
}
