// `npx tsx scripts/cluster.ts`: a local cluster for demos (issue 20) — a throwaway PostgreSQL
// (initdb in a temp dir), redis-server on a free port and three dispatch server nodes, each
// `scripts/server.ts --store … --redis … --node-id n<k>` as `npm run server` runs it. Ctrl-C stops
// everything and deletes the temp dirs. Tests use the same harness (tests/support/cluster-harness.ts).
import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import { ensureDataset, defaultDatasetDir } from './demo-data/index';
import { startLocalCluster } from '../tests/support/cluster-harness';
import { DEMO_PASSWORD } from '../src-server/dataset/import-dataset';

const HELP = `Usage: npx tsx scripts/cluster.ts [--nodes 3] [--base-port 7421] [--dataset DIR]

Starts PostgreSQL 15 and redis-server on free loopback ports and N dispatch server nodes on them
(ports base-port, base-port+1, …; 0 = free ports). Consoles may use any node's URL; a seat logs in
on the node it talks to (sessions are per node, see docs/deployment.md). Set
GRID_CONSOLE_ADMIN_PASSWORD to give the admin seat the same password on every node.
`;

const args = parseArgs({
  options: {
    nodes: { type: 'string' },
    'base-port': { type: 'string' },
    dataset: { type: 'string' },
    help: { type: 'boolean' },
  },
  strict: true,
}).values;
if (args.help) {
  console.log(HELP);
  process.exit(0);
}
const nodes = Number(args.nodes ?? 3);
const basePort = Number(args['base-port'] ?? 7421);
if (!Number.isInteger(nodes) || nodes < 1 || nodes > 16) throw new Error('--nodes takes 1..16');
if (!Number.isInteger(basePort) || basePort < 0 || basePort > 65_000)
  throw new Error('--base-port takes 0..65000');

const dataset = ensureDataset({ outDir: resolve(args.dataset ?? defaultDatasetDir()) });
console.log(`[cluster] dataset ${dataset.dir}; starting PostgreSQL, Redis and ${nodes} nodes …`);
const cluster = await startLocalCluster({
  datasetDir: dataset.dir,
  nodes,
  mode: 'process',
  basePort,
  adminPassword: process.env.GRID_CONSOLE_ADMIN_PASSWORD,
  log: (line) => console.log(line),
});
console.log(`[cluster] PostgreSQL ${cluster.pg.url}`);
console.log(`[cluster] Redis      ${cluster.redis.url}`);
for (const n of cluster.nodes) console.log(`[cluster] node ${n.nodeId}    ${n.url}`);
console.log(`[cluster] ready — demo seats' password ${DEMO_PASSWORD}; Ctrl-C stops the cluster`);

let stopping = false;
const stop = (): void => {
  if (stopping) return;
  stopping = true;
  console.log('[cluster] stopping …');
  void cluster.stop().then(() => process.exit(0));
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
