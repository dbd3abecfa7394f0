// Commands contributed by modules (train/classify/eval, bench match, …): each module exports its
// command runners; this file maps them to `earshot <name>`. Modules load lazily, per command.
import { parseArgs } from 'node:util';
import { UsageError } from './platform/errors.ts';

export type Command = { usage: string; describe: string; run: (argv: string[]) => Promise<void> };

function positiveInt(v: string | undefined, flag: string): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n <= 0) throw new UsageError(`--${flag} must be a positive integer (got ${v})`);
  return n;
}

export const extraCommands: Record<string, Command> = {
  bench: {
    usage: 'earshot bench match [--queries N] [--posts N] [--posts-file FILE] [--seed N]',
    describe: 'The listening-engine benchmark; the last line is one JSON object',
    run: async (argv) => {
      let parsed: ReturnType<typeof parseArgs>;
      try {
        parsed = parseArgs({
          args: argv,
          allowPositionals: true,
          options: {
            queries: { type: 'string' },
            posts: { type: 'string' },
            'posts-file': { type: 'string' },
            seed: { type: 'string' },
          },
        });
      } catch (err) {
        throw new UsageError((err as Error).message);
      }
      const values = parsed.values as Record<string, string | undefined>;
      if (parsed.positionals[0] !== 'match' || parsed.positionals.length > 1) {
        throw new UsageError('usage: earshot bench match [--queries N] [--posts N]');
      }
      const { runMatchBench } = await import('./modules/listening/bench-match.ts');
      const tty = process.stderr.isTTY;
      const result = await runMatchBench({
        queries: positiveInt(values.queries, 'queries'),
        posts: positiveInt(values.posts, 'posts'),
        postsFile: values['posts-file'],
        seed: positiveInt(values.seed, 'seed'),
        onProgress: tty ? (p) => process.stderr.write(`\r${p.phase} ${p.done}/${p.total}   `) : undefined,
      });
      if (tty) process.stderr.write('\n');
      process.stdout.write(`${JSON.stringify(result)}\n`);
      if (result.mismatches > 0)
        throw new Error(`the indexed matcher disagreed with brute force on ${result.mismatches} posts`);
    },
  },
};
