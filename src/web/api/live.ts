import { useEffect, useRef, useSyncExternalStore } from 'react';
import type { LiveEvent } from './types.ts';

export type LiveStatus = 'connecting' | 'open' | 'closed';

type Handler = (e: LiveEvent) => void;

/**
 * One WebSocket to `/api/v1/live` per signed-in tab, reconnecting with backoff. Screens subscribe
 * to events and send presence through it; nothing else talks to the socket.
 */
class LiveConnection {
  private socket: WebSocket | null = null;
  private handlers = new Set<Handler>();
  private statusListeners = new Set<() => void>();
  private status: LiveStatus = 'closed';
  private retry = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private wanted = false;
  private pending: string[] = [];

  start() {
    if (this.wanted) return;
    this.wanted = true;
    this.connect();
  }

  stop() {
    this.wanted = false;
    if (this.timer) clearTimeout(this.timer);
    this.socket?.close();
    this.socket = null;
    this.setStatus('closed');
  }

  subscribe(h: Handler): () => void {
    this.handlers.add(h);
    return () => this.handlers.delete(h);
  }

  send(msg: unknown) {
    const data = JSON.stringify(msg);
    if (this.socket?.readyState === WebSocket.OPEN) this.socket.send(data);
    else this.pending.push(data);
  }

  getStatus = () => this.status;

  onStatus = (l: () => void) => {
    this.statusListeners.add(l);
    return () => this.statusListeners.delete(l);
  };

  private setStatus(s: LiveStatus) {
    this.status = s;
    for (const l of this.statusListeners) l();
  }

  private connect() {
    const proto = location.protocol === 'https:' ? 'wss:' : 'ws:';
    const ws = new WebSocket(`${proto}//${location.host}/api/v1/live`);
    this.socket = ws;
    this.setStatus('connecting');
    ws.onopen = () => {
      this.retry = 0;
      this.setStatus('open');
      for (const m of this.pending.splice(0)) ws.send(m);
      // Tell screens to catch up on whatever happened while the socket was down.
      for (const h of this.handlers) h({ type: 'live.reconnected' });
    };
    ws.onmessage = (m) => {
      let e: LiveEvent;
      try {
        e = JSON.parse(String(m.data)) as LiveEvent;
      } catch {
        return;
      }
      for (const h of this.handlers) h(e);
    };
    ws.onclose = () => {
      if (this.socket !== ws) return;
      this.socket = null;
      this.setStatus('closed');
      if (!this.wanted) return;
      const delay = Math.min(15_000, 500 * 2 ** this.retry++);
      this.timer = setTimeout(() => this.connect(), delay);
    };
  }
}

export const live = new LiveConnection();

/** Calls `handler` for every live event while the component is mounted. */
export function useLiveEvents(handler: Handler) {
  const ref = useRef(handler);
  ref.current = handler;
  useEffect(() => live.subscribe((e) => ref.current(e)), []);
}

export function useLiveStatus(): LiveStatus {
  return useSyncExternalStore(live.onStatus, live.getStatus, live.getStatus);
}
