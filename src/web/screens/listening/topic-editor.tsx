import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useNavigate } from '@tanstack/react-router';
import { type FormEvent, useEffect, useMemo, useRef, useState } from 'react';
import { ApiError, api, errorMessage } from '../../api/client.ts';
import type { Topic } from '../../api/queries.ts';
import { Badge } from '../../components/badge.tsx';
import { Button } from '../../components/button.tsx';
import { Checkbox, TextArea, TextField } from '../../components/field.tsx';
import { Panel } from '../../components/page.tsx';
import { RelativeTime } from '../../components/relative-time.tsx';
import { Spinner } from '../../components/spinner.tsx';
import { Notice } from '../../components/states.tsx';
import { useToast } from '../../components/toast.tsx';
import { channelName, formatNumber, formatPercent } from '../../lib/format.ts';
import { HighlightedText } from './highlighted-text.tsx';
import { QueryError } from './query-error.tsx';

type Filters = { dropReposts?: boolean; excludeBrandAccounts?: boolean; minLength?: number };
type Draft = {
  name: string;
  query: string;
  includes: string[];
  excludes: string[];
  filters: Filters;
  enabled: boolean;
};
type Preview = {
  total: number;
  scanned: number;
  matches: {
    postId: string;
    externalId: string;
    channel: string;
    author: string;
    createdAt: string;
    text: string;
    highlights: [number, number][];
  }[];
};
type QueryProblem = { message: string; field: string; position: number };

const lines = (s: string) =>
  s
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);

function draftOf(t: Topic | null): Draft {
  const f = (t?.filters ?? {}) as Filters;
  return {
    name: t?.name ?? '',
    query: t?.query ?? '',
    includes: (t?.includes as string[] | undefined) ?? [],
    excludes: (t?.excludes as string[] | undefined) ?? [],
    filters: {
      dropReposts: f.dropReposts ?? false,
      excludeBrandAccounts: f.excludeBrandAccounts ?? true,
      ...(f.minLength ? { minLength: f.minLength } : {}),
    },
    enabled: t?.enabled !== false,
  };
}

function problemOf(err: unknown): QueryProblem | null {
  if (!(err instanceof ApiError) || err.code !== 'invalid_query') return null;
  const d = (err.details ?? {}) as { field?: string; position?: number };
  return { message: err.message, field: d.field ?? 'query', position: d.position ?? 0 };
}

/** The text a problem's field refers to (`query`, `includes[1]`, `excludes[0]`). */
function fieldText(d: Draft, field: string): string {
  const m = /^(includes|excludes)\[(\d+)\]$/.exec(field);
  if (!m) return d.query;
  return d[m[1] as 'includes' | 'excludes'][Number(m[2])] ?? '';
}

/** One topic: its queries and noise filters, a live preview with highlights, and its precision. */
export function TopicEditor({
  topic,
  canManage,
  canWork,
}: {
  topic: Topic | null;
  canManage: boolean;
  canWork: boolean;
}) {
  const qc = useQueryClient();
  const toast = useToast();
  const navigate = useNavigate();
  const [draft, setDraft] = useState<Draft>(() => draftOf(topic));
  const [includesText, setIncludesText] = useState(draft.includes.join('\n'));
  const [excludesText, setExcludesText] = useState(draft.excludes.join('\n'));
  const queryRef = useRef<HTMLTextAreaElement>(null);
  const effective = useMemo(
    () => ({ ...draft, includes: lines(includesText), excludes: lines(excludesText) }),
    [draft, includesText, excludesText],
  );
  const debounced = useDebounced(effective, 350);

  const preview = useQuery({
    queryKey: ['topic-preview', debounced.query, debounced.includes, debounced.excludes, debounced.filters],
    queryFn: ({ signal }) =>
      api.post<Preview>(
        '/topics/preview',
        {
          query: debounced.query,
          includes: debounced.includes,
          excludes: debounced.excludes,
          filters: debounced.filters,
          limit: 50,
        },
        signal,
      ),
    enabled: canManage && debounced.query.trim().length > 0,
    retry: false,
    placeholderData: (prev) => prev,
  });
  const problem = problemOf(preview.error);

  const save = useMutation({
    mutationFn: () => {
      const body = {
        name: effective.name.trim(),
        query: effective.query,
        includes: effective.includes,
        excludes: effective.excludes,
        filters: effective.filters,
        enabled: effective.enabled,
      };
      return topic ? api.patch<Topic>(`/topics/${topic.id}`, body) : api.post<Topic>('/topics', body);
    },
    onSuccess: (saved) => {
      toast.show(
        topic ? 'Topic saved: it applies to the next post' : 'Topic created: it applies to the next post',
      );
      void qc.invalidateQueries({ queryKey: ['topics'] });
      if (!topic) void navigate({ to: '/listening', search: { topic: saved.id } });
    },
  });
  const saveProblem = problemOf(save.error);

  const remove = useMutation({
    mutationFn: () => api.delete(`/topics/${topic!.id}`),
    onSuccess: () => {
      toast.show('Topic deleted');
      void qc.invalidateQueries({ queryKey: ['topics'] });
      void navigate({ to: '/listening', search: {} });
    },
    onError: (e) => toast.show(errorMessage(e), 'danger'),
  });

  function submit(e: FormEvent) {
    e.preventDefault();
    save.mutate();
  }

  function goToError(p: QueryProblem) {
    if (p.field !== 'query') return;
    const el = queryRef.current;
    if (!el) return;
    el.focus();
    el.setSelectionRange(p.position, Math.min(p.position + 1, el.value.length));
  }

  const shown = problem ?? saveProblem;
  const set = <K extends keyof Draft>(k: K, v: Draft[K]) => setDraft((d) => ({ ...d, [k]: v }));

  return (
    <div className="stack">
      <Panel
        title={topic ? topic.name : 'New topic'}
        actions={topic ? <span className="muted small">version {String(topic.version ?? 1)}</span> : null}
      >
        <form className="panel-body stack" onSubmit={submit} aria-label="Topic">
          <TextField
            label="Name"
            value={draft.name}
            onChange={(e) => set('name', e.target.value)}
            required
            disabled={!canManage}
          />
          <TextArea
            ref={queryRef}
            label="Query"
            className="input textarea query-input"
            spellCheck={false}
            value={draft.query}
            disabled={!canManage}
            aria-invalid={shown?.field === 'query' ? true : undefined}
            hint={
              <>
                Boolean query: <code>AND</code>, <code>OR</code>, <code>NOT</code>, <code>"phrases"</code>,{' '}
                <code>NEAR/3</code>, fields like <code>author:</code> <code>site:</code> <code>email:</code>,
                parentheses.
              </>
            }
            onChange={(e) => set('query', e.target.value)}
          />
          {shown ? (
            <div className="stack">
              <QueryError
                query={fieldText(effective, shown.field)}
                position={shown.position}
                message={shown.message}
                field={shown.field}
              />
              {shown.field === 'query' ? (
                <button type="button" className="link-btn small" onClick={() => goToError(shown)}>
                  Put the cursor at the error
                </button>
              ) : null}
            </div>
          ) : null}
          <div className="row" style={{ alignItems: 'flex-start' }}>
            <div style={{ flex: 1 }}>
              <TextArea
                label="Also match"
                hint="One more query a line, OR-ed with the main one"
                rows={2}
                className="input textarea query-input"
                value={includesText}
                onChange={(e) => setIncludesText(e.target.value)}
                disabled={!canManage}
              />
            </div>
            <div style={{ flex: 1 }}>
              <TextArea
                label="Exclude"
                hint="A post matching any line here is not kept"
                rows={2}
                className="input textarea query-input"
                value={excludesText}
                onChange={(e) => setExcludesText(e.target.value)}
                disabled={!canManage}
              />
            </div>
          </div>
          <fieldset className="row" disabled={!canManage} style={{ border: 0, padding: 0, margin: 0 }}>
            <legend className="field-label">Noise filters</legend>
            <Checkbox
              label="Drop reposts"
              checked={Boolean(draft.filters.dropReposts)}
              onChange={(e) => set('filters', { ...draft.filters, dropReposts: e.target.checked })}
            />
            <Checkbox
              label="Ignore the brand's own accounts"
              checked={Boolean(draft.filters.excludeBrandAccounts)}
              onChange={(e) => set('filters', { ...draft.filters, excludeBrandAccounts: e.target.checked })}
            />
            <Checkbox
              label="Enabled"
              checked={draft.enabled}
              onChange={(e) => set('enabled', e.target.checked)}
            />
          </fieldset>
          {save.isError && !saveProblem ? (
            <Notice tone="danger" role="alert">
              {errorMessage(save.error)}
            </Notice>
          ) : null}
          {canManage ? (
            <div className="row-end">
              {topic ? (
                <Button
                  variant="ghost"
                  busy={remove.isPending}
                  onClick={() => {
                    if (window.confirm(`Delete the topic "${topic.name}"? Posts already stored stay.`))
                      remove.mutate();
                  }}
                >
                  Delete
                </Button>
              ) : null}
              <Button
                type="submit"
                variant="primary"
                busy={save.isPending}
                disabled={!draft.name.trim() || !draft.query.trim()}
              >
                {topic ? 'Save topic' : 'Create topic'}
              </Button>
            </div>
          ) : (
            <p className="muted small">Managers and admins edit topics.</p>
          )}
        </form>
      </Panel>
      {canManage ? (
        <PreviewPanel
          preview={preview.data ?? null}
          loading={preview.isFetching}
          problem={Boolean(problem)}
          error={problem ? null : preview.error}
          topicId={topic?.id ?? null}
          canWork={canWork}
        />
      ) : null}
      {topic ? (
        <PrecisionPanel
          topicId={topic.id}
          onExclude={(term) => setExcludesText((t) => (t.trim() ? `${t.trim()}\n${term}` : term))}
          canManage={canManage}
        />
      ) : null}
    </div>
  );
}

function useDebounced<T>(value: T, ms: number): T {
  const [v, setV] = useState(value);
  useEffect(() => {
    const t = setTimeout(() => setV(value), ms);
    return () => clearTimeout(t);
  }, [value, ms]);
  return v;
}

function PreviewPanel({
  preview,
  loading,
  problem,
  error,
  topicId,
  canWork,
}: {
  preview: Preview | null;
  loading: boolean;
  problem: boolean;
  error: unknown;
  topicId: string | null;
  canWork: boolean;
}) {
  const [dismissed, setDismissed] = useState<Set<string>>(new Set());
  const qc = useQueryClient();
  const toast = useToast();
  const dismiss = useMutation({
    mutationFn: ({ postId, undo }: { postId: string; undo: boolean }) =>
      undo
        ? api.delete(`/topics/${topicId}/matches/${postId}/dismiss`)
        : api.post(`/topics/${topicId}/matches/${postId}/dismiss`),
    onSuccess: (_r, v) => {
      setDismissed((s) => {
        const n = new Set(s);
        if (v.undo) n.delete(v.postId);
        else n.add(v.postId);
        return n;
      });
      void qc.invalidateQueries({ queryKey: ['topic-precision', topicId] });
      void qc.invalidateQueries({ queryKey: ['topics'] });
    },
    onError: (e) => toast.show(errorMessage(e), 'danger'),
  });
  return (
    <Panel
      title="Live preview"
      actions={
        <span className="muted small" role="status">
          {loading ? (
            <>
              <Spinner size={12} /> Matching…
            </>
          ) : preview && !problem ? (
            `${formatNumber(preview.total)} of ${formatNumber(preview.scanned)} recent posts match`
          ) : null}
        </span>
      }
    >
      {problem ? (
        <p className="panel-body muted">Fix the query to see what it matches.</p>
      ) : error ? (
        <p className="panel-body" role="alert">
          {errorMessage(error)}
        </p>
      ) : !preview ? (
        <p className="panel-body muted">Type a query to see which stored posts it matches.</p>
      ) : preview.matches.length === 0 ? (
        <p className="panel-body muted">No recent post matches this query.</p>
      ) : (
        <ul className="preview-list" aria-label="Matching posts">
          {preview.matches.map((m) => (
            <li
              key={m.postId}
              className="preview-item"
              style={dismissed.has(m.postId) ? { opacity: 0.5 } : undefined}
            >
              <span className="row small">
                <Badge>{channelName(m.channel)}</Badge>
                <strong>@{m.author}</strong>
                <RelativeTime className="muted" at={m.createdAt} />
                {dismissed.has(m.postId) ? <Badge tone="warning">Not relevant</Badge> : null}
                {topicId && canWork ? (
                  <button
                    type="button"
                    className="link-btn small"
                    style={{ marginLeft: 'auto' }}
                    onClick={() => dismiss.mutate({ postId: m.postId, undo: dismissed.has(m.postId) })}
                  >
                    {dismissed.has(m.postId) ? 'Undo' : 'Not relevant'}
                  </button>
                ) : null}
              </span>
              <span>
                <HighlightedText text={m.text} spans={m.highlights} />
              </span>
            </li>
          ))}
        </ul>
      )}
    </Panel>
  );
}

type Precision = {
  matches: number;
  dismissed: number;
  precision: number | null;
  byDay: { day: string; matches: number; dismissed: number; precision: number | null }[];
};
type Suggestion = { term: string; dismissed: number; kept: number; score: number };

function PrecisionPanel({
  topicId,
  onExclude,
  canManage,
}: {
  topicId: string;
  onExclude: (term: string) => void;
  canManage: boolean;
}) {
  const precision = useQuery({
    queryKey: ['topic-precision', topicId],
    queryFn: () => api.get<Precision>(`/topics/${topicId}/precision`, { days: 30 }),
  });
  const suggestions = useQuery({
    queryKey: ['topic-suggestions', topicId],
    queryFn: () => api.get<{ items: Suggestion[] }>(`/topics/${topicId}/suggestions`),
  });
  const p = precision.data;
  const max = Math.max(1, ...(p?.byDay.map((d) => d.matches) ?? [1]));
  return (
    <Panel
      title="Precision (30 days)"
      actions={
        p ? (
          <span className="muted small">
            {formatPercent(p.precision)} kept · {formatNumber(p.dismissed)} dismissed of{' '}
            {formatNumber(p.matches)}
          </span>
        ) : null
      }
    >
      <div className="panel-body stack">
        {p ? (
          <div
            className="bars"
            role="img"
            aria-label={`Matches per day over 30 days; precision ${formatPercent(p.precision)}`}
          >
            {p.byDay.map((d) => (
              <span
                key={d.day}
                className="bar"
                title={`${d.day}: ${d.matches} matches, ${d.dismissed} not relevant`}
                style={{ height: `${(d.matches / max) * 100}%` }}
              >
                <span
                  className="bar-bad"
                  style={{ height: d.matches ? `${(d.dismissed / d.matches) * 100}%` : 0 }}
                />
              </span>
            ))}
          </div>
        ) : (
          <Spinner />
        )}
        <div>
          <h3>Suggested exclusions</h3>
          {suggestions.data?.items.length ? (
            <ul className="plain-list">
              {suggestions.data.items.map((s) => (
                <li key={s.term} className="row small">
                  <code>{s.term}</code>
                  <span className="muted">
                    in {s.dismissed} dismissed, {s.kept} kept
                  </span>
                  {canManage ? (
                    <button type="button" className="link-btn" onClick={() => onExclude(s.term)}>
                      Add to excludes
                    </button>
                  ) : null}
                </li>
              ))}
            </ul>
          ) : (
            <p className="muted small">
              Mark matches "not relevant" and terms they share with each other (but not with kept matches)
              appear here.
            </p>
          )}
        </div>
      </div>
    </Panel>
  );
}
