// The sync engine (ARCHITECTURE.md "Sync", console side). On every (re)connect it runs one
// round: snapshot if the cache has none, catch up after the watermark until the log is drained,
// then send the outbox in order. Live pushes are applied when they continue the watermark
// exactly; anything else (a gap, a push during the snapshot) starts another round. A command
// whose answer is lost is sent again with the same commandId; the server answers it from its
// store, so nothing is applied twice.
import type { CommandAnswer } from '../../src-shared/protocol/commands';
import type { CaseEvent, OfficerFix } from '../../src-shared/protocol/entities';
import {
  CLIENT_RESPONSES,
  isServerPushName,
  SERVER_PUSHES,
  SNAPSHOT_KINDS,
  type CatchUpPage,
  type PackedPage,
  type ServerPush,
  type ServerPushName,
  type SnapshotPage,
} from '../../src-shared/protocol/messages';
import { gunzipSync } from 'node:zlib';
import type { ConnectionState } from '../../src-shared/ipc/contract';
import type { PositionBatch } from '../../src-shared/ipc/map-data';
import type { CacheStore, SeatInfo } from './cache-store';
import type { OutboxStore } from './outbox-store';
import type { LinkResult, ServerLink } from './server-link';
import { startMark } from '../app/start-marks';

export type SyncChange =
  | { kind: 'connection'; state: ConnectionState }
  | { kind: 'cases'; ids: string[] }
  | { kind: 'reference' }
  | { kind: 'outbox'; commandIds: string[] }
  /** One per telemetry batch the server pushed, addressed by the map's officer order. */
  | { kind: 'positions'; batch: PositionBatch }
  /** A newer copy of the managed places arrived (the map asks `map.places` again). */
  | { kind: 'places' }
  /** The seat of this workstation changed (null: logged out). */
  | { kind: 'session'; seat: SeatInfo | null };

export interface SyncEngineOptions {
  now: () => number;
  onChange: (change: SyncChange) => void;
  log?: (line: string) => void;
  requestTimeoutMs?: number;
  /** Pause before re-sending after a lost answer while still connected. */
  retryDelayMs?: number;
  /** Telemetry pushes (latest fixes of the scope), handed over as they arrive. */
  onFixes?: (fixes: OfficerFix[]) => void;
  /** How often the watchdog looks for a connected-but-not-in-sync console. */
  watchdogMs?: number;
}

/** A push that passed its schema, by name. */
type ParsedPush = { [K in ServerPushName]: { name: K; payload: ServerPush<K> } }[ServerPushName];

/** Events per catch-up transaction (bench/sync-apply measures the effect). */
export const CATCH_UP_BATCH = 8_000;

/** Gateway-level refusals that will not change if the same command is sent again. */
const PERMANENT_ACK_ERRORS = new Set(['BAD_REQUEST', 'PAYLOAD_TOO_LARGE', 'FORBIDDEN', 'UNKNOWN_MESSAGE']);

export class SyncEngine {
  private status: ConnectionState['status'] = 'offline';
  private refusedReason: string | null = null;
  /** When the link went down (null while online): the offline banner's "since". */
  private downSince: number | null = null;
  /** Last live update applied from the server (event push or telemetry): the footer's last sync. */
  private lastLiveAt: number | null = null;
  private holdTimer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private again = false;
  private stopped = false;
  private retryTimer: NodeJS.Timeout | null = null;
  private watchdogTimer: NodeJS.Timeout | null = null;
  readonly stats = {
    rounds: 0,
    catchUpEvents: 0,
    pushesApplied: 0,
    gaps: 0,
    sent: 0,
    lost: 0,
    /** Pushes ignored: an unknown name, or a payload its schema (SERVER_PUSHES) refuses. */
    pushesIgnored: 0,
  };
  /** The last transitions, newest last: what a support engineer reads first. */
  readonly trail: string[] = [];

  private note(what: string): void {
    this.trail.push(`${this.options.now() % 100_000} ${what}`);
    if (this.trail.length > 30) this.trail.shift();
  }

  constructor(
    private readonly cache: CacheStore,
    private readonly outbox: OutboxStore,
    private readonly link: ServerLink,
    private readonly options: SyncEngineOptions,
  ) {}

  start(): void {
    this.downSince = this.options.now();
    this.link.connect({
      connected: () => {
        this.note('connected');
        this.refusedReason = null;
        this.kick();
      },
      disconnected: (reason) => {
        this.note(`disconnected ${reason}`);
        this.setStatus('offline');
      },
      refused: (code, message) => {
        this.note(`refused ${code}`);
        this.refusedReason = `${code}: ${message}`;
        this.setStatus('offline');
      },
      push: (name, payload) => this.onPush(name, payload),
    });
    this.watchdogTimer = setInterval(() => {
      // Watchdog: connected but not in sync (a missed signal, a lost push): run a round.
      if (
        !this.running &&
        this.link.connected &&
        (this.status !== 'online' || this.outbox.pendingCount() > 0)
      ) {
        this.note('watchdog kick');
        this.kick();
      }
    }, this.options.watchdogMs ?? 5_000);
    this.watchdogTimer.unref();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    if (this.watchdogTimer) clearInterval(this.watchdogTimer);
    if (this.holdTimer) clearTimeout(this.holdTimer);
    this.link.close();
    await this.running?.catch(() => undefined);
    this.status = 'offline';
  }

  get connection(): ConnectionState & { refused: string | null } {
    return {
      status: this.status,
      queueLength: this.outbox.pendingCount(),
      lastSyncAt: latest(this.cache.lastSyncAt, this.lastLiveAt),
      refused: this.refusedReason,
      downSince: this.status === 'online' ? null : this.downSince,
    };
  }

  /** Ask for a sync round (after a connect, a gap, a newly queued command). */
  kick(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.loop()
      .catch((e: unknown) => {
        // A failed round (e.g. the store closed under it during shutdown) must not go unnoticed
        // nor crash the process: log it and let the next kick try again.
        this.options.log?.(`sync round failed: ${e instanceof Error ? e.message : String(e)}`);
        if (!this.stopped) this.scheduleRetry();
      })
      .finally(() => {
        this.running = null;
        // A kick that arrived while this round was finishing must not be lost.
        if (this.again && !this.stopped) this.kick();
      });
  }

  /** Resolves when no round is running (tests and shutdown). */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  private async loop(): Promise<void> {
    do {
      this.again = false;
      if (!this.link.connected || this.stopped) {
        this.note('round skipped: not connected');
        return;
      }
      this.stats.rounds++;
      this.setStatus('syncing');
      const complete = (await this.snapshotIfNeeded()) && (await this.catchUp()) && (await this.drain());
      if (!complete) {
        this.note(`round incomplete (connected ${String(this.link.connected)})`);
        if (this.link.connected && !this.stopped) this.scheduleRetry();
        return;
      }
      this.cache.markSynced(this.options.now());
      this.setStatus('online');
    } while (this.again);
  }

  private wakeAt(delayMs: number): void {
    if (this.holdTimer) clearTimeout(this.holdTimer);
    this.holdTimer = setTimeout(
      () => {
        this.holdTimer = null;
        this.kick();
      },
      Math.max(0, delayMs) + 5,
    );
    this.holdTimer.unref();
  }

  private scheduleRetry(): void {
    if (this.retryTimer) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      this.kick();
    }, this.options.retryDelayMs ?? 2_000);
    this.retryTimer.unref();
  }

  private request<T>(name: Parameters<ServerLink['request']>[0], payload: unknown): Promise<LinkResult<T>> {
    return this.link.request<T>(name, payload, this.options.requestTimeoutMs ?? 15_000);
  }

  /** Snapshot and catch-up pages travel gzip-packed; unpack them here. */
  private async requestPage<T>(
    name: 'sync.snapshot' | 'sync.catchUp',
    payload: Record<string, unknown>,
  ): Promise<LinkResult<T>> {
    const r = await this.request<T | PackedPage>(name, { ...payload, packed: true });
    if (r.kind === 'lost' || !r.ack.ok || !r.ack.data) return r as LinkResult<T>;
    const data = r.ack.data as PackedPage;
    if (data.packed !== 'gzip') return r as LinkResult<T>;
    const json = gunzipSync(
      Buffer.from(data.bytes.buffer, data.bytes.byteOffset, data.bytes.byteLength),
    ).toString('utf8');
    return { kind: 'answer', ack: { ok: true, data: JSON.parse(json) as T } };
  }

  private async snapshotIfNeeded(): Promise<boolean> {
    if (this.cache.snapshotComplete) return true;
    this.cache.beginSnapshot();
    let watermark: number | null = null;
    for (const kind of SNAPSHOT_KINDS) {
      let cursor: string | null = null;
      do {
        const r: LinkResult<SnapshotPage> = await this.request<SnapshotPage>('sync.snapshot', {
          kind,
          cursor,
        });
        if (r.kind === 'lost' || !r.ack.ok || !r.ack.data) return false;
        const page: SnapshotPage = r.ack.data;
        // One watermark for the whole snapshot: the first page's. Later pages may already hold
        // newer state; events after the watermark re-apply as no-ops by version.
        watermark ??= page.watermark;
        this.cache.putSnapshotPage(kind, page.items);
        cursor = page.nextCursor;
      } while (cursor !== null);
    }
    this.cache.finishSnapshot(watermark ?? 0);
    this.options.onChange({ kind: 'reference' });
    return true;
  }

  private async catchUp(): Promise<boolean> {
    // Pages are applied in batches: one transaction per CATCH_UP_BATCH events, so a case that
    // changed many times while we were away is written once, and the watermark still moves in
    // the same transaction as the events it covers.
    let batch: CaseEvent[] = [];
    let batchWatermark = this.cache.watermark;
    const flush = (): void => {
      if (batch.length === 0 && batchWatermark <= this.cache.watermark) return;
      const applied = this.cache.applyEvents(batch, batchWatermark);
      this.stats.catchUpEvents += batch.length;
      if (applied.casesChanged.length > 0)
        this.options.onChange({ kind: 'cases', ids: applied.casesChanged });
      batch = [];
    };
    for (;;) {
      const r = await this.requestPage<CatchUpPage>('sync.catchUp', { after: batchWatermark });
      if (r.kind === 'lost') {
        flush();
        return false;
      }
      if (!r.ack.ok || !r.ack.data) {
        flush();
        this.options.log?.(`catch-up refused: ${r.ack.error?.code} ${r.ack.error?.message}`);
        return false;
      }
      const page = r.ack.data;
      batch.push(...page.events);
      batchWatermark = page.watermark;
      if (batch.length >= CATCH_UP_BATCH || !page.more) flush();
      if (!page.more) return true;
    }
  }

  private async drain(): Promise<boolean> {
    for (const entry of this.outbox.pending()) {
      if (this.stopped) return false;
      const now = this.options.now();
      if (entry.holdUntil !== null && entry.holdUntil > now) {
        // In its undo window: it and everything behind it (order) wait until the hold ends.
        this.wakeAt(entry.holdUntil - now);
        return true;
      }
      this.stats.sent++;
      const r = await this.request<CommandAnswer>('command', entry.command);
      if (r.kind === 'lost') {
        this.stats.lost++;
        this.outbox.noteAttempt(entry.commandId, r.reason);
        return false; // keep the order: nothing behind it goes first
      }
      let answer: CommandAnswer;
      if (r.ack.ok && r.ack.data) {
        // Checked like a push (CLIENT_RESPONSES): a malformed answer settles nothing; the
        // command stays pending and is sent again with the same commandId.
        const valid = CLIENT_RESPONSES.command.safeParse(r.ack.data);
        if (!valid.success) {
          const why = `malformed answer: ${valid.error.issues[0]?.path.join('.') ?? ''} ${valid.error.issues[0]?.message ?? ''}`;
          this.options.log?.(`command ${entry.commandId}: ${why}`);
          this.outbox.noteAttempt(entry.commandId, why);
          return false;
        }
        answer = r.ack.data;
      } else {
        const error = r.ack.error ?? { code: 'INTERNAL', message: 'empty answer' };
        if (!PERMANENT_ACK_ERRORS.has(error.code)) {
          this.outbox.noteAttempt(entry.commandId, `${error.code}: ${error.message}`);
          return false; // RATE_LIMITED, INTERNAL: try again later with the same commandId
        }
        answer = {
          commandId: entry.commandId,
          status: 'rejected',
          code: error.code as 'BAD_REQUEST',
          reason: error.message,
          details: error.details,
          current: null,
          serverTime: this.options.now(),
        };
      }
      this.settle(entry.commandId, answer);
    }
    return true;
  }

  private settle(commandId: string, answer: CommandAnswer): void {
    if (!this.outbox.settle(commandId, answer, this.options.now())) return;
    let changed: string[] = [];
    if (answer.status === 'accepted') {
      // Not advancing the watermark: these events may lie beyond events we have not seen yet.
      changed = this.cache.applyEvents(answer.events, null).casesChanged;
    } else if (answer.current) {
      if (this.cache.putCaseIfNewer(answer.current)) changed = [answer.current.id];
    }
    const entry = this.outbox.get(commandId);
    this.options.onChange({ kind: 'outbox', commandIds: [commandId] });
    this.options.onChange({
      kind: 'cases',
      ids: [...new Set([...changed, ...(entry ? [entry.caseId] : [])])],
    });
  }

  /**
   * A push from the server, validated by its schema (SERVER_PUSHES) before anything uses it: an
   * unknown name or a malformed payload is logged and ignored, and the sync goes on (a push
   * whose event is lost this way shows up as a gap at the next one and is caught up).
   */
  private onPush(name: string, payload: unknown): void {
    if (!isServerPushName(name)) return this.ignorePush(name, 'unknown push');
    const parsed = SERVER_PUSHES[name].safeParse(payload);
    if (!parsed.success) {
      const first = parsed.error.issues[0];
      return this.ignorePush(
        name,
        first ? `${first.path.join('.') || '(payload)'}: ${first.message}` : 'malformed',
      );
    }
    // The payload as sent (checked, not rebuilt: no copy, nothing stripped on the way).
    this.handlePush({ name, payload } as ParsedPush);
  }

  private ignorePush(name: string, why: string): void {
    this.stats.pushesIgnored++;
    this.note(`push ignored ${name.slice(0, 40)}`);
    this.options.log?.(`ignored push ${JSON.stringify(name.slice(0, 80))} from the server: ${why}`);
  }

  private handlePush(push: ParsedPush): void {
    switch (push.name) {
      case 'event': {
        const { prevSeq, event } = push.payload;
        if (!this.cache.snapshotComplete) return this.kick();
        const watermark = this.cache.watermark;
        if (event.seq <= watermark) return; // already have it
        if (prevSeq !== watermark) {
          this.stats.gaps++;
          return this.kick(); // missed something: catch up
        }
        this.applyPushed(event);
        this.lastLiveAt = this.options.now();
        return;
      }
      case 'telemetry.batch':
        if (push.payload.fixes.length > 0) {
          this.lastLiveAt = this.options.now();
          this.options.onFixes?.(push.payload.fixes);
        }
        return;
      case 'server.shutdown':
        this.note('server shutdown');
        return this.setStatus('offline');
      case 'session.ended':
        // The server closes the socket next; reconnecting is then refused with the reason.
        return this.note(`session ended ${push.payload.code}`);
    }
  }

  private applyPushed(event: CaseEvent): void {
    const applied = this.cache.applyEvents([event], event.seq);
    this.stats.pushesApplied++;
    if (applied.casesChanged.length > 0) this.options.onChange({ kind: 'cases', ids: applied.casesChanged });
  }

  private setStatus(status: ConnectionState['status']): void {
    if (this.status === status) return;
    this.note(`status ${status}`);
    startMark(`sync:${status}`);
    this.status = status;
    if (status === 'online') this.downSince = null;
    else if (status === 'offline' && this.downSince === null) this.downSince = this.options.now();
    this.options.onChange({ kind: 'connection', state: this.connection });
  }
}

const latest = (a: number | null, b: number | null): number | null =>
  a === null ? b : b === null ? a : Math.max(a, b);
