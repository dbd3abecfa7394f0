import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, type Ref, useEffect, useState } from 'react';
import { ApiError, api, errorMessage } from '../../api/client.ts';
import { keys, useTemplates } from '../../api/queries.ts';
import type { CaseDetail, PiiSpan, ReplyMode } from '../../api/types.ts';
import { Button } from '../../components/button.tsx';
import { Checkbox, TextArea } from '../../components/field.tsx';
import { Segmented } from '../../components/segmented.tsx';
import { Notice } from '../../components/states.tsx';
import { useToast } from '../../components/toast.tsx';
import { countCharacters } from '../../lib/count-characters.ts';
import { channelName } from '../../lib/format.ts';

const MODES: { value: ReplyMode; label: string; hint: string }[] = [
  { value: 'public', label: 'Public', hint: 'Reply on the channel, visible to everyone' },
  { value: 'private', label: 'Private', hint: 'A direct message on the same network' },
  { value: 'email', label: 'Email', hint: "An e-mail to the customer's known address" },
];

const newKey = () => crypto.randomUUID();

/**
 * Reply on the channel, privately or by e-mail. Counts characters against the channel's limit,
 * warns about personal data before sending (the server refuses it in public), and sends each
 * draft once: the idempotency key lives as long as the draft.
 */
export function ReplyComposer({
  c,
  textRef,
  onTyping,
}: {
  c: CaseDetail;
  textRef: Ref<HTMLTextAreaElement>;
  onTyping: () => void;
}) {
  const qc = useQueryClient();
  const toast = useToast();
  const [mode, setMode] = useState<ReplyMode>('public');
  const [text, setText] = useState('');
  const [key, setKey] = useState(newKey);
  const [error, setError] = useState<ApiError | null>(null);
  const templates = useTemplates();
  const check = useReplyCheck(c.id, text, mode);
  const pii = check.pii;
  const limit = check.limit;
  const count = countCharacters(text);
  const over = limit !== null && count > limit;
  // Moving a public conversation to private says so publicly too, so the thread does not go silent.
  const lastInbound = [...c.timeline].reverse().find((e) => e.kind === 'inbound');
  const publicThread = Boolean(lastInbound?.post && !lastInbound.post.isPrivate) && c.channel !== 'email';
  const [announce, setAnnounce] = useState(true);
  const moving = mode === 'private' && publicThread && announce;

  const send = useMutation({
    mutationFn: async () => {
      if (moving) {
        const r = await api.post<{ private: { destination: Record<string, unknown> } }>(
          `/cases/${c.id}/move-private`,
          {
            text,
            idempotencyKey: key,
            version: c.version,
          },
        );
        return r.private;
      }
      return api.post<{ destination: Record<string, unknown> }>(`/cases/${c.id}/replies`, {
        mode,
        text,
        idempotencyKey: key,
        version: c.version,
      });
    },
    onSuccess: (res) => {
      setText('');
      setKey(newKey());
      setError(null);
      const to =
        (res.destination.email as string | undefined) ??
        (res.destination.handle ? `@${String(res.destination.handle)}` : 'the customer');
      toast.show(
        moving
          ? `Moved to private: a public note and a private message to ${to} are queued`
          : `${mode === 'public' ? 'Public reply' : mode === 'private' ? 'Private message' : 'E-mail'} to ${to} queued`,
      );
      void qc.invalidateQueries({ queryKey: keys.case(c.id) });
      void qc.invalidateQueries({ queryKey: keys.allCases });
    },
    onError: (e) => setError(e instanceof ApiError ? e : new ApiError(0, 'unknown', errorMessage(e))),
  });

  const insertTemplate = useMutation({
    mutationFn: (id: string) => api.post<{ text: string }>(`/templates/${id}/render`, { caseId: c.id, mode }),
    onSuccess: (r) => {
      setText((cur) => (cur.trim() ? `${cur}\n${r.text}` : r.text));
      onTyping();
    },
    onError: (e) => toast.show(errorMessage(e), 'danger'),
  });

  function submit(e?: FormEvent) {
    e?.preventDefault();
    if (!text.trim() || over || send.isPending) return;
    send.mutate();
  }

  const fitting = (templates.data ?? []).filter(
    (t) =>
      (!t.channels.length || t.channels.includes(c.channel)) && (!t.modes.length || t.modes.includes(mode)),
  );
  const piiKinds = [...new Set(pii.map((p) => p.kind))].join(', ');

  return (
    <form className="composer" onSubmit={submit} aria-label="Reply to the customer">
      <div className="composer-bar">
        <Segmented legend="Reply mode" hideLegend value={mode} options={MODES} onChange={(m) => setMode(m)} />
        {fitting.length ? (
          <div className="filter">
            <label htmlFor="template" className="filter-label">
              Template
            </label>
            <select
              id="template"
              className="input select input-sm"
              value=""
              onChange={(e) => {
                const t = fitting.find((x) => x.id === e.target.value);
                if (t) insertTemplate.mutate(t.id);
              }}
            >
              <option value="">Insert a template…</option>
              {fitting.map((t) => (
                <option key={t.id} value={t.id}>
                  {t.name}
                </option>
              ))}
            </select>
          </div>
        ) : null}
      </div>
      <TextArea
        label="Reply"
        hideLabel
        ref={textRef}
        rows={4}
        placeholder={`Write a ${mode === 'public' ? 'public reply' : mode === 'private' ? 'private message' : 'e-mail'}… (Ctrl+Enter sends)`}
        value={text}
        onChange={(e) => {
          setText(e.target.value);
          setError(null);
          onTyping();
        }}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) submit();
          if (e.key === 'Escape') (e.target as HTMLTextAreaElement).blur();
        }}
      />
      {mode === 'private' && publicThread ? (
        <Checkbox
          label="Also reply publicly that we continue in a private message (move to private)"
          checked={announce}
          onChange={(e) => setAnnounce(e.target.checked)}
        />
      ) : null}
      {pii.length ? (
        <Notice tone={mode === 'public' ? 'danger' : 'warning'} role="alert">
          {mode === 'public' ? (
            <>
              This reply contains personal data ({piiKinds}). It must never be posted publicly.{' '}
              <button type="button" className="link-btn" onClick={() => setMode('private')}>
                Send it privately instead
              </button>
            </>
          ) : (
            <>This message contains personal data ({piiKinds}). Check that it is meant for this customer.</>
          )}
        </Notice>
      ) : null}
      {error ? (
        <Notice tone="danger" role="alert">
          {error.message}
          {error.code === 'stale_case' ? (
            <>
              {' '}
              <button
                type="button"
                className="link-btn"
                onClick={() =>
                  void qc.invalidateQueries({ queryKey: keys.case(c.id) }).then(() => setError(null))
                }
              >
                Show the latest
              </button>
            </>
          ) : null}
        </Notice>
      ) : null}
      <div className="composer-foot">
        <span
          className={
            over
              ? 'char-count over'
              : limit !== null && count > limit * 0.9
                ? 'char-count near'
                : 'char-count'
          }
          aria-live="polite"
        >
          {limit === null ? `${count} characters` : `${count} / ${limit.toLocaleString('en-US')} characters`}{' '}
          <span className="muted">
            {limit === null ? '(no length limit here)' : `on ${channelName(c.channel)}`}
          </span>
        </span>
        <Button
          type="submit"
          variant="primary"
          busy={send.isPending}
          disabled={!text.trim() || over || (mode === 'public' && pii.length > 0)}
        >
          Send
        </Button>
      </div>
    </form>
  );
}

/**
 * Asks the server's PII guard and length limits about the draft (the same checks sending
 * enforces), after a short pause in typing; the last answer stays while the next is on its way.
 */
function useReplyCheck(
  caseId: string,
  text: string,
  mode: ReplyMode,
): { pii: PiiSpan[]; limit: number | null } {
  const [debounced, setDebounced] = useState(text);
  useEffect(() => {
    const t = setTimeout(() => setDebounced(text), 300);
    return () => clearTimeout(t);
  }, [text]);
  const q = useQuery({
    queryKey: ['reply-check', caseId, mode, debounced],
    queryFn: () =>
      api.post<{ pii: PiiSpan[]; limit: number | null }>('/console/reply-check', {
        caseId,
        text: debounced,
        mode,
      }),
    staleTime: Number.POSITIVE_INFINITY,
    placeholderData: (prev) => prev,
    retry: false,
  });
  return { pii: text.trim() && debounced.trim() ? (q.data?.pii ?? []) : [], limit: q.data?.limit ?? null };
}
