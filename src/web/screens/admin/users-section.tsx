import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api, errorMessage } from '../../api/client.ts';
import { keys, useUsers } from '../../api/queries.ts';
import type { Role, User } from '../../api/types.ts';
import { Badge } from '../../components/badge.tsx';
import { Button } from '../../components/button.tsx';
import { Dialog } from '../../components/dialog.tsx';
import { SelectField, TextField } from '../../components/field.tsx';
import { Panel } from '../../components/page.tsx';
import { ErrorState, LoadingState, Notice } from '../../components/states.tsx';
import { useToast } from '../../components/toast.tsx';

export const ROLES: { value: Role; label: string }[] = [
  { value: 'admin', label: 'Admin — everything' },
  { value: 'manager', label: 'Manager — teams, routing, listening' },
  { value: 'agent', label: 'Agent — works cases' },
  { value: 'contributor', label: 'Contributor — any employee, hands items over' },
  { value: 'viewer', label: 'Viewer — other support areas, read-only' },
];

/** Users and their roles; admins add people, change roles and disable accounts. */
export function UsersSection({ isAdmin }: { isAdmin: boolean }) {
  const users = useUsers();
  const qc = useQueryClient();
  const toast = useToast();
  const [adding, setAdding] = useState(false);
  const patch = useMutation({
    mutationFn: (v: { id: string; body: Partial<{ role: Role; disabled: boolean }> }) =>
      api.patch(`/users/${v.id}`, v.body),
    onSuccess: () => {
      toast.show('User updated');
      void qc.invalidateQueries({ queryKey: keys.users });
    },
    onError: (e) => toast.show(errorMessage(e), 'danger'),
  });
  return (
    <Panel
      title="Users and roles"
      actions={
        isAdmin ? (
          <Button variant="primary" size="sm" onClick={() => setAdding(true)}>
            Add user
          </Button>
        ) : null
      }
    >
      {users.isPending ? (
        <LoadingState />
      ) : users.isError ? (
        <ErrorState error={users.error} onRetry={() => users.refetch()} />
      ) : (
        <div className="table-wrap">
          <table className="table">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">E-mail</th>
                <th scope="col">Role</th>
                <th scope="col">Availability</th>
                <th scope="col">State</th>
              </tr>
            </thead>
            <tbody>
              {users.data.map((u: User) => (
                <tr key={u.id}>
                  <td>{u.name ?? '—'}</td>
                  <td>{u.email}</td>
                  <td>
                    {isAdmin ? (
                      <select
                        aria-label={`Role of ${u.email}`}
                        className="input select input-sm"
                        value={u.role}
                        onChange={(e) => patch.mutate({ id: u.id, body: { role: e.target.value as Role } })}
                      >
                        {ROLES.map((r) => (
                          <option key={r.value} value={r.value}>
                            {r.value}
                          </option>
                        ))}
                      </select>
                    ) : (
                      u.role
                    )}
                  </td>
                  <td>{u.availability}</td>
                  <td>
                    {u.disabled ? (
                      <Badge tone="danger">Disabled</Badge>
                    ) : (
                      <Badge tone="success">Active</Badge>
                    )}{' '}
                    {isAdmin ? (
                      <button
                        type="button"
                        className="link-btn small"
                        onClick={() => patch.mutate({ id: u.id, body: { disabled: !u.disabled } })}
                      >
                        {u.disabled ? 'Enable' : 'Disable'}
                      </button>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <AddUserDialog open={adding} onClose={() => setAdding(false)} />
    </Panel>
  );
}

function AddUserDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const qc = useQueryClient();
  const [email, setEmail] = useState('');
  const [name, setName] = useState('');
  const [role, setRole] = useState<Role>('agent');
  const [password, setPassword] = useState('');
  const add = useMutation({
    mutationFn: () =>
      api.post('/users', { email, name: name || undefined, role, password: password || undefined }),
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: keys.users });
      setEmail('');
      setName('');
      setPassword('');
      onClose();
    },
  });
  return (
    <Dialog open={open} onClose={onClose} title="Add a user">
      <form
        className="stack"
        onSubmit={(e) => {
          e.preventDefault();
          add.mutate();
        }}
      >
        <TextField
          label="E-mail address"
          type="email"
          value={email}
          onChange={(e) => setEmail(e.target.value)}
          required
          autoFocus
        />
        <TextField label="Name" value={name} onChange={(e) => setName(e.target.value)} />
        <SelectField
          label="Role"
          value={role}
          onChange={(e) => setRole(e.target.value as Role)}
          options={ROLES}
        />
        <TextField
          label="Initial password"
          type="password"
          hint="They can change it later; leave empty to set one later"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
        />
        {add.isError ? (
          <Notice tone="danger" role="alert">
            {errorMessage(add.error)}
          </Notice>
        ) : null}
        <div className="row-end">
          <Button onClick={onClose}>Cancel</Button>
          <Button type="submit" variant="primary" busy={add.isPending} disabled={!email.trim()}>
            Add user
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
