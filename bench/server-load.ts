// Server under field and console load (ARCHITECTURE.md budget: "10k officers reporting every 5 s +
// 600 consoles: one process keeps p99 dispatch round-trip ≤ 200 ms on loopback").
//
//   npx tsx bench/server-load.ts [--seconds 60] [--officers 10000] [--consoles 600]
//                                [--commands-per-sec 5] [--dispatching 100] [--fix-interval 5000]
//                                [--phone-deflate on|off] [--console-deflate on|off]
//                                [--dataset DIR] [--data-from SERVER_DATA_DIR]
//                                [--cluster N] [--rate-seconds 15] [--rate-clients 9]
//
// --cluster N (issue 20): the same load spread over N cluster nodes on one PostgreSQL and one
// Redis (started here on free loopback ports, tests/support/cluster-harness.ts); phones and
// consoles round-robin over the nodes; per-node CPU and memory from /proc. Then the highest
// sustained command rate, closed loop (bench/command-rate.ts), of the cluster and of one SQLite
// server on a copy of the first node's local store, side by side.
//
// --phone-deflate / --console-deflate: whether those clients offer WebSocket permessage-deflate
// (socket.io-client does by default). The server allocates zlib contexts for every connection
// that negotiates it (~210 KB each), and console acks/pushes queue behind it; compare both.
//
// Processes (the same file in different roles, so the load generators' CPU is never counted as
// the server's):
//   orchestrator  this process: prepares the data dir, spawns the others, runs the timeline,
//                 reads the server's CPU and RSS from /proc, prints the table
//   server        startDispatchServer on a random loopback port with a fresh store imported from
//                 the demo dataset (or an online backup of --data-from); issues the sessions the
//                 load needs with Seats.issueToken in one transaction (no 10k scrypt logins) and
//                 writes them to a file
//   officers      N phones over socket.io, each sending `telemetry.report` every 5 s
//   consoles      town dispatchers and village operators: connect, catch up, receive live event
//                 pushes and telemetry batches; a share of them work their desk (dispatch open
//                 cases; when none is left, key in a hotline case, verify and dispatch it)
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import { io, type Socket } from 'socket.io-client';
import {
  bboxOf,
  createRng,
  fromGeometry,
  randomPointInMultiPolygon,
  type MultiPolygon,
  type Rng,
} from '../src-shared/domain/geo';
import type { Case, Grid, Officer, OfficerFix } from '../src-shared/protocol/entities';
import {
  PROTOCOL_VERSION,
  type CatchUpPage,
  type EventPush,
  type SnapshotPage,
} from '../src-shared/protocol/messages';
import { uuidv7 } from '../src-shared/util/ids';
import { startRedis } from '../tests/support/cluster-harness';
import { startPostgres } from '../tests/support/pg-harness';
import { closedLoop, type RateClient } from './command-rate';

const REPO_ROOT = resolve(import.meta.dirname, '..');
const SELF = resolve(import.meta.dirname, 'server-load.ts');
const TARGET_P99_MS = 200;

// ---- arguments -----------------------------------------------------------------------------

const { values: argv } = parseArgs({
  options: {
    role: { type: 'string', default: 'orchestrator' },
    seconds: { type: 'string', default: '60' },
    officers: { type: 'string', default: '10000' },
    consoles: { type: 'string', default: '600' },
    'commands-per-sec': { type: 'string', default: '5' },
    dispatching: { type: 'string', default: '100' },
    'fix-interval': { type: 'string', default: '5000' },
    // on: phones offer permessage-deflate like socket.io-client does by default; off: they do not.
    'phone-deflate': { type: 'string', default: 'on' },
    'console-deflate': { type: 'string', default: 'on' },
    dataset: { type: 'string', default: join(REPO_ROOT, '.data/datasets/dongguan') },
    'data-from': { type: 'string' },
    cluster: { type: 'string', default: '0' },
    'rate-seconds': { type: 'string', default: '15' },
    'rate-clients': { type: 'string', default: '9' },
    // internal (child roles)
    store: { type: 'string' },
    redis: { type: 'string' },
    'node-id': { type: 'string' },
    'data-dir': { type: 'string' },
    tokens: { type: 'string' },
    url: { type: 'string' },
    part: { type: 'string', default: '0/1' },
  },
  strict: true,
});

const num = (name: keyof typeof argv, min: number, max: number): number => {
  const v = Number(argv[name]);
  if (!Number.isFinite(v) || v < min || v > max) {
    console.error(`--${name} must be a number in ${min}..${max}, got ${JSON.stringify(argv[name])}`);
    process.exit(2);
  }
  return v;
};

// ---- messages between the processes ------------------------------------------------------------

interface TokensFile {
  /** `url`: the node the phone or console talks to (a cluster's tokens are per node). */
  officers: { id: string; token: string; lon: number; lat: number; url?: string }[];
  /** `point`: a village operator's point inside its village (the command-rate loop reports there). */
  consoles: { userId: string; scopeCode: string; token: string; url?: string; point?: [number, number] }[];
}

interface ServerStats {
  telemetryReceived: number;
  headSeq: number;
  connections: number;
  loopP99Ms: number;
  loopMaxMs: number;
  heapUsedMb: number;
  externalMb: number;
}

interface OfficersReport {
  sent: number;
  connected: number;
  disconnects: number;
}

interface ConsolesReport {
  connected: number;
  disconnects: number;
  catchUpMs: number[];
  /** Command round trips (send → ack), ms, by command type. */
  rtt: Record<string, number[]>;
  accepted: number;
  rejected: Record<string, number>;
  failed: number;
  /** Commit serverTime → receipt of the push at a console, ms. */
  fanout: number[];
  pushes: number;
  telemetryBatches: number;
  telemetryFixes: number;
  /** Batch `at` → receipt, ms. */
  telemetryDelay: number[];
}

type ToChild = { type: 'go' } | { type: 'mark' } | { type: 'collect' } | { type: 'stop' };
type FromChild =
  | { type: 'ready'; url: string; tokensFile: string; setupMs: number }
  | { type: 'connected'; n: number; ms: number }
  | { type: 'serverStats'; stats: ServerStats }
  | { type: 'officers'; report: OfficersReport }
  | { type: 'consoles'; report: ConsolesReport }
  | { type: 'error'; message: string };

function send(msg: FromChild): void {
  process.send?.(msg);
}

function onParent(handler: (msg: ToChild) => void | Promise<void>): void {
  process.on('message', (m: ToChild) => {
    void Promise.resolve(handler(m)).catch((e: unknown) => {
      send({ type: 'error', message: e instanceof Error ? (e.stack ?? e.message) : String(e) });
    });
  });
  // The orchestrator went away: do not linger.
  process.on('disconnect', () => process.exit(0));
}

// ---- role: server --------------------------------------------------------------------------------

async function runServer(): Promise<void> {
  const { startDispatchServer } = await import('../src-server/server');
  const dataDir = argv['data-dir'] as string;
  const t0 = performance.now();
  const server = await startDispatchServer({
    dataDir,
    datasetDir: argv.dataset,
    port: 0,
    log: () => undefined,
    ...(argv.store
      ? { cluster: { postgres: argv.store, redis: argv.redis, nodeId: argv['node-id'] ?? 'n1' } }
      : {}),
  });
  const { pointInGrid } = await import('../tests/support/fixtures');
  const nOfficers = num('officers', 0, 100_000);
  const nConsoles = num('consoles', 0, 10_000);
  const officers = [...server.ref.officers.values()]
    .filter((o) => o.kind === 'grid')
    .sort((a, b) => a.id.localeCompare(b.id))
    .slice(0, nOfficers);
  if (officers.length < nOfficers) throw new Error(`the dataset has only ${officers.length} grid officers`);
  const towns = [...new Set([...server.ref.grids.values()].map((g) => g.townCode))].sort();
  const villages = [...new Set([...server.ref.grids.values()].map((g) => g.villageCode))].sort();
  const seats = [
    ...towns.map((code) => ({ userId: `U-${code}-dispatcher`, scopeCode: code })),
    ...villages.map((code) => ({ userId: `U-${code}-operator`, scopeCode: code })),
  ].slice(0, nConsoles);
  // Bench-only: sessions straight from Seats.issueToken, all in one transaction (one fsync). A
  // cluster node issues those of its share (--part k/N: round-robin), valid on it alone.
  const firstGrid = new Map<string, string>();
  for (const g of [...server.ref.grids.values()].sort((a, b) => (a.code < b.code ? -1 : 1)))
    if (!firstGrid.has(g.villageCode)) firstGrid.set(g.villageCode, g.code);
  const pointOf = (scopeCode: string): [number, number] | undefined => {
    const grid = firstGrid.get(scopeCode);
    try {
      return grid ? pointInGrid(server, grid) : undefined;
    } catch {
      return undefined;
    }
  };
  const tokens: TokensFile = server.db.transaction(() => ({
    officers: sliceOf(officers).map((o) => {
      const fix = server.telemetry.get(o.id);
      return {
        id: o.id,
        token: server.seats.issueToken(`U-${o.id}`).token,
        lon: fix?.lon ?? 113.75,
        lat: fix?.lat ?? 23.02,
        url: server.url,
      };
    }),
    consoles: sliceOf(seats).map((s) => ({
      ...s,
      token: server.seats.issueToken(s.userId).token,
      url: server.url,
      point: pointOf(s.scopeCode),
    })),
  }))();
  const tokensFile = join(dataDir, 'bench-tokens.json');
  writeFileSync(tokensFile, JSON.stringify(tokens));

  const loop = monitorEventLoopDelay({ resolution: 5 });
  loop.enable();
  let receivedAtMark = 0;
  send({ type: 'ready', url: server.url, tokensFile, setupMs: Math.round(performance.now() - t0) });
  onParent(async (m) => {
    if (m.type === 'mark') {
      loop.reset();
      receivedAtMark = server.telemetry.receivedCount;
    } else if (m.type === 'collect') {
      send({
        type: 'serverStats',
        stats: {
          telemetryReceived: server.telemetry.receivedCount - receivedAtMark,
          headSeq: await server.store.headSeq(),
          connections: server.gateway.counters.connections,
          loopP99Ms: loop.percentile(99) / 1e6,
          loopMaxMs: loop.max / 1e6,
          heapUsedMb: process.memoryUsage().heapUsed / 2 ** 20,
          externalMb: process.memoryUsage().external / 2 ** 20,
        },
      });
    } else if (m.type === 'stop') {
      await server.close();
      process.exit(0);
    }
  });
}

// ---- shared client helpers -------------------------------------------------------------------------

interface Ack<T> {
  ok: boolean;
  data?: T;
  error?: { code: string; message: string };
}

function connect(url: string, token: string, clientId: string, deflate = true): Promise<Socket> {
  const options: Parameters<typeof io>[1] = {
    auth: { token, clientId, protocolVersion: PROTOCOL_VERSION },
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
    timeout: 60_000,
  };
  // `false` stops ws from offering permessage-deflate at all; socket.io-client's types only know
  // the object form, hence the untyped assign.
  if (!deflate) Object.assign(options, { perMessageDeflate: false });
  const socket = io(url, options);
  return new Promise((resolvePromise, reject) => {
    socket.once('connect', () => resolvePromise(socket));
    socket.once('connect_error', (e) => reject(new Error(`${clientId}: ${e.message}`)));
  });
}

/** Connect many sockets, `width` handshakes in flight at a time (loopback accept backlog). */
async function connectAll<T>(
  items: readonly T[],
  width: number,
  open: (item: T) => Promise<Socket>,
): Promise<Socket[]> {
  const out: Socket[] = new Array<Socket>(items.length);
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      out[i] = await open(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(width, items.length) }, lane));
  return out;
}

function sliceOf<T>(items: readonly T[]): T[] {
  const [k, n] = argv.part.split('/').map(Number);
  return items.filter((_, i) => i % n === k);
}

// ---- role: officers ----------------------------------------------------------------------------------

async function runOfficers(): Promise<void> {
  const tokens = JSON.parse(readFileSync(argv.tokens as string, 'utf8')) as TokensFile;
  const mine = sliceOf(tokens.officers);
  const url = argv.url as string;
  const interval = num('fix-interval', 100, 600_000);
  const t0 = performance.now();
  const deflate = argv['phone-deflate'] !== 'off';
  const sockets = await connectAll(mine, 100, (o) =>
    connect(o.url ?? url, o.token, `phone-${o.id}`, deflate),
  );
  const report: OfficersReport = { sent: 0, connected: sockets.length, disconnects: 0 };
  for (const s of sockets) s.on('disconnect', () => report.disconnects++);
  send({ type: 'connected', n: sockets.length, ms: Math.round(performance.now() - t0) });

  // One timer for all phones: each phone has a phase within the interval and reports once per
  // interval, so the load is smooth rather than 10k timers firing in lumps.
  const rng = createRng('bench/officers');
  const STEP = 50;
  const buckets = Math.max(1, Math.round(interval / STEP));
  const byBucket: number[][] = Array.from({ length: buckets }, () => []);
  mine.forEach((_, i) => byBucket[rng.int(buckets)].push(i));
  const pos = mine.map((o) => ({ lon: o.lon, lat: o.lat }));
  let timer: NodeJS.Timeout | null = null;
  onParent((m) => {
    if (m.type === 'go') {
      let b = 0;
      timer = setInterval(() => {
        const now = Date.now();
        for (const i of byBucket[b]) {
          const p = pos[i];
          // A few metres of drift: the server does not check containment, the load is the point.
          p.lon += (rng.next() - 0.5) * 2e-5;
          p.lat += (rng.next() - 0.5) * 2e-5;
          const fix: OfficerFix = {
            officerId: mine[i].id,
            status: 'patrol',
            lon: p.lon,
            lat: p.lat,
            heading: null,
            at: now,
          };
          sockets[i].emit('telemetry.report', fix);
          report.sent++;
        }
        b = (b + 1) % buckets;
      }, STEP);
    } else if (m.type === 'mark') {
      report.sent = 0;
    } else if (m.type === 'collect') {
      send({ type: 'officers', report: { ...report } });
    } else if (m.type === 'stop') {
      if (timer) clearInterval(timer);
      for (const s of sockets) s.close();
      process.exit(0);
    }
  });
}

// ---- role: consoles ----------------------------------------------------------------------------------

interface Desk {
  socket: Socket;
  clientId: string;
  scopeCode: string;
  pool: Case[];
  officersByGrid: Map<string, string[]>;
  grids: { code: string; mp: MultiPolygon }[];
}

async function runConsoles(): Promise<void> {
  const tokens = JSON.parse(readFileSync(argv.tokens as string, 'utf8')) as TokensFile;
  const mine = sliceOf(tokens.consoles);
  const url = argv.url as string;
  const dispatching = Math.min(mine.length, num('dispatching', 0, 10_000));
  const commandsPerSec = num('commands-per-sec', 0, 10_000);
  const rng = createRng('bench/consoles');
  const report: ConsolesReport = {
    connected: 0,
    disconnects: 0,
    catchUpMs: [],
    rtt: {},
    accepted: 0,
    rejected: {},
    failed: 0,
    fanout: [],
    pushes: 0,
    telemetryBatches: 0,
    telemetryFixes: 0,
    telemetryDelay: [],
  };
  const t0 = performance.now();
  const deflate = argv['console-deflate'] !== 'off';
  const sockets = await connectAll(mine, 50, (c) =>
    connect(c.url ?? url, c.token, `console-${c.userId}`, deflate),
  );
  report.connected = sockets.length;
  const request = async <T>(socket: Socket, name: string, payload: unknown): Promise<Ack<T>> =>
    (await socket.timeout(30_000).emitWithAck(name, payload)) as Ack<T>;

  // Every console: live pushes and telemetry, then catch-up from its (empty) watermark.
  for (const socket of sockets) {
    socket.on('disconnect', () => report.disconnects++);
    socket.on('event', (push: EventPush) => {
      report.pushes++;
      report.fanout.push(Date.now() - push.event.serverTime);
    });
    socket.on('telemetry.batch', (batch: { fixes: unknown[]; at: number }) => {
      report.telemetryBatches++;
      report.telemetryFixes += batch.fixes.length;
      report.telemetryDelay.push(Date.now() - batch.at);
    });
  }
  await Promise.all(
    sockets.map(async (socket) => {
      const c0 = performance.now();
      let after = 0;
      for (;;) {
        const page = await request<CatchUpPage>(socket, 'sync.catchUp', { after });
        if (!page.ok || !page.data) throw new Error(`catch-up failed: ${page.error?.message}`);
        after = page.data.watermark;
        if (!page.data.more) break;
      }
      report.catchUpMs.push(performance.now() - c0);
    }),
  );

  // The working desks: their open cases, officers and grids from the snapshot feed.
  const snapshot = async <T>(socket: Socket, kind: string): Promise<T[]> => {
    const items: T[] = [];
    let cursor: string | null = null;
    do {
      const page: Ack<SnapshotPage> = await request<SnapshotPage>(socket, 'sync.snapshot', { kind, cursor });
      if (!page.ok || !page.data) throw new Error(`snapshot ${kind} failed: ${page.error?.message}`);
      items.push(...(page.data.items as T[]));
      cursor = page.data.nextCursor;
    } while (cursor !== null);
    return items;
  };
  const desks: Desk[] = await Promise.all(
    mine.slice(0, dispatching).map(async (c, i): Promise<Desk> => {
      const socket = sockets[i];
      const [cases, officers, grids] = await Promise.all([
        snapshot<Case>(socket, 'cases'),
        snapshot<Officer>(socket, 'officers'),
        snapshot<Grid>(socket, 'grids'),
      ]);
      const officersByGrid = new Map<string, string[]>();
      for (const o of officers) {
        if (!o.homeGridCode) continue;
        officersByGrid.set(o.homeGridCode, [...(officersByGrid.get(o.homeGridCode) ?? []), o.id]);
      }
      return {
        socket,
        clientId: `console-${c.userId}`,
        scopeCode: c.scopeCode,
        pool: cases.filter(
          (k) => (k.state === 'returned' || k.state === 'registered') && k.holderCode.startsWith(c.scopeCode),
        ),
        officersByGrid,
        grids: grids.flatMap((g) =>
          g.geometry && officersByGrid.has(g.code) ? [{ code: g.code, mp: fromGeometry(g.geometry) }] : [],
        ),
      };
    }),
  );
  send({ type: 'connected', n: sockets.length, ms: Math.round(performance.now() - t0) });

  const command = async (
    desk: Desk,
    type: string,
    payload: Record<string, unknown>,
    baseVersion: number | null,
  ): Promise<Case | null> => {
    const c0 = performance.now();
    const clientTime = Date.now();
    let ack: Ack<{
      status: string;
      code?: string;
      events?: { payload: { case?: Case } }[];
      current?: Case | null;
    }>;
    try {
      ack = await request(desk.socket, 'command', {
        commandId: uuidv7(clientTime),
        clientId: desk.clientId,
        type,
        payload,
        baseVersion,
        clientTime,
      });
    } catch {
      report.failed++;
      return null;
    }
    (report.rtt[type] ??= []).push(performance.now() - c0);
    if (!ack.ok || !ack.data) {
      report.failed++;
      return null;
    }
    if (ack.data.status !== 'accepted') {
      const code = ack.data.code ?? 'UNKNOWN';
      report.rejected[code] = (report.rejected[code] ?? 0) + 1;
      return null;
    }
    report.accepted++;
    const events = ack.data.events ?? [];
    return events.length > 0 ? (events[events.length - 1].payload.case ?? null) : null;
  };

  /** One piece of desk work: dispatch an open case, or key in a hotline case and dispatch it. */
  const work = async (desk: Desk, r: Rng): Promise<void> => {
    let c = desk.pool.pop() ?? null;
    if (!c) {
      const grid = desk.grids.length > 0 ? r.pick(desk.grids) : null;
      const p = grid ? randomPointInMultiPolygon(r, grid.mp, { bbox: bboxOf(grid.mp), maxTries: 200 }) : null;
      if (!grid || !p) return;
      const caseId = `B-${uuidv7()}`;
      const reported = await command(
        desk,
        'report',
        {
          caseId,
          categoryCode: '01001',
          source: 'hotline',
          description: '12345热线转办：压测工单',
          address: '压测地址',
          lon: p[0],
          lat: p[1],
          photos: [],
        },
        null,
      );
      if (!reported) return;
      c = await command(desk, 'verify', { caseId }, reported.version);
      if (!c) return;
    }
    const team = (desk.officersByGrid.get(c.gridCode) ?? []).filter((id) => id !== c.reporterId);
    if (team.length === 0) return;
    await command(
      desk,
      'dispatch',
      { caseId: c.id, assignee: { kind: 'officer', id: r.pick(team) } },
      c.version,
    );
  };

  let timer: NodeJS.Timeout | null = null;
  onParent((m) => {
    if (m.type === 'go') {
      // Poisson arrivals across the working desks, checked every 50 ms.
      timer = setInterval(() => {
        if (desks.length === 0) return;
        let n = 0;
        const mean = commandsPerSec * 0.05;
        for (let p = rng.next(), limit = Math.exp(-mean); p > limit; p *= rng.next()) n++;
        for (let i = 0; i < n; i++) void work(rng.pick(desks), rng);
      }, 50);
    } else if (m.type === 'mark') {
      report.rtt = {};
      report.accepted = 0;
      report.rejected = {};
      report.failed = 0;
      report.fanout = [];
      report.pushes = 0;
      report.telemetryBatches = 0;
      report.telemetryFixes = 0;
      report.telemetryDelay = [];
    } else if (m.type === 'collect') {
      send({ type: 'consoles', report });
    } else if (m.type === 'stop') {
      if (timer) clearInterval(timer);
      for (const s of sockets) s.close();
      process.exit(0);
    }
  });
}

// ---- role: orchestrator --------------------------------------------------------------------------------

interface Child {
  name: string;
  proc: ChildProcess;
  messages: FromChild[];
  waiters: ((m: FromChild) => boolean)[];
}

function spawnRole(name: string, role: string, extra: string[]): Child {
  const proc = spawn(process.execPath, ['--import', 'tsx', SELF, '--role', role, ...extra], {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const child: Child = { name, proc, messages: [], waiters: [] };
  proc.on('message', (m: FromChild) => {
    if (m.type === 'error') console.error(`[${name}] ${m.message}`);
    child.waiters = child.waiters.filter((w) => !w(m));
  });
  proc.on('exit', (code) => {
    if (code !== 0 && code !== null) console.error(`[${name}] exited with ${code}`);
  });
  return child;
}

function awaitMessage<T extends FromChild['type']>(
  child: Child,
  type: T,
  timeoutMs = 600_000,
): Promise<Extract<FromChild, { type: T }>> {
  return new Promise((resolvePromise, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`${child.name}: no ${type} within ${timeoutMs} ms`)),
      timeoutMs,
    );
    const onExit = (code: number | null): void =>
      reject(new Error(`${child.name} exited (${code}) before ${type}`));
    child.proc.once('exit', onExit);
    child.waiters.push((m) => {
      if (m.type === 'error') {
        clearTimeout(timer);
        child.proc.off('exit', onExit);
        reject(new Error(`${child.name}: ${m.message}`));
        return true;
      }
      if (m.type !== type) return false;
      clearTimeout(timer);
      child.proc.off('exit', onExit);
      resolvePromise(m as Extract<FromChild, { type: T }>);
      return true;
    });
  });
}

const tell = (child: Child, m: ToChild): void => {
  child.proc.send(m);
};

/** utime + stime of a process in seconds, and its RSS / peak RSS in MB (Linux /proc). */
function procUsage(pid: number): { cpuSec: number; rssMb: number; hwmMb: number } {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // Fields after "(comm)": state is index 0, so utime (field 14) is index 11 and stime index 12.
  const ticks = Number(fields[11]) + Number(fields[12]);
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (key: string): number => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0);
  return { cpuSec: ticks / CLK_TCK, rssMb: kb('VmRSS') / 1024, hwmMb: kb('VmHWM') / 1024 };
}
// USER_HZ: 100 on every Linux ABI node runs on (the kernel reports CPU time in these ticks).
const CLK_TCK = 100;

function pct(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}
const sortNum = (xs: readonly number[]): number[] => [...xs].sort((a, b) => a - b);
const ms = (v: number): string => (Number.isFinite(v) ? `${v.toFixed(1)} ms` : 'n/a');

/** An online backup of a server store into `dir` (safe while a server is using the source). */
async function copyStore(file: string, dir: string): Promise<void> {
  mkdirSync(dir, { recursive: true });
  const src = new Database(file, { readonly: true });
  await src.backup(join(dir, 'server.sqlite'));
  src.close();
}

async function runOrchestrator(): Promise<void> {
  const seconds = num('seconds', 1, 24 * 3600);
  const nOfficers = num('officers', 0, 100_000);
  const nConsoles = num('consoles', 0, 10_000);
  const commandsPerSec = num('commands-per-sec', 0, 10_000);
  const warmup = Math.min(10, Math.max(3, Math.round(seconds / 6)));
  const dataDir = mkdtempSync(join(tmpdir(), 'gc-server-load-'));
  const from = argv['data-from'];
  const nodes = num('cluster', 0, 16);
  const clustered = nodes > 1;
  // A cluster node's own store (n1: imported or copied; the others: a copy of n1's).
  const storeDir = clustered ? join(dataDir, 'n1') : dataDir;
  mkdirSync(storeDir, { recursive: true });
  if (from) await copyStore(join(resolve(from), 'server.sqlite'), storeDir);
  console.log(
    `server-load: ${nOfficers} officers (fix every ${num('fix-interval', 100, 600_000) / 1000} s, permessage-deflate ${argv['phone-deflate']}), ${nConsoles} consoles ` +
      `(permessage-deflate ${argv['console-deflate']}; ` +
      `${Math.min(nConsoles, num('dispatching', 0, 10_000))} working a desk, ≈ ${commandsPerSec} commands/s), ${seconds} s after ${warmup} s warm-up`,
  );
  const children: Child[] = [];
  const cleanup = (): void => {
    for (const c of children) if (c.proc.exitCode === null) c.proc.kill();
    rmSync(dataDir, { recursive: true, force: true });
  };
  process.on('SIGINT', () => {
    cleanup();
    process.exit(130);
  });

  let engines: { stop(): Promise<void> } | null = null;
  try {
    const common = ['--officers', String(nOfficers), '--consoles', String(nConsoles)];
    const serverArgs = (dir: string): string[] => [...common, '--data-dir', dir, '--dataset', argv.dataset];
    const servers: Child[] = [];
    const readies: Extract<FromChild, { type: 'ready' }>[] = [];
    if (clustered) {
      const [pg, redis] = await Promise.all([startPostgres(), startRedis()]);
      engines = { stop: async () => void (await Promise.all([pg.stop(), redis.stop()])) };
      console.log(`cluster: PostgreSQL ${pg.url}, Redis ${redis.url}, ${nodes} nodes`);
      for (let k = 0; k < nodes; k++) {
        const dir = join(dataDir, `n${k + 1}`);
        if (k > 0) await copyStore(join(storeDir, 'server.sqlite'), dir);
        const node = spawnRole(`n${k + 1}`, 'server', [
          ...serverArgs(dir),
          ...['--store', pg.url, '--redis', redis.url, '--node-id', `n${k + 1}`, '--part', `${k}/${nodes}`],
        ]);
        children.push(node);
        servers.push(node);
        readies.push(await awaitMessage(node, 'ready'));
      }
    } else {
      const server = spawnRole('server', 'server', serverArgs(dataDir));
      children.push(server);
      servers.push(server);
      readies.push(await awaitMessage(server, 'ready'));
    }
    const ready = readies[0];
    for (const [k, r] of readies.entries())
      console.log(
        `${servers[k].name} pid ${servers[k].proc.pid} at ${r.url}: store ${k > 0 ? 'copied from n1' : from ? `copied from ${from}` : 'imported from the demo dataset'}, ready with sessions in ${(r.setupMs / 1000).toFixed(1)} s`,
      );
    // One tokens file for the load generators: every node's share, each entry naming its node.
    const tokensFile = join(dataDir, 'tokens.json');
    const shares = readies.map((r) => JSON.parse(readFileSync(r.tokensFile, 'utf8')) as TokensFile);
    const tokens: TokensFile = {
      officers: shares.flatMap((t) => t.officers),
      consoles: shares.flatMap((t) => t.consoles),
    };
    writeFileSync(tokensFile, JSON.stringify(tokens));

    const loadArgs = [
      '--url',
      ready.url,
      '--tokens',
      tokensFile,
      '--fix-interval',
      argv['fix-interval'],
      '--commands-per-sec',
      String(commandsPerSec),
      '--dispatching',
      argv.dispatching,
      '--phone-deflate',
      argv['phone-deflate'],
      '--console-deflate',
      argv['console-deflate'],
    ];
    // Two load generators: phones and consoles in separate processes, so a busy phone fleet
    // does not sit in the consoles' round-trip measurement.
    const officers = spawnRole('officers', 'officers', [...loadArgs, '--part', '0/1']);
    const consoles = spawnRole('consoles', 'consoles', [...loadArgs, '--part', '0/1']);
    children.push(officers, consoles);
    const [oc, cc] = await Promise.all([
      awaitMessage(officers, 'connected'),
      awaitMessage(consoles, 'connected'),
    ]);
    console.log(
      `connected: ${oc.n} phones in ${(oc.ms / 1000).toFixed(1)} s, ${cc.n} consoles (caught up, desks loaded) in ${(cc.ms / 1000).toFixed(1)} s`,
    );

    for (const c of [officers, consoles]) tell(c, { type: 'go' });
    await new Promise((r) => setTimeout(r, warmup * 1000));
    for (const c of [...servers, officers, consoles]) tell(c, { type: 'mark' });
    const u0 = servers.map((x) => procUsage(x.proc.pid as number));
    const l0 = [officers, consoles].map((c) => procUsage(c.proc.pid as number));
    const w0 = performance.now();
    await new Promise((r) => setTimeout(r, seconds * 1000));
    const wall = (performance.now() - w0) / 1000;
    const u1 = servers.map((x) => procUsage(x.proc.pid as number));
    const l1 = [officers, consoles].map((c) => procUsage(c.proc.pid as number));
    const collected = Promise.all([
      Promise.all(servers.map((x) => awaitMessage(x, 'serverStats'))),
      awaitMessage(officers, 'officers'),
      awaitMessage(consoles, 'consoles'),
    ]);
    for (const ch of [...servers, officers, consoles]) tell(ch, { type: 'collect' });
    const [perNode, or, cr] = await collected;

    const s = { ...perNode[0].stats };
    s.telemetryReceived = perNode.reduce((sum, x) => sum + x.stats.telemetryReceived, 0);
    s.connections = perNode.reduce((sum, x) => sum + x.stats.connections, 0);
    const o = or.report;
    const c = cr.report;
    const allRtt = sortNum(Object.values(c.rtt).flat());
    const dispatchRtt = sortNum(c.rtt.dispatch ?? []);
    const fan = sortNum(c.fanout);
    const tel = sortNum(c.telemetryDelay);
    const cpuOf = (k: number): number => ((u1[k].cpuSec - u0[k].cpuSec) / wall) * 100;
    /** Per server process (one, or each cluster node): CPU, RSS, JS heap, event loop. */
    const perServer: [string, string][] = servers.flatMap((x, k): [string, string][] => {
      const st = perNode[k].stats;
      const who = clustered ? `node ${x.name}` : 'server';
      return [
        [`${who} CPU`, `${cpuOf(k).toFixed(0)} % of one core (${st.connections} sockets)`],
        [
          `${who} RSS (now / peak)`,
          `${u1[k].rssMb.toFixed(0)} MB / ${u1[k].hwmMb.toFixed(0)} MB (JS heap used ${st.heapUsedMb.toFixed(0)} MB, external ${st.externalMb.toFixed(0)} MB)`,
        ],
        [`${who} event-loop delay p99 / max`, `${ms(st.loopP99Ms)} / ${ms(st.loopMaxMs)}`],
      ];
    });
    const rows: [string, string][] = [
      [
        'window',
        `${wall.toFixed(1)} s (after ${warmup} s warm-up), ${s.connections} sockets on the ${clustered ? `${nodes} nodes` : 'server'}`,
      ],
      [
        'commands sent → acked',
        `${allRtt.length} (${c.accepted} accepted, rejected ${JSON.stringify(c.rejected)}, ${c.failed} failed/timeouts)`,
      ],
      [
        'command round trip p50 / p99 / max',
        `${ms(pct(allRtt, 50))} / ${ms(pct(allRtt, 99))} / ${ms(allRtt[allRtt.length - 1] ?? NaN)} (${allRtt.filter((v) => v > 50).length} over 50 ms)`,
      ],
      [
        '  dispatch only p50 / p99',
        `${ms(pct(dispatchRtt, 50))} / ${ms(pct(dispatchRtt, 99))}  (n = ${dispatchRtt.length})`,
      ],
      [
        'event fan-out (commit → console) p50 / p99',
        `${ms(pct(fan, 50))} / ${ms(pct(fan, 99))}  (${c.pushes} pushes)`,
      ],
      ['telemetry reports sent by phones', `${(o.sent / wall).toFixed(0)} /s`],
      ['telemetry reports received by the server', `${(s.telemetryReceived / wall).toFixed(0)} /s`],
      [
        'telemetry at consoles',
        `${(c.telemetryFixes / wall).toFixed(0)} fixes/s in ${(c.telemetryBatches / wall).toFixed(0)} batches/s; batch delay p99 ${ms(pct(tel, 99))}`,
      ],
      ...perServer,
      [
        'load generators CPU (phones / consoles)',
        l1.map((u, i) => `${(((u.cpuSec - l0[i].cpuSec) / wall) * 100).toFixed(0)} %`).join(' / ') +
          ` on ${availableParallelism()} cores`,
      ],
      ['disconnects (phones / consoles)', `${o.disconnects} / ${c.disconnects}`],
    ];
    const width = Math.max(...rows.map(([k]) => k.length));
    console.log('');
    for (const [k, v] of rows) console.log(`${k.padEnd(width)}  ${v}`);
    const p99 = pct(allRtt, 99);
    const pass = allRtt.length > 0 && p99 <= TARGET_P99_MS;
    console.log(
      `\ntarget p99 command round trip ≤ ${TARGET_P99_MS} ms: ${pass ? 'PASS' : 'FAIL'} (${ms(p99)})`,
    );

    const stopped = (chs: Child[]): Promise<unknown> =>
      Promise.all(
        chs.map((ch) => new Promise((r) => (ch.proc.exitCode !== null ? r(null) : ch.proc.once('exit', r)))),
      );
    for (const ch of [officers, consoles]) tell(ch, { type: 'stop' });
    await stopped([officers, consoles]);
    if (clustered) {
      // The highest sustained command rate, closed loop: the cluster (operators round-robin over
      // its nodes), then one SQLite server on a copy of n1's local store — nothing else running.
      const rateSeconds = num('rate-seconds', 1, 3600);
      const rateClients = num('rate-clients', 1, 1000);
      const depth = 4;
      const clientsOf = (t: TokensFile): RateClient[] => {
        const byUrl = new Map<string, RateClient[]>();
        for (const x of t.consoles)
          if (x.point && x.url)
            byUrl.set(x.url, [...(byUrl.get(x.url) ?? []), { url: x.url, token: x.token, point: x.point }]);
        const lanes = [...byUrl.values()];
        const out: RateClient[] = [];
        for (let i = 0; out.length < rateClients && i < rateClients * lanes.length; i++) {
          const lane = lanes[i % lanes.length];
          const c = lane[Math.floor(i / lanes.length)];
          if (c) out.push(c);
        }
        return out;
      };
      const onCluster = await closedLoop(clientsOf(tokens), depth, rateSeconds);
      for (const x of servers) tell(x, { type: 'stop' });
      await stopped(servers);
      await engines?.stop();
      const sqliteDir = join(dataDir, 'sqlite');
      await copyStore(join(storeDir, 'server.sqlite'), sqliteDir);
      const single = spawnRole('sqlite', 'server', serverArgs(sqliteDir));
      children.push(single);
      const sr = await awaitMessage(single, 'ready');
      const onSqlite = await closedLoop(
        clientsOf(JSON.parse(readFileSync(sr.tokensFile, 'utf8')) as TokensFile),
        depth,
        rateSeconds,
      );
      tell(single, { type: 'stop' });
      await stopped([single]);
      console.log(
        `\nhighest sustained command rate (closed loop: ${rateClients} village operators × ${depth} reports in flight, ${rateSeconds} s each, load generators stopped)`,
      );
      console.log('store                                   accepted/s      p50      p99   rejected   failed');
      for (const [name, r] of [
        ['SQLite, 1 process (synchronous=FULL)', onSqlite],
        [`PostgreSQL + Redis, ${nodes} nodes`, onCluster],
      ] as const)
        console.log(
          `${name.padEnd(38)} ${r.perSec.toFixed(1).padStart(11)} ${ms(r.p50).padStart(10)} ${ms(r.p99).padStart(10)} ${String(r.rejected).padStart(10)} ${String(r.failed).padStart(8)}`,
        );
    } else {
      for (const x of servers) tell(x, { type: 'stop' });
      await stopped(servers);
    }
  } finally {
    cleanup();
    await engines?.stop();
  }
}

// ---- main ------------------------------------------------------------------------------------------

const roles: Record<string, () => Promise<void>> = {
  orchestrator: runOrchestrator,
  server: runServer,
  officers: runOfficers,
  consoles: runConsoles,
};
const main = roles[argv.role];
if (!main) {
  console.error(`unknown --role ${argv.role}`);
  process.exit(2);
}
main().catch((e: unknown) => {
  const message = e instanceof Error ? (e.stack ?? e.message) : String(e);
  if (argv.role === 'orchestrator') console.error(message);
  else send({ type: 'error', message });
  process.exit(1);
});
