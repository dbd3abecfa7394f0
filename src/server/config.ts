import { z } from 'zod';

/**
 * The validated environment. Every setting is documented here; a bad value stops the process at
 * boot with a message naming the variable. CLI flags override the environment.
 */
const schema = z.object({
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL')
    .optional()
    .describe('PostgreSQL connection; when unset Earshot uses embedded PGlite in EARSHOT_DATA'),
  EARSHOT_DATA: z.string().min(1).default('./data').describe('PGlite data folder'),
  NATS_URL: z
    .string()
    .regex(/^nats:\/\//, 'must be a nats:// URL')
    .optional()
    .describe('NATS JetStream bus; when unset the pipeline runs in-process'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  EARSHOT_SERVICES: z
    .string()
    .default('api,worker,scheduler')
    .refine((s) => s.split(',').every((x) => ['api', 'worker', 'scheduler'].includes(x.trim())), {
      message: 'must be a comma-separated subset of api,worker,scheduler',
    }),
  SESSION_TTL_HOURS: z.coerce.number().positive().default(12),
  COOKIE_SECURE: z.enum(['true', 'false']).default('false'),
  PUBLIC_URL: z.string().url().optional().describe('External URL of the console, used in alert links'),
  EARSHOT_ATTACHMENT_MAX_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(10 * 1024 * 1024),
  OPENAI_BASE_URL: z
    .string()
    .url()
    .optional()
    .describe('Optional OpenAI-compatible endpoint (off by default)'),
  OPENAI_API_KEY: z.string().optional(),
  OPENAI_MODEL: z.string().default('gpt-4o-mini'),
  RATE_LIMIT_PER_MINUTE: z.coerce.number().int().positive().default(600),
});

export type Config = z.infer<typeof schema> & { services: Set<'api' | 'worker' | 'scheduler'> };

export class ConfigError extends Error {}

/** Parses the environment (plus overrides from CLI flags); throws ConfigError naming the variable. */
export function loadConfig(
  env: Record<string, string | undefined>,
  overrides: Partial<Record<string, string>> = {},
) {
  const input: Record<string, string | undefined> = { ...env };
  for (const [k, v] of Object.entries(overrides)) if (v !== undefined) input[k] = v;
  for (const k of Object.keys(input)) if (input[k] === '') delete input[k];
  const parsed = schema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const name = String(issue.path[0] ?? 'environment');
    throw new ConfigError(
      `Invalid configuration: ${name} ${issue.message} (got ${JSON.stringify(input[name] ?? null)})`,
    );
  }
  const services = new Set(
    parsed.data.EARSHOT_SERVICES.split(',').map((s) => s.trim()) as ('api' | 'worker' | 'scheduler')[],
  );
  return { ...parsed.data, services } satisfies Config;
}
