// The listening-engine benchmark: `npx tsx bench/match.bench.ts [--queries N] [--posts N] [--posts-file FILE] [--seed N]`.
// Progress goes to stderr on a TTY; the last line on stdout is one JSON object. Exits 1 when the
// indexed matcher and brute force disagree on the sample.
import { parseArgs } from 'node:util';
import { runMatchBench } from '../src/server/modules/listening/bench-match.ts';

const { values } = parseArgs({
  options: {
    queries: { type: 'string' },
    posts: { type: 'string' },
    'posts-file': { type: 'string' },
    seed: { type: 'string' },
  },
});
const num = (v: string | undefined, name: string) => {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n <= 0) {
    process.stderr.write(`--${name} must be a positive integer, got "${v}"\n`);
    process.exit(2);
  }
  return n;
};
const tty = process.stderr.isTTY;
const result = await runMatchBench({
  queries: num(values.queries, 'queries'),
  posts: num(values.posts, 'posts'),
  postsFile: values['posts-file'],
  seed: num(values.seed, 'seed'),
  onProgress: tty ? (p) => process.stderr.write(`\r${p.phase} ${p.done}/${p.total}   `) : undefined,
});
if (tty) process.stderr.write('\n');
process.stdout.write(`${JSON.stringify(result)}\n`);
if (result.mismatches > 0) process.exit(1);
