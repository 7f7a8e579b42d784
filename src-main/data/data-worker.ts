// Entry of the data worker thread: owns the DataService (SQLite cache, outbox, sync engine) and
// answers calls from main with the feature handlers (handlers.ts). Started by DataClient; never
// imported by main directly.
import { parentPort, workerData } from 'node:worker_threads';
import { CallError } from '../../src-shared/util/result';
import { DataService } from './data-service';
import { workerHandlers } from './handlers';
import { aesSecretBox } from './secret-box';
import type { FromWorker, ToWorker, WorkerConfig } from './worker-protocol';
import { startMark } from '../app/start-marks';

startMark('worker:thread', performance.timeOrigin);
startMark('worker:modules');
const SLOW_CALL_MS = 250;
const port = parentPort;
if (!port) throw new Error('data-worker must run in a worker thread');
const config = workerData as WorkerConfig;
const send = (m: FromWorker): void => port.postMessage(m);

const service = new DataService({
  dataDir: config.dataDir,
  serverUrl: config.serverUrl,
  alternateServerUrls: config.alternateServerUrls ?? [],
  caFile: config.caFile ?? null,
  secrets: aesSecretBox(Buffer.from(config.sessionKey, 'base64'), config.secretKind),
  log: (line) => send({ kind: 'log', line }),
  onChange: (change) => send({ kind: 'change', change }),
});
startMark('worker:service');
const handlers = workerHandlers(service) as unknown as Record<string, (...args: unknown[]) => unknown>;

/** A handler's refusal (CallError) keeps its code; anything else thrown is INTERNAL. */
function errorOf(e: unknown): { code: string; message: string } {
  return {
    code: e instanceof CallError ? e.code : 'INTERNAL',
    message: e instanceof Error ? e.message : String(e),
  };
}

port.on('message', (msg: ToWorker) => {
  if (msg.kind === 'close') {
    void service.close().then(() => {
      send({ kind: 'result', id: msg.id, ok: true, value: null });
      port.close();
    });
    return;
  }
  if (!Object.prototype.hasOwnProperty.call(handlers, msg.method)) {
    send({
      kind: 'result',
      id: msg.id,
      ok: false,
      error: { code: 'UNKNOWN_CALL', message: `no worker call ${String(msg.method)}` },
    });
    return;
  }
  const t0 = performance.now();
  Promise.resolve()
    .then(() => handlers[msg.method](...msg.args))
    .then(
      (value) => {
        const ms = performance.now() - t0;
        // A slow call holds up every window's next call: say so in the log.
        if (ms > SLOW_CALL_MS)
          send({ kind: 'log', line: `slow worker call ${msg.method}: ${Math.round(ms)} ms` });
        send({ kind: 'result', id: msg.id, ok: true, value });
      },
      (e: unknown) => send({ kind: 'result', id: msg.id, ok: false, error: errorOf(e) }),
    );
});
