// Formatters are costly to create; lists format thousands of dates.
const DATE = new Intl.DateTimeFormat(undefined, { year: 'numeric', month: 'short', day: 'numeric' });
const DATE_TIME = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

/** "just now", "5 min ago", "in 2 h", "3 d ago", then a date: short, for lists. */
export function formatRelative(d: Date, now: number = Date.now()): string {
  const diff = d.getTime() - now;
  const abs = Math.abs(diff);
  const future = diff > 0;
  if (abs < 45_000) return future ? 'in a moment' : 'just now';
  let text: string;
  if (abs < HOUR) text = `${Math.round(abs / MIN)} min`;
  else if (abs < DAY) text = `${Math.round(abs / HOUR)} h`;
  else if (abs < 14 * DAY) text = `${Math.round(abs / DAY)} d`;
  else return DATE.format(d);
  return future ? `in ${text}` : `${text} ago`;
}

export function formatAbsolute(d: Date): string {
  return DATE_TIME.format(d);
}

export function formatNumber(n: number | null | undefined): string {
  return n === null || n === undefined ? '—' : n.toLocaleString('en-US');
}

/** Seconds as "42 s", "12 min", "3.5 h", "2.1 d". */
export function formatDuration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || Number.isNaN(seconds)) return '—';
  if (seconds < 90) return `${Math.round(seconds)} s`;
  if (seconds < 90 * 60) return `${Math.round(seconds / 60)} min`;
  if (seconds < 36 * 3600) return `${(seconds / 3600).toFixed(1)} h`;
  return `${(seconds / 86400).toFixed(1)} d`;
}

export function formatPercent(x: number | null | undefined): string {
  return x === null || x === undefined ? '—' : `${Math.round(x * 1000) / 10}%`;
}

/** The SLA state of a due time, for a badge: overdue, due soon (within 30 min), or due later. */
export function dueState(
  dueAt: string | null,
  now: number = Date.now(),
): { tone: 'danger' | 'warning' | 'neutral'; label: string } | null {
  if (!dueAt) return null;
  const d = new Date(dueAt);
  const diff = d.getTime() - now;
  if (diff < 0) return { tone: 'danger', label: `Overdue ${formatRelative(d, now).replace(' ago', '')}` };
  if (diff < 30 * MIN) return { tone: 'warning', label: `Due ${formatRelative(d, now)}` };
  return { tone: 'neutral', label: `Due ${formatRelative(d, now)}` };
}

const CHANNEL_NAMES: Record<string, string> = {
  x: 'X',
  bluesky: 'Bluesky',
  mastodon: 'Mastodon',
  reddit: 'Reddit',
  rss: 'Blogs (RSS)',
  discourse: 'Forum',
  email: 'E-mail',
  webhook: 'Webhook',
  sandbox: 'Sandbox',
};

export function channelName(channel: string): string {
  return CHANNEL_NAMES[channel] ?? channel;
}

export function titleCase(s: string): string {
  return s ? s[0]!.toUpperCase() + s.slice(1).replaceAll('_', ' ') : s;
}
