// `npm run server`: the reference central dispatch server, standalone. Ensures the demo dataset
// (generated on first use), then starts src-server on the given port and data dir.
import { parseArgs } from 'node:util';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ensureDataset, defaultDatasetDir } from './demo-data/index';
import { startDispatchServer } from '../src-server/server';
import { DEMO_PASSWORD } from '../src-server/dataset/import-dataset';
import { FieldSimulator, readCategoryWeights } from '../src-server/simulator/field-simulator';

const HELP = `Usage: npm run server -- [options]

Starts the reference central dispatch server (socket.io + HTTP) with the Dongguan demo dataset.

Options (environment variable in brackets):
  --port N          TCP port, 0 = any free port (GRID_CONSOLE_SERVER_PORT, default 7420)
  --host H          address to bind (GRID_CONSOLE_SERVER_HOST, default 127.0.0.1)
  --data-dir DIR    server store and photos (GRID_CONSOLE_DATA_DIR/server, default .data/server)
  --dataset DIR     demo dataset directory (default .data/datasets/dongguan; generated when missing)
  --cases N         size of the case history when the dataset is generated (default 2,500,000;
                    with --dataset, the size of the dataset already there)
  --simulator on|off  run the field simulator (default off here; npm start turns it on)
  --speed X         simulator speed factor, 1 = real time (default 1)
  --desks on|off    simulated town/village/city desks verify, dispatch and check the cases of
                    every seat nobody is logged into (default on with the simulator)
  --admin-password-file FILE  the admin seat's password, first line of FILE
                    (or GRID_CONSOLE_ADMIN_PASSWORD; default: generated at the first start into
                    <data-dir>/admin.password, mode 0600, and printed once)
  --tls-cert FILE   serve HTTPS/WSS with this PEM certificate chain (GRID_CONSOLE_TLS_CERT)
  --tls-key FILE    … and this PEM private key (GRID_CONSOLE_TLS_KEY); both or neither.
                    Consoles then use https://host:port and trust the issuing CA (settings caFile)
  --store URL       run as a cluster node on this PostgreSQL store (postgres://user@host:port/db,
                    GRID_CONSOLE_STORE); default: the embedded SQLite store in --data-dir
  --redis URL       fan live pushes out to the other nodes through Redis (redis://host:port,
                    GRID_CONSOLE_REDIS); only with --store
  --node-id NAME    this node's name (GRID_CONSOLE_NODE_ID, default n1); only with --store.
                    Each node keeps its own --data-dir (reference data, seats, photos).
                    See docs/deployment.md
  --help            this text

Demo seats: city.dispatcher, <town code>.dispatcher, <village code>.operator, … password ${DEMO_PASSWORD}
(not admin: see --admin-password-file; the system seat logs in only with GRID_CONSOLE_SYSTEM_PASSWORD)
`;

function fail(message: string): never {
  console.error(`error: ${message}\n\n${HELP}`);
  process.exit(2);
}

let args;
try {
  args = parseArgs({
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      'data-dir': { type: 'string' },
      dataset: { type: 'string' },
      cases: { type: 'string' },
      simulator: { type: 'string' },
      speed: { type: 'string' },
      desks: { type: 'string' },
      'tls-cert': { type: 'string' },
      'admin-password-file': { type: 'string' },
      'tls-key': { type: 'string' },
      store: { type: 'string' },
      redis: { type: 'string' },
      'node-id': { type: 'string' },
      help: { type: 'boolean' },
    },
    strict: true,
  }).values;
} catch (e) {
  fail((e as Error).message);
}
if (args.help) {
  console.log(HELP);
  process.exit(0);
}

const int = (name: string, text: string | undefined, fallback: number, min: number, max: number): number => {
  if (text === undefined) return fallback;
  const n = Number(text);
  if (!Number.isInteger(n) || n < min || n > max)
    fail(`--${name} must be an integer in ${min}..${max}, got ${JSON.stringify(text)}`);
  return n;
};
const port = int('port', args.port ?? process.env.GRID_CONSOLE_SERVER_PORT, 7420, 0, 65535);
const host = args.host ?? process.env.GRID_CONSOLE_SERVER_HOST ?? '127.0.0.1';
const dataRoot = process.env.GRID_CONSOLE_DATA_DIR
  ? resolve(process.env.GRID_CONSOLE_DATA_DIR)
  : resolve(import.meta.dirname, '../.data');
const dataDir = resolve(args['data-dir'] ?? join(dataRoot, 'server'));
const datasetDir = resolve(args.dataset ?? defaultDatasetDir());
const cases = args.cases === undefined ? undefined : int('cases', args.cases, 0, 1000, 20_000_000);
if (args.simulator !== undefined && !['on', 'off'].includes(args.simulator))
  fail('--simulator takes on or off');
if (args.desks !== undefined && !['on', 'off'].includes(args.desks)) fail('--desks takes on or off');
const desks = args.desks !== 'off';
const speed = args.speed === undefined ? 1 : Number(args.speed);
if (!(speed > 0 && speed <= 10_000))
  fail(`--speed must be a number in (0, 10000], got ${JSON.stringify(args.speed)}`);

const tlsCert = args['tls-cert'] ?? process.env.GRID_CONSOLE_TLS_CERT;
const tlsKey = args['tls-key'] ?? process.env.GRID_CONSOLE_TLS_KEY;
if ((tlsCert === undefined) !== (tlsKey === undefined)) fail('--tls-cert and --tls-key go together');
const readText = (flag: string, file: string): string => {
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    fail(`--${flag} ${file}: ${(e as Error).message}`);
  }
};
const tls =
  tlsCert !== undefined && tlsKey !== undefined
    ? { cert: readText('tls-cert', tlsCert), key: readText('tls-key', tlsKey) }
    : undefined;

const storeUrl = args.store ?? process.env.GRID_CONSOLE_STORE;
const redisUrl = args.redis ?? process.env.GRID_CONSOLE_REDIS;
const nodeId = args['node-id'] ?? process.env.GRID_CONSOLE_NODE_ID;
if (storeUrl !== undefined && !/^postgres(ql)?:\/\//.test(storeUrl))
  fail(`--store takes a postgres:// URL, got ${JSON.stringify(storeUrl)}`);
if (storeUrl === undefined && (redisUrl !== undefined || nodeId !== undefined))
  fail('--redis and --node-id need --store');
if (redisUrl !== undefined && !/^rediss?:\/\//.test(redisUrl))
  fail(`--redis takes a redis:// URL, got ${JSON.stringify(redisUrl)}`);
if (storeUrl !== undefined && args.simulator === 'on')
  fail('the field simulator runs on the embedded store only (not with --store)');
const cluster =
  storeUrl !== undefined ? { postgres: storeUrl, redis: redisUrl, nodeId: nodeId ?? 'n1' } : undefined;

const adminFile = args['admin-password-file'];
const adminPassword =
  adminFile !== undefined
    ? readText('admin-password-file', adminFile).split(/\r?\n/)[0]
    : process.env.GRID_CONSOLE_ADMIN_PASSWORD || undefined;
const systemPassword = process.env.GRID_CONSOLE_SYSTEM_PASSWORD || undefined;
for (const [name, value] of [
  ['admin', adminPassword],
  ['system', systemPassword],
] as const)
  if (value !== undefined && value.length < 12) fail(`the ${name} password needs at least 12 characters`);

/**
 * The history size of the dataset already in an explicit --dataset directory: a dataset named by
 * its directory is used at the size it has (a test's 20k-case one, several cluster nodes on one
 * directory), not regenerated at the default size over it. Undefined when there is none to read.
 */
function existingCases(dir: string): number | undefined {
  try {
    const m = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as {
      options?: { cases?: unknown };
    };
    return typeof m.options?.cases === 'number' ? m.options.cases : undefined;
  } catch {
    return undefined;
  }
}
const size = cases ?? (args.dataset !== undefined ? existingCases(datasetDir) : undefined);

const t0 = Date.now();
const ensured = ensureDataset({ outDir: datasetDir, ...(size !== undefined ? { cases: size } : {}) });
if (ensured.generated)
  console.log(
    `[server] demo dataset generated in ${((Date.now() - t0) / 1000).toFixed(1)} s (${ensured.reason})`,
  );

const server = await startDispatchServer({
  dataDir,
  datasetDir: ensured.dir,
  port,
  host,
  warmVideo: true,
  ...(tls ? { tls } : {}),
  ...(adminPassword ? { adminPassword } : {}),
  ...(systemPassword ? { systemPassword } : {}),
  ...(cluster ? { cluster } : {}),
  // the world lives only with the simulator: then the hours it was down are caught up first
  catchUp: args.simulator === 'on',
}).catch((e: unknown) => {
  const err = e as NodeJS.ErrnoException;
  if (err.code === 'EADDRINUSE') fail(`port ${port} is in use: is another server running? Use --port`);
  throw e;
});
const simulator =
  args.simulator === 'on'
    ? new FieldSimulator(server, { speed, desks, categoryWeights: readCategoryWeights(ensured.dir) })
    : null;
simulator?.start();
console.log(
  `[server] ready: ${server.url}  (data ${dataDir}; ${cluster ? `cluster node ${cluster.nodeId} on PostgreSQL${cluster.redis ? ' + Redis' : ''}; ` : ''}field simulator ${simulator ? `on at ×${speed}, desks ${desks ? 'on' : 'off'}` : 'off'})`,
);

const stop = (): void => {
  simulator?.stop();
  void server.close().then(() => process.exit(0));
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
