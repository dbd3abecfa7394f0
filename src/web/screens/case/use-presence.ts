import { useEffect, useRef, useState } from 'react';
import { live, useLiveEvents } from '../../api/live.ts';
import type { PresenceEntry } from '../../api/types.ts';

export type Presence = { id: string; name: string; state: 'viewing' | 'typing'; at: number };

const HEARTBEAT_MS = 20_000;
const EXPIRE_MS = 50_000;
const TYPING_MS = 6_000;

/**
 * Who else has this case open, and who is typing a reply: announces this tab (viewing, typing,
 * left) and listens to the others. Entries expire when their heartbeat stops.
 */
export function usePresence(caseId: string, me: string, initial: PresenceEntry[] = []) {
  const [others, setOthers] = useState<Map<string, Presence>>(new Map());
  const typingAt = useRef(0);

  // Whoever was already there when the case was loaded (the server tracks presence too).
  useEffect(() => {
    if (!initial.length) return;
    setOthers((m) => {
      const next = new Map(m);
      for (const p of initial) {
        if (p.user.id !== me && !next.has(p.user.id))
          next.set(p.user.id, { id: p.user.id, name: p.user.name, state: p.state, at: Date.now() });
      }
      return next;
    });
  }, [initial, me]);

  useEffect(() => {
    setOthers(new Map());
    live.send({ type: 'presence', caseId, state: 'viewing' });
    const beat = setInterval(() => {
      live.send({
        type: 'presence',
        caseId,
        state: Date.now() - typingAt.current < TYPING_MS ? 'typing' : 'viewing',
      });
      setOthers((m) => {
        const now = Date.now();
        const next = new Map(
          [...m]
            .filter(([, p]) => now - p.at < EXPIRE_MS)
            .map(([k, p]) => [
              k,
              p.state === 'typing' && now - p.at > TYPING_MS ? { ...p, state: 'viewing' as const } : p,
            ]),
        );
        return next.size === m.size && [...next].every(([k, p]) => m.get(k)?.state === p.state) ? m : next;
      });
    }, HEARTBEAT_MS / 4);
    const leave = () => live.send({ type: 'presence', caseId, state: 'left' });
    window.addEventListener('pagehide', leave);
    return () => {
      clearInterval(beat);
      window.removeEventListener('pagehide', leave);
      leave();
    };
  }, [caseId]);

  useLiveEvents((e) => {
    if (e.type === 'live.reconnected') live.send({ type: 'presence', caseId, state: 'viewing' });
    if (e.type !== 'presence' || e.caseId !== caseId) return;
    const user = e.user as { id: string; name: string | null } | undefined;
    if (!user || user.id === me) return;
    const state = e.state as 'viewing' | 'typing' | 'left';
    setOthers((m) => {
      const next = new Map(m);
      if (state === 'left') next.delete(user.id);
      else {
        next.set(user.id, { id: user.id, name: user.name ?? 'Someone', state, at: Date.now() });
      }
      return next;
    });
  });

  /** Call on every keystroke in the composer; announces typing at most every few seconds. */
  function typing() {
    const now = Date.now();
    if (now - typingAt.current > TYPING_MS / 2) live.send({ type: 'presence', caseId, state: 'typing' });
    typingAt.current = now;
  }

  return { others: [...others.values()], typing };
}
