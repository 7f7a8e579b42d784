// The embedded demo server (issue 19, demo mode): the same src-server with the Dongguan demo
// dataset and the field simulator that `npm start` runs, here inside an Electron utility process
// (utilityProcess.fork) with its data under the app's user-data folder. It tells its parent
// `{ type: 'ready', url }` once it listens on a random loopback port, or `{ type: 'failed' }`.
// Also runs under plain Node (child_process.fork: the tests), talking over process.send.
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { ensureDataset } from './demo-data/index';
import { startDispatchServer } from '../src-server/server';
import { FieldSimulator, readCategoryWeights } from '../src-server/simulator/field-simulator';

export type DemoServerMessage =
  | { type: 'ready'; url: string; generated: boolean }
  | { type: 'failed'; message: string }
  | { type: 'log'; line: string };

interface ParentPortLike {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (e: { data: unknown }) => void): void;
}

const parentPort = (process as unknown as { parentPort?: ParentPortLike }).parentPort;

function tell(message: DemoServerMessage): void {
  if (parentPort) parentPort.postMessage(message);
  else process.send?.(message);
}

function onParent(listener: (message: unknown) => void): void {
  if (parentPort) parentPort.on('message', (e) => listener(e.data));
  else process.on('message', listener);
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      'data-dir': { type: 'string' },
      resources: { type: 'string' },
      dataset: { type: 'string' },
      cases: { type: 'string' },
      speed: { type: 'string' },
    },
    strict: true,
  });
  if (!values['data-dir']) throw new Error('--data-dir is required');
  const dataDir = resolve(values['data-dir']);
  const cases = values.cases ? Number(values.cases) : undefined;
  const t0 = Date.now();
  const dataset = values.dataset
    ? ensureDataset({ outDir: resolve(values.dataset), ...(cases ? { cases } : {}) })
    : ensureDataset({
        outDir: join(dataDir, 'dataset'),
        ...(values.resources ? { resourcesDir: resolve(values.resources) } : {}),
        ...(cases ? { cases } : {}),
      });
  if (dataset.generated)
    tell({ type: 'log', line: `demo dataset generated in ${((Date.now() - t0) / 1000).toFixed(1)} s` });
  const server = await startDispatchServer({
    dataDir: join(dataDir, 'server'),
    datasetDir: dataset.dir,
    port: 0,
    host: '127.0.0.1',
    log: (line) => tell({ type: 'log', line }),
    catchUp: true,
  });
  const simulator = new FieldSimulator(server, {
    speed: values.speed ? Number(values.speed) : 1,
    categoryWeights: readCategoryWeights(dataset.dir),
  });
  simulator.start();
  const stop = (): void => {
    simulator.stop();
    void server.close().then(() => process.exit(0));
  };
  onParent((message) => {
    if ((message as { type?: string } | null)?.type === 'stop') stop();
  });
  process.on('SIGTERM', stop);
  tell({ type: 'ready', url: server.url, generated: dataset.generated });
}

main().catch((e: unknown) => {
  tell({ type: 'failed', message: e instanceof Error ? e.message : String(e) });
  process.exitCode = 1;
});
