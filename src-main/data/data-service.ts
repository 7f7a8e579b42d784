// The console's data services behind one facade, owned by the data worker (the web host and the
// tests construct it too; no electron): the lifecycle of a seat — log in or resume, open its
// cache and outbox, run the sync engine, close — and the wiring of the features, each in its
// folder with its state (src-main/data/<feature>/): cases and the optimistic view, the map, the
// desk, the shift, the briefing, inspections and the video wall.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { LoginResponse } from '../../src-shared/protocol/messages';
import { parseWith } from '../../src-shared/protocol/validate';
import { uuidv7 } from '../../src-shared/util/ids';
import { err, ok, type Result } from '../../src-shared/util/result';
import { startMark } from '../app/start-marks';
import { BriefingFeature } from './briefing/briefing';
import { CacheStore, type SeatInfo } from './cache-store';
import { CasesFeature } from './cases/cases';
import { DeskFeature } from './desk/desk';
import { InspectionsFeature } from './inspections/inspections';
import { MapFeature } from './map/map';
import { makeVerifier, verifierNeedsUpgrade, verifies } from './offline-verifier';
import { OutboxStore } from './outbox-store';
import type { SeatClientOptions } from './seat-slot';
import type { SecretBox } from './secret-box';
import { createServerHttp, trustRefusal, type ServerHttp } from './server-http';
import { SocketIoLink, type ServerLink, type SocketLinkOptions } from './server-link';
import { SessionFile, seatDirName, type StoredSession } from './session/session-file';
import { ShiftFeature } from './shift/shift';
import { SyncEngine, type SyncChange } from './sync-engine';
import type { TrackSampling } from './telemetry-recorder';
import { VideoFeature } from './video/video';

export interface DataServiceOptions {
  dataDir: string;
  serverUrl: string;
  /**
   * The cluster's other nodes (settings.servers after `serverUrl`): the socket link moves to the
   * next when its node is lost, keeping the token, the outbox and the watermark (server-link.ts).
   */
  alternateServerUrls?: readonly string[];
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

export interface StartInfo {
  seat: SeatInfo;
  /** Where a damaged cache was moved aside (it is being rebuilt from the server), else null. */
  cacheRebuilt: string | null;
}

/** The open seat's stores (DataService.require). */
export interface OpenSeat {
  cache: CacheStore;
  outbox: OutboxStore;
  engine: SyncEngine;
  seat: SeatInfo;
}

export class DataService {
  private cache: CacheStore | null = null;
  private outbox: OutboxStore | null = null;
  private engine: SyncEngine | null = null;
  private seat: SeatInfo | null = null;
  /** When the open seat was opened here (login or resume): the start of the shift. */
  private seatSince = 0;
  /** The open seat's bearer token (every request to the server carries it). */
  private token: string | null = null;
  private clientIdValue = '';
  /** The cache's integrity check still to come after this start. */
  private cacheCheck: NodeJS.Timeout | null = null;
  /** The check found the open cache damaged: it is not stored from (map start file) at close. */
  private cacheDamaged = false;
  readonly now: () => number;
  private readonly secrets: SecretBox;
  private readonly sessions: SessionFile;
  /** Every HTTP request and the socket.io link's TLS trust (server-http.ts). */
  readonly http: ServerHttp;

  // The features (src-main/data/<feature>/), answering the calls of their handlers.ts.
  readonly cases = new CasesFeature(this);
  readonly map = new MapFeature(this);
  readonly desk = new DeskFeature(this);
  readonly shift = new ShiftFeature(this);
  readonly briefing = new BriefingFeature(this);
  readonly inspections = new InspectionsFeature(this);
  readonly video = new VideoFeature(this);

  constructor(readonly options: DataServiceOptions) {
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

  /** When the open seat was opened here (login or resume): the start of the shift. */
  get seatOpenedAt(): number {
    return this.seatSince;
  }

  /** The open seat's bearer token, for the features' requests to the server. */
  get seatToken(): string | null {
    return this.token;
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

  connection(): SyncEngine['connection'] | null {
    return this.engine?.connection ?? null;
  }

  /** The open seat's stores; throws when no seat is logged in. */
  require(): OpenSeat {
    if (!this.cache || !this.outbox || !this.engine || !this.seat) throw new Error('no seat is logged in');
    return { cache: this.cache, outbox: this.outbox, engine: this.engine, seat: this.seat };
  }

  /** What a per-seat client of the server is built with; its timeout at least `minTimeoutMs`. */
  seatClient(minTimeoutMs: number): SeatClientOptions {
    const seat = this.seat;
    if (!seat) throw new Error('no seat is logged in');
    return {
      dir: this.seatDir(seat.serverUrl, seat.userName),
      serverUrl: seat.serverUrl,
      fetch: this.http.fetch,
      token: this.token ?? '',
      now: this.now,
      timeoutMs: Math.max(minTimeoutMs, this.options.requestTimeoutMs ?? 0),
      log: this.options.log,
    };
  }

  private seatDir(serverUrl: string, userName: string): string {
    return join(this.options.dataDir, 'seats', seatDirName(serverUrl, userName));
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

  /**
   * Log the open seat out (the shift's handover, shift/shift.ts): marked in the session record so
   * a restart shows the login form; the server is told (best effort: it revokes the token and
   * drops the seat's sockets); the seat's stores close.
   */
  async logOut(): Promise<void> {
    const { seat } = this.require();
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
    this.emit({ kind: 'session', seat: null });
  }

  // ---- lifecycle ----

  private async open(
    session: StoredSession,
    token: string,
    check: 'now' | 'later' = 'later',
  ): Promise<StartInfo> {
    await this.close();
    this.cacheDamaged = false;
    const dir = this.seatDir(session.serverUrl, session.seat.userName);
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
    const cache = opened.store;
    this.cache = cache;
    cache.bindSeat(session.seat);
    this.seat = session.seat;
    this.seatSince = this.now();
    this.token = token;
    this.clientIdValue = this.outbox.clientId(() => `console-${uuidv7(this.now()).slice(-17)}`);
    this.cases.referenceChanged();
    this.map.attach(cache, session.seat.scopeCode);
    const link = (this.options.linkFactory ?? ((o) => new SocketIoLink(o)))({
      serverUrl: session.serverUrl,
      alternateUrls: this.options.alternateServerUrls ?? [],
      token,
      clientId: this.clientIdValue,
      reconnectDelayMs: this.options.reconnectDelayMs,
      tls: this.http.socketTls,
    });
    this.engine = new SyncEngine(cache, this.outbox, link, {
      now: this.now,
      log: this.options.log,
      requestTimeoutMs: this.options.requestTimeoutMs,
      retryDelayMs: this.options.retryDelayMs,
      onFixes: (fixes) => this.map.receiveFixes(fixes),
      onChange: (change) => {
        if (change.kind === 'reference') {
          this.cases.referenceChanged();
          this.map.referenceChanged();
        }
        this.emit(change);
        // In sync for the first time this session: fetch the places in the background, so the
        // map has them (and the stored copy is fresh) before anyone zooms in.
        if (change.kind === 'connection' && change.state.status === 'online') this.map.connected();
      },
    });
    startMark('open:engine-built');
    this.engine.start();
    startMark('open:engine-started');
    if (check === 'later') this.scheduleCacheCheck(this.options.cacheCheckDelayMs ?? 5_000);
    return { seat: session.seat, cacheRebuilt: opened.movedAside };
  }

  /** Tell the windows; a change of cases, reference or queued actions retires the stored map. */
  emit(change: SyncChange): void {
    if (change.kind === 'cases' || change.kind === 'reference' || change.kind === 'outbox')
      this.map.retireStart();
    this.options.onChange?.(change);
  }

  /** The map is about to be drawn: the deferred cache check, if still to come, may run now. */
  checkCacheSoon(): void {
    if (this.cacheCheck) this.scheduleCacheCheck(0);
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

  async close(): Promise<void> {
    if (this.cacheCheck) clearTimeout(this.cacheCheck);
    this.cacheCheck = null;
    await this.engine?.stop();
    // The last fixes written; the map kept for the next start unless the cache was found damaged.
    this.map.close(this.engine !== null && !this.cacheDamaged);
    this.engine = null;
    this.cache?.close();
    this.outbox?.close();
    this.cache = null;
    this.outbox = null;
  }
}
