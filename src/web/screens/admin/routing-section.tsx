import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api, errorMessage } from '../../api/client.ts';
import { useTeams } from '../../api/queries.ts';
import { Badge } from '../../components/badge.tsx';
import { Button } from '../../components/button.tsx';
import { SelectField, TextField } from '../../components/field.tsx';
import { Panel } from '../../components/page.tsx';
import { ErrorState, LoadingState, Notice } from '../../components/states.tsx';
import { useToast } from '../../components/toast.tsx';
import { channelName } from '../../lib/format.ts';

type Conditions = {
  channels?: string[];
  topicIds?: string[];
  intents?: string[];
  sentiments?: string[];
  languages?: string[];
  keywords?: string[];
  account?: Record<string, string[]>;
  serviceRecovery?: boolean;
};
type Rule = {
  id: string;
  name: string;
  position: number;
  conditions: Conditions;
  teamId: string | null;
  addTags: string[];
  enabled: boolean;
};

const csv = (s: string) =>
  s
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean);

function describe(c: Conditions): string {
  const parts: string[] = [];
  if (c.channels?.length) parts.push(`channel is ${c.channels.map(channelName).join(' or ')}`);
  if (c.intents?.length) parts.push(`intent is ${c.intents.join(' or ')}`);
  if (c.sentiments?.length) parts.push(`sentiment is ${c.sentiments.join(' or ')}`);
  if (c.languages?.length) parts.push(`language is ${c.languages.join(' or ')}`);
  if (c.keywords?.length) parts.push(`mentions ${c.keywords.map((k) => `"${k}"`).join(' or ')}`);
  if (c.topicIds?.length) parts.push(`matches ${c.topicIds.length} topic(s)`);
  if (c.account)
    parts.push(
      `account ${Object.entries(c.account)
        .map(([k, v]) => `${k} ∈ {${v.join(', ')}}`)
        .join(', ')}`,
    );
  if (c.serviceRecovery) parts.push('service recovery');
  return parts.length ? parts.join(' and ') : 'every case';
}

/** Routing rules in order (first match wins), a new-rule form, and a "where would this go?" tester. */
export function RoutingSection() {
  const qc = useQueryClient();
  const toast = useToast();
  const rules = useQuery({
    queryKey: ['routing-rules'],
    queryFn: async () => (await api.get<{ items: Rule[] }>('/routing-rules')).items,
  });
  const teams = useTeams();
  const teamName = (id: string | null) =>
    id ? (teams.data?.find((t) => t.id === id)?.name ?? 'a removed team') : 'no queue';
  const toggle = useMutation({
    mutationFn: (r: Rule) => api.patch(`/routing-rules/${r.id}`, { enabled: !r.enabled }),
    onSuccess: () => void qc.invalidateQueries({ queryKey: ['routing-rules'] }),
    onError: (e) => toast.show(errorMessage(e), 'danger'),
  });
  const remove = useMutation({
    mutationFn: (r: Rule) => api.delete(`/routing-rules/${r.id}`),
    onSuccess: () => void qc.invalidateQueries({ queryKey: ['routing-rules'] }),
    onError: (e) => toast.show(errorMessage(e), 'danger'),
  });
  return (
    <>
      <Panel
        title="Routing rules"
        actions={<span className="muted small">Evaluated top to bottom; the first match wins.</span>}
      >
        {rules.isPending ? (
          <LoadingState />
        ) : rules.isError ? (
          <ErrorState error={rules.error} onRetry={() => rules.refetch()} />
        ) : (
          <ol className="preview-list">
            {rules.data.map((r) => (
              <li key={r.id} className="preview-item">
                <span className="row">
                  <strong>{r.name}</strong>
                  {r.enabled ? null : <Badge>Off</Badge>}
                  {r.addTags.map((t) => (
                    <Badge key={t}>#{t}</Badge>
                  ))}
                  <span className="row" style={{ marginLeft: 'auto' }}>
                    <button type="button" className="link-btn small" onClick={() => toggle.mutate(r)}>
                      {r.enabled ? 'Turn off' : 'Turn on'}
                    </button>
                    <button
                      type="button"
                      className="link-btn small"
                      onClick={() => {
                        if (window.confirm(`Delete the rule "${r.name}"?`)) remove.mutate(r);
                      }}
                    >
                      Delete
                    </button>
                  </span>
                </span>
                <span className="small">
                  When {describe(r.conditions)} → <strong>{teamName(r.teamId)}</strong>
                </span>
              </li>
            ))}
            {rules.data.length ? null : (
              <li className="preview-item muted">No rules: every case goes to the default queue.</li>
            )}
          </ol>
        )}
      </Panel>
      <NewRule position={(rules.data?.length ?? 0) + 1} />
      <RouteTester />
    </>
  );
}

function NewRule({ position }: { position: number }) {
  const qc = useQueryClient();
  const toast = useToast();
  const teams = useTeams();
  const [name, setName] = useState('');
  const [channels, setChannels] = useState('');
  const [intents, setIntents] = useState('');
  const [keywords, setKeywords] = useState('');
  const [teamId, setTeamId] = useState('');
  const create = useMutation({
    mutationFn: () =>
      api.post('/routing-rules', {
        name,
        position,
        teamId: teamId || null,
        conditions: {
          ...(csv(channels).length ? { channels: csv(channels) } : {}),
          ...(csv(intents).length ? { intents: csv(intents) } : {}),
          ...(csv(keywords).length ? { keywords: csv(keywords) } : {}),
        },
      }),
    onSuccess: () => {
      toast.show(`Rule "${name}" added`);
      setName('');
      setChannels('');
      setIntents('');
      setKeywords('');
      void qc.invalidateQueries({ queryKey: ['routing-rules'] });
    },
  });
  return (
    <Panel title="Add a rule">
      <form
        className="panel-body stack"
        onSubmit={(e) => {
          e.preventDefault();
          create.mutate();
        }}
      >
        <div className="form-grid">
          <TextField label="Rule name" value={name} onChange={(e) => setName(e.target.value)} required />
          <SelectField
            label="Send to queue"
            value={teamId}
            onChange={(e) => setTeamId(e.target.value)}
            options={[
              { value: '', label: 'No queue' },
              ...(teams.data ?? []).map((t) => ({ value: t.id, label: t.name })),
            ]}
          />
          <TextField
            label="Channels"
            hint="Comma-separated, e.g. x, email"
            value={channels}
            onChange={(e) => setChannels(e.target.value)}
          />
          <TextField
            label="Intents"
            hint="e.g. billing, appointment"
            value={intents}
            onChange={(e) => setIntents(e.target.value)}
          />
          <TextField
            label="Keywords"
            hint="Any of these words"
            value={keywords}
            onChange={(e) => setKeywords(e.target.value)}
          />
        </div>
        {create.isError ? (
          <Notice tone="danger" role="alert">
            {errorMessage(create.error)}
          </Notice>
        ) : null}
        <div className="row-end">
          <Button type="submit" variant="primary" busy={create.isPending} disabled={!name.trim()}>
            Add rule
          </Button>
        </div>
      </form>
    </Panel>
  );
}

function RouteTester() {
  const teams = useTeams();
  const [text, setText] = useState('');
  const [channel, setChannel] = useState('sandbox');
  const test = useMutation({
    mutationFn: () =>
      api.post<{ teamId: string | null; rule: string | null; addTags: string[] }>('/routing-rules/test', {
        text,
        channel,
      }),
  });
  const r = test.data;
  return (
    <Panel title="Where would it go?">
      <form
        className="panel-body stack"
        onSubmit={(e) => {
          e.preventDefault();
          test.mutate();
        }}
      >
        <div className="form-grid">
          <TextField label="Post text" value={text} onChange={(e) => setText(e.target.value)} />
          <TextField label="Channel" value={channel} onChange={(e) => setChannel(e.target.value)} />
        </div>
        <div className="row-end">
          <Button type="submit" busy={test.isPending}>
            Test routing
          </Button>
        </div>
        {test.isError ? (
          <Notice tone="danger" role="alert">
            {errorMessage(test.error)}
          </Notice>
        ) : r ? (
          <Notice tone="info" role="status">
            Queue:{' '}
            <strong>
              {r.teamId ? (teams.data?.find((t) => t.id === r.teamId)?.name ?? r.teamId) : 'none'}
            </strong>
            {r.rule ? ` — rule "${r.rule}"` : ' — no rule matched (default queue)'}
            {r.addTags.length ? `; tags ${r.addTags.map((t) => `#${t}`).join(' ')}` : ''}
          </Notice>
        ) : null}
      </form>
    </Panel>
  );
}
