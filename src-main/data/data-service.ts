// The console's data services behind one facade: session, cache, outbox, sync engine, and the
// optimistic view (server state overlaid with the operator's queued actions). Plain class, no
// electron: the data worker, the web host and the tests construct it.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { defaultCalendar } from '../../src-shared/domain/calendar';
import { evaluateCommand, type CommandEnv } from '../../src-shared/domain/case-commands';
import { handlingDueAt } from '../../src-shared/domain/work-rules';
import { dueAt } from '../../src-shared/domain/deadline';
import {
  supervisionItems,
  supervisionWeek,
  type SupervisionItem,
} from '../../src-shared/desk/supervision-list';
import { dispatchedBetween, supervisedCaseIds } from './desk-view';
import { accurateDispatchByTown } from '../../src-shared/domain/work-rules';
import { isWithin } from '../../src-shared/domain/codes';
import { PointIndex } from '../../src-shared/domain/point-index';
import type { Role } from '../../src-shared/domain/case-model';
import {
  COMMAND_PAYLOADS,
  Command as CommandSchema,
  type Command,
  type CommandType,
} from '../../src-shared/protocol/commands';
import type {
  Camera,
  Case,
  CaseEvent,
  Category,
  Department,
  Division,
  Grid,
  Officer,
  OfficerFix,
} from '../../src-shared/protocol/entities';
import type { MapCaseChanges, MapPlaces, MapSnapshot, OfficerTrack } from '../../src-shared/ipc/map-data';
import { LoginResponse } from '../../src-shared/protocol/messages';
import { parseWith } from '../../src-shared/protocol/validate';
import { uuidv7 } from '../../src-shared/util/ids';
import { err, ok, type Result } from '../../src-shared/util/result';
import type {
  AlertFeed,
  AlertView,
  HandoverRecord,
  OverviewCounts,
  ShiftOpenItems,
  ShiftSummary,
} from '../../src-shared/ipc/contract';
import { tabCounts } from '../../src-shared/desk/queue';
import { decodeDeskRows } from '../../src-shared/desk/queue-data';
import { appendHandover, readHandovers } from './shift-log';
import { CacheStore, type SeatInfo } from './cache-store';
import { groupTracks, MapView, placesWithin } from './map-view';
import { pendingOverlay, shownCase, type PendingOverlay } from './optimistic-view';
import { OutboxStore, type OutboxEntry, type WithdrawOutcome } from './outbox-store';
import { PlacesStore, type StoredPlaces } from './places-store';
import type { SecretBox } from './secret-box';
import { SessionFile, seatDirName, type StoredSession } from './session/session-file';
import { InspectionsClient } from './inspections-client';
import type {
  CoverageAnswer,
  Fetched,
  OrdersAnswer,
  OrdersFilter,
  PlaceFlagsAnswer,
  RegradeRow,
  RegradeStatus,
  RegradesAnswer,
} from '../../src-shared/inspections/model';
import { SocketIoLink, type ServerLink, type SocketLinkOptions } from './server-link';
import { makeVerifier, verifierNeedsUpgrade, verifies } from './offline-verifier';
import { createServerHttp, trustRefusal, type ServerHttp } from './server-http';
import { SyncEngine, type SyncChange } from './sync-engine';
import { TelemetryRecorder, type TrackSampling } from './telemetry-recorder';
import type { DeskQueue, DeskRowChanges } from '../../src-shared/desk/queue-data';
import { rankOfficers, type RankedOfficer } from '../../src-shared/desk/recommend';
import type { DeskFiguresView } from '../../src-shared/desk/figures';
import { DeskFiguresClient } from './desk/desk-figures';
import { DeskView } from './desk-view';
import { startMark } from '../app/start-marks';
import { saveMapStart, takeMapStart, type StoredMap } from './map-start-file';
import { PhotoFetcher, type CasePhoto } from './desk-photos';
import type { DrillFilter } from '../../src-shared/briefing/briefing';
import type { Locale } from '../../src-shared/briefing/explain';
import type {
  BriefingDrillResult,
  BriefingExportFile,
  BriefingExportKind,
  BriefingHotSpot,
  BriefingReport,
  BriefingStatus,
} from '../../src-shared/briefing/view';
import { exportBriefing } from './briefing-export';
import { BriefingStore, drillCases, type BriefingCacheView } from './briefing-store';
// ---- video wall and windows ----
import { decodeSnapshot, VideoMedia, type MediaAnswer } from './video-media';

export interface DataServiceOptions {
  dataDir: string;
  serverUrl: string;
  /** PEM file of the CAs to trust for an https server (workstation settings); system roots without. */
  caFile?: string | null;
  now?: () => number;
  /** Seals the session token at rest (secret-box.ts); no default: the token is never kept in clear. */
  secrets: SecretBox;
  linkFactory?: (options: SocketLinkOptions) => ServerLink;
  onChange?: (change: SyncChange) => void;
  log?: (line: string) => void;
  requestTimeoutMs?: number;
  /**
   * The cache's integrity check (PRAGMA quick_check) runs after the start, not before it: right
   * after the first map snapshot, or this long after the start when no map asks first (5 s).
   */
  cacheCheckDelayMs?: number;
  retryDelayMs?: number;
  /** See SocketLinkOptions.reconnectDelayMs. */
  reconnectDelayMs?: number;
  /** How often received telemetry is written (latest fixes and track points); default 5 s. */
  telemetryFlushMs?: number;
  trackSampling?: TrackSampling;
}

export interface CaseRow {
  case: Case;
  /** Pending actions of this console on the case, oldest first. */
  pending: { commandId: string; type: CommandType }[];
}

export interface StartInfo {
  seat: SeatInfo;
  /** Where a damaged cache was moved aside (it is being rebuilt from the server), else null. */
  cacheRebuilt: string | null;
}

export class DataService {
  private cache: CacheStore | null = null;
  private outbox: OutboxStore | null = null;
  private engine: SyncEngine | null = null;
  private seat: SeatInfo | null = null;
  /** When the open seat was opened here (login or resume): the start of the shift. */
  private seatSince = 0;
  /** The open seat's bearer token (alerts are asked over HTTP with it). */
  private token: string | null = null;
  /** The last alert feed the server gave: shown (marked stale) while it cannot be asked. */
  private alertCache: { alerts: AlertView[]; fetchedAt: number } | null = null;
  private clientIdValue = '';
  private index: { grids: number; index: PointIndex } | null = null;
  private referenceText: { cache: CacheStore; json: string } | null = null;
  private categories: Map<string, Category> | null = null;
  private mapView: MapView | null = null;
  private recorder: TelemetryRecorder | null = null;
  private recorderTimer: NodeJS.Timeout | null = null;
  private placesStore: PlacesStore | null = null;
  /** The map columns of the places last read, for as long as the same copy is held. */
  private placesView: { key: StoredPlaces; map: MapPlaces } | null = null;
  /**
   * The map as the last clean close left it (map-start-file.ts), while the cache has not changed
   * since: the first `map.reference`/`map.snapshot` are answered from it. `fixes`: officer fixes
   * came since the start (they go into the snapshot's positions, not into its validity).
   */
  private mapStart: { start: StoredMap; fixes: boolean } | null = null;
  /** The cache's integrity check still to come after this start. */
  private cacheCheck: NodeJS.Timeout | null = null;
  /** The check found the open cache damaged: it is not stored from (map start file) at close. */
  private cacheDamaged = false;
  private readonly now: () => number;
  private readonly secrets: SecretBox;
  private readonly calendar = defaultCalendar();
  private readonly sessions: SessionFile;
  /** Every HTTP request and the socket.io link's TLS trust (server-http.ts). */
  private readonly http: ServerHttp;

  constructor(private readonly options: DataServiceOptions) {
    this.now = options.now ?? Date.now;
    this.http = createServerHttp({ caFile: options.caFile });
    this.secrets = options.secrets;
    this.sessions = new SessionFile(options.dataDir, options.serverUrl);
    mkdirSync(options.dataDir, { recursive: true });
  }

  get clientId(): string {
    return this.clientIdValue;
  }

  get currentSeat(): SeatInfo | null {
    return this.seat;
  }

  seatInfo(): SeatInfo | null {
    return this.seat;
  }

  get syncEngine(): SyncEngine | null {
    return this.engine;
  }

  get cacheStore(): CacheStore | null {
    return this.cache;
  }

  get outboxStore(): OutboxStore | null {
    return this.outbox;
  }

  // ---- session ----

  /** Log in against the server; falls back to the stored verifier when the server is unreachable. */
  async login(userName: string, password: string): Promise<Result<StartInfo>> {
    // The offline verifier (scrypt, ≈ 0.5 s on the thread pool) is made while the server checks.
    const verifier = makeVerifier(password);
    verifier.catch(() => undefined);
    let response: Response;
    try {
      response = await this.http.fetch(`${this.options.serverUrl}/api/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ userName, password }),
        // The server spends a deliberate scrypt (≈ 0.5 s, more on a loaded host) on the check.
        signal: AbortSignal.timeout(Math.max(20_000, this.options.requestTimeoutMs ?? 0)),
      });
    } catch (e) {
      // An untrusted certificate is not "offline": the operator must see it (and nothing is sent).
      return trustRefusal(e) ?? this.loginOffline(userName, password);
    }
    const body = (await response.json().catch(() => null)) as {
      ok: boolean;
      data?: unknown;
      error?: { code: string; message: string };
    } | null;
    if (!body?.ok)
      return err(
        body?.error?.code ?? 'UNAUTHORIZED',
        body?.error?.message ?? `login failed (HTTP ${response.status})`,
      );
    const parsed = parseWith(LoginResponse, body.data, 'login response');
    if (!parsed.ok) return parsed;
    const { token, seat, expiresAt } = parsed.data;
    const info: SeatInfo = {
      serverUrl: this.options.serverUrl,
      seatId: seat.id,
      userName: seat.userName,
      displayName: seat.displayName,
      role: seat.role,
      scopeCode: seat.scopeCode,
    };
    const session: StoredSession = {
      serverUrl: this.options.serverUrl,
      seat: info,
      sealedToken: this.secrets.seal(token),
      secretKind: this.secrets.kind,
      expiresAt,
      verifier: await verifier,
    };
    this.sessions.write(session);
    return ok(await this.open(session, token));
  }

  /** Start as the last seat that logged in here, from its cache, whether or not the server answers. */
  async resume(): Promise<Result<StartInfo>> {
    startMark('resume:start');
    const session = this.sessions.read();
    startMark('resume:session-read');
    if (!session) return err('NO_SESSION', 'no seat has logged in on this workstation yet');
    if (session.loggedOut)
      return err('NO_SESSION', `${session.seat.userName} logged out on this workstation`);
    const token = this.secrets.open(session.sealedToken);
    startMark('resume:token-open');
    const started = await this.open(session, token);
    startMark('resume:done');
    return ok(started);
  }

  private async loginOffline(userName: string, password: string): Promise<Result<StartInfo>> {
    const session = this.sessions.read();
    if (!session || session.seat.userName !== userName) {
      return err(
        'SERVER_UNREACHABLE',
        'the dispatch server cannot be reached and this seat has not logged in here before',
      );
    }
    if (!(await verifies(password, session.verifier)))
      return err('UNAUTHORIZED', 'wrong user name or password');
    // A verifier of older parameters is replaced now that the password is known.
    const upgraded = verifierNeedsUpgrade(session.verifier) ? await makeVerifier(password) : session.verifier;
    if (session.loggedOut || upgraded !== session.verifier)
      this.sessions.write({ ...session, loggedOut: false, verifier: upgraded });
    return ok(await this.open(session, this.secrets.open(session.sealedToken)));
  }

  private async open(
    session: StoredSession,
    token: string,
    check: 'now' | 'later' = 'later',
  ): Promise<StartInfo> {
    await this.close();
    this.cacheDamaged = false;
    const dir = join(this.options.dataDir, 'seats', seatDirName(session.serverUrl, session.seat.userName));
    mkdirSync(dir, { recursive: true });
    // The outbox first: if it cannot be opened nothing starts, rather than losing queued work.
    this.outbox = OutboxStore.open(join(dir, 'outbox.sqlite'));
    startMark('open:outbox');
    // The full integrity check comes after the start (scheduleCacheCheck): a damaged file is
    // still moved aside and rebuilt, without holding up the first paint of the map.
    const opened = CacheStore.openOrRebuild(join(dir, 'cache.sqlite'), this.now(), check);
    startMark('open:cache');
    if (opened.movedAside)
      this.options.log?.(
        `cache damaged (${opened.problem}); moved to ${opened.movedAside}, rebuilding from the server`,
      );
    this.cache = opened.store;
    this.cache.bindSeat(session.seat);
    const stored = takeMapStart(this.cache, session.seat.scopeCode, this.options.log);
    this.mapStart = stored ? { start: stored, fixes: false } : null;
    startMark('open:map-start');
    this.seat = session.seat;
    this.seatSince = this.now();
    this.token = token;
    this.alertCache = null;
    this.clientIdValue = this.outbox.clientId(() => `console-${uuidv7(this.now()).slice(-17)}`);
    this.index = null;
    this.categories = null;
    const cache = this.cache;
    const mapView = new MapView(cache);
    const recorder = new TelemetryRecorder(cache, this.now, this.options.trackSampling);
    this.mapView = mapView;
    this.recorder = recorder;
    this.recorderTimer = setInterval(() => recorder.flush(), this.options.telemetryFlushMs ?? 5_000);
    this.recorderTimer.unref();
    const places = new PlacesStore({
      dir,
      serverUrl: session.serverUrl,
      fetch: this.http.fetch,
      token,
      scopeCode: session.seat.scopeCode,
      now: this.now,
      timeoutMs: Math.max(30_000, this.options.requestTimeoutMs ?? 0),
      log: this.options.log,
    });
    this.placesStore = places;
    this.placesView = null;
    const link = (this.options.linkFactory ?? ((o) => new SocketIoLink(o)))({
      serverUrl: session.serverUrl,
      token,
      clientId: this.clientIdValue,
      reconnectDelayMs: this.options.reconnectDelayMs,
      tls: this.http.socketTls,
    });
    this.engine = new SyncEngine(this.cache, this.outbox, link, {
      now: this.now,
      log: this.options.log,
      requestTimeoutMs: this.options.requestTimeoutMs,
      retryDelayMs: this.options.retryDelayMs,
      onFixes: (fixes) => {
        recorder.receive(fixes);
        if (this.mapStart) this.mapStart.fixes = true;
        // Mid-snapshot the officer list is half written: an order built from it would name a
        // version no map snapshot has. The map gets these fixes from the snapshot instead.
        if (!cache.snapshotComplete) return;
        const batch = mapView.positionBatch(fixes);
        if (batch) this.emit({ kind: 'positions', batch });
      },
      onChange: (change) => {
        if (change.kind === 'reference') {
          this.referenceText = null;
          this.index = null;
          this.categories = null;
          mapView.invalidate();
          this.placesView = null;
        }
        this.emit(change);
        // In sync for the first time this session: fetch the places in the background, so the
        // map has them (and the stored copy is fresh) before anyone zooms in.
        if (change.kind === 'connection' && change.state.status === 'online' && !places.checked)
          void this.refreshPlaces(places);
      },
    });
    startMark('open:engine-built');
    this.engine.start();
    startMark('open:engine-started');
    if (check === 'later') this.scheduleCacheCheck(this.options.cacheCheckDelayMs ?? 5_000);
    return { seat: session.seat, cacheRebuilt: opened.movedAside };
  }

  // ---- actions ----

  /**
   * Queue an action: validate it, predict its result with the same rules the server runs, and
   * write command + prediction to the outbox in one durable step. Refused at once when the rules
   * already refuse it on what this console knows.
   */
  queue(
    type: CommandType,
    payload: Record<string, unknown>,
    baseVersion: number | null = null,
    holdMs = 0,
  ): Result<OutboxEntry> {
    const { cache, outbox, engine, seat } = this.require();
    const command = {
      commandId: uuidv7(this.now()),
      clientId: this.clientIdValue,
      type,
      payload,
      baseVersion,
      clientTime: this.now(),
    };
    if (!Object.prototype.hasOwnProperty.call(COMMAND_PAYLOADS, type))
      return err('BAD_REQUEST', `unknown action ${type}`);
    const parsed = parseWith(CommandSchema, command, `${type} command`);
    if (!parsed.ok) return parsed;
    const valid: Command = parsed.data;
    const current = this.viewOf(valid.payload.caseId, cache, outbox);
    const evaluation = evaluateCommand(
      current,
      valid,
      { id: seat.seatId, role: seat.role as Role, scopeCode: seat.scopeCode },
      this.env(cache),
    );
    if (!evaluation.ok) return err(evaluation.code, evaluation.reason, { rule: evaluation.rule });
    const holdUntil = holdMs > 0 ? this.now() + Math.min(holdMs, 30_000) : null;
    const entry = outbox.enqueue(valid, evaluation.noop ? current : evaluation.next, this.now(), holdUntil);
    this.emit({ kind: 'outbox', commandIds: [entry.commandId] });
    this.emit({ kind: 'cases', ids: [entry.caseId] });
    engine.kick();
    return ok(entry);
  }

  private env(cache: CacheStore): CommandEnv {
    return {
      now: this.now(),
      locate: (lon, lat) => this.pointIndex(cache)?.lookup(lon, lat) ?? null,
      category: (code) => this.categoryMap(cache).get(code),
      dueOf: (c) => {
        const cat = this.categoryMap(cache).get(c.categoryCode);
        return cat ? handlingDueAt(c, cat.timeLimit, this.calendar) : null;
      },
      workingMsBetween: (a, b) => this.calendar.workingMsBetween(a, b),
      dueFrom: (startMs, limit) => dueAt({ startMs, limit, suspensions: [] }, this.calendar) ?? startMs,
      areaName: `the jurisdiction of this seat (${this.seat?.scopeCode ?? '?'})`,
      // The other case of a merge (case-merge.ts), as this console shows it.
      caseById: (id) => (this.outbox ? this.viewOf(id, cache, this.outbox) : cache.getCase(id)),
      caseByNumber: (n) => cache.caseByNumber(n),
    };
  }

  private pointIndex(cache: CacheStore): PointIndex | null {
    if (!this.index) {
      const grids = cache.all('grids').filter((g) => g.geometry);
      if (grids.length === 0) return null;
      this.index = {
        grids: grids.length,
        index: PointIndex.build(
          grids.map((g) => ({
            gridCode: g.code,
            villageCode: g.villageCode,
            townCode: g.townCode,
            geometry: g.geometry!,
          })),
        ),
      };
    }
    return this.index.index;
  }

  private categoryMap(cache: CacheStore): Map<string, Category> {
    this.categories ??= new Map(cache.all('categories').map((c) => [c.code, c]));
    return this.categories;
  }

  /** The case as the operator should see it (optimistic-view.ts). */
  private viewOf(caseId: string, cache: CacheStore, outbox: OutboxStore): Case | null {
    const predicted = pendingOverlay(outbox.pending().filter((e) => e.caseId === caseId)).get(caseId);
    return shownCase(cache.getCase(caseId), predicted);
  }

  // ---- reads ----

  connection(): SyncEngine['connection'] | null {
    return this.engine?.connection ?? null;
  }

  cases(filter: { states?: readonly string[]; limit?: number } = {}): CaseRow[] {
    const { cache, outbox } = this.require();
    const pending = outbox.pending();
    const byCase = new Map<string, OutboxEntry[]>();
    for (const e of pending) byCase.set(e.caseId, [...(byCase.get(e.caseId) ?? []), e]);
    const overlay = pendingOverlay(pending);
    const rows = new Map<string, CaseRow>();
    for (const c of cache.listCases(filter)) rows.set(c.id, { case: c, pending: [] });
    for (const [caseId, entries] of byCase) {
      const shown = shownCase(rows.get(caseId)?.case ?? cache.getCase(caseId), overlay.get(caseId));
      if (!shown) continue;
      if (filter.states && !filter.states.includes(shown.state)) continue;
      rows.set(caseId, {
        case: shown,
        pending: entries.map((e) => ({ commandId: e.commandId, type: e.type })),
      });
    }
    return [...rows.values()];
  }

  caseDetail(id: string): { case: Case | null; events: CaseEvent[]; actions: OutboxEntry[] } {
    const { cache, outbox } = this.require();
    return {
      case: this.viewOf(id, cache, outbox),
      events: cache.caseEvents(id),
      actions: outbox.all().filter((e) => e.caseId === id),
    };
  }

  // ---- full case history ----
  /** Per seat's cache: the version of each case whose history was asked for already. */
  private historyAsked: { cache: CacheStore; versions: Map<string, number> } | null = null;

  /**
   * The case's detail with its whole history. The cache holds the events caught up since the
   * seat's snapshot, so a case reported before the login lacks its first entries (and an
   * imported case has none here): then the history is fetched from the server once per case
   * version (GET /api/cases/<id>/history, scope-checked there) and kept in the cache. Offline,
   * or for a case the server does not know yet, the cached part is returned as it is.
   */
  async caseDetailWithHistory(
    id: string,
  ): Promise<{ case: Case | null; events: CaseEvent[]; actions: OutboxEntry[] }> {
    const local = this.caseDetail(id);
    const c = local.case;
    if (!c || historyComplete(local.events, c.version)) return local;
    const { cache, seat } = this.require();
    if (this.historyAsked?.cache !== cache) this.historyAsked = { cache, versions: new Map() };
    if (this.historyAsked.versions.get(id) === c.version) return local;
    // Offline the cached part is shown at once (no request waiting for its timeout).
    if (this.connection()?.status === 'offline') return local;
    this.historyAsked.versions.set(id, c.version);
    const session = this.sessions.read();
    if (!session) return local;
    try {
      const res = await this.http.fetch(`${seat.serverUrl}/api/cases/${encodeURIComponent(id)}/history`, {
        headers: { authorization: `Bearer ${this.secrets.open(session.sealedToken)}` },
        signal: AbortSignal.timeout(this.options.requestTimeoutMs ?? 10_000),
      });
      if (!res.ok) return local;
      const body = (await res.json()) as { ok: boolean; data?: { case: Case; events: CaseEvent[] } };
      if (!body.ok || !body.data) return local;
      // Stored like catch-up events (the watermark does not move: these lie behind it).
      cache.applyEvents(body.data.events, null);
      cache.putCaseIfNewer(body.data.case);
    } catch (e) {
      this.options.log?.(`case history of ${id}: ${e instanceof Error ? e.message : String(e)}`);
      return local;
    }
    return this.caseDetail(id);
  }

  conflicts(): OutboxEntry[] {
    return this.require().outbox.conflicts();
  }

  acknowledgeConflict(commandId: string): boolean {
    return this.require().outbox.acknowledge(commandId);
  }

  // ---- shift ----

  /** Undo a held action while its undo window lasts (works offline: it never left the outbox). */
  undo(commandId: string): WithdrawOutcome {
    const { outbox } = this.require();
    const entry = outbox.get(commandId);
    const outcome = outbox.withdraw(commandId, this.now());
    if (outcome === 'withdrawn' && entry) {
      this.emit({ kind: 'outbox', commandIds: [commandId] });
      this.emit({ kind: 'cases', ids: [entry.caseId] });
    }
    return outcome;
  }

  /** The open items of the seat now: desk tab counts plus unsent and refused work. */
  private openItems(): ShiftOpenItems {
    const { outbox } = this.require();
    const now = this.now();
    const c = tabCounts(decodeDeskRows(this.deskQueue().rows), now);
    return {
      pending: outbox.pendingCount(),
      conflicts: outbox.conflicts().length,
      verify: c.verify,
      dispatch: c.dispatch,
      overdue: c.overdue,
      check: c.check,
      suspended: c.suspended,
    };
  }

  shiftSummary(): ShiftSummary {
    const { seat } = this.require();
    return { seat, from: this.seatSince, openItems: this.openItems() };
  }

  /**
   * Hand over and log out: the shift (seat, from, to, note, open items) goes into the
   * workstation's record; the server is told (best effort: it revokes the token and drops the
   * seat's sockets); the seat's stores close; a restart shows the login form. Queued actions
   * stay in the seat's outbox and are sent when that seat logs in again.
   */
  async logout(note: string): Promise<HandoverRecord> {
    const { seat } = this.require();
    const record: HandoverRecord = {
      seatId: seat.seatId,
      userName: seat.userName,
      displayName: seat.displayName,
      from: this.seatSince,
      to: this.now(),
      note: note.trim(),
      openItems: this.openItems(),
    };
    appendHandover(this.options.dataDir, record);
    const session = this.sessions.read();
    if (session) {
      if (session.seat.userName === seat.userName) this.sessions.write({ ...session, loggedOut: true });
      try {
        await this.http.fetch(`${session.serverUrl}/api/logout`, {
          method: 'POST',
          headers: { authorization: `Bearer ${this.secrets.open(session.sealedToken)}` },
          signal: AbortSignal.timeout(3_000),
        });
      } catch {
        // Offline: the token stays valid on the server until it expires; the seat is closed here.
      }
    }
    await this.close();
    this.seat = null;
    this.token = null;
    this.alertCache = null;
    this.emit({ kind: 'session', seat: null });
    return record;
  }

  /** The alert feed of the seat's scope (server truth; the last copy, marked stale, offline). */
  async alerts(): Promise<AlertFeed> {
    const { seat } = this.require();
    try {
      const res = await this.http.fetch(`${seat.serverUrl}/api/alerts`, {
        headers: { authorization: `Bearer ${this.token ?? ''}` },
        signal: AbortSignal.timeout(5_000),
      });
      const body = (await res.json()) as {
        ok: boolean;
        data?: { alerts: AlertView[]; escalateAfterMs: number };
      };
      if (!body.ok || !body.data) throw new Error(`HTTP ${res.status}`);
      this.alertCache = { alerts: body.data.alerts, fetchedAt: this.now() };
      return { ...this.alertCache, stale: false, escalateAfterMs: body.data.escalateAfterMs };
    } catch {
      return {
        alerts: this.alertCache?.alerts ?? [],
        fetchedAt: this.alertCache?.fetchedAt ?? null,
        stale: true,
        escalateAfterMs: null,
      };
    }
  }

  /** Acknowledge an alert as this seat (the server records who and when). */
  async ackAlert(id: string): Promise<Result<AlertView>> {
    const { seat } = this.require();
    let res: Response;
    try {
      res = await this.http.fetch(`${seat.serverUrl}/api/alerts/ack`, {
        method: 'POST',
        headers: { authorization: `Bearer ${this.token ?? ''}`, 'content-type': 'application/json' },
        body: JSON.stringify({ id }),
        signal: AbortSignal.timeout(5_000),
      });
    } catch {
      return err(
        'SERVER_UNREACHABLE',
        'the dispatch server cannot be reached: acknowledge again when the link is back',
      );
    }
    const body = (await res.json().catch(() => null)) as {
      ok: boolean;
      data?: { alert: AlertView };
      error?: { code: string; message: string };
    } | null;
    if (!body?.ok || !body.data)
      return err(body?.error?.code ?? 'INTERNAL', body?.error?.message ?? `HTTP ${res.status}`);
    return ok(body.data.alert);
  }

  /** Who held which seat when on this workstation, newest first. */
  shiftLog(limit = 50): HandoverRecord[] {
    return readHandovers(this.options.dataDir, limit);
  }

  grids(): Grid[] {
    return this.require().cache.all('grids');
  }

  /** Everything the map and the desk need that is not a case, from the cache. */
  reference(): {
    divisions: Division[];
    grids: Grid[];
    officers: Officer[];
    cameras: Camera[];
    categories: Category[];
    departments: Department[];
  } {
    const { cache } = this.require();
    return {
      divisions: cache.all('divisions'),
      grids: cache.all('grids'),
      officers: cache.all('officers'),
      cameras: cache.all('cameras'),
      categories: cache.all('categories'),
      departments: cache.all('departments'),
    };
  }

  /**
   * `reference()` as JSON text joined from the stored rows, kept until the reference changes:
   * the start of every window asks for it, and the objects would cost a parse here, a clone to
   * main and a stringify there (≈ 7 MB for the city).
   */
  referenceJson(): string {
    const { cache } = this.require();
    if (this.referenceText?.cache === cache) return this.referenceText.json;
    if (this.mapStart) {
      this.referenceText = { cache, json: this.mapStart.start.referenceJson() };
      startMark('worker:reference');
      return this.referenceText.json;
    }
    const kinds = ['divisions', 'grids', 'officers', 'cameras', 'categories', 'departments'] as const;
    const json = `{${kinds.map((k) => `"${k}":${cache.allJsonText(k)}`).join(',')}}`;
    this.referenceText = { cache, json };
    startMark('worker:reference');
    return json;
  }

  /** What the seat's cache holds, by SQL counts (the overview panel; cheap enough to ask often). */
  overviewCounts(): OverviewCounts {
    const { cache, outbox } = this.require();
    const counts = cache.counts();
    return {
      grids: counts.grids,
      officers: counts.gridOfficers,
      handlers: counts.officers - counts.gridOfficers,
      cameras: counts.cameras,
      openCases: cache.openCaseCount(),
      pending: new Set(outbox.pending().map((e) => e.caseId)).size,
    };
  }

  positions(): OfficerFix[] {
    return this.require().cache.positions();
  }

  officers(): Officer[] {
    return this.require().cache.all('officers');
  }

  // ---- the situation map (columns: src-shared/ipc/map-data.ts) ----

  /** What the console's queued actions make of the cases they touch. */
  private pendingOverlay(outbox: OutboxStore): PendingOverlay {
    return pendingOverlay(outbox.pending());
  }

  private requireMap(): { map: MapView; recorder: TelemetryRecorder } {
    if (!this.mapView || !this.recorder) throw new Error('no seat is logged in');
    return { map: this.mapView, recorder: this.recorder };
  }

  /** Open cases, officers with their last fix, and cameras of the seat's scope, as columns. */
  mapSnapshot(): MapSnapshot {
    const { cache, outbox, seat } = this.require();
    const { map, recorder } = this.requireMap();
    recorder.flush(); // the last few seconds of fixes are still in memory
    // The map is about to be drawn: the cache's check may run now (after this answer is sent).
    if (this.cacheCheck) this.scheduleCacheCheck(0);
    if (this.mapStart) {
      const { start, fixes } = this.mapStart;
      const stored = map.adopt(start.snapshot(), fixes ? cache.positions() : null);
      startMark('worker:snapshot');
      return stored;
    }
    const snapshot = map.snapshot(seat.scopeCode, this.pendingOverlay(outbox), cache.positions());
    startMark('worker:snapshot');
    return snapshot;
  }

  /** The map rows of cases that changed; the ones no longer drawn (closed, voided, gone) in `removed`. */
  mapCases(ids: readonly string[]): MapCaseChanges {
    const { outbox } = this.require();
    return this.requireMap().map.caseChanges(ids, this.pendingOverlay(outbox));
  }

  /** Recorded track points in [fromMs, toMs], one track per officer (null ids: every officer). */
  tracks(officerIds: readonly string[] | null, fromMs: number, toMs: number): OfficerTrack[] {
    const { cache } = this.require();
    this.requireMap().recorder.flush();
    return groupTracks(cache.trackRows(officerIds, fromMs, toMs), officerIds);
  }

  /**
   * The seat's managed places (those inside `bbox` = [west, south, east, north] when given):
   * asked of the server once per session (If-None-Match), else the stored copy.
   * PLACES_UNAVAILABLE when there is no copy and the server cannot be asked.
   */
  async places(bbox: readonly [number, number, number, number] | null = null): Promise<Result<MapPlaces>> {
    this.require();
    const store = this.placesStore!;
    const online = this.engine?.connection.status !== 'offline';
    if (!store.checked && online) await this.refreshPlaces(store);
    const stored = store.stored();
    if (!stored)
      return err(
        'PLACES_UNAVAILABLE',
        online
          ? 'the dispatch server did not provide the managed places'
          : 'the managed places have not been downloaded yet and the dispatch server cannot be reached',
      );
    if (this.placesView?.key !== stored) {
      this.placesView = {
        key: stored,
        map: this.requireMap().map.places(stored.slice, stored.marker.checkedAt, !stored.confirmed),
      };
    }
    return ok(bbox ? placesWithin(this.placesView.map, bbox) : this.placesView.map);
  }

  private async refreshPlaces(store: PlacesStore): Promise<void> {
    try {
      const outcome = await store.refresh();
      if (outcome === 'updated' && store === this.placesStore) {
        this.placesView = null;
        this.emit({ kind: 'places' });
      }
    } catch (e) {
      this.options.log?.(`places: refresh failed (${e instanceof Error ? e.message : String(e)})`);
    }
  }

  // ---- lifecycle ----

  /** Tell the windows; a change of cases, reference or queued actions retires the stored map. */
  private emit(change: SyncChange): void {
    if (change.kind === 'cases' || change.kind === 'reference' || change.kind === 'outbox')
      this.mapStart = null;
    this.options.onChange?.(change);
  }

  private scheduleCacheCheck(delayMs: number): void {
    if (this.cacheCheck) clearTimeout(this.cacheCheck);
    this.cacheCheck = setTimeout(() => void this.checkCache(), delayMs);
    this.cacheCheck.unref();
  }

  /** The check deferred at open: damage found now moves the cache aside and refills it. */
  private async checkCache(): Promise<void> {
    this.cacheCheck = null;
    const cache = this.cache;
    const session = this.sessions.read();
    if (!cache || !session || this.token === null) return;
    try {
      cache.checkIntegrity();
      startMark('cache:checked-after-start');
      return;
    } catch (e) {
      this.options.log?.(
        `cache damaged, found after the start (${e instanceof Error ? e.message : String(e)}): moving it aside and rebuilding from the server`,
      );
    }
    this.cacheDamaged = true;
    const started = await this.open(session, this.token, 'now');
    if (started.cacheRebuilt) this.options.log?.(`damaged cache moved to ${started.cacheRebuilt}`);
    // Every window reads its data again (the map, the desk) from the cache being refilled.
    this.emit({ kind: 'reference' });
  }

  /**
   * At close: the map as the cache holds it now, for the next start (map-start-file.ts).
   */
  private saveMapStart(): void {
    const { cache, seat } = this.require();
    saveMapStart(
      cache,
      seat.scopeCode,
      () => ({ referenceJson: this.referenceJson(), snapshot: this.mapSnapshot() }),
      this.options.log,
    );
  }

  private require(): { cache: CacheStore; outbox: OutboxStore; engine: SyncEngine; seat: SeatInfo } {
    if (!this.cache || !this.outbox || !this.engine || !this.seat) throw new Error('no seat is logged in');
    return { cache: this.cache, outbox: this.outbox, engine: this.engine, seat: this.seat };
  }

  // ---- case desk ----
  private desk: { cache: CacheStore; view: DeskView; photos: PhotoFetcher } | null = null;

  private deskOf(): { cache: CacheStore; outbox: OutboxStore; view: DeskView; photos: PhotoFetcher } {
    const { cache, outbox } = this.require();
    if (this.desk?.cache !== cache) {
      const session = this.sessions.read();
      this.desk = {
        cache,
        view: new DeskView(cache),
        photos: new PhotoFetcher(
          this.seat!.serverUrl,
          () => (session ? this.secrets.open(session.sealedToken) : null),
          this.http.fetch,
          this.options.requestTimeoutMs ?? 10_000,
        ),
      };
    }
    return { cache, outbox, view: this.desk.view, photos: this.desk.photos };
  }

  /** The open cases of the seat as compact queue columns (no case JSON). */
  deskQueue(): DeskQueue {
    const { outbox, view } = this.deskOf();
    return { scopeCode: this.seat!.scopeCode, at: this.now(), rows: view.queue(this.pendingOverlay(outbox)) };
  }

  /** Queue rows of changed cases; those no longer open in `removed`. */
  deskRows(ids: readonly string[]): DeskRowChanges {
    const { outbox, view } = this.deskOf();
    return view.rows(ids, this.pendingOverlay(outbox));
  }

  /** Officers ranked for a case by grid, distance from the last fix, status and load. */
  deskRecommend(caseId: string, limit = 5): RankedOfficer[] {
    const { cache, outbox, view } = this.deskOf();
    const c = this.viewOf(caseId, cache, outbox);
    if (!c) return [];
    const fixes = new Map(cache.positions().map((f) => [f.officerId, f]));
    return rankOfficers(c, cache.all('officers'), fixes, view.loads(), { now: this.now(), limit });
  }

  /** The 督办 orders on the cases this console holds, as it shows them (supervision-list.ts). */
  supervisionList(): SupervisionItem[] {
    const { cache, outbox } = this.require();
    const ids = new Set(supervisedCaseIds(cache.db));
    for (const e of outbox.pending()) ids.add(e.caseId);
    const shown: { case: Case; pending: boolean }[] = [];
    const pending = new Set(outbox.pending().map((e) => e.caseId));
    for (const id of ids) {
      const c = this.viewOf(id, cache, outbox);
      if (c?.supervisions?.length) shown.push({ case: c, pending: pending.has(id) });
    }
    return supervisionItems(shown);
  }

  private figures: { cache: CacheStore; client: DeskFiguresClient } | null = null;

  /**
   * Closure, on-time closure, rework, on-time and accurate dispatch rates, today and this week,
   * as the server computed them over its records (desk/desk-figures.ts); the last copy offline.
   */
  async deskFigures(): Promise<DeskFiguresView> {
    const { cache, seat } = this.require();
    if (this.figures?.cache !== cache) {
      const session = this.sessions.read();
      this.figures = {
        cache,
        client: new DeskFiguresClient({
          dir: join(this.options.dataDir, 'seats', seatDirName(seat.serverUrl, seat.userName)),
          serverUrl: seat.serverUrl,
          fetch: this.http.fetch,
          token: session ? this.secrets.open(session.sealedToken) : '',
          now: this.now,
          online: () => this.connection()?.status !== 'offline',
          timeoutMs: Math.max(15_000, this.options.requestTimeoutMs ?? 0),
          log: this.options.log,
        }),
      };
    }
    return this.figures.client.get();
  }

  /** A case photo's bytes, fetched with the seat's token (the renderer never holds it). */
  casePhoto(hash: string): Promise<Result<CasePhoto>> {
    return this.deskOf().photos.get(hash);
  }

  // ---- weekly briefing ----
  private briefing: { cache: CacheStore; store: BriefingStore } | null = null;

  /** The seat's briefing rollups (briefing-store.ts), one store per opened seat. */
  private briefingOf(): { cache: CacheStore; store: BriefingStore; view: BriefingCacheView } {
    const { cache, seat } = this.require();
    if (this.briefing?.cache !== cache) {
      this.briefing?.store.close();
      const session = this.sessions.read();
      this.briefing = {
        cache,
        store: new BriefingStore({
          dir: join(this.options.dataDir, 'seats', seatDirName(seat.serverUrl, seat.userName)),
          serverUrl: seat.serverUrl,
          fetch: this.http.fetch,
          token: session ? this.secrets.open(session.sealedToken) : '',
          seatScope: seat.scopeCode,
          now: this.now,
          timeoutMs: Math.max(30_000, this.options.requestTimeoutMs ?? 0),
          log: this.options.log,
        }),
      };
    }
    const view: BriefingCacheView = {
      cases: () => cache.listCases(),
      grids: () => cache.all('grids'),
      officers: () => cache.all('officers'),
    };
    return { cache, store: this.briefing.store, view };
  }

  /** Weeks, areas and freshness of the rollups; asks the server once a session, or when `refresh`. */
  async briefingStatus(refresh = false): Promise<BriefingStatus> {
    const { store } = this.briefingOf();
    let reason: string | null = null;
    if (refresh || !store.checked) {
      const outcome = await store.refresh();
      if (outcome === 'failed') reason = 'the dispatch server could not be asked for newer rollups';
    }
    return store.status(reason);
  }

  briefingAnalyse(week: number | null, scope: string | null): BriefingReport {
    const { store, view, cache } = this.briefingOf();
    const report = store.analyse(view, week, scope);
    const names = new Map(cache.all('divisions').map((d) => [d.code, d.name]));
    const { towns, total } = supervisionWeek(
      this.supervisionList(),
      report.fromMs,
      report.toMs,
      report.scope.code,
    );
    const dispatch = accurateDispatchByTown(
      dispatchedBetween(cache.db, report.fromMs, report.toMs).filter((c) =>
        isWithin(c.villageCode, report.scope.code),
      ),
      report.fromMs,
      report.toMs,
    );
    return {
      ...report,
      accurateDispatch: {
        towns: dispatch.towns.map((l) => ({ ...l, name: names.get(l.townCode) ?? l.townCode })),
        total: dispatch.total,
      },
      supervision: { towns: towns.map((l) => ({ ...l, name: names.get(l.townCode) ?? l.townCode })), total },
    };
  }

  /** The cases of this console's cache behind a figure (open and recent cases only). */
  briefingDrill(filter: DrillFilter, limit?: number): BriefingDrillResult {
    const all = this.cases().map((r) => r.case);
    return { ...drillCases(all, filter, limit), source: 'cache' };
  }

  /**
   * The cases behind a figure from the dispatch server (POST /api/briefing/drill: the history's
   * closed cases too, scope-checked there); from the cache when the server cannot be asked.
   */
  async briefingDrillFromServer(filter: DrillFilter, limit?: number): Promise<BriefingDrillResult> {
    const local = this.briefingDrill(filter, limit);
    if (this.connection()?.status === 'offline') return local;
    const { seat } = this.require();
    const session = this.sessions.read();
    if (!session) return local;
    try {
      const res = await this.http.fetch(`${seat.serverUrl}/api/briefing/drill`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${this.secrets.open(session.sealedToken)}`,
          'content-type': 'application/json',
        },
        body: JSON.stringify({ filter, limit: Math.min(limit ?? 200, 500) }),
        signal: AbortSignal.timeout(Math.max(30_000, this.options.requestTimeoutMs ?? 0)),
      });
      const body = (await res.json()) as { ok: boolean; data?: { cases: Case[]; total: number } };
      if (!res.ok || !body.ok || !body.data) return local;
      return { filter, cases: body.data.cases, total: body.data.total, source: 'server' };
    } catch (e) {
      this.options.log?.(`briefing drill: ${e instanceof Error ? e.message : String(e)}`);
      return local;
    }
  }

  briefingHotSpots(week: number, scope: string | null, majorCode?: string): BriefingHotSpot[] {
    const { store, view } = this.briefingOf();
    return store.hotSpots(view, week, scope, majorCode);
  }

  briefingExport(
    kind: BriefingExportKind,
    week: number | null,
    scope: string | null,
    locale: Locale,
  ): BriefingExportFile {
    return exportBriefing(this.briefingAnalyse(week, scope), kind, locale);
  }

  // ---- inspections ----
  private inspections: { cache: CacheStore; client: InspectionsClient } | null = null;

  /** The seat's inspections client (inspections-client.ts), one per opened seat. */
  private inspectionsOf(): InspectionsClient {
    const { cache, seat } = this.require();
    if (this.inspections?.cache !== cache) {
      const session = this.sessions.read();
      this.inspections = {
        cache,
        client: new InspectionsClient({
          dir: join(this.options.dataDir, 'seats', seatDirName(seat.serverUrl, seat.userName)),
          serverUrl: seat.serverUrl,
          fetch: this.http.fetch,
          token: session ? this.secrets.open(session.sealedToken) : '',
          now: this.now,
          timeoutMs: Math.max(15_000, this.options.requestTimeoutMs ?? 0),
          log: this.options.log,
        }),
      };
    }
    return this.inspections.client;
  }

  inspectionsCoverage(
    month: string | null,
    by: 'grid' | 'officer',
    scope: string | null,
  ): Promise<Result<Fetched<CoverageAnswer>>> {
    return this.inspectionsOf().coverage(month, by, scope);
  }

  inspectionsOrders(filter: OrdersFilter): Promise<Result<Fetched<OrdersAnswer>>> {
    return this.inspectionsOf().orders(filter);
  }

  inspectionsPlaceFlags(): Promise<Result<Fetched<PlaceFlagsAnswer>>> {
    return this.inspectionsOf().placeFlags();
  }

  inspectionsRegrades(status: RegradeStatus): Promise<Result<Fetched<RegradesAnswer>>> {
    return this.inspectionsOf().regrades(status);
  }

  inspectionsDecide(id: number, approve: boolean, note: string | null): Promise<Result<RegradeRow>> {
    return this.inspectionsOf().decide(id, approve, note);
  }

  // ---- video wall and windows ----
  private video: { cache: CacheStore; media: VideoMedia } | null = null;

  private videoOf(): VideoMedia {
    const { cache, seat } = this.require();
    if (this.video?.cache !== cache) {
      const session = this.sessions.read();
      this.video = {
        cache,
        media: new VideoMedia(
          seat.serverUrl,
          () => (session ? this.secrets.open(session.sealedToken) : null),
          this.http.fetch,
          this.options.requestTimeoutMs ?? 10_000,
        ),
      };
    }
    return this.video.media;
  }

  /** A camera stream file fetched with the seat's token (the web host's /media/ proxy). */
  videoFetch(cameraId: string, file: string, range: string | null): Promise<Result<MediaAnswer>> {
    if (!this.seat) return Promise.resolve(err('NO_SESSION', 'no seat is logged in'));
    return this.videoOf().fetch(cameraId, file, range);
  }

  /** Uploads a video frame (base64 JPEG/PNG) as a photo and queues addPhoto on the case. */
  async videoSnapshot(
    caseId: string,
    base64: string,
    caption: string | null,
  ): Promise<Result<{ hash: string; commandId: string }>> {
    const decoded = decodeSnapshot(base64);
    if (!decoded.ok) return decoded;
    const uploaded = await this.videoOf().upload(decoded.data.bytes, decoded.data.mime);
    if (!uploaded.ok) return uploaded;
    const queued = this.queue('addPhoto', {
      caseId,
      photo: uploaded.data,
      ...(caption ? { caption: caption.slice(0, 200) } : {}),
    });
    if (!queued.ok) return queued;
    return ok({ hash: uploaded.data, commandId: queued.data.commandId });
  }

  async close(): Promise<void> {
    if (this.cacheCheck) clearTimeout(this.cacheCheck);
    this.cacheCheck = null;
    await this.engine?.stop();
    if (this.recorderTimer) clearInterval(this.recorderTimer);
    this.recorderTimer = null;
    this.recorder?.flush();
    if (this.engine && !this.cacheDamaged) this.saveMapStart();
    this.mapStart = null;
    this.engine = null;
    this.recorder = null;
    this.mapView = null;
    this.placesStore?.close();
    this.placesStore = null;
    this.placesView = null;
    this.cache?.close();
    this.outbox?.close();
    this.cache = null;
    this.outbox = null;
  }
}

/**
 * True when the cached events hold the case from its first entry to its current version. What
 * a cache misses is a prefix (the entries before its snapshot), never a middle part.
 */
export function historyComplete(events: readonly CaseEvent[], version: number): boolean {
  if (events.length === 0) return false;
  return events[0].version === 1 && events[events.length - 1].version >= version;
}
