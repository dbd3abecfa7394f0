/**
 * Business-hours arithmetic for SLAs: per-queue calendars with an IANA time zone, opening hours
 * per weekday (0 = Sunday … 6 = Saturday, `[["09:00","17:00"]]`) and holidays (`YYYY-MM-DD`).
 * An empty `hours` means round the clock.
 */
export type Calendar = { timezone: string; hours: Record<string, [string, string][]>; holidays: string[] };

const fmtCache = new Map<string, Intl.DateTimeFormat>();
function formatter(tz: string): Intl.DateTimeFormat {
  let f = fmtCache.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: tz,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      weekday: 'short',
    });
    fmtCache.set(tz, f);
  }
  return f;
}

type Local = { y: number; m: number; d: number; hh: number; mm: number; ss: number; weekday: number };
const WEEKDAYS: Record<string, number> = { Sun: 0, Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6 };

export function toLocal(t: number, tz: string): Local {
  const parts: Record<string, string> = {};
  for (const p of formatter(tz).formatToParts(new Date(t))) parts[p.type] = p.value;
  return {
    y: Number(parts.year),
    m: Number(parts.month),
    d: Number(parts.day),
    hh: Number(parts.hour),
    mm: Number(parts.minute),
    ss: Number(parts.second),
    weekday: WEEKDAYS[parts.weekday ?? 'Sun'] ?? 0,
  };
}

/** The UTC instant of a wall-clock time in a zone (DST-aware). */
export function zonedToUtc(y: number, m: number, d: number, hh: number, mm: number, tz: string): number {
  const guess = Date.UTC(y, m - 1, d, hh, mm);
  const offsetAt = (t: number) => {
    const l = toLocal(t, tz);
    return Date.UTC(l.y, l.m - 1, l.d, l.hh, l.mm, l.ss) - t;
  };
  let t = guess - offsetAt(guess);
  t = guess - offsetAt(t);
  return t;
}

const hm = (s: string) => {
  const [h, m] = s.split(':').map(Number);
  return [h ?? 0, m ?? 0] as const;
};

/** Adds business minutes to a start time according to the calendar. */
export function addBusinessMinutes(start: Date, minutes: number, cal: Calendar): Date {
  const hasHours = Object.values(cal.hours ?? {}).some((v) => v.length > 0);
  if (!hasHours) return new Date(start.getTime() + minutes * 60_000);
  let remaining = minutes * 60_000;
  let cursor = start.getTime();
  const holidays = new Set(cal.holidays ?? []);
  const first = toLocal(cursor, cal.timezone);
  let day = Date.UTC(first.y, first.m - 1, first.d);
  for (let i = 0; i < 800; i++, day += 86_400_000) {
    const dt = new Date(day);
    const y = dt.getUTCFullYear();
    const m = dt.getUTCMonth() + 1;
    const d = dt.getUTCDate();
    const iso = `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
    if (holidays.has(iso)) continue;
    const intervals = cal.hours[String(dt.getUTCDay())] ?? [];
    for (const [open, close] of intervals) {
      const [oh, om] = hm(open);
      const [ch, cm] = hm(close);
      const from = Math.max(cursor, zonedToUtc(y, m, d, oh, om, cal.timezone));
      const to = zonedToUtc(y, m, d, ch, cm, cal.timezone);
      if (to <= from) continue;
      if (to - from >= remaining) return new Date(from + remaining);
      remaining -= to - from;
      cursor = to;
    }
  }
  return new Date(cursor + remaining);
}

/** Business seconds between two instants (for first-response time in business hours). */
export function businessSecondsBetween(a: Date, b: Date, cal: Calendar): number {
  const hasHours = Object.values(cal.hours ?? {}).some((v) => v.length > 0);
  if (!hasHours || b <= a) return Math.max(0, Math.round((b.getTime() - a.getTime()) / 1000));
  let total = 0;
  const holidays = new Set(cal.holidays ?? []);
  const first = toLocal(a.getTime(), cal.timezone);
  let day = Date.UTC(first.y, first.m - 1, first.d);
  for (let i = 0; i < 800 && day <= b.getTime() + 86_400_000; i++, day += 86_400_000) {
    const dt = new Date(day);
    const y = dt.getUTCFullYear();
    const m = dt.getUTCMonth() + 1;
    const d = dt.getUTCDate();
    const iso = `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
    if (holidays.has(iso)) continue;
    for (const [open, close] of cal.hours[String(dt.getUTCDay())] ?? []) {
      const [oh, om] = hm(open);
      const [ch, cm] = hm(close);
      const from = Math.max(a.getTime(), zonedToUtc(y, m, d, oh, om, cal.timezone));
      const to = Math.min(b.getTime(), zonedToUtc(y, m, d, ch, cm, cal.timezone));
      if (to > from) total += to - from;
    }
  }
  return Math.round(total / 1000);
}
