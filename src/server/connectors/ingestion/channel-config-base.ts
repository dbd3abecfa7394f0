import { z } from 'zod';
import { ChannelConfigError } from './reader.ts';

/** Config fields every connector accepts (extended by each connector's own schema). */
export const baseChannelConfig = z.object({
  /** Minimum spacing between requests to the remote, overriding the connector's default throttle. */
  minRequestIntervalMs: z.number().int().min(0).max(600_000).optional(),
});

/** An http(s) URL. */
export const httpUrl = () => z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' });

/** The channel's write-only secret `name`, or a ChannelConfigError naming what to set. */
export function secretOf(secrets: Record<string, string>, name: string, channelType: string): string {
  const v = secrets[name];
  if (!v)
    throw new ChannelConfigError(
      `the ${channelType} channel needs the secret "${name}" (PATCH /api/v1/channels/:id with {"secrets":{"${name}":"…"}})`,
    );
  return v;
}
