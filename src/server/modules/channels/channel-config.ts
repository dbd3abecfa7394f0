import type { z } from 'zod';
import { badRequest } from '../../platform/errors.ts';

const configSchemas = new Map<string, z.ZodType<Record<string, unknown>>>();

/** Connectors register the zod schema of their channel's config (see connectors/index.ts). */
export function registerChannelConfig(type: string, schema: z.ZodType<Record<string, unknown>>): void {
  configSchemas.set(type, schema);
}

/** Validates a channel's config against its connector's schema; 400 naming the field otherwise. */
export function validateChannelConfig(
  type: string,
  config: Record<string, unknown>,
): Record<string, unknown> {
  const schema = configSchemas.get(type);
  if (!schema) return config;
  const parsed = schema.safeParse(config);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw badRequest(
      `Invalid ${type} config field ${issue.path.join('.') || '(root)'}: ${issue.message}`,
      parsed.error.issues,
      'invalid_channel_config',
    );
  }
  return parsed.data;
}
