import { useSyncExternalStore } from 'react';
import { formatAbsolute, formatRelative } from '../lib/format.ts';

// One shared clock for every relative time on the page, ticking every 30 s.
let now = Date.now();
const listeners = new Set<() => void>();
let timer: ReturnType<typeof setInterval> | null = null;
function subscribe(l: () => void) {
  listeners.add(l);
  timer ??= setInterval(() => {
    now = Date.now();
    for (const x of listeners) x();
  }, 30_000);
  return () => {
    listeners.delete(l);
    if (!listeners.size && timer) {
      clearInterval(timer);
      timer = null;
    }
  };
}
export function useNow(): number {
  return useSyncExternalStore(
    subscribe,
    () => now,
    () => now,
  );
}

/** "5 min ago" / "in 2 h", with the exact time on hover and for screen readers' context. */
export function RelativeTime({
  at,
  className,
}: {
  at: string | Date | null | undefined;
  className?: string;
}) {
  const current = useNow();
  if (!at) return null;
  const d = typeof at === 'string' ? new Date(at) : at;
  return (
    <time className={className} dateTime={d.toISOString()} title={formatAbsolute(d)}>
      {formatRelative(d, current)}
    </time>
  );
}
