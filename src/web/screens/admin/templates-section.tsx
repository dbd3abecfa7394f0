import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api, errorMessage } from '../../api/client.ts';
import { type Template, useTemplates } from '../../api/queries.ts';
import { Badge } from '../../components/badge.tsx';
import { Button } from '../../components/button.tsx';
import { TextArea, TextField } from '../../components/field.tsx';
import { Panel } from '../../components/page.tsx';
import { ErrorState, LoadingState, Notice } from '../../components/states.tsx';
import { useToast } from '../../components/toast.tsx';

const csv = (s: string) =>
  s
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean);

/** Reply templates with {{variables}}, for some channels and modes or all. */
export function TemplatesSection() {
  const templates = useTemplates();
  const [editing, setEditing] = useState<Template | 'new' | null>(null);
  return (
    <>
      <Panel
        title="Templates"
        actions={
          <Button variant="primary" size="sm" onClick={() => setEditing('new')}>
            New template
          </Button>
        }
      >
        {templates.isPending ? (
          <LoadingState />
        ) : templates.isError ? (
          <ErrorState error={templates.error} onRetry={() => templates.refetch()} />
        ) : (
          <ul className="preview-list">
            {(templates.data ?? []).map((t) => (
              <li key={t.id} className="preview-item">
                <span className="row">
                  <strong>{t.name}</strong>
                  {t.channels.map((c) => (
                    <Badge key={c}>{c}</Badge>
                  ))}
                  {t.modes.map((m) => (
                    <Badge key={m} tone="info">
                      {m}
                    </Badge>
                  ))}
                  <button
                    type="button"
                    className="link-btn small"
                    style={{ marginLeft: 'auto' }}
                    onClick={() => setEditing(t)}
                  >
                    Edit
                  </button>
                </span>
                <span className="history-text">{t.body}</span>
              </li>
            ))}
            {templates.data?.length ? null : <li className="preview-item muted">No templates yet.</li>}
          </ul>
        )}
      </Panel>
      {editing ? (
        <TemplateForm
          key={editing === 'new' ? 'new' : editing.id}
          t={editing === 'new' ? null : editing}
          onDone={() => setEditing(null)}
        />
      ) : null}
    </>
  );
}

function TemplateForm({ t, onDone }: { t: Template | null; onDone: () => void }) {
  const qc = useQueryClient();
  const toast = useToast();
  const [name, setName] = useState(t?.name ?? '');
  const [body, setBody] = useState(t?.body ?? '');
  const [channels, setChannels] = useState(t?.channels.join(', ') ?? '');
  const [modes, setModes] = useState(t?.modes.join(', ') ?? '');
  const save = useMutation({
    mutationFn: () => {
      const payload = { name, body, channels: csv(channels), modes: csv(modes) };
      return t ? api.patch(`/templates/${t.id}`, payload) : api.post('/templates', payload);
    },
    onSuccess: () => {
      toast.show('Template saved');
      void qc.invalidateQueries({ queryKey: ['templates'] });
      onDone();
    },
  });
  const remove = useMutation({
    mutationFn: () => api.delete(`/templates/${t!.id}`),
    onSuccess: () => {
      toast.show('Template deleted');
      void qc.invalidateQueries({ queryKey: ['templates'] });
      onDone();
    },
    onError: (e) => toast.show(errorMessage(e), 'danger'),
  });
  return (
    <Panel title={t ? `Edit “${t.name}”` : 'New template'}>
      <form
        className="panel-body stack"
        onSubmit={(e) => {
          e.preventDefault();
          save.mutate();
        }}
      >
        <TextField label="Template name" value={name} onChange={(e) => setName(e.target.value)} required />
        <TextArea
          label="Text"
          rows={4}
          hint="Variables: {{customer.name}}, {{case.number}}, {{agent.name}} and more (see /api/docs)"
          value={body}
          onChange={(e) => setBody(e.target.value)}
          required
        />
        <div className="form-grid">
          <TextField
            label="Only for channels"
            hint="Comma-separated; empty = all"
            value={channels}
            onChange={(e) => setChannels(e.target.value)}
          />
          <TextField
            label="Only for modes"
            hint="public, private, email; empty = all"
            value={modes}
            onChange={(e) => setModes(e.target.value)}
          />
        </div>
        {save.isError ? (
          <Notice tone="danger" role="alert">
            {errorMessage(save.error)}
          </Notice>
        ) : null}
        <div className="row-end">
          {t ? (
            <Button variant="ghost" busy={remove.isPending} onClick={() => remove.mutate()}>
              Delete
            </Button>
          ) : null}
          <Button onClick={onDone}>Cancel</Button>
          <Button
            type="submit"
            variant="primary"
            busy={save.isPending}
            disabled={!name.trim() || !body.trim()}
          >
            Save template
          </Button>
        </div>
      </form>
    </Panel>
  );
}
