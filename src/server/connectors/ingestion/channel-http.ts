import { RateLimitedError, RemoteError, sleep } from './reader.ts';

export type ChannelHttpOptions = {
  /** Minimum spacing between two requests of this channel (throttle). */
  minIntervalMs?: number;
  timeoutMs?: number;
  userAgent?: string;
  /** Longest wait for a rate-limit window inside one request before failing the session instead. */
  maxInlineWaitMs?: number;
};

export type ChannelHttp = {
  /** `fetch` with throttling and rate-limit handling; statuses other than 2xx (and `accept`) throw. */
  fetch(
    url: string,
    init?: RequestInit & { accept?: number[]; stream?: boolean },
    signal?: AbortSignal,
  ): Promise<Response>;
  /** GET/POST returning parsed JSON; a truncated or malformed body throws `RemoteError`. */
  json<T>(url: string, init?: RequestInit, signal?: AbortSignal): Promise<T>;
  /** When the remote's rate-limit window reopens (ms since epoch), if it is closed. */
  blockedUntil(): number;
};

/**
 * Reads the reset time from the rate-limit headers the channels use: `Retry-After` (seconds or a
 * date), X's `x-rate-limit-reset` (epoch seconds), Reddit's `x-ratelimit-reset` (seconds from
 * now), Mastodon's `X-RateLimit-Reset` (ISO date) and the IETF draft's `RateLimit-Reset`.
 */
export function rateLimitResetAt(headers: Headers, now = Date.now()): number | null {
  const retryAfter = headers.get('retry-after');
  if (retryAfter) {
    const s = Number(retryAfter);
    if (Number.isFinite(s)) return now + s * 1000;
    const d = Date.parse(retryAfter);
    if (Number.isFinite(d)) return d;
  }
  for (const name of ['x-rate-limit-reset', 'x-ratelimit-reset', 'ratelimit-reset']) {
    const v = headers.get(name);
    if (!v) continue;
    const n = Number(v);
    if (Number.isFinite(n)) return n > 1e9 ? n * 1000 : now + n * 1000;
    const d = Date.parse(v);
    if (Number.isFinite(d)) return d;
  }
  return null;
}

function remaining(headers: Headers): number | null {
  for (const name of ['x-rate-limit-remaining', 'x-ratelimit-remaining', 'ratelimit-remaining']) {
    const v = headers.get(name);
    if (v !== null && v !== '' && Number.isFinite(Number(v))) return Number(v);
  }
  return null;
}

/** One per running channel, so throttling and rate-limit windows outlive a failed session. */
export function createChannelHttp(opts: ChannelHttpOptions = {}): ChannelHttp {
  const minInterval = opts.minIntervalMs ?? 0;
  const timeoutMs = opts.timeoutMs ?? 30_000;
  const maxInlineWait = opts.maxInlineWaitMs ?? 5_000;
  let nextSlot = 0;
  let blocked = 0;

  const doFetch: ChannelHttp['fetch'] = async (url, init = {}, signal) => {
    const now = Date.now();
    if (blocked > now) {
      if (blocked - now > maxInlineWait)
        throw new RateLimitedError(
          `rate limit window closed until ${new Date(blocked).toISOString()}`,
          blocked,
        );
      await sleep(blocked - now, signal);
    }
    const wait = nextSlot - Date.now();
    nextSlot = Math.max(Date.now(), nextSlot) + minInterval;
    if (wait > 0) await sleep(wait, signal);
    const { accept, stream, ...rest } = init;
    const headers = new Headers(rest.headers);
    if (opts.userAgent && !headers.has('user-agent')) headers.set('user-agent', opts.userAgent);
    // A long-lived stream has no overall timeout (its reader watches for silence); the
    // connection itself must still answer within the timeout.
    const connect = new AbortController();
    const connectTimer = setTimeout(
      () => connect.abort(new Error(`no response within ${timeoutMs} ms`)),
      timeoutMs,
    );
    const signals = [stream ? connect.signal : AbortSignal.timeout(timeoutMs), ...(signal ? [signal] : [])];
    let res: Response;
    try {
      res = await fetch(url, { ...rest, headers, signal: AbortSignal.any(signals) });
      clearTimeout(connectTimer);
    } catch (err) {
      clearTimeout(connectTimer);
      if (signal?.aborted) throw err;
      throw new RemoteError(`${rest.method ?? 'GET'} ${redactUrl(url)} failed: ${(err as Error).message}`);
    }
    const left = remaining(res.headers);
    const resetAt = rateLimitResetAt(res.headers);
    if (left !== null && left <= 0 && resetAt) blocked = resetAt;
    if (res.status === 429 || (res.status === 503 && res.headers.has('retry-after'))) {
      await res.body?.cancel();
      const at = resetAt ?? Date.now() + 60_000;
      blocked = at;
      throw new RateLimitedError(
        `${redactUrl(url)} answered ${res.status}: rate limited until ${new Date(at).toISOString()}`,
        at,
      );
    }
    if (!res.ok && !accept?.includes(res.status)) {
      const body = (await res.text().catch(() => '')).slice(0, 300);
      throw new RemoteError(
        `${rest.method ?? 'GET'} ${redactUrl(url)} answered ${res.status}${body ? `: ${body}` : ''}`,
        res.status,
      );
    }
    return res;
  };

  return {
    fetch: doFetch,
    async json<T>(url: string, init?: RequestInit, signal?: AbortSignal): Promise<T> {
      const res = await doFetch(url, init, signal);
      const text = await res.text();
      try {
        return JSON.parse(text) as T;
      } catch {
        throw new RemoteError(
          `${redactUrl(url)} returned malformed JSON (${text.length} bytes): ${text.slice(0, 80)}`,
          res.status,
        );
      }
    },
    blockedUntil: () => blocked,
  };
}

/** Drops credentials and query secrets from a URL before it reaches a log or the health record. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    u.username = '';
    u.password = '';
    for (const k of [...u.searchParams.keys()])
      if (/token|key|secret|password/i.test(k)) u.searchParams.set(k, '***');
    return u.toString();
  } catch {
    return url;
  }
}
