// bench/sync-soak: the fault-injection scenario of tests/integration/sync-faults.test.ts over many
// seeds (default 10,000), split across processes that each run their own server. Prints progress
// and a summary. A seed whose oracle fails is recorded and the soak goes on; at the end every failed
// seed is run again alone on a fresh server, so a failure that only happened under CPU starvation
// (timeouts) is told apart from one that reproduces. Exits non-zero if any seed failed.
// With --cluster N each process runs the scenario on its own cluster of N process nodes on
// PostgreSQL + Redis (tests/integration/cluster-faults.test.ts: consoles spread over the nodes,
// node kills among the faults) instead of one server.
// Run: npx tsx bench/sync-soak.ts [--seeds 10000] [--from 1] [--procs 2] [--cluster 3]
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import {
  prepareWorld,
  runScenario,
  type ScenarioReport,
  type ScenarioWorld,
} from '../tests/support/fault-scenario';
import { prepareClusterWorld } from '../tests/support/cluster-fault-world';
import { startLocalCluster } from '../tests/support/cluster-harness';
import { startTestServer } from '../tests/support/server-client';
import { ensureSmallDataset } from '../tests/support/datasets';

const { values } = parseArgs({
  options: {
    seeds: { type: 'string', default: '10000' },
    from: { type: 'string', default: '1' },
    procs: { type: 'string' },
    cluster: { type: 'string' },
    worker: { type: 'string' },
  },
});
const clusterNodes = values.cluster ? Number(values.cluster) : 0;

/** One server, or a cluster of `--cluster` process nodes, and the scenario's world on it. */
async function openWorld(): Promise<{ world: ScenarioWorld; dispose: () => Promise<void> }> {
  if (clusterNodes > 1) {
    const cluster = await startLocalCluster({
      datasetDir: ensureSmallDataset(),
      nodes: clusterNodes,
      mode: 'process',
    });
    const world = await prepareClusterWorld(cluster);
    return {
      world,
      dispose: async () => {
        await world.close();
        await cluster.stop();
      },
    };
  }
  const t = await startTestServer();
  return { world: await prepareWorld(t), dispose: () => t.dispose() };
}

async function worker(first: number, count: number, stride: number): Promise<void> {
  const { world, dispose } = await openWorld();
  try {
    for (let k = 0; k < count; k++) {
      const seed = first + k * stride;
      try {
        const r = await runScenario(world, seed);
        process.stdout.write(`${JSON.stringify(r)}\n`);
      } catch (e) {
        process.stdout.write(
          `${JSON.stringify({ seed, error: e instanceof Error ? e.message : String(e) })}\n`,
        );
        process.exitCode = 1;
      }
    }
  } finally {
    await dispose();
  }
}

async function main(): Promise<void> {
  if (values.worker) {
    const [first, count, stride] = values.worker.split(',').map(Number);
    await worker(first, count, stride);
    return;
  }
  const seeds = Number(values.seeds);
  const from = Number(values.from);
  // A cluster is five processes of its own: one soak process at a time by default.
  const procs = Math.max(1, Number(values.procs ?? (clusterNodes > 1 ? 1 : 2)));
  ensureSmallDataset();
  const t0 = Date.now();
  const reports: ScenarioReport[] = [];
  const failures: { seed: number; error: string }[] = [];
  const on =
    clusterNodes > 1 ? `its own cluster of ${clusterNodes} nodes (PostgreSQL + Redis)` : 'its own server';
  console.log(`# bench/sync-soak: ${seeds} seeds from ${from}, ${procs} processes, each with ${on}`);
  await Promise.all(
    Array.from({ length: procs }, (_, p) => {
      const count = Math.ceil((seeds - p) / procs);
      const child = spawn(
        process.execPath,
        [
          '--import',
          'tsx',
          resolve(import.meta.dirname, 'sync-soak.ts'),
          '--worker',
          `${from + p},${count},${procs}`,
          ...(clusterNodes > 1 ? ['--cluster', String(clusterNodes)] : []),
        ],
        {
          stdio: ['ignore', 'pipe', 'inherit'],
        },
      );
      let buffer = '';
      child.stdout.on('data', (chunk: Buffer) => {
        buffer += chunk.toString();
        let nl: number;
        while ((nl = buffer.indexOf('\n')) >= 0) {
          const line = buffer.slice(0, nl);
          buffer = buffer.slice(nl + 1);
          if (!line.startsWith('{')) continue;
          const r = JSON.parse(line) as ScenarioReport & { error?: string };
          if (r.error) failures.push({ seed: r.seed, error: r.error });
          else reports.push(r);
          if (reports.length % 250 === 0) {
            const rate = reports.length / ((Date.now() - t0) / 1000);
            console.log(
              `  ${reports.length}/${seeds} seeds ok (${rate.toFixed(1)}/s), ${failures.length} failed`,
            );
          }
        }
      });
      return new Promise<void>((done) => child.on('exit', () => done()));
    }),
  );
  const sum = (k: keyof ScenarioReport): number => reports.reduce((s, r) => s + r[k], 0);
  console.log(
    `seeds ok: ${reports.length}/${seeds}; commands ${sum('queued')} (${sum('confirmed')} confirmed, ${sum('rejected')} rejected with a reason); ` +
      `answers lost after commit ${sum('lostAnswers')}; cuts ${sum('cuts')}; console restarts ${sum('consoleRestarts')}; server restarts ${sum('serverRestarts')}; ` +
      (clusterNodes > 1
        ? `node kills ${sum('nodeKills')} (${sum('killsMidCommand')} with a command unanswered), consoles moved ${sum('consoleMoves')}; `
        : '') +
      `${((Date.now() - t0) / 60_000).toFixed(1)} min`,
  );
  for (const f of failures) console.log(`FAILED seed ${f.seed}: ${f.error}`);
  if (failures.length > 0) {
    console.log(`re-running the ${failures.length} failed seed(s) alone:`);
    const { world, dispose } = await openWorld();
    try {
      for (const f of failures) {
        try {
          const r = await runScenario(world, f.seed);
          console.log(`  seed ${f.seed}: passes alone (${r.ms} ms) — the failure did not reproduce`);
        } catch (e) {
          console.log(`  seed ${f.seed}: FAILS AGAIN alone: ${e instanceof Error ? e.message : String(e)}`);
        }
      }
    } finally {
      await dispose();
    }
  }
  process.exit(failures.length > 0 || reports.length < seeds ? 1 : 0);
}

await main();
