// A local cluster for tests and demos (issue 20): a throwaway PostgreSQL (pg-harness.ts), a
// redis-server on a free loopback port, and N dispatch server nodes on the same store — either in
// this process (`startDispatchServer` with `cluster`, cheap) or as child processes running
// `scripts/server.ts --store … --redis … --node-id …` (what `npm run server` runs; a test can
// SIGKILL one). Each node has its own data dir (local SQLite: reference data, seats, sessions).
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startDispatchServer, type DispatchServer } from '../../src-server/server';
import { REPO_ROOT } from './datasets';
import { freePort, realClockEnv, startPostgres, type PgServer } from './pg-harness';

export interface RedisServer {
  url: string;
  port: number;
  stop(): Promise<void>;
}

/** Whether redis-server is installed (`.ci/run` installs the Debian package). */
export function redisAvailable(): boolean {
  try {
    execFileSync('redis-server', ['--version'], { stdio: 'ignore', env: realClockEnv(), timeout: 10_000 });
    return true;
  } catch {
    return false;
  }
}

function portOpen(port: number): Promise<boolean> {
  return new Promise((done) => {
    const s = connect(port, '127.0.0.1');
    s.once('connect', () => {
      s.destroy();
      done(true);
    });
    s.once('error', () => done(false));
  });
}

async function waitFor(
  what: string,
  ok: () => Promise<boolean>,
  child: ChildProcess,
  ms = 20_000,
): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await ok())) {
    if (child.exitCode !== null) throw new Error(`${what} exited with ${child.exitCode}`);
    if (Date.now() > deadline) throw new Error(`${what} did not get ready in ${ms} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** redis-server on a free loopback port, nothing persisted. */
export async function startRedis(): Promise<RedisServer> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'gc-redis-'));
  const child = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir],
    { stdio: 'ignore', env: realClockEnv() },
  );
  await waitFor('redis-server', () => portOpen(port), child);
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise<void>((r) => child.once('exit', () => r()));
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface ClusterNode {
  nodeId: string;
  url: string;
  dataDir: string;
  /** In-process nodes: the server itself. */
  server: DispatchServer | null;
  /** Process nodes: the child (a test may SIGKILL it; `restart` replaces it). */
  child: ChildProcess | null;
  output(): string;
  /** Process nodes: SIGKILL the process now (its data dir stays); resolves when it has exited. */
  kill(): Promise<void>;
  /** Process nodes: start again on the same port and data dir after `kill` (the URL stays). */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

export interface LocalCluster {
  pg: PgServer;
  redis: RedisServer;
  nodes: ClusterNode[];
  /** Start one more node (n<k>) on the same store and Redis. */
  addNode(): Promise<ClusterNode>;
  stop(): Promise<void>;
}

export interface ClusterOptions {
  datasetDir: string;
  nodes?: number;
  /** 'process' runs scripts/server.ts children (as `npm run server`); default in this process. */
  mode?: 'inProcess' | 'process';
  /** The admin seat's password on every node (each node's local store has its own seats). */
  adminPassword?: string;
  /** Ports for process nodes (0: free ports). */
  basePort?: number;
  log?: (line: string) => void;
}

async function startInProcessNode(
  nodeId: string,
  o: ClusterOptions,
  pg: PgServer,
  redis: RedisServer,
): Promise<ClusterNode> {
  const dataDir = mkdtempSync(join(tmpdir(), `gc-node-${nodeId}-`));
  const server = await startDispatchServer({
    dataDir,
    datasetDir: o.datasetDir,
    port: 0,
    log: o.log ? (l) => o.log?.(`[${nodeId}] ${l}`) : () => undefined,
    ...(o.adminPassword ? { adminPassword: o.adminPassword } : {}),
    cluster: { postgres: pg.url, redis: redis.url, nodeId },
  });
  return {
    nodeId,
    url: server.url,
    dataDir,
    server,
    child: null,
    output: () => '',
    kill: () => Promise.reject(new Error('an in-process node cannot be SIGKILLed')),
    restart: () => Promise.reject(new Error('an in-process node cannot be restarted')),
    async stop() {
      await server.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

async function startProcessNode(
  nodeId: string,
  port: number,
  o: ClusterOptions,
  pg: PgServer,
  redis: RedisServer,
): Promise<ClusterNode> {
  const dataDir = mkdtempSync(join(tmpdir(), `gc-node-${nodeId}-`));
  let out = '';
  /** Spawn `scripts/server.ts` on `atPort` and wait for its ready line; resolves its URL. */
  const launch = (atPort: number): { child: ChildProcess; ready: Promise<string> } => {
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        resolve(REPO_ROOT, 'scripts/server.ts'),
        ...['--port', String(atPort), '--data-dir', dataDir, '--dataset', o.datasetDir],
        ...['--store', pg.url, '--redis', redis.url, '--node-id', nodeId],
      ],
      {
        cwd: REPO_ROOT,
        stdio: ['ignore', 'pipe', 'pipe'],
        env: {
          ...process.env,
          ...(o.adminPassword ? { GRID_CONSOLE_ADMIN_PASSWORD: o.adminPassword } : {}),
        },
      },
    );
    const from = out.length;
    child.stderr?.on('data', (c: Buffer) => (out += c.toString()));
    const ready = new Promise<string>((done, failed) => {
      child.stdout?.on('data', (c: Buffer) => {
        out += c.toString();
        if (o.log) for (const line of c.toString().split('\n').filter(Boolean)) o.log(`[${nodeId}] ${line}`);
        const m = /\[server\] ready: (https?:\/\/[^\s]+)/.exec(out.slice(from));
        if (m) done(m[1]);
      });
      child.once('exit', (code, signal) =>
        failed(
          new Error(`node ${nodeId} exited (${code ?? signal}) before it was ready:\n${out.slice(from)}`),
        ),
      );
    });
    return { child, ready };
  };
  const first = launch(port);
  const url = await first.ready;
  const exited = (child: ChildProcess): Promise<void> =>
    child.exitCode !== null || child.signalCode !== null
      ? Promise.resolve()
      : new Promise<void>((r) => child.once('exit', () => r()));
  const node: ClusterNode = {
    nodeId,
    url,
    dataDir,
    server: null,
    child: first.child,
    output: () => out,
    async kill() {
      const child = node.child!;
      const gone = exited(child);
      child.kill('SIGKILL');
      await gone;
    },
    async restart() {
      if (node.child && node.child.exitCode === null && node.child.signalCode === null)
        throw new Error(`node ${nodeId} is still running`);
      const again = launch(Number(new URL(url).port));
      node.child = again.child;
      const at = await again.ready;
      if (at !== url) throw new Error(`node ${nodeId} came back on ${at}, not ${url}`);
    },
    async stop() {
      const child = node.child!;
      if (child.exitCode === null && child.signalCode === null) {
        const gone = exited(child);
        child.kill('SIGTERM');
        await gone;
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return node;
}

/** PostgreSQL + Redis + `nodes` nodes (default 3); the first node seeds the store. */
export async function startLocalCluster(o: ClusterOptions): Promise<LocalCluster> {
  const [pg, redis] = await Promise.all([startPostgres(), startRedis()]);
  const nodes: ClusterNode[] = [];
  let started = 0;
  const addNode = async (): Promise<ClusterNode> => {
    const k = started++;
    const nodeId = `n${k + 1}`;
    const node =
      o.mode === 'process'
        ? await startProcessNode(nodeId, o.basePort ? o.basePort + k : 0, o, pg, redis)
        : await startInProcessNode(nodeId, o, pg, redis);
    nodes[k] = node;
    return node;
  };
  try {
    // All at once: each node seeds the store under an advisory lock; the first to get it copies
    // its imported cases, the others find it seeded.
    const results = await Promise.allSettled(Array.from({ length: o.nodes ?? 3 }, () => addNode()));
    const failed = results.find((r) => r.status === 'rejected');
    if (failed) throw failed.reason;
  } catch (e) {
    for (const n of nodes.filter(Boolean)) await n.stop().catch(() => undefined);
    await Promise.all([pg.stop(), redis.stop()]);
    throw e;
  }
  return {
    pg,
    redis,
    nodes,
    addNode,
    async stop() {
      for (const n of nodes) await n.stop().catch(() => undefined);
      await Promise.all([pg.stop(), redis.stop()]);
    },
  };
}
