import { createHmac } from 'node:crypto';
import { safeEqual } from '../../platform/auth/secrets.ts';

export const SIGNATURE_HEADER = 'x-earshot-signature';
export const TIMESTAMP_HEADER = 'x-earshot-timestamp';

/** `sha256=<hex>` of HMAC-SHA256(secret, "<timestamp>.<raw body>"): what a sender puts in `X-Earshot-Signature`. */
export function signWebhook(secret: string, timestamp: number | string, body: string | Buffer): string {
  const mac = createHmac('sha256', secret);
  mac.update(`${timestamp}.`);
  mac.update(body);
  return `sha256=${mac.digest('hex')}`;
}

export type SignatureCheck = { ok: true } | { ok: false; reason: string };

/**
 * Checks a signed webhook delivery: the signature must match the raw body and timestamp (so
 * neither can be altered), and the timestamp must be within `toleranceSeconds` of now (so a
 * captured delivery cannot be replayed later). Constant-time comparison.
 */
export function verifyWebhookSignature(opts: {
  secret: string;
  body: Buffer;
  signature: string | undefined;
  timestamp: string | undefined;
  toleranceSeconds: number;
  now?: number;
}): SignatureCheck {
  if (!opts.signature || !opts.timestamp)
    return {
      ok: false,
      reason: `missing ${opts.signature ? 'X-Earshot-Timestamp' : 'X-Earshot-Signature'} header`,
    };
  if (!/^\d{1,12}$/.test(opts.timestamp))
    return { ok: false, reason: 'X-Earshot-Timestamp must be Unix seconds' };
  const age = Math.abs((opts.now ?? Date.now()) / 1000 - Number(opts.timestamp));
  if (age > opts.toleranceSeconds)
    return {
      ok: false,
      reason: `timestamp is ${Math.round(age)} s away from now (tolerance ${opts.toleranceSeconds} s): replay refused`,
    };
  const expected = signWebhook(opts.secret, opts.timestamp, opts.body);
  const given = opts.signature.split(',').map((s) => s.trim());
  if (!given.some((g) => safeEqual(g, expected)))
    return { ok: false, reason: 'signature does not match the body' };
  return { ok: true };
}
