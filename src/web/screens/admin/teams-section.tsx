import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api, errorMessage } from '../../api/client.ts';
import { Button } from '../../components/button.tsx';
import { SelectField, TextField } from '../../components/field.tsx';
import { Panel } from '../../components/page.tsx';
import { EmptyState, ErrorState, LoadingState, Notice } from '../../components/states.tsx';
import { useToast } from '../../components/toast.tsx';

type Sla = {
  firstResponseMinutes: number;
  nextResponseMinutes: number;
  resolutionMinutes: number;
  warnBeforeMinutes: number;
};
type TeamView = {
  id: string;
  name: string;
  description: string;
  assignmentStrategy: 'manual' | 'round_robin' | 'least_loaded' | 'skills';
  sla: Sla;
  calendar: { timezone: string; hours: Record<string, [string, string][]>; holidays: string[] };
  openCases: number;
  members: {
    id: string;
    name: string | null;
    email: string;
    availability: string;
    capacity: number;
    openCases: number;
  }[];
};

const STRATEGIES = [
  { value: 'manual', label: 'Manual pull — agents take cases themselves' },
  { value: 'round_robin', label: 'Round robin — in turn among available members' },
  { value: 'least_loaded', label: 'Least loaded — fewest open cases, within capacity' },
  { value: 'skills', label: 'Skills — members with the required skills' },
];

/** Teams (queues): assignment strategy, SLA targets, members and their load. */
export function TeamsSection() {
  const teams = useQuery({
    queryKey: ['teams', 'full'],
    queryFn: async () => (await api.get<{ items: TeamView[] }>('/teams')).items,
  });
  const [creating, setCreating] = useState(false);
  return (
    <>
      <div className="row-end">
        <Button variant="primary" size="sm" onClick={() => setCreating((v) => !v)}>
          New team
        </Button>
      </div>
      {creating ? <TeamForm team={null} onDone={() => setCreating(false)} /> : null}
      {teams.isPending ? (
        <LoadingState />
      ) : teams.isError ? (
        <ErrorState error={teams.error} onRetry={() => teams.refetch()} />
      ) : teams.data.length ? (
        teams.data.map((t) => <TeamForm key={t.id} team={t} />)
      ) : (
        <EmptyState title="No teams yet">Cases without a queue stay in the shared inbox.</EmptyState>
      )}
    </>
  );
}

function TeamForm({ team, onDone }: { team: TeamView | null; onDone?: () => void }) {
  const qc = useQueryClient();
  const toast = useToast();
  const [name, setName] = useState(team?.name ?? '');
  const [strategy, setStrategy] = useState(team?.assignmentStrategy ?? 'manual');
  const [sla, setSla] = useState<Sla>(
    team?.sla ?? {
      firstResponseMinutes: 60,
      nextResponseMinutes: 120,
      resolutionMinutes: 1440,
      warnBeforeMinutes: 15,
    },
  );
  const [tz, setTz] = useState(team?.calendar.timezone ?? 'UTC');
  const save = useMutation({
    mutationFn: () => {
      const body = {
        name,
        assignmentStrategy: strategy,
        sla,
        calendar: {
          timezone: tz,
          hours: team?.calendar.hours ?? {},
          holidays: team?.calendar.holidays ?? [],
        },
      };
      return team ? api.patch(`/teams/${team.id}`, body) : api.post('/teams', body);
    },
    onSuccess: () => {
      toast.show(team ? `Team ${name} saved` : `Team ${name} created`);
      void qc.invalidateQueries({ queryKey: ['teams'] });
      onDone?.();
    },
  });
  const minutes = (k: keyof Sla, label: string) => (
    <TextField
      label={label}
      type="number"
      min={1}
      value={String(sla[k])}
      onChange={(e) => setSla((s) => ({ ...s, [k]: Math.max(0, Number(e.target.value) || 0) }))}
    />
  );
  return (
    <Panel
      title={team ? team.name : 'New team'}
      actions={
        team ? (
          <span className="muted small">
            {team.openCases} open cases · {team.members.length} members
          </span>
        ) : null
      }
    >
      <form
        className="panel-body stack"
        onSubmit={(e) => {
          e.preventDefault();
          save.mutate();
        }}
      >
        <div className="form-grid">
          <TextField label="Name" value={name} onChange={(e) => setName(e.target.value)} required />
          <SelectField
            label="Assignment"
            value={strategy}
            onChange={(e) => setStrategy(e.target.value as TeamView['assignmentStrategy'])}
            options={STRATEGIES}
          />
          <TextField
            label="Time zone"
            hint="IANA name, e.g. America/New_York"
            value={tz}
            onChange={(e) => setTz(e.target.value)}
          />
        </div>
        <fieldset className="form-grid plain-fieldset">
          <legend className="field-label">SLA targets (business minutes)</legend>
          {minutes('firstResponseMinutes', 'First response')}
          {minutes('nextResponseMinutes', 'Next response')}
          {minutes('resolutionMinutes', 'Resolution')}
          {minutes('warnBeforeMinutes', 'Warn before')}
        </fieldset>
        {team?.members.length ? (
          <p className="small">
            <span className="muted">Members: </span>
            {team.members
              .map((m) => `${m.name ?? m.email} (${m.availability}, ${m.openCases}/${m.capacity})`)
              .join(' · ')}
          </p>
        ) : null}
        {save.isError ? (
          <Notice tone="danger" role="alert">
            {errorMessage(save.error)}
          </Notice>
        ) : null}
        <div className="row-end">
          <Button
            type="submit"
            variant={team ? 'secondary' : 'primary'}
            busy={save.isPending}
            disabled={!name.trim()}
          >
            {team ? 'Save team' : 'Create team'}
          </Button>
        </div>
      </form>
    </Panel>
  );
}
