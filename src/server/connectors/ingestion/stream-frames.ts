import { RemoteError } from './reader.ts';

export type SseEvent = { event: string; data: string; id?: string };

/**
 * Reads a streaming HTTP body line by line until it ends, `signal` aborts, or nothing (not even
 * a heartbeat) arrives for `idleTimeoutMs` — a silent socket is treated as dropped.
 */
export async function readLines(
  body: ReadableStream<Uint8Array>,
  onLine: (line: string) => void | Promise<void>,
  opts: { signal: AbortSignal; idleTimeoutMs: number },
): Promise<void> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  let timer: NodeJS.Timeout | undefined;
  let idle = false;
  const arm = () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      idle = true;
      reader.cancel().catch(() => {});
    }, opts.idleTimeoutMs);
  };
  const onAbort = () => reader.cancel().catch(() => {});
  opts.signal.addEventListener('abort', onAbort, { once: true });
  arm();
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      arm();
      buffer += decoder.decode(value, { stream: true });
      let nl = buffer.indexOf('\n');
      while (nl !== -1) {
        const line = buffer.slice(0, nl).replace(/\r$/, '');
        buffer = buffer.slice(nl + 1);
        await onLine(line);
        nl = buffer.indexOf('\n');
      }
    }
  } finally {
    clearTimeout(timer);
    opts.signal.removeEventListener('abort', onAbort);
  }
  if (idle)
    throw new RemoteError(`stream silent for ${opts.idleTimeoutMs} ms (no data or heartbeat); reconnecting`);
}

/** Server-sent events (https://html.spec.whatwg.org/multipage/server-sent-events.html): `event:`/`data:` fields, `:` comments are heartbeats. */
export async function readEventStream(
  body: ReadableStream<Uint8Array>,
  onEvent: (e: SseEvent) => void | Promise<void>,
  opts: { signal: AbortSignal; idleTimeoutMs: number },
): Promise<void> {
  let event = '';
  let data: string[] = [];
  let id: string | undefined;
  await readLines(
    body,
    async (line) => {
      if (line === '') {
        if (data.length)
          await onEvent({ event: event || 'message', data: data.join('\n'), ...(id ? { id } : {}) });
        event = '';
        data = [];
        return;
      }
      if (line.startsWith(':')) return;
      const i = line.indexOf(':');
      const field = i === -1 ? line : line.slice(0, i);
      const value = i === -1 ? '' : line.slice(i + 1).replace(/^ /, '');
      if (field === 'event') event = value;
      else if (field === 'data') data.push(value);
      else if (field === 'id') id = value;
    },
    opts,
  );
}
