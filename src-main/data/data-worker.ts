// Entry of the data worker thread: owns the DataService (SQLite cache, outbox, sync engine) and
// answers calls from main. Started by DataClient; never imported by main directly.
import { parentPort, workerData } from 'node:worker_threads';
import { DataService } from './data-service';
import type { DrillFilter } from '../../src-shared/briefing/briefing';
import type { Locale } from '../../src-shared/briefing/explain';
import type { BriefingExportKind } from '../../src-shared/briefing/view';
import { aesSecretBox } from './secret-box';
import type { FromWorker, ToWorker, WorkerConfig, WorkerMethod } from './worker-protocol';
import { WORKER_METHODS } from './worker-protocol';
import type { OrdersFilter, RegradeStatus } from '../../src-shared/inspections/model'; // inspections (issue 9)

const SLOW_CALL_MS = 250;
const port = parentPort;
if (!port) throw new Error('data-worker must run in a worker thread');
const config = workerData as WorkerConfig;
const send = (m: FromWorker): void => port.postMessage(m);

const service = new DataService({
  dataDir: config.dataDir,
  serverUrl: config.serverUrl,
  caFile: config.caFile ?? null,
  secrets: aesSecretBox(Buffer.from(config.sessionKey, 'base64'), config.secretKind),
  log: (line) => send({ kind: 'log', line }),
  onChange: (change) => send({ kind: 'change', change }),
});

const handlers: Record<WorkerMethod, (...args: never[]) => unknown> = {
  login: (userName: string, password: string) => service.login(userName, password),
  resume: () => service.resume(),
  queue: (
    type: never,
    payload: Record<string, unknown>,
    baseVersion: number | null,
    holdMs: number | undefined,
  ) => service.queue(type, payload, baseVersion, holdMs ?? 0),
  cases: (filter: { states?: string[]; limit?: number } | undefined) => service.cases(filter ?? {}),
  caseDetail: (id: string) => service.caseDetailWithHistory(id),
  conflicts: () => service.conflicts(),
  acknowledgeConflict: (commandId: string) => service.acknowledgeConflict(commandId),
  connection: () => service.connection(),
  seatInfo: () => service.seatInfo(),
  referenceJson: () => service.referenceJson(),
  overviewCounts: () => service.overviewCounts(),
  positions: () => service.positions(),
  mapSnapshot: () => service.mapSnapshot(),
  mapCases: (ids: string[]) => service.mapCases(ids),
  tracks: (officerIds: string[] | null, fromMs: number, toMs: number) =>
    service.tracks(officerIds, fromMs, toMs),
  places: (bbox: [number, number, number, number] | null) => service.places(bbox),
  // ---- case desk (issue 6) ----
  deskQueue: () => service.deskQueue(),
  deskRows: (ids: string[]) => service.deskRows(ids),
  deskRecommend: (caseId: string, limit: number | undefined) => service.deskRecommend(caseId, limit),
  deskFigures: () => service.deskFigures(),
  casePhoto: (hash: string) => service.casePhoto(hash),
  // ---- weekly briefing (issue 8) ----
  briefingStatus: (refresh: boolean | undefined) => service.briefingStatus(refresh ?? false),
  briefingAnalyse: (week: number | null, scope: string | null) => service.briefingAnalyse(week, scope),
  briefingDrill: (filter: DrillFilter, limit: number | undefined) =>
    service.briefingDrillFromServer(filter, limit),
  briefingHotSpots: (week: number, scope: string | null, majorCode: string | undefined) =>
    service.briefingHotSpots(week, scope, majorCode),
  briefingExport: (kind: BriefingExportKind, week: number | null, scope: string | null, locale: Locale) =>
    service.briefingExport(kind, week, scope, locale),
  // ---- inspections (issue 9) ----
  inspectionsCoverage: (month: string | null, by: 'grid' | 'officer', scope: string | null) =>
    service.inspectionsCoverage(month, by, scope),
  inspectionsOrders: (filter: OrdersFilter) => service.inspectionsOrders(filter),
  inspectionsRegrades: (status: RegradeStatus) => service.inspectionsRegrades(status),
  inspectionsPlaceFlags: () => service.inspectionsPlaceFlags(),
  inspectionsDecide: (id: number, approve: boolean, note: string | null) =>
    service.inspectionsDecide(id, approve, note),
  // ---- video wall and windows (issue 7) ----
  videoFetch: (cameraId: string, file: string, range: string | null) =>
    service.videoFetch(cameraId, file, range),
  videoSnapshot: (caseId: string, base64: string, caption: string | null) =>
    service.videoSnapshot(caseId, base64, caption),
  // ---- shift (issue 18) ----
  undo: (commandId: string) => service.undo(commandId),
  shiftSummary: () => service.shiftSummary(),
  logout: (note: string) => service.logout(note),
  shiftLog: (limit: number | undefined) => service.shiftLog(limit),
  alerts: () => service.alerts(),
  ackAlert: (id: string) => service.ackAlert(id),
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
  const t0 = performance.now();
  Promise.resolve()
    .then(() => (handlers[msg.method] as (...a: unknown[]) => unknown)(...msg.args))
    .then(
      (value) => {
        const ms = performance.now() - t0;
        // A slow call holds up every window's next call: say so in the log.
        if (ms > SLOW_CALL_MS)
          send({ kind: 'log', line: `slow worker call ${msg.method}: ${Math.round(ms)} ms` });
        send({ kind: 'result', id: msg.id, ok: true, value });
      },
      (e: unknown) =>
        send({
          kind: 'result',
          id: msg.id,
          ok: false,
          error: { code: 'INTERNAL', message: e instanceof Error ? e.message : String(e) },
        }),
    );
});
