import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import {
  chmodSync,
  chownSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';

export type Dovecot = {
  port: number;
  user: string;
  password: string;
  /** Starts the server again on the same port and data (after `stop`). */
  start: () => Promise<void>;
  stop: () => Promise<void>;
  /** Stops the server and removes its folder. */
  close: () => Promise<void>;
};

/** A free TCP port on 127.0.0.1. */
export async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address() as { port: number };
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

function findDovecot(): string {
  for (const p of ['/usr/sbin/dovecot', '/usr/local/sbin/dovecot']) {
    try {
      execFileSync(p, ['--version'], { stdio: 'ignore' });
      return p;
    } catch {}
  }
  throw new Error('dovecot is not installed: run `apt-get install -y dovecot-imapd` (.ci/run installs it)');
}

/**
 * A private Dovecot IMAP server for one test file: its own config, port, passwd-file user and
 * maildir in a temporary folder; plaintext login allowed on 127.0.0.1 only. The system's
 * dovecot service is never touched.
 */
export async function startDovecot(): Promise<Dovecot> {
  const bin = findDovecot();
  const dir = mkdtempSync(join(tmpdir(), 'earshot-dovecot-'));
  const port = await freePort();
  const user = 'care@northwind.example';
  const password = 'imap-test-secret';
  const me = userInfo();
  // Dovecot refuses mail processes running as root: as root, mail is owned by `nobody`.
  const [uid, gid] = me.uid === 0 ? [65534, 65534] : [me.uid, me.gid];
  // mkdtemp makes the folder private; the mail user (nobody, when we are root) must reach its home.
  chmodSync(dir, 0o755);
  for (const d of ['run', 'state', 'home']) mkdirSync(join(dir, d));
  if (me.uid === 0) chownSync(join(dir, 'home'), uid, gid);
  writeFileSync(join(dir, 'passwd'), `${user}:{PLAIN}${password}::::::\n`);
  const internalUsers =
    me.uid === 0 ? '' : `default_login_user = ${me.username}\ndefault_internal_user = ${me.username}\n`;
  writeFileSync(
    join(dir, 'dovecot.conf'),
    `base_dir = ${dir}/run
state_dir = ${dir}/state
log_path = ${dir}/dovecot.log
instance_name = earshot-test-${port}
${internalUsers}protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
first_valid_uid = 0
mail_location = maildir:${dir}/home/%n/Maildir
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u ${dir}/passwd
}
userdb {
  driver = static
  args = uid=${uid} gid=${gid} home=${dir}/home/%n
}
service imap-login {
  chroot =
  inet_listener imap {
    port = ${port}
  }
  inet_listener imaps {
    port = 0
  }
}
service anvil {
  chroot =
}
`,
  );
  let child: ChildProcess | null = null;
  const start = async () => {
    rmSync(join(dir, 'run', 'master.pid'), { force: true });
    child = spawn(bin, ['-F', '-c', join(dir, 'dovecot.conf')], { stdio: 'ignore' });
    const until = Date.now() + 10_000;
    for (;;) {
      const up = await new Promise<boolean>((r) => {
        const s = createConnection({ port, host: '127.0.0.1' }, () => {
          s.destroy();
          r(true);
        });
        s.on('error', () => r(false));
      });
      if (up) return;
      if (child.exitCode !== null || Date.now() > until)
        throw new Error(`dovecot did not start (see ${dir}/dovecot.log)`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  const stop = async () => {
    const c = child;
    child = null;
    if (!c || c.exitCode !== null || !c.pid) return;
    // The master leaves busy imap processes running; end them too (by pid, they are ours).
    const descendants = descendantsOf(c.pid);
    await new Promise<void>((r) => {
      c.once('exit', () => r());
      c.kill('SIGTERM');
    });
    for (const pid of descendants) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {}
    }
  };
  await start();
  return {
    port,
    user,
    password,
    start,
    stop,
    close: async () => {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Pids of the processes below `root` (Linux /proc). */
function descendantsOf(root: number): number[] {
  const parent = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      parent.set(Number(entry), ppid);
    } catch {}
  }
  const out: number[] = [];
  const walk = (pid: number) => {
    for (const [child, ppid] of parent) {
      if (ppid === pid) {
        out.push(child);
        walk(child);
      }
    }
  };
  walk(root);
  return out;
}
