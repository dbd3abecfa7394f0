import { parseArgs } from 'node:util';
import type { Command } from './cli-commands.ts';
import { type Config, ConfigError, loadConfig } from './config.ts';
import type { ImportSummary } from './connectors/importers/import-summary.ts';
import type { AppContext } from './context.ts';
import { RuntimeFailure, UsageError } from './platform/errors.ts';

// Heavy modules load lazily, per command, so `earshot --help` and usage errors answer at once.
const lazy = {
  runtime: () => import('./runtime.ts'),
  users: () => import('./modules/users/manage-users.ts'),
  customers: () => import('./modules/people/import-customers.ts'),
  ingest: () => import('./pipeline/ingest.ts'),
  twcs: () => import('./connectors/importers/import-twcs.ts'),
  jsonl: () => import('./connectors/importers/import-jsonl.ts'),
  serve: () => import('./serve.ts'),
  extra: () => import('./cli-commands.ts'),
};

const dbOptions = {
  data: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

type Option = { type: 'string' | 'boolean'; multiple?: boolean; short?: string };
type Parsed = {
  values: Record<string, string | undefined> & { brand?: string[]; json?: string };
  positionals: string[];
};

/** Parses flags strictly: an unknown flag is bad usage (exit 2). */
export function args(argv: string[], options: Record<string, Option>, positionals = false): Parsed {
  try {
    const r = parseArgs({
      args: argv,
      options: { ...dbOptions, ...options },
      allowPositionals: positionals,
      strict: true,
    });
    return r as unknown as Parsed;
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}

function config(overrides: Record<string, string | undefined> = {}): Config {
  try {
    return loadConfig(process.env, overrides);
  } catch (err) {
    if (err instanceof ConfigError) throw new UsageError(err.message);
    throw err;
  }
}

/** Opens the database (and an in-process bus with the pipeline worker) for a one-shot command. */
async function withContext<T>(data: string | undefined, fn: (ctx: AppContext) => Promise<T>): Promise<T> {
  const cfg = config({ EARSHOT_DATA: data, LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn' });
  const { createLogger } = await import('./platform/log.ts');
  const { createMemoryBus } = await import('./platform/bus/memory-bus.ts');
  const { createContext, startWorker } = await lazy.runtime();
  const log = createLogger(cfg.LOG_LEVEL);
  const bus = createMemoryBus(log);
  const ctx = await createContext(cfg, log, { bus });
  let stopWorker: (() => Promise<void>) | undefined;
  try {
    stopWorker = await startWorker(ctx);
    const result = await fn(ctx);
    await bus.idle();
    return result;
  } finally {
    await stopWorker?.();
    await bus.close();
    await ctx.database.close();
  }
}

function progress(json: boolean) {
  const tty = process.stderr.isTTY && !json;
  return (s: ImportSummary) => {
    if (json) process.stdout.write(`${JSON.stringify({ progress: s.toJSON() })}\n`);
    else if (tty)
      process.stderr.write(
        `\r${s.read} read, ${s.imported} imported, ${s.duplicates} duplicates, ${s.skipped} skipped`,
      );
  };
}

function printSummary(summary: object, json: boolean) {
  if (json) process.stdout.write(`${JSON.stringify(summary)}\n`);
  else {
    if (process.stderr.isTTY) process.stderr.write('\n');
    process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
  }
}

export const commands: Record<string, Command> = {
  serve: {
    usage: 'earshot serve [--port N] [--host H] [--data DIR] [--services api,worker,scheduler]',
    describe: 'Run the server (DATABASE_URL selects PostgreSQL, NATS_URL the NATS bus)',
    run: async (argv) => {
      const { values } = args(argv, {
        port: { type: 'string' },
        host: { type: 'string' },
        services: { type: 'string' },
      });
      const cfg = config({
        PORT: values.port,
        HOST: values.host,
        EARSHOT_DATA: values.data,
        EARSHOT_SERVICES: values.services,
      });
      await (await lazy.serve()).runServer(cfg);
    },
  },
  demo: {
    usage: 'earshot demo [--port N] [--data DIR] [--rate POSTS_PER_MIN]',
    describe: 'Serve plus demo data and a live synthetic stream through the sandbox channel',
    run: async (argv) => {
      const { values } = args(argv, {
        port: { type: 'string' },
        host: { type: 'string' },
        rate: { type: 'string' },
      });
      const rate = values.rate === undefined ? 6 : Number(values.rate);
      if (!Number.isFinite(rate) || rate < 0)
        throw new UsageError(`--rate must be a number of posts per minute (got ${values.rate})`);
      const cfg = config({ PORT: values.port, HOST: values.host, EARSHOT_DATA: values.data });
      await (await lazy.serve()).runServer(cfg, { demo: { rate } });
    },
  },
  import: {
    usage:
      'earshot import twcs FILE [--brand HANDLE ...] | jsonl FILE | customers FILE.csv  [--data DIR] [--json]',
    describe: 'Import twcs CSV, normalised JSONL posts, or customer accounts',
    run: async (argv) => {
      const { values, positionals } = args(
        argv,
        { brand: { type: 'string', multiple: true }, json: { type: 'boolean' } },
        true,
      );
      const [kind, file, ...extra] = positionals;
      if (!kind || !file || extra.length)
        throw new UsageError('usage: earshot import twcs|jsonl|customers FILE');
      const json = Boolean(values.json);
      if (kind === 'customers') {
        const { importCustomers } = await lazy.customers();
        const s = await withContext(values.data, (ctx) => importCustomers(ctx.db, file));
        printSummary(s, json);
        return;
      }
      if (kind !== 'twcs' && kind !== 'jsonl')
        throw new UsageError(`unknown import kind ${kind} (twcs, jsonl, customers)`);
      const { ingestPosts } = await lazy.ingest();
      const { importTwcs } = await lazy.twcs();
      const { importJsonl } = await lazy.jsonl();
      const summary = await withContext(values.data, async (ctx) => {
        const sink = (posts: Parameters<typeof ingestPosts>[1]) => ingestPosts(ctx, posts, { keepAll: true });
        return kind === 'twcs'
          ? importTwcs(file, sink, { brands: values.brand ?? [], onProgress: progress(json) })
          : importJsonl(file, sink, { onProgress: progress(json) });
      });
      printSummary(summary.toJSON(), json);
    },
  },
  user: {
    usage:
      'earshot user add EMAIL --role admin|manager|agent|contributor|viewer [--password P] [--name NAME] [--data DIR]',
    describe: 'Create a user',
    run: async (argv) => {
      const { values, positionals } = args(
        argv,
        { role: { type: 'string' }, password: { type: 'string' }, name: { type: 'string' } },
        true,
      );
      const [sub, email] = positionals;
      if (sub !== 'add' || !email)
        throw new UsageError('usage: earshot user add EMAIL --role ROLE [--password P]');
      const { createUser, roleSchema } = await lazy.users();
      const role = roleSchema.safeParse(values.role);
      if (!role.success)
        throw new UsageError(
          `--role must be one of admin, manager, agent, contributor, viewer (got ${values.role ?? 'nothing'})`,
        );
      if (values.password !== undefined && values.password.length < 8)
        throw new UsageError('--password must be at least 8 characters');
      const u = await withContext(values.data, (ctx) =>
        createUser(
          ctx.db,
          { email, role: role.data, password: values.password, name: values.name },
          { userId: null, label: 'cli' },
        ),
      );
      process.stdout.write(`${JSON.stringify(u)}\n`);
    },
  },
  token: {
    usage: 'earshot token create EMAIL [--name NAME] [--data DIR]',
    describe: 'Print a new API bearer token (alone on standard output)',
    run: async (argv) => {
      const { values, positionals } = args(argv, { name: { type: 'string' } }, true);
      const [sub, email] = positionals;
      if (sub !== 'create' || !email) throw new UsageError('usage: earshot token create EMAIL');
      const { createApiToken } = await lazy.users();
      const t = await withContext(values.data, (ctx) =>
        createApiToken(ctx.db, email, values.name ?? 'cli', { userId: null, label: 'cli' }),
      );
      process.stdout.write(`${t.token}\n`);
    },
  },
};

function help(): string {
  const lines = Object.entries(commands).map(
    ([name, c]) => `  ${name.padEnd(10)} ${c.describe}\n             ${c.usage}`,
  );
  return `earshot — self-hosted social customer care\n\nCommands:\n${lines.join('\n')}\n\nEvery command takes --help. Exit codes: 0 ok, 1 runtime failure, 2 bad usage or input.\n`;
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  Object.assign(commands, (await lazy.extra()).extraCommands(withContext));
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(help());
    return name ? 0 : 2;
  }
  const cmd = commands[name];
  if (!cmd) {
    process.stderr.write(`earshot: unknown command ${name}\n${help()}`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    process.stdout.write(`${cmd.usage}\n\n${cmd.describe}\n`);
    return 0;
  }
  try {
    await cmd.run(rest);
    return 0;
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(`earshot ${name}: ${err.message}\n`);
      return 2;
    }
    if (err instanceof RuntimeFailure) {
      process.stderr.write(`earshot ${name}: ${err.message}\n`);
      return 1;
    }
    const e = err as { status?: number; message?: string; code?: string };
    if (e.status && e.status >= 400 && e.status < 500) {
      process.stderr.write(`earshot ${name}: ${e.message}\n`);
      return 2;
    }
    process.stderr.write(`earshot ${name}: ${(err as Error).stack ?? String(err)}\n`);
    return 1;
  }
}

if (process.argv[1] && /(cli\.ts|earshot(\.js)?)$/.test(process.argv[1])) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (err) => {
      process.stderr.write(`earshot: ${(err as Error).message}\n`);
      process.exitCode = 1;
    },
  );
}
