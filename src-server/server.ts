// Composition root of the reference central dispatch server: store, reference data, seats, the
// command path, the sync feed, telemetry and photos behind socket.io + HTTP. `npm run server`
// (scripts/server.ts) and the embedded default of `npm start` both call startDispatchServer.
import {
  createServer,
  type IncomingMessage,
  type Server as HttpServer,
  type ServerResponse,
} from 'node:http';
import { createServer as createTlsServer, type Server as HttpsServer } from 'node:https';
import { mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { defaultCalendar } from '../src-shared/domain/calendar';
import type { Command, CommandAnswer } from '../src-shared/protocol/commands';
import type { CaseEvent } from '../src-shared/protocol/entities';
import { PROTOCOL_VERSION, type PackedPage } from '../src-shared/protocol/messages';
import { gzipSync } from 'node:zlib';
import { err, ok, type Result } from '../src-shared/util/result';
import { ensureOperatorSecrets } from './auth/operator-secrets';
import { Seats, type User } from './auth/seats';
import { authenticate, SqliteSessionStore, type SessionStore } from './auth/session-store';
import { canSeeCase, canSeeGrid, caseFor, eventFor, reachOf, readsScopeFeed } from './auth/visibility';
import { CommandService, type ActorContext, type AfterCommit } from './cases/command-service';
import { SupervisionScheduler } from './cases/supervision-scheduler';
import { BriefingService, briefingAfterCommit, storeCases } from './briefing/briefing-service';
import { importDataset, isImported, type ImportSummary } from './dataset/import-dataset';
import { InspectionService } from './inspections';
import { localShelf, PhotoStore, type PhotoShelf } from './photos/photo-store';
import { PlaceService } from './places/place-service';
import { renderScenePhoto } from './simulator/png';
import { attachImportedAfterPhotos, writeImportedEntries } from './dataset/imported-history';
import { BriefingDrill } from './briefing/drill';
import { DeskFiguresService } from './briefing/desk-figures';
import { catchUp, type CatchUpSummary } from './simulator/catch-up';
import { ReferenceData } from './reference/reference-data';
import { migrate, openDatabase, type Db } from './store/database';
import { EventLog } from './store/event-log';
import { SyncService } from './sync/sync-service';
import { SqliteDispatchStore, type DispatchStore } from './store/dispatch-store';
import { joinCluster, type ClusterLink, type ClusterOptions } from './cluster/cluster-node';
import { TelemetryHub } from './telemetry/telemetry-hub';
import { AlertService, localFeed } from './alerts/alert-service';
import type { Case } from '../src-shared/protocol/entities';
import { createAlertRoutes } from './alerts/alert-routes';
import { createHttpApi } from './transport/http-api';
import { sendError } from './transport/json-http';
import { SocketGateway } from './transport/socket-gateway';
// ---- video wall and windows ----
import { DemoStreams } from './video/demo-streams';
import { createVideoRoutes } from './video/video-routes';

export interface DispatchServerOptions {
  /** Holds server.sqlite and photos/. Created when missing. */
  dataDir: string;
  /** The demo dataset imported on first start (scripts/demo-data writes it). */
  datasetDir: string;
  port?: number;
  host?: string;
  now?: () => number;
  telemetryFlushMs?: number;
  /** Per-connection message rate (default 50/s, burst 200). */
  ratePerSec?: number;
  burst?: number;
  log?: (line: string) => void;
  /**
   * Encode the demo camera clips in the background right after the start instead of on the
   * first stream request (`npm start` / `npm run server`: the first video wall then plays at
   * once instead of waiting for the encoder, which a loaded machine can stretch past the
   * console's media timeout).
   */
  warmVideo?: boolean;
  /** How often 督办 orders past their deadline are lapsed (default 30 s). */
  supervisionEveryMs?: number;
  /** Alert feed: unacknowledged alerts escalate a level after this (default 3 min). */
  alertEscalateAfterMs?: number;
  /**
   * Serve HTTPS and WSS with this certificate chain and key (PEM; `npm run server -- --tls-cert
   * --tls-key`). Without it the server speaks plain HTTP — meant for loopback (`npm start`).
   */
  tls?: { cert: string | Buffer; key: string | Buffer };
  /**
   * The admin seat's password (GRID_CONSOLE_ADMIN_PASSWORD / --admin-password-file); without it
   * one is generated at the store's first start into <dataDir>/admin.password (0600) and logged
   * once. The system seat cannot log in unless `systemPassword` is given (auth/operator-secrets.ts).
   */
  adminPassword?: string;
  systemPassword?: string;
  /**
   * Catch the world up over the hours the server was down before serving (simulator/catch-up.ts;
   * `npm start` with the field simulator). Default false: a store nobody simulates stays as left.
   */
  catchUp?: boolean;
  /**
   * Run as one node of a cluster (issue 20, `npm run server -- --store postgres://… --redis
   * redis://… --node-id n1`): cases, the event log and command answers on PostgreSQL, live pushes
   * fanned out to every node through Redis Streams. Without it: the embedded SQLite store.
   */
  cluster?: ClusterOptions;
}

export interface DispatchServer {
  url: string;
  port: number;
  db: Db;
  ref: ReferenceData;
  seats: Seats;
  /** Sessions: the seats' SQLite table, or PostgreSQL on a cluster node (shared by all nodes). */
  sessions: SessionStore;
  commands: CommandService;
  /** The command path's and sync feed's store: SQLite (default) or the cluster's PostgreSQL. */
  store: DispatchStore;
  events: EventLog;
  telemetry: TelemetryHub;
  gateway: SocketGateway;
  /** Content-addressed photo storage (the simulator stores its generated photos here). */
  photos: PhotoStore;
  imported: ImportSummary | null;
  /** What the catch-up after downtime did at this start (null: none needed or not asked for). */
  caughtUp: CatchUpSummary | null;
  /** The alert feed. */
  alerts: AlertService;
  /** 督办 orders lapse and escalate on the server's clock (tick() runs a scan now). */
  supervision: SupervisionScheduler;
  /** Periodic inspections (null when the dataset has none); the field simulator runs its rounds. */
  inspections: InspectionService | null;
  /** The briefing's rollups (null when the dataset's history cannot be read). */
  briefing: BriefingService | null;
  /** Run a command as a user (the simulator's officers and the server's own jobs use this path). */
  execute(userId: string, clientId: string, command: Command): CommandAnswer;
  actorOf(user: User): ActorContext;
  close(): Promise<void>;
}

/** The path of a request target, refused when it has dot segments or broken percent-encoding. */
export function requestPath(raw: string): { ok: true; pathname: string } | { ok: false; message: string } {
  const path = raw.split('?')[0];
  let decoded: string;
  try {
    decoded = decodeURIComponent(path);
  } catch {
    return { ok: false, message: 'malformed percent-encoding in the request path' };
  }
  if (!path.startsWith('/') || /(^|\/)\.\.?(\/|$)/.test(decoded) || decoded.includes('\\'))
    return { ok: false, message: 'the request path has dot segments or backslashes' };
  try {
    return { ok: true, pathname: new URL(path, 'http://server').pathname };
  } catch {
    return { ok: false, message: 'malformed request path' };
  }
}

/** The bearer token of a request (null: none). */
function bearerOf(req: IncomingMessage): string | null {
  const h = req.headers.authorization ?? '';
  return h.startsWith('Bearer ') ? h.slice(7).trim() : null;
}

/** gzip a page for the wire when the client asked for it (level 1: cheap on the event loop). */
function pack<T>(r: Result<T>, packed: boolean | undefined): Result<T | PackedPage> {
  if (!r.ok || !packed) return r;
  return ok({ packed: 'gzip', bytes: gzipSync(JSON.stringify(r.data), { level: 1 }) });
}

export async function startDispatchServer(options: DispatchServerOptions): Promise<DispatchServer> {
  const realNow = options.now ?? Date.now;
  // The catch-up after downtime replays the missed hours on a virtual clock (before serving).
  let virtualNow: number | null = null;
  const now = (): number => virtualNow ?? realNow();
  const log = options.log ?? ((line: string) => console.log(`[server] ${line}`));
  mkdirSync(options.dataDir, { recursive: true });
  const db = openDatabase({ file: join(options.dataDir, 'server.sqlite') });
  migrate(db);

  let imported: ImportSummary | null = null;
  if (!isImported(db)) {
    log(`first start: importing the demo dataset from ${options.datasetDir}`);
    imported = await importDataset(db, options.datasetDir, now());
    log(
      `imported ${imported.towns} towns, ${imported.villages} villages, ${imported.grids} grids, ${imported.officers} officers, ` +
        `${imported.cameras} cameras, ${imported.openCases} open cases, ${imported.users} seats in ${imported.ms} ms`,
    );
  }

  // Admin and system never keep the demo password.
  await ensureOperatorSecrets({
    db,
    dataDir: options.dataDir,
    adminPassword: options.adminPassword,
    systemPassword: options.systemPassword,
    log,
  });
  const ref = ReferenceData.load(db);
  const seats = new Seats(db, now);
  const events = new EventLog(db, ref.cityCode);
  const commands = new CommandService(db, events, ref, defaultCalendar(), now);
  const cluster: ClusterLink | null = options.cluster
    ? await joinCluster(options.cluster, commands, ref, seats, now)
    : null;
  const store: DispatchStore = cluster?.store ?? new SqliteDispatchStore(commands, events);
  const sessions: SessionStore = cluster?.sessions ?? new SqliteSessionStore(seats);
  const sync = new SyncService(db, store, (u) => actorOf(u));
  const photos = new PhotoStore(db, join(options.dataDir, 'photos'), now);
  const actorOf = (user: User): ActorContext => ({
    userId: user.id,
    officerId: user.officerId,
    role: user.role,
    scopeCode: user.scopeCode,
    departmentCode: user.officerId ? (ref.officers.get(user.officerId)?.departmentCode ?? null) : null,
    displayName: user.displayName,
  });
  let caughtUp: CatchUpSummary | null = null;
  // The catch-up's thousands of small transactions are not each made durable (an fsync each was
  // most of its cost): a crash meanwhile loses only its tail, which the next start catches up
  // again from the last event. FULL again (and a checkpoint) once it is done.
  const catchUpNow = options.catchUp && !imported && !cluster;
  if (catchUpNow) db.pragma('synchronous = NORMAL');
  if (catchUpNow) {
    caughtUp = await catchUp({
      server: {
        ref,
        db,
        events,
        photos,
        // Before serving: no inspection rounds yet, and commands go straight to the store — no
        // after-commit hook is wired yet (the briefing reads the store once the catch-up is done).
        inspections: null,
        execute: (userId, clientId, command) => {
          const user = seats.byId(userId);
          if (!user) throw new Error(`no user ${userId}`);
          return commands.handle(actorOf(user), clientId, command).answer;
        },
      },
      datasetDir: options.datasetDir,
      dataDir: options.dataDir,
      now: realNow,
      setClock: (ms) => (virtualNow = ms),
      log,
    });
  }
  // Imported live cases get their human numbers and, when waiting for a check, their after-photo;
  // their log entries are written when their history is first asked for.
  commands.store.numbers.backfill(db);
  const closingStandard = (code: string): string | null => ref.categories.get(code)?.closingStandard ?? null;
  attachImportedAfterPhotos({
    db,
    closingStandard,
    afterPhoto: (code, userId) => {
      const stored = photos.put(renderScenePhoto(`import/${code}`, 'after'), 'image/png', userId);
      return stored.ok ? stored.data.hash : null;
    },
  });
  /** A case's whole log; an imported case gets its entries written on this first ask. */
  const caseHistory = (id: string): CaseEvent[] => {
    const logged = events.ofCase(id);
    if (logged.length > 0) return logged;
    const written = writeImportedEntries(db, id, { closingStandard }, events);
    // The heads move like after a command; consoles see the gap at the next push and catch up.
    if (written.length > 0) events.committed(written);
    return written;
  };
  if (caughtUp) {
    // consoles holding a cache from before the downtime learn the new open cases from the log
    db.transaction(() => caughtUp?.liveIds.forEach((id) => caseHistory(id)))();
    db.pragma('wal_checkpoint(PASSIVE)');
    const r = caughtUp.replayed;
    log(
      `catch-up of ${((caughtUp.toMs - caughtUp.fromMs) / 3_600_000).toFixed(1)} h in ${caughtUp.ms} ms: ` +
        `open workload replayed (${r.verified} verified, ${r.dispatched} dispatched, ${r.signedFor} signed for, ${r.feedback} feedback, ${r.closed} closed), ` +
        `${caughtUp.generated} cases of the gap generated, ${caughtUp.live} of them open now`,
    );
  }
  if (catchUpNow) db.pragma('synchronous = FULL');
  // The first node of a cluster copies the imported live cases into PostgreSQL.
  if (cluster) await cluster.seed(db, log);
  const places = PlaceService.load(options.datasetDir, db, ref, log);
  // ---- weekly briefing ----
  // Rollups of the history + the store's cases; every committed command updates its cases.
  const briefing = BriefingService.load(
    { datasetDir: options.datasetDir, dataDir: options.dataDir, db, now, log },
    storeCases(db),
  );
  if (briefing) {
    log(
      `briefing: rollups of ${briefing.info.historyRows} history rows (${briefing.info.history}) + ${briefing.info.liveCases} live cases in ${briefing.info.ms} ms`,
    );
  }
  // ---- inspections ----
  // Work orders of the current month are generated in the background on first need (chunked:
  // consoles are answered meanwhile); a hazard found on a visit is reported through `run`.
  const inspections = InspectionService.open({
    db,
    ref,
    calendar: defaultCalendar(),
    now,
    datasetDir: options.datasetDir,
    log,
    execute: (userId, clientId, command) => {
      const user = seats.byId(userId);
      if (!user) throw new Error(`no user ${userId}`);
      return run(user, clientId, command);
    },
    photo: (caseId, userId) => {
      const stored = photos.put(renderScenePhoto(caseId, 'before'), 'image/png', userId);
      return stored.ok ? stored.data.hash : null;
    },
  });
  // Lazily: the month is generated (or its ledger read) on the first inspections call or the
  // simulator's first tick, never during the start itself.

  const drill = briefing ? new BriefingDrill(options.datasetDir, db, options.dataDir) : null;
  const shelf: PhotoShelf = cluster ? cluster.photos(photos) : localShelf(photos);
  const httpApi = createHttpApi({
    sessions,
    photos: shelf,
    places,
    // ---- weekly briefing ----
    briefing,
    // ---- inspections ----
    inspections,
    reach: (user) => reachOf(actorOf(user)),
    now,
    // On a cluster node the cases and the uploads are read from PostgreSQL: the same rule on
    // every node (auth/visibility.ts).
    photoVisible: async (user, hash) => {
      const cases = await store.referencing(hash);
      if (cases.length === 0) return (await shelf.uploaderOf(hash)) === user.id;
      const viewer = actorOf(user);
      return cases.some((c) => {
        if (!canSeeCase(viewer, c)) return false;
        const shown = caseFor(viewer, c);
        return shown.photos.includes(hash) || shown.afterPhotos.includes(hash);
      });
    },
    cases: {
      get: (id) => commands.store.get(id),
      history: caseHistory,
      canSee: (user, c) => canSeeCase(actorOf(user), c),
      present: (user, c, history) => {
        const viewer = actorOf(user);
        return { case: caseFor(viewer, c), events: history.map((e) => eventFor(viewer, e)) };
      },
    },
    drill,
    deskFigures: briefing && drill ? new DeskFiguresService(briefing, () => drill.historyParts(), now) : null,
    health: () => ({
      protocolVersion: PROTOCOL_VERSION,
      headSeq: events.headSeq(),
      cases: commands.store.count(),
      connections: gateway.counters.connections,
    }),
  });
  // ---- video wall and windows ----
  // Demo camera streams (src-server/video): encoded on the first stream request into
  // <dataDir>/video (≈ 2 s once), read from there on later starts.
  const streams = new DemoStreams(join(options.dataDir, 'video'), log);
  if (options.warmVideo)
    void streams.clips().catch((e: unknown) => {
      log(`video: the demo clips could not be prepared (${e instanceof Error ? e.message : String(e)})`);
    });
  const videoRoutes = createVideoRoutes({
    db,
    streams,
    authenticate: (req) => authenticate(sessions, bearerOf(req)),
    canSeeGrid: (user, gridCode) => canSeeGrid(actorOf(user), gridCode),
  });
  // ---- shift: the alert feed ----
  const alerts = new AlertService({
    db,
    ref,
    now,
    escalateAfterMs: options.alertEscalateAfterMs,
    // Read whole before the scan writes (an open iterator would hold the connection busy).
    // A cluster node's local cases are the import's, not the store's: no deadline scan there.
    openCases: () =>
      cluster
        ? []
        : (
            db.prepare("SELECT json FROM cases WHERE state NOT IN ('closed', 'voided')").all() as {
              json: string;
            }[]
          ).map((r) => JSON.parse(r.json) as Case),
    // On a cluster node every alert raised here is copied to the shared feed in PostgreSQL.
    onRaised: (alert) =>
      void sharedAlerts?.raise(alert).catch((e: unknown) => {
        log(`alerts: ${alert.id} not copied to PostgreSQL (${e instanceof Error ? e.message : String(e)})`);
      }),
  });
  const sharedAlerts = cluster?.alerts(alerts.escalateAfterMs, log) ?? null;
  alerts.start();
  sharedAlerts?.start();
  const alertRoutes = createAlertRoutes({
    alerts: sharedAlerts ?? localFeed(alerts),
    authenticate: async (req) => {
      const user = await authenticate(sessions, bearerOf(req));
      // Alerts are a scope's feed: seats only (least privilege).
      return user && reachOf(actorOf(user)) === 'scope' ? user : null;
    },
  });
  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    if ((req.url ?? '').startsWith('/socket.io/')) return; // socket.io answers these itself
    // Every other request gets an answer. A path with dot segments ("/live/../x", also encoded)
    // or broken percent-encoding is refused before routing: it names nothing we serve.
    const target = requestPath(req.url ?? '/');
    if (!target.ok) {
      sendError(res, 400, 'BAD_REQUEST', target.message);
      return;
    }
    if (target.pathname.startsWith('/api/alerts')) {
      void alertRoutes(req, res, target.pathname).catch((e: unknown) => {
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
        res.end(`alerts: ${e instanceof Error ? e.message : String(e)}`);
      });
      return;
    }
    if (target.pathname.startsWith('/live/')) {
      void videoRoutes(req, res, target.pathname)
        .then((handled) => {
          if (!handled && !res.headersSent) res.writeHead(404).end();
        })
        .catch((e: unknown) => {
          if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
          res.end(`video: ${e instanceof Error ? e.message : String(e)}`);
        });
      return;
    }
    void httpApi(req, res).then((handled) => {
      if (!handled) res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('not found');
    });
  };
  // TLS 1.2 at least (Node's default floor); a plain-HTTP client on this port fails the handshake.
  const http: HttpServer | HttpsServer = options.tls
    ? createTlsServer({ cert: options.tls.cert, key: options.tls.key, minVersion: 'TLSv1.2' }, handle)
    : createServer(handle);

  /**
   * Everything that follows a command that committed events, in this order — the one list (no
   * service wraps `commands.handle`): the briefing's rollups, the live pushes to the consoles'
   * scope rooms, the alert feed, and the officer a case was dispatched to (their phone).
   */
  // On a cluster node the briefing still reads this node's local store, so it is left out there
  // (docs/deployment.md); the pushes go to every node's consoles.
  const afterCommit: AfterCommit[] = [
    ...(briefing && !cluster ? [briefingAfterCommit(commands.store, briefing)] : []),
    (committed) => gateway.publish(committed),
    // On a cluster node the alert is raised by the node that committed the event, into the
    // shared feed (onRaised above).
    (committed) => alerts.observeEvents(committed.map((c) => c.event)),
    (committed) => {
      for (const { event } of committed) {
        const c = event.payload.case as { assignee?: { kind: string; id: string } | null } | undefined;
        if (
          (event.type === 'case.dispatched' || event.type === 'case.reassigned') &&
          c?.assignee?.kind === 'officer'
        ) {
          gateway.notifyOfficer(c.assignee.id, 'task.assigned', { caseId: event.caseId, seq: event.seq });
        }
      }
    },
  ];

  /** The one command path: consoles, the simulator and the server's own jobs (inspections). */
  const run = (user: User, clientId: string, command: Command): CommandAnswer => {
    // Cluster nodes take commands from sockets only (the simulator and the inspection rounds,
    // the callers of this synchronous path, run on the embedded SQLite server alone).
    if (cluster) throw new Error('a cluster node runs commands through its PostgreSQL store only');
    const outcome = commands.handle(actorOf(user), clientId, command);
    if (outcome.committed.length > 0) for (const hook of afterCommit) hook(outcome.committed);
    return outcome.answer;
  };
  /** The same path on the cluster's store (asynchronous: PostgreSQL). */
  const runOnStore = async (user: User, clientId: string, command: Command): Promise<CommandAnswer> => {
    const outcome = await store.handle(actorOf(user), clientId, command);
    if (outcome.committed.length > 0) for (const hook of afterCommit) hook(outcome.committed);
    return outcome.answer;
  };

  const systemUser = db
    .prepare("SELECT id FROM users WHERE role = 'system' AND disabled = 0 LIMIT 1")
    .get() as { id: string } | undefined;
  const supervision = new SupervisionScheduler({
    db,
    now,
    systemUserId: systemUser?.id ?? null,
    execute: (userId, clientId, command) => {
      const user = seats.byId(userId);
      if (!user) throw new Error(`no user ${userId}`);
      return run(user, clientId, command);
    },
    log,
  });
  supervision.start(options.supervisionEveryMs ?? 30_000);

  const gateway: SocketGateway = new SocketGateway(http, {
    sessions,
    cityCode: ref.cityCode,
    readsScopeFeed: (u) => readsScopeFeed(actorOf(u)),
    now,
    ratePerSec: options.ratePerSec,
    burst: options.burst,
    handlers: {
      command: (ctx, command) =>
        cluster
          ? runOnStore(ctx.user, ctx.clientId, command).then(ok)
          : ok(run(ctx.user, ctx.clientId, command)),
      'sync.snapshot': async (ctx, req) =>
        pack(await sync.snapshot(ctx.user, req.kind, req.cursor), req.packed),
      'sync.catchUp': async (ctx, req) =>
        pack(await sync.catchUp(ctx.user, req.after, req.limit), req.packed),
      'telemetry.report': (ctx, fix) => {
        if (!ctx.user.officerId || ctx.user.officerId !== fix.officerId) {
          return err('FORBIDDEN', `only officer ${fix.officerId}'s own phone may report its position`);
        }
        telemetry.report(fix);
        return ok({ at: now() });
      },
    },
  });
  if (cluster) await cluster.attach(gateway.io);
  const telemetry = new TelemetryHub(db, ref, (code, batch) => gateway.pushTelemetry(code, batch), now);
  telemetry.start(options.telemetryFlushMs ?? 1_000);
  telemetry.observe((fix) => alerts.observeFix(fix)); // officer SOS → alert

  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const port = (http.address() as AddressInfo).port;
  const url = `${options.tls ? 'https' : 'http'}://${options.host ?? '127.0.0.1'}:${port}`;
  log(`listening on ${url} (protocol ${PROTOCOL_VERSION}, log head ${events.headSeq()})`);

  let closed = false;
  return {
    url,
    port,
    db,
    ref,
    seats,
    sessions,
    commands,
    store,
    events,
    telemetry,
    gateway,
    photos,
    imported,
    caughtUp,
    alerts,
    supervision,
    inspections,
    briefing,
    actorOf,
    execute(userId, clientId, command) {
      const user = seats.byId(userId);
      if (!user) throw new Error(`no user ${userId}`);
      return run(user, clientId, command);
    },
    async close() {
      if (closed) return;
      closed = true;
      telemetry.stop();
      alerts.stop();
      sharedAlerts?.stop();
      supervision.stop();
      // socket.io's close also closes the HTTP server, which waits for every open connection:
      // idle keep-alive ones go at once, requests still running get a short grace.
      const closing = gateway.close();
      http.closeIdleConnections();
      const grace = setTimeout(() => http.closeAllConnections(), 500);
      await closing;
      clearTimeout(grace);
      await cluster?.close();
      db.close();
    },
  };
}
