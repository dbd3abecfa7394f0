import { useQuery } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { ApiError, api, withQuery } from '../../api/client.ts';
import { PageHeader, Panel } from '../../components/page.tsx';
import { RelativeTime } from '../../components/relative-time.tsx';
import { EmptyState, ErrorState, LoadingState } from '../../components/states.tsx';
import { channelName, formatDuration, formatNumber, formatPercent } from '../../lib/format.ts';
import { Chart } from './chart.tsx';

type Metrics = {
  inbound: number;
  outbound: number;
  addressedToBrand: number;
  actionable: number;
  responded: number;
  conversations: number;
  responseRate: number;
  firstResponseSeconds: { median: number | null; p90: number | null };
  sla?: { met: number; missed: number; attainment: number | null };
  sentiment?: { negative: number; neutral: number; positive: number; unknown: number };
};
type Summary = {
  totals: Metrics;
  byChannel: (Metrics & { channel: string })[];
  byDay: (Metrics & { day: string })[];
  workload?: {
    agents: { userId: string; name: string | null; replies: number; resolved: number; open: number }[];
    teams: { teamId: string; name: string | null; replies: number; resolved: number; open: number }[];
  };
  backlog?: {
    open: number;
    byStatus: { new: number; open: number; pending: number };
    age: { under1h: number; from1to4h: number; from4to24h: number; from1to3d: number; over3d: number };
    oldestOpenedAt: string | null;
  };
};

const RANGES = [
  { id: '1', label: 'Today', days: 1 },
  { id: '7', label: 'Last 7 days', days: 7 },
  { id: '30', label: 'Last 30 days', days: 30 },
];

function rangeOf(days: number) {
  const now = new Date();
  const from = new Date(now.getFullYear(), now.getMonth(), now.getDate() - (days - 1));
  return {
    from: from.toISOString(),
    to: now.toISOString(),
    tz: Intl.DateTimeFormat().resolvedOptions().timeZone,
  };
}

/** The team's numbers: volume, response rate, first-response time, SLA, sentiment, backlog. */
export function DashboardScreen() {
  const [days, setDays] = useState(7);
  const range = useMemo(() => rangeOf(days), [days]);
  const q = useQuery({
    queryKey: ['analytics', 'summary', days],
    queryFn: () => api.get<Summary>('/analytics/summary', range),
    refetchInterval: 60_000,
  });
  const notAvailable = q.error instanceof ApiError && q.error.status === 404;
  return (
    <div className="screen">
      <PageHeader
        title="Dashboard"
        subtitle="What came in, what we answered and how fast — from the analytics rollups."
        actions={
          <div className="row">
            <label htmlFor="range" className="visually-hidden">
              Period
            </label>
            <select
              id="range"
              className="input select input-sm"
              value={String(days)}
              onChange={(e) => setDays(Number(e.target.value))}
            >
              {RANGES.map((r) => (
                <option key={r.id} value={r.days}>
                  {r.label}
                </option>
              ))}
            </select>
            <a
              className="btn btn-sm"
              href={withQuery('/api/v1/analytics/export', { ...range, report: 'by-day' })}
              download
            >
              Export CSV
            </a>
          </div>
        }
      />
      {q.isPending ? (
        <LoadingState label="Loading the numbers…" />
      ) : notAvailable ? (
        <EmptyState title="Analytics are not available on this server yet" />
      ) : q.isError ? (
        <ErrorState error={q.error} onRetry={() => q.refetch()} />
      ) : (
        <Dashboard s={q.data} range={range} />
      )}
    </div>
  );
}

function Kpi({ label, value, sub }: { label: string; value: string; sub?: string }) {
  return (
    <div className="panel kpi">
      <div className="kpi-label">{label}</div>
      <div className="kpi-value">{value}</div>
      {sub ? <div className="muted small">{sub}</div> : null}
    </div>
  );
}

/** Every day of the range, with the days without activity as zeros (the API lists active days only). */
function fillDays(s: Summary, range: { from: string; to: string }): Summary['byDay'] {
  const byDay = new Map(s.byDay.map((d) => [d.day, d]));
  const out: Summary['byDay'] = [];
  const end = new Date(range.to);
  for (let d = new Date(range.from); d <= end; d.setDate(d.getDate() + 1)) {
    const day = `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
    out.push(
      byDay.get(day) ?? {
        day,
        inbound: 0,
        outbound: 0,
        addressedToBrand: 0,
        actionable: 0,
        responded: 0,
        conversations: 0,
        responseRate: 0,
        firstResponseSeconds: { median: null, p90: null },
      },
    );
  }
  return out;
}

function Dashboard({ s: raw, range }: { s: Summary; range: { from: string; to: string } }) {
  const s = useMemo(() => ({ ...raw, byDay: fillDays(raw, range) }), [raw, range]);
  const t = s.totals;
  const days = useMemo(() => s.byDay.map((d) => d.day.slice(5)), [s]);
  const volume = useMemo(
    () => ({
      tooltip: { trigger: 'axis' },
      legend: { bottom: 0 },
      grid: { left: 40, right: 16, top: 16, bottom: 48 },
      xAxis: { type: 'category', data: days },
      yAxis: { type: 'value' },
      series: [
        { name: 'Inbound', type: 'bar', data: s.byDay.map((d) => d.inbound) },
        { name: 'Addressed to the brand', type: 'bar', data: s.byDay.map((d) => d.addressedToBrand) },
        { name: 'Responded', type: 'line', smooth: true, data: s.byDay.map((d) => d.responded) },
      ],
    }),
    [s, days],
  );
  const byChannel = useMemo(
    () => ({
      tooltip: { trigger: 'axis' },
      legend: { bottom: 0 },
      grid: { left: 90, right: 16, top: 16, bottom: 48 },
      xAxis: { type: 'value' },
      yAxis: { type: 'category', data: s.byChannel.map((c) => channelName(c.channel)) },
      series: [
        { name: 'Inbound', type: 'bar', data: s.byChannel.map((c) => c.inbound) },
        { name: 'Responded', type: 'bar', data: s.byChannel.map((c) => c.responded) },
      ],
    }),
    [s],
  );
  const speed = useMemo(
    () => ({
      tooltip: { trigger: 'axis' },
      legend: { bottom: 0 },
      grid: { left: 48, right: 48, top: 16, bottom: 48 },
      xAxis: { type: 'category', data: days },
      yAxis: [
        {
          type: 'value',
          name: 'rate',
          min: 0,
          max: 1,
          axisLabel: { formatter: (v: number) => `${Math.round(v * 100)}%` },
        },
        { type: 'value', name: 'minutes' },
      ],
      series: [
        { name: 'Response rate', type: 'line', data: s.byDay.map((d) => d.responseRate) },
        { name: 'SLA attainment', type: 'line', data: s.byDay.map((d) => d.sla?.attainment ?? null) },
        {
          name: 'First response, median (min)',
          type: 'bar',
          yAxisIndex: 1,
          data: s.byDay.map((d) =>
            d.firstResponseSeconds.median === null ? null : Math.round(d.firstResponseSeconds.median / 60),
          ),
        },
      ],
    }),
    [s, days],
  );
  const sentiment = useMemo(
    () => ({
      tooltip: { trigger: 'item' },
      legend: { bottom: 0 },
      color: ['#dc2626', '#94a3b8', '#16a34a', '#e2e8f0'],
      series: [
        {
          type: 'pie',
          radius: ['45%', '70%'],
          label: { show: false },
          data: [
            { name: 'Negative', value: t.sentiment?.negative ?? 0 },
            { name: 'Neutral', value: t.sentiment?.neutral ?? 0 },
            { name: 'Positive', value: t.sentiment?.positive ?? 0 },
            { name: 'Unknown', value: t.sentiment?.unknown ?? 0 },
          ],
        },
      ],
    }),
    [t],
  );
  const b = s.backlog;
  const backlog = useMemo(
    () =>
      b
        ? {
            tooltip: { trigger: 'axis' },
            grid: { left: 40, right: 16, top: 16, bottom: 32 },
            xAxis: { type: 'category', data: ['< 1 h', '1–4 h', '4–24 h', '1–3 d', '> 3 d'] },
            yAxis: { type: 'value' },
            series: [
              {
                name: 'Open cases',
                type: 'bar',
                data: [b.age.under1h, b.age.from1to4h, b.age.from4to24h, b.age.from1to3d, b.age.over3d],
              },
            ],
          }
        : null,
    [b],
  );
  return (
    <div className="stack">
      <div className="kpis">
        <Kpi
          label="Inbound"
          value={formatNumber(t.inbound)}
          sub={`${formatNumber(t.addressedToBrand)} addressed to the brand`}
        />
        <Kpi
          label="Responded"
          value={formatNumber(t.responded)}
          sub={`${formatNumber(t.conversations)} conversations`}
        />
        <Kpi label="Response rate" value={formatPercent(t.responseRate)} />
        <Kpi
          label="First response"
          value={formatDuration(t.firstResponseSeconds.median)}
          sub={`p90 ${formatDuration(t.firstResponseSeconds.p90)}`}
        />
        <Kpi
          label="SLA attainment"
          value={formatPercent(t.sla?.attainment ?? null)}
          sub={t.sla ? `${t.sla.met} met, ${t.sla.missed} missed` : undefined}
        />
        {b ? (
          <Kpi
            label="Backlog"
            value={formatNumber(b.open)}
            sub={`${b.byStatus.new} new · ${b.byStatus.pending} waiting`}
          />
        ) : null}
      </div>
      <div className="charts">
        <Panel title="Volume by day">
          <Chart
            option={volume}
            label={`Inbound, addressed and responded posts per day; ${t.inbound} inbound in total`}
          />
        </Panel>
        <Panel title="By channel">
          <Chart option={byChannel} label="Inbound and responded posts per channel" />
        </Panel>
        <Panel title="Response rate, SLA and first-response time">
          <Chart
            option={speed}
            label={`Response rate ${formatPercent(t.responseRate)}; median first response ${formatDuration(t.firstResponseSeconds.median)}`}
          />
        </Panel>
        <Panel title="Sentiment mix">
          <Chart option={sentiment} label="Share of negative, neutral and positive posts" />
        </Panel>
        {backlog && b ? (
          <Panel
            title="Backlog by age"
            actions={
              b.oldestOpenedAt ? (
                <span className="muted small">
                  oldest opened <RelativeTime at={b.oldestOpenedAt} />
                </span>
              ) : null
            }
          >
            <Chart option={backlog} label={`${b.open} open cases by how long they have been open`} />
          </Panel>
        ) : null}
      </div>
      {s.workload ? (
        <div className="charts">
          <Panel title="Agents">
            <Workload
              rows={s.workload.agents.map((a) => ({
                id: a.userId,
                name: a.name,
                replies: a.replies,
                resolved: a.resolved,
                open: a.open,
              }))}
            />
          </Panel>
          <Panel title="Queues">
            <Workload
              rows={s.workload.teams.map((a) => ({
                id: a.teamId,
                name: a.name,
                replies: a.replies,
                resolved: a.resolved,
                open: a.open,
              }))}
            />
          </Panel>
        </div>
      ) : null}
    </div>
  );
}

function Workload({
  rows,
}: {
  rows: { id: string; name: string | null; replies: number; resolved: number; open: number }[];
}) {
  if (!rows.length) return <p className="panel-body muted">No activity in this period.</p>;
  return (
    <div className="table-wrap">
      <table className="table">
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Replies</th>
            <th scope="col">Resolved</th>
            <th scope="col">Open now</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.id}>
              <td>{r.name ?? '—'}</td>
              <td>{formatNumber(r.replies)}</td>
              <td>{formatNumber(r.resolved)}</td>
              <td>{formatNumber(r.open)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
