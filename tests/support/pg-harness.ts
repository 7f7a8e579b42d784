// A throwaway PostgreSQL server for a test: initdb in a temp dir, `postgres` on a free loopback
// port, stopped and deleted by `stop()`. Uses Debian's PostgreSQL 15 binaries (`.ci/run`
// installs the `postgresql` package). initdb refuses to run as root, so as root the cluster
// belongs to the `postgres` system user the package creates.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface PgServer {
  /** postgres://grid@127.0.0.1:<port>/grid */
  url: string;
  port: number;
  /** Fast shutdown (SIGINT), keeping the data: connections drop, the port refuses. */
  halt(): Promise<void>;
  /** Start again on the same data and port after `halt`. */
  resume(): Promise<void>;
  stop(): Promise<void>;
}

function binDir(): string | null {
  for (const v of ['17', '16', '15']) {
    const dir = `/usr/lib/postgresql/${v}/bin`;
    if (existsSync(join(dir, 'initdb'))) return dir;
  }
  return null;
}

/** Whether this machine can run the PostgreSQL tests (binaries present). */
export function postgresAvailable(): boolean {
  return binDir() !== null;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const addr = s.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      s.close(() => resolve(port));
    });
  });
}

/**
 * The environment of the engines' processes (PostgreSQL, redis-server): their clock is not the
 * product's, so a pinned-clock run (scripts/pinned-clock.sh, libfaketime in LD_PRELOAD) leaves it
 * real (PostgreSQL's lock waits failed under it; redis-server hangs at start).
 */
export function realClockEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const k of Object.keys(env)) if (k === 'LD_PRELOAD' || k.startsWith('FAKETIME')) delete env[k];
  return env;
}

/** As root: the `postgres` user's ids (processes run as it, and it owns the cluster's directory). */
function ownerIds(): { uid: number; gid: number } | Record<string, never> {
  if (process.getuid?.() !== 0) return {};
  return {
    uid: Number(execFileSync('id', ['-u', 'postgres']).toString().trim()),
    gid: Number(execFileSync('id', ['-g', 'postgres']).toString().trim()),
  };
}

async function waitReady(bin: string, port: number, dir: string, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`postgres exited with ${child.exitCode}`);
    try {
      execFileSync(join(bin, 'pg_isready'), ['-h', '127.0.0.1', '-p', String(port), '-q'], {
        stdio: 'ignore',
      });
      return;
    } catch {
      if (Date.now() > deadline) throw new Error(`postgres in ${dir} did not get ready on port ${port}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

export async function startPostgres(): Promise<PgServer> {
  const bin = binDir();
  if (!bin) throw new Error('PostgreSQL binaries not found (apt-get install postgresql)');
  const dir = mkdtempSync(join(tmpdir(), 'gc-pg-'));
  const data = join(dir, 'data');
  const owner = ownerIds();
  if (owner.uid !== undefined) chownSync(dir, owner.uid, owner.gid);
  execFileSync(
    join(bin, 'initdb'),
    ['-D', data, '-U', 'grid', '-A', 'trust', '-E', 'UTF8', '--no-sync', '--no-instructions'],
    { stdio: 'ignore', env: realClockEnv(), ...owner },
  );
  const port = await freePort();
  const args = [
    '-D',
    data,
    '-p',
    String(port),
    '-k',
    dir,
    '-c',
    'listen_addresses=127.0.0.1',
    '-c',
    'fsync=off',
    '-c',
    'synchronous_commit=off',
    '-c',
    'full_page_writes=off',
    '-c',
    'max_connections=200',
  ];
  let child = spawn(join(bin, 'postgres'), args, { stdio: 'ignore', env: realClockEnv(), ...owner });
  await waitReady(bin, port, dir, child);
  const halt = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((r) => child.once('exit', () => r()));
    // SIGINT: PostgreSQL's fast shutdown.
    child.kill('SIGINT');
    await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  };
  execFileSync(join(bin, 'createdb'), ['-h', '127.0.0.1', '-p', String(port), '-U', 'grid', 'grid'], {
    stdio: 'ignore',
    env: realClockEnv(),
  });
  return {
    url: `postgres://grid@127.0.0.1:${port}/grid`,
    port,
    halt,
    async resume() {
      child = spawn(join(bin, 'postgres'), args, { stdio: 'ignore', env: realClockEnv(), ...owner });
      await waitReady(bin, port, dir, child);
    },
    async stop() {
      await halt();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
