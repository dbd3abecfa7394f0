// Commands contributed by modules (train/classify/eval, bench match, …): each module exports its
// command runners; this file maps them to `earshot <name>`. Modules load lazily, per command.
import { parseArgs } from 'node:util';
import type { AppContext } from './context.ts';
import { UsageError } from './platform/errors.ts';

export type Command = { usage: string; describe: string; run: (argv: string[]) => Promise<void> };

function positiveInt(v: string | undefined, flag: string): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n <= 0) throw new UsageError(`--${flag} must be a positive integer (got ${v})`);
  return n;
}

/** Opens the database (and the in-process pipeline) of `--data DIR` / `DATABASE_URL` for a call. */
export type WithContext = <T>(data: string | undefined, fn: (ctx: AppContext) => Promise<T>) => Promise<T>;

/** `earshot train | classify | eval` (intelligence module); loaded only when one of them runs. */
function triage(withContext: WithContext): Record<string, Command> {
  const names = {
    train: [
      'Train a triage model from labelled examples and store it for use',
      'earshot train --task sentiment|intent|actionable --input FILE.csv --text-column C --label-column L [--name NAME] [--activate] [--algorithm ensemble|nbsvm|logreg] [--seed N] [--json] [--data DIR]',
    ],
    classify: [
      'Classify the rows of a CSV: one JSON line per row',
      'earshot classify --input FILE.csv --text-column C [--model NAME] [--output FILE] [--data DIR]',
    ],
    eval: [
      'Evaluate a model (or K-fold cross-validate); the last line is macro-F1',
      'earshot eval --task sentiment|intent|actionable --input FILE.csv --text-column C --label-column L [--model NAME] [--folds K] [--data DIR]',
    ],
  } as const;
  return Object.fromEntries(
    Object.entries(names).map(([name, [describe, usage]]) => [
      name,
      {
        usage,
        describe,
        run: async (argv: string[]) => {
          const { triageCommands } = await import('./modules/intelligence/cli-commands.ts');
          const cmds = triageCommands((data, fn) => withContext(data, (ctx) => fn(ctx.db)));
          await cmds[name]!.run(argv);
        },
      },
    ]),
  );
}

export const extraCommands = (withContext: WithContext): Record<string, Command> => ({
  ...triage(withContext),
  drawing: {
    usage: 'earshot drawing verify FILE.json [--json]',
    describe: 'Verify a published drawing (commitment, entrant list hash, winner) from its JSON',
    run: async (argv) => {
      const { runVerifyDrawing } = await import('./modules/campaigns/verify-drawing-file.ts');
      runVerifyDrawing(argv);
    },
  },
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
});
