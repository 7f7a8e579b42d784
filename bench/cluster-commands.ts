// The highest sustained command rate of one SQLite server vs a three-node cluster on PostgreSQL +
// Redis, side by side in one run (issue 20). Closed loop: C village operators (distinct villages,
// spread over the towns), each keeping D `report` commands in flight for S seconds; the rate is
// what the store accepts when every client waits on it. Servers and clients share this process
// (the cluster's nodes too), so the figure compares engines on the same box, not machines: on 2
// cores the cluster is not faster; it shows the cost of the PostgreSQL transaction and the Redis
// fan-out per command.
//
//   npx tsx bench/cluster-commands.ts [--seconds 15] [--clients 9] [--depth 4]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startDispatchServer, type DispatchServer } from '../src-server/server';
import { redisAvailable, startLocalCluster } from '../tests/support/cluster-harness';
import { ensureSmallDataset } from '../tests/support/datasets';
import { pointInGrid } from '../tests/support/fixtures';
import { postgresAvailable } from '../tests/support/pg-harness';
import { login } from '../tests/support/server-client';
import { closedLoop, type RateClient } from './command-rate';

const args = parseArgs({
  options: { seconds: { type: 'string' }, clients: { type: 'string' }, depth: { type: 'string' } },
}).values;
const seconds = Number(args.seconds ?? 15);
const clients = Number(args.clients ?? 9);
const depth = Number(args.depth ?? 4);

interface Phase {
  name: string;
  accepted: number;
  rejected: number;
  perSec: number;
  p50: number;
  p99: number;
  cpuPct: number;
}

/** C operators (one per village, over the towns), logged in round-robin on the given servers. */
async function operators(servers: DispatchServer[]): Promise<RateClient[]> {
  const out: RateClient[] = [];
  // The first grid of one village per town, towns in code order.
  const byTown = new Map<string, { villageCode: string; gridCode: string }>();
  for (const g of [...servers[0].ref.grids.values()].sort((a, b) => (a.code < b.code ? -1 : 1)))
    if (!byTown.has(g.townCode)) byTown.set(g.townCode, { villageCode: g.villageCode, gridCode: g.code });
  const villages = [...byTown.values()];
  for (let i = 0; i < clients; i++) {
    const server = servers[i % servers.length];
    const v = villages[i % villages.length];
    const token = await login(server, `${v.villageCode}.operator`);
    out.push({ url: server.url, token, point: pointInGrid(servers[0], v.gridCode) });
  }
  return out;
}

async function load(name: string, servers: DispatchServer[]): Promise<Phase> {
  const cs = await operators(servers);
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const r = await closedLoop(cs, depth, seconds);
  const wall = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  return {
    name,
    accepted: r.accepted,
    rejected: r.rejected + r.failed,
    perSec: r.perSec,
    p50: r.p50,
    p99: r.p99,
    cpuPct: ((cpu.user + cpu.system) / 1e6 / wall) * 100,
  };
}

if (!postgresAvailable() || !redisAvailable()) {
  console.log(
    'cluster-commands: PostgreSQL or redis-server missing (apt-get install postgresql redis-server)',
  );
  process.exit(0);
}
const datasetDir = ensureSmallDataset();
const phases: Phase[] = [];

const dataDir = mkdtempSync(join(tmpdir(), 'gc-bench-sqlite-'));
const single = await startDispatchServer({ dataDir, datasetDir, port: 0, log: () => undefined });
phases.push(await load('SQLite, 1 process', [single]));
await single.close();
rmSync(dataDir, { recursive: true, force: true });

const cluster = await startLocalCluster({ datasetDir, nodes: 3 });
const nodes = cluster.nodes.map((x) => x.server).filter((s): s is DispatchServer => s !== null);
phases.push(await load('PostgreSQL + Redis, 3 nodes', nodes));
await cluster.stop();

console.log(
  `\n${clients} clients × ${depth} in flight, ${seconds} s each (servers and clients in this process)`,
);
console.log('store                          accepted/s   p50 ms   p99 ms   rejected   CPU % (whole process)');
for (const p of phases)
  console.log(
    `${p.name.padEnd(30)} ${p.perSec.toFixed(1).padStart(10)} ${p.p50.toFixed(1).padStart(8)} ${p.p99
      .toFixed(1)
      .padStart(8)} ${String(p.rejected).padStart(10)} ${p.cpuPct.toFixed(0).padStart(8)}`,
  );
process.exit(0);
