import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { RuntimeFailure, UsageError } from '../../platform/errors.ts';
import { type PublishedDraw, type Verification, verifyDraw } from './drawing-algorithm.ts';

const flat = z.object({
  commitment: z.string().regex(/^[0-9a-fA-F]{64}$/, 'must be 64 hex characters'),
  seed: z.string().min(1, 'the seed is published after the draw'),
  entrants: z.array(z.string().min(1)).min(1),
  entrantsHash: z.string().regex(/^[0-9a-fA-F]{64}$/, 'must be 64 hex characters'),
  winnerIndex: z.number().int().min(0),
  winnerKey: z.string().min(1),
});

/** What the API publishes: `GET /api/v1/drawings/:id` and `GET /api/v1/drawings/:id/entrants`, side by side. */
const fromApi = z.object({
  drawing: z.object({
    commitment: z.string(),
    seed: z.string().nullable(),
    winner: z.object({ entrantKey: z.string() }).nullable(),
    verification: z.object({ entrantsHash: z.string().nullable(), winnerIndex: z.number().int().nullable() }),
  }),
  entrants: z.object({ entrants: z.array(z.object({ entrantKey: z.string() })) }),
});

/** Reads a published drawing (either shape) from a JSON file; bad input names the file and field. */
export function readPublishedDraw(file: string): PublishedDraw {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    if (e.code === 'ENOENT') throw new UsageError(`${file}: no such file`);
    throw new UsageError(`${file}: not JSON (${e.message})`);
  }
  const api = fromApi.safeParse(json);
  const candidate = api.success
    ? {
        commitment: api.data.drawing.commitment,
        seed: api.data.drawing.seed ?? '',
        entrants: api.data.entrants.entrants.map((e) => e.entrantKey),
        entrantsHash: api.data.drawing.verification.entrantsHash ?? '',
        winnerIndex: api.data.drawing.verification.winnerIndex ?? -1,
        winnerKey: api.data.drawing.winner?.entrantKey ?? '',
      }
    : json;
  const parsed = flat.safeParse(candidate);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new UsageError(`${file}: field ${issue.path.join('.') || '(root)'} ${issue.message}`);
  }
  return parsed.data;
}

/** `earshot drawing verify FILE.json`: prints each check; a failed verification exits 1. */
export function runVerifyDrawing(argv: string[]): Verification {
  const [sub, file, ...rest] = argv.filter((a) => a !== '--json');
  if (sub !== 'verify' || !file || rest.length)
    throw new UsageError('usage: earshot drawing verify FILE.json');
  const result = verifyDraw(readPublishedDraw(file));
  if (argv.includes('--json')) process.stdout.write(`${JSON.stringify(result)}\n`);
  else
    for (const c of result.checks) process.stdout.write(`${c.ok ? 'ok  ' : 'FAIL'} ${c.name}: ${c.detail}\n`);
  if (!result.ok)
    throw new RuntimeFailure(
      `${file}: the drawing does not verify (${result.checks
        .filter((c) => !c.ok)
        .map((c) => c.name)
        .join(', ')})`,
    );
  return result;
}
