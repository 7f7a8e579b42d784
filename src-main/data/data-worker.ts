// Entry of the data worker thread: owns the DataService (SQLite cache, outbox, sync engine) and
// answers calls from main. Started by DataClient; never imported by main directly.
import { parentPort, workerData } from 'node:worker_threads';
import { DataService } from './data-service';
import { aesSecretBox } from './secret-box';
import type { FromWorker, ToWorker, WorkerConfig, WorkerMethod } from './worker-protocol';
import { WORKER_METHODS } from './worker-protocol';

const port = parentPort;
if (!port) throw new Error('data-worker must run in a worker thread');
const config = workerData as WorkerConfig;
const send = (m: FromWorker): void => port.postMessage(m);

const service = new DataService({
  dataDir: config.dataDir,
  serverUrl: config.serverUrl,
  secrets: aesSecretBox(Buffer.from(config.sessionKey, 'base64'), config.secretKind),
  log: (line) => send({ kind: 'log', line }),
  onChange: (change) => send({ kind: 'change', change }),
});

const handlers: Record<WorkerMethod, (...args: never[]) => unknown> = {
  login: (userName: string, password: string) => service.login(userName, password),
  resume: () => service.resume(),
  queue: (type: never, payload: Record<string, unknown>, baseVersion: number | null) =>
    service.queue(type, payload, baseVersion),
  cases: (filter: { states?: string[]; limit?: number } | undefined) => service.cases(filter ?? {}),
  caseDetail: (id: string) => service.caseDetail(id),
  conflicts: () => service.conflicts(),
  acknowledgeConflict: (commandId: string) => service.acknowledgeConflict(commandId),
  connection: () => service.connection(),
  seatInfo: () => service.seatInfo(),
  reference: () => service.reference(),
  positions: () => service.positions(),
  mapSnapshot: () => service.mapSnapshot(),
  mapCases: (ids: string[]) => service.mapCases(ids),
  tracks: (officerIds: string[] | null, fromMs: number, toMs: number) =>
    service.tracks(officerIds, fromMs, toMs),
  places: (bbox: [number, number, number, number] | null) => service.places(bbox),
  // ---- case desk (issue 6) ----
  // ---- weekly briefing (issue 8) ----
  // ---- inspections (issue 9) ----
};

port.on('message', (msg: ToWorker) => {
  if (msg.kind === 'close') {
    void service.close().then(() => {
      send({ kind: 'result', id: msg.id, ok: true, value: null });
      port.close();
    });
    return;
  }
  if (!(WORKER_METHODS as readonly string[]).includes(msg.method)) {
    send({
      kind: 'result',
      id: msg.id,
      ok: false,
      error: { code: 'UNKNOWN_CALL', message: `no worker method ${msg.method}` },
    });
    return;
  }
  Promise.resolve()
    .then(() => (handlers[msg.method] as (...a: unknown[]) => unknown)(...msg.args))
    .then(
      (value) => send({ kind: 'result', id: msg.id, ok: true, value }),
      (e: unknown) =>
        send({
          kind: 'result',
          id: msg.id,
          ok: false,
          error: { code: 'INTERNAL', message: e instanceof Error ? e.message : String(e) },
        }),
    );
});
