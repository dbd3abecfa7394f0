#!/usr/bin/env node
// `npm test`: Biome, tsc --noEmit, the web build, then Vitest (unit, integration, browser end-to-end).
// Every step counts; the last line is `N passed, N failed` and the exit code is non-zero on any failure.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const env = { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' };
let passed = 0;
let failed = 0;
let skipped = 0;

function step(name, cmd, args) {
  process.stdout.write(`\n== ${name}\n`);
  const r = spawnSync(cmd, args, { stdio: 'inherit', env });
  if (r.status === 0) passed++;
  else {
    failed++;
    process.stdout.write(`FAIL ${name} (exit ${r.status})\n`);
  }
}

step('lint (biome)', 'npx', ['biome', 'check', '.']);
step('typecheck (tsc --noEmit)', 'npx', ['tsc', '--noEmit', '-p', 'tsconfig.json']);
step('build console (vite)', 'npx', ['vite', 'build', '--logLevel', 'warn']);

const summaryFile = join(mkdtempSync(join(tmpdir(), 'earshot-test-')), 'summary.json');
process.stdout.write('\n== vitest\n');
const vt = spawnSync('npx', ['vitest', 'run', ...process.argv.slice(2)], {
  stdio: 'inherit',
  env: { ...env, EARSHOT_TEST_SUMMARY: summaryFile },
});
try {
  const s = JSON.parse(readFileSync(summaryFile, 'utf8'));
  passed += s.passed;
  failed += s.failed;
  skipped += s.skipped;
  if (vt.status !== 0 && s.failed === 0) failed++;
} catch {
  failed++;
  process.stdout.write(`FAIL vitest did not report (exit ${vt.status})\n`);
}
process.stdout.write(`\n${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}\n`);
process.exit(failed === 0 ? 0 : 1);
