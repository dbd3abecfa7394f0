import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const BIN = fileURLToPath(new URL('../../bin/earshot.js', import.meta.url));
// These tests exercise the embedded default (a PGlite data folder), whatever DATABASE_URL says.
const env = { ...process.env, DATABASE_URL: '', NATS_URL: '', LOG_LEVEL: 'warn', NO_COLOR: '1' };

function run(args: string[], extraEnv: Record<string, string> = {}) {
  return new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    const p = spawn(process.execPath, [BIN, ...args], { env: { ...env, ...extraEnv } });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d) => (stdout += d));
    p.stderr.on('data', (d) => (stderr += d));
    p.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

const servers: ChildProcess[] = [];
function serve(dataDir: string) {
  const p = spawn(process.execPath, [BIN, 'serve', '--port', '0', '--data', dataDir], { env });
  servers.push(p);
  return new Promise<{ proc: ChildProcess; url: string }>((resolve, reject) => {
    let out = '';
    let err = '';
    p.stdout!.on('data', (d) => {
      out += d;
      const m = /Earshot console: (http:\/\/\S+)\//.exec(out);
      if (m) resolve({ proc: p, url: m[1]! });
    });
    p.stderr!.on('data', (d) => (err += d));
    p.on('exit', (code) => reject(new Error(`server exited ${code}: ${err}`)));
  });
}
const stop = (p: ChildProcess) =>
  new Promise<number | null>((resolve) => {
    p.once('exit', (code) => resolve(code));
    p.kill('SIGTERM');
  });

afterAll(() => {
  for (const p of servers) if (p.exitCode === null) p.kill('SIGKILL');
});

describe('earshot command line', { timeout: 240_000 }, () => {
  const data = mkdtempSync(join(tmpdir(), 'earshot-cli-'));

  it('prints help, and exits 2 on unknown commands and bad flags', async () => {
    const help = await run(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/import/);
    const unknown = await run(['frobnicate']);
    expect(unknown.code).toBe(2);
    const badRole = await run(['user', 'add', 'a@b.example', '--role', 'god', '--data', data]);
    expect(badRole.code).toBe(2);
    expect(badRole.stderr).toMatch(/--role must be one of/);
    const badFlag = await run(['serve', '--nope']);
    expect(badFlag.code).toBe(2);
    const badEnv = await run(['serve', '--data', data], { PORT: 'abc' });
    expect(badEnv.code).toBe(2);
    expect(badEnv.stderr).toMatch(/PORT/);
    const missing = await run(['import', 'twcs', '/nonexistent.csv', '--data', data]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/nonexistent\.csv: no such file/);
  });

  it('creates a user and prints a token alone on stdout', async () => {
    const add = await run([
      'user',
      'add',
      'ops@example.com',
      '--role',
      'admin',
      '--password',
      'a long password',
      '--data',
      data,
    ]);
    expect(add.code, add.stderr).toBe(0);
    const tok = await run(['token', 'create', 'ops@example.com', '--data', data]);
    expect(tok.code, tok.stderr).toBe(0);
    expect(tok.stdout).toMatch(/^est_[A-Za-z0-9_-]{40,}\n$/);
    const dup = await run(['user', 'add', 'ops@example.com', '--role', 'admin', '--data', data]);
    expect(dup.code).toBe(2);
    expect(dup.stderr).toMatch(/already exists/);
  });

  it('imports jsonl reporting bad lines with their field, as a JSON summary on the last line', async () => {
    const file = join(data, 'posts.jsonl');
    const good = {
      channel: 'sandbox',
      externalId: 'j1',
      author: { externalId: 'a1', handle: 'ann' },
      text: 'hello @brand',
      createdAt: '2026-11-01T10:00:00Z',
      direction: 'inbound',
    };
    writeFileSync(
      file,
      `${JSON.stringify(good)}\n{not json\n${JSON.stringify({ ...good, externalId: 'j2', createdAt: 'soon' })}\n${JSON.stringify(good)}\n`,
    );
    const r = await run(['import', 'jsonl', file, '--json', '--data', data]);
    expect(r.code, r.stderr).toBe(0);
    const last = JSON.parse(r.stdout.trim().split('\n').at(-1)!);
    expect(last).toMatchObject({ read: 4, imported: 1, duplicates: 1, skipped: 2 });
    expect(r.stderr).toMatch(/posts\.jsonl:2: invalid JSON/);
    expect(r.stderr).toMatch(/posts\.jsonl:3: field createdAt/);
  });

  it('keeps data across a restart, and a second server on the same folder refuses', async () => {
    const tok = (await run(['token', 'create', 'ops@example.com', '--data', data])).stdout.trim();
    const { proc, url } = await serve(data);
    const second = await run(['serve', '--port', '0', '--data', data]);
    expect(second.code).toBe(1);
    expect(second.stderr).toMatch(/in use by another Earshot process/);
    const busy = await run(['token', 'create', 'ops@example.com', '--data', data]);
    expect(busy.code).toBe(1);
    const headers = { authorization: `Bearer ${tok}`, 'content-type': 'application/json' };
    await fetch(`${url}/api/v1/settings/brand`, {
      method: 'PUT',
      headers,
      body: JSON.stringify({ handles: ['brand'] }),
    });
    const res = await fetch(`${url}/api/v1/posts`, {
      method: 'POST',
      headers,
      body: JSON.stringify({
        posts: [
          {
            channel: 'sandbox',
            externalId: 'r1',
            author: { externalId: 'c1', handle: 'cat' },
            text: '@brand my bill is wrong',
            createdAt: new Date().toISOString(),
          },
        ],
      }),
    });
    expect((await res.json()).results[0].outcome).toBe('stored');
    let items: { preview: string }[] = [];
    for (let i = 0; i < 100 && !items.length; i++) {
      items = (await (await fetch(`${url}/api/v1/cases`, { headers })).json()).items;
      if (!items.length) await new Promise((r) => setTimeout(r, 50));
    }
    expect(items.map((i) => i.preview)).toContain('@brand my bill is wrong');
    expect(await stop(proc)).toBe(0);
    const again = await serve(data);
    const after = (await (await fetch(`${again.url}/api/v1/cases`, { headers })).json()).items;
    expect(after.map((i: { preview: string }) => i.preview)).toContain('@brand my bill is wrong');
    expect(await stop(again.proc)).toBe(0);
  });
});
