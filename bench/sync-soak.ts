// bench/sync-soak: the fault-injection scenario of tests/integration/sync-faults.test.ts over many
// seeds (default 10,000), split across processes that each run their own server. Prints progress
// and a summary. A seed whose oracle fails is recorded and the soak goes on; at the end every failed
// seed is run again alone on a fresh server, so a failure that only happened under CPU starvation
// (timeouts) is told apart from one that reproduces. Exits non-zero if any seed failed.
// Run: npx tsx bench/sync-soak.ts [--seeds 10000] [--from 1] [--procs 2]
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { prepareWorld, runScenario, type ScenarioReport } from '../tests/support/fault-scenario';
import { startTestServer } from '../tests/support/server-client';
import { ensureSmallDataset } from '../tests/support/datasets';

const { values } = parseArgs({
  options: {
    seeds: { type: 'string', default: '10000' },
    from: { type: 'string', default: '1' },
    procs: { type: 'string', default: '2' },
    worker: { type: 'string' },
  },
});

async function worker(first: number, count: number, stride: number): Promise<void> {
  const t = await startTestServer();
  const world = await prepareWorld(t);
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
    await t.dispose();
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
  const procs = Math.max(1, Number(values.procs));
  ensureSmallDataset();
  const t0 = Date.now();
  const reports: ScenarioReport[] = [];
  const failures: { seed: number; error: string }[] = [];
  console.log(`# bench/sync-soak: ${seeds} seeds from ${from}, ${procs} processes, each with its own server`);
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
      `${((Date.now() - t0) / 60_000).toFixed(1)} min`,
  );
  for (const f of failures) console.log(`FAILED seed ${f.seed}: ${f.error}`);
  if (failures.length > 0) {
    console.log(`re-running the ${failures.length} failed seed(s) alone:`);
    const t = await startTestServer();
    const world = await prepareWorld(t);
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
      await t.dispose();
    }
  }
  process.exit(failures.length > 0 || reports.length < seeds ? 1 : 0);
}

await main();
