import { type MouseEvent, memo, type Ref } from 'react';
import type { CaseSummary } from '../../api/types.ts';
import { Badge } from '../../components/badge.tsx';
import { RelativeTime, useNow } from '../../components/relative-time.tsx';
import { channelName, dueState, titleCase } from '../../lib/format.ts';

export const ROW_HEIGHT = 92;

const statusTone = {
  new: 'accent',
  open: 'info',
  pending: 'warning',
  resolved: 'success',
  closed: 'neutral',
} as const;

/**
 * One case in the inbox: who, what they said, and why it sits where it does. A plain link (the
 * list handles navigation) and memoised, so scrolling thousands of rows mounts only cheap ones.
 */
export const CaseRow = memo(function CaseRow({
  c,
  position,
  setSize,
  selected,
  fresh,
  top,
  linkRef,
  onSelect,
  onOpen,
}: {
  c: CaseSummary;
  position: number;
  setSize: number;
  selected: boolean;
  fresh: boolean;
  top: number;
  linkRef?: Ref<HTMLAnchorElement>;
  onSelect: (id: string) => void;
  onOpen: (id: string) => void;
}) {
  const now = useNow();
  const due = dueState(c.priority.dueAt, now);
  const why = c.priority.reasons.join('\n');
  return (
    <li
      aria-posinset={position}
      aria-setsize={setSize}
      className={['case-row', selected ? 'case-row-selected' : '', fresh ? 'case-row-fresh' : ''].join(' ')}
      style={{ transform: `translateY(${top}px)`, height: ROW_HEIGHT }}
      data-case-id={c.id}
    >
      <a
        href={`/cases/${c.id}`}
        ref={linkRef}
        className="case-row-link"
        aria-current={selected ? 'true' : undefined}
        onFocus={() => onSelect(c.id)}
        onClick={(e: MouseEvent) => {
          if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
          e.preventDefault();
          onOpen(c.id);
        }}
        title={why}
      >
        <span className="case-row-rank" aria-hidden="true">
          {position}
        </span>
        <span className="case-row-body">
          <span className="case-row-top">
            <span className="case-row-who">
              {c.author?.name && c.author.name !== c.author.handle
                ? c.author.name
                : c.author
                  ? `@${c.author.handle}`
                  : `Case #${c.number}`}
            </span>
            <Badge tone="neutral">{channelName(c.channel)}</Badge>
            <Badge tone={statusTone[c.status]}>{titleCase(c.status)}</Badge>
            <RelativeTime className="case-row-time" at={c.lastInboundAt ?? c.createdAt} />
          </span>
          <span className="case-row-preview">{c.preview || c.subject || '(no text)'}</span>
          <span className="case-row-meta">
            {c.priority.serviceRecovery ? <Badge tone="danger">Service recovery</Badge> : null}
            {due ? <Badge tone={due.tone}>{due.label}</Badge> : null}
            {c.sentiment === 'negative' ? <Badge tone="warning">Negative</Badge> : null}
            {c.intent ? <Badge tone="info">{titleCase(c.intent)}</Badge> : null}
            <span className="case-row-why">{c.priority.reasons[0] ?? ''}</span>
            <span className="case-row-owner">
              {c.queue?.name ?? 'No queue'} · {c.assignee?.name ?? 'Unassigned'}
            </span>
          </span>
        </span>
      </a>
    </li>
  );
});
