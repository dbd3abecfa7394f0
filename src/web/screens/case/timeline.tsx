import type { ReactNode } from 'react';
import type { PiiSpan, TimelineEntry } from '../../api/types.ts';
import { Badge } from '../../components/badge.tsx';
import { RelativeTime } from '../../components/relative-time.tsx';
import { channelName, formatNumber, titleCase } from '../../lib/format.ts';

const MODE_LABEL = { public: 'Public reply', private: 'Private message', email: 'E-mail' } as const;
const DELIVERY = {
  queued: { tone: 'neutral', label: 'Queued' },
  sending: { tone: 'info', label: 'Sending…' },
  sent: { tone: 'success', label: 'Sent' },
  failed: { tone: 'danger', label: 'Failed' },
} as const;

/** The conversation across channels: posts, replies with delivery status, notes and events. */
export function Timeline({ entries }: { entries: TimelineEntry[] }) {
  return (
    <ol className="timeline" aria-label="Conversation">
      {entries.map((e) => (
        <li key={e.id} className={`tl tl-${e.kind}`}>
          {e.kind === 'inbound' ? (
            <Inbound e={e} />
          ) : e.kind === 'outbound' ? (
            <Outbound e={e} />
          ) : e.kind === 'note' ? (
            <Note e={e} />
          ) : (
            <Event e={e} />
          )}
        </li>
      ))}
    </ol>
  );
}

function Inbound({ e }: { e: TimelineEntry }) {
  const p = e.post;
  const pii = p?.pii ?? [];
  return (
    <article
      className="bubble bubble-in"
      aria-label={`From ${p?.author.handle ? `@${p.author.handle}` : 'the customer'}`}
    >
      <header className="bubble-head">
        <strong>{p?.author.displayName ?? p?.author.handle ?? 'Customer'}</strong>
        {p?.author.handle ? <span className="muted">@{p.author.handle}</span> : null}
        {p ? <Badge>{channelName(p.channel)}</Badge> : null}
        {p?.isPrivate ? <Badge tone="info">Private</Badge> : null}
        {p?.sentiment ? (
          <Badge
            tone={p.sentiment === 'negative' ? 'warning' : p.sentiment === 'positive' ? 'success' : 'neutral'}
          >
            {titleCase(p.sentiment)}
          </Badge>
        ) : null}
        {p?.intent ? <Badge tone="info">{titleCase(p.intent)}</Badge> : null}
        <RelativeTime className="bubble-time" at={e.at} />
      </header>
      {p?.title ? <p className="bubble-title">{p.title}</p> : null}
      <p className="bubble-text">
        <PiiText text={e.body} spans={pii} />
      </p>
      {pii.length ? (
        <p className="bubble-warn" role="note">
          The customer posted personal data ({[...new Set(pii.map((x) => x.kind))].join(', ')}) in public.
          Advise them to delete it, and never repeat it in a public reply.
        </p>
      ) : null}
      <footer className="bubble-foot">
        {p?.author.followers !== null && p?.author.followers !== undefined ? (
          <span className="muted">{formatNumber(p.author.followers)} followers (context only)</span>
        ) : null}
        {p?.url ? (
          <a href={p.url} target="_blank" rel="noreferrer noopener">
            View on {channelName(p.channel)}
          </a>
        ) : null}
      </footer>
    </article>
  );
}

function PiiText({ text, spans }: { text: string; spans: PiiSpan[] }) {
  if (!spans.length) return <>{text}</>;
  const parts: ReactNode[] = [];
  let at = 0;
  for (const s of [...spans].sort((a, b) => a.start - b.start)) {
    if (s.start < at) continue;
    parts.push(text.slice(at, s.start));
    parts.push(
      <mark key={s.start} className="pii" title={`Personal data: ${s.kind}`}>
        {text.slice(s.start, s.end)}
      </mark>,
    );
    at = s.end;
  }
  parts.push(text.slice(at));
  return <>{parts}</>;
}

function Outbound({ e }: { e: TimelineEntry }) {
  const d = e.delivery;
  const mode = d?.mode ?? (e.data.mode as keyof typeof MODE_LABEL | undefined) ?? 'public';
  const status = DELIVERY[d?.status ?? 'queued'];
  return (
    <article className="bubble bubble-out" aria-label={`${MODE_LABEL[mode]} by ${e.actor ?? 'the brand'}`}>
      <header className="bubble-head">
        <strong>{e.actor ?? 'Brand'}</strong>
        <Badge tone={mode === 'public' ? 'accent' : 'info'}>{MODE_LABEL[mode]}</Badge>
        <Badge tone={status.tone}>{status.label}</Badge>
        <RelativeTime className="bubble-time" at={d?.sentAt ?? e.at} />
      </header>
      <p className="bubble-text">{e.body}</p>
      {d?.status === 'failed' && d.error ? (
        <p className="bubble-warn" role="note">
          Not delivered: {d.error}
        </p>
      ) : null}
    </article>
  );
}

function Note({ e }: { e: TimelineEntry }) {
  return (
    <article className="bubble bubble-note" aria-label={`Internal note by ${e.actor ?? 'someone'}`}>
      <header className="bubble-head">
        <strong>{e.actor ?? 'Note'}</strong>
        <Badge tone="warning">Internal note</Badge>
        <RelativeTime className="bubble-time" at={e.at} />
      </header>
      <p className="bubble-text">{e.body}</p>
    </article>
  );
}

function Event({ e }: { e: TimelineEntry }) {
  return (
    <p className="tl-event">
      <span className="tl-dot" aria-hidden="true" />
      <span>
        {e.body || titleCase(e.type ?? 'event')}
        {e.actor ? <span className="muted"> — {e.actor}</span> : null}
      </span>
      <RelativeTime className="muted" at={e.at} />
    </p>
  );
}
