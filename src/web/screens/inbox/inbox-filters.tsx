import { useNavigate } from '@tanstack/react-router';
import { type Ref, useEffect, useState } from 'react';
import { useUsers } from '../../api/queries.ts';
import type { InboxSearch } from '../../app/router.tsx';
import { channelName } from '../../lib/format.ts';

const CHANNELS = ['x', 'bluesky', 'mastodon', 'reddit', 'rss', 'discourse', 'email', 'webhook', 'sandbox'];
const INTENTS = [
  'complaint',
  'question',
  'billing',
  'technical',
  'appointment',
  'cancellation',
  'praise',
  'feedback',
  'other',
];

/** Filters and full-text search; every change goes into the URL. */
export function InboxFilters({
  search,
  searchRef,
  topics,
}: {
  search: InboxSearch;
  searchRef: Ref<HTMLInputElement>;
  topics: { id: string; name: string }[];
}) {
  const navigate = useNavigate({ from: '/inbox' });
  const users = useUsers();
  const [q, setQ] = useState(search.q ?? '');
  useEffect(() => setQ(search.q ?? ''), [search.q]);
  useEffect(() => {
    if ((search.q ?? '') === q) return;
    const t = setTimeout(
      () => navigate({ search: (s) => ({ ...s, q: q || undefined, view: undefined }), replace: true }),
      250,
    );
    return () => clearTimeout(t);
  }, [q, search.q, navigate]);

  const set = (k: keyof InboxSearch) => (e: { target: { value: string } }) =>
    navigate({ search: (s) => ({ ...s, [k]: e.target.value || undefined, view: undefined }) });

  return (
    <search className="filters" aria-label="Filter the inbox">
      <div className="filter filter-search">
        <label htmlFor="inbox-q" className="visually-hidden">
          Search cases
        </label>
        <input
          id="inbox-q"
          ref={searchRef}
          className="input"
          type="search"
          placeholder="Search cases (press /)"
          value={q}
          onChange={(e) => setQ(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Escape') (e.target as HTMLInputElement).blur();
            if (e.key === 'Enter') navigate({ search: (s) => ({ ...s, q: q || undefined }), replace: true });
          }}
        />
      </div>
      <FilterSelect
        label="Status"
        value={search.status}
        onChange={set('status')}
        options={[
          ['', 'Open (new, open, pending)'],
          ['new', 'New'],
          ['open', 'Open'],
          ['pending', 'Pending'],
          ['resolved', 'Resolved'],
          ['closed', 'Closed'],
          ['resolved,closed', 'Resolved or closed'],
        ]}
      />
      <FilterSelect
        label="Channel"
        value={search.channel}
        onChange={set('channel')}
        options={[['', 'All channels'], ...CHANNELS.map((c) => [c, channelName(c)] as [string, string])]}
      />
      <FilterSelect
        label="Assignee"
        value={search.assignee}
        onChange={set('assignee')}
        options={[
          ['', 'Anyone'],
          ['me', 'Me'],
          ['none', 'Unassigned'],
          ...(users.data ?? [])
            .filter((u) => u.role !== 'viewer' && !u.disabled)
            .map((u) => [u.id, u.name ?? u.email] as [string, string]),
        ]}
      />
      <FilterSelect
        label="Sentiment"
        value={search.sentiment}
        onChange={set('sentiment')}
        options={[
          ['', 'Any sentiment'],
          ['negative', 'Negative'],
          ['neutral', 'Neutral'],
          ['positive', 'Positive'],
        ]}
      />
      <FilterSelect
        label="Intent"
        value={search.intent}
        onChange={set('intent')}
        options={[
          ['', 'Any intent'],
          ...INTENTS.map((i) => [i, i[0]!.toUpperCase() + i.slice(1)] as [string, string]),
        ]}
      />
      {topics.length ? (
        <FilterSelect
          label="Topic"
          value={search.topic}
          onChange={set('topic')}
          options={[['', 'Any topic'], ...topics.map((t) => [t.id, t.name] as [string, string])]}
        />
      ) : null}
    </search>
  );
}

function FilterSelect({
  label,
  value,
  onChange,
  options,
}: {
  label: string;
  value: string | undefined;
  onChange: (e: { target: { value: string } }) => void;
  options: [string, string][];
}) {
  const id = `filter-${label.toLowerCase()}`;
  const known = options.some(([v]) => v === (value ?? ''));
  return (
    <div className="filter">
      <label htmlFor={id} className="filter-label">
        {label}
      </label>
      <select id={id} className="input select input-sm" value={value ?? ''} onChange={onChange}>
        {known ? null : <option value={value}>{value}</option>}
        {options.map(([v, l]) => (
          <option key={v} value={v}>
            {l}
          </option>
        ))}
      </select>
    </div>
  );
}
