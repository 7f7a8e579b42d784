// Cases as the operator sees them: the server's copy overlaid with this console's queued actions
// (optimistic-view.ts), queueing an action with the same rules the server runs, undoing a held
// one, the conflicts the server refused, and a case's whole history fetched when the cache lacks
// its first entries.
import { defaultCalendar } from '../../../src-shared/domain/calendar';
import { evaluateCommand, type CommandEnv } from '../../../src-shared/domain/case-commands';
import { dueAt } from '../../../src-shared/domain/deadline';
import { PointIndex } from '../../../src-shared/domain/point-index';
import type { Role } from '../../../src-shared/domain/case-model';
import { handlingDueAt } from '../../../src-shared/domain/work-rules';
import type { OverviewCounts } from '../../../src-shared/ipc/contract';
import {
  COMMAND_PAYLOADS,
  Command as CommandSchema,
  type Command,
  type CommandType,
} from '../../../src-shared/protocol/commands';
import type { Case, CaseEvent, Category, Department } from '../../../src-shared/protocol/entities';
import { parseWith } from '../../../src-shared/protocol/validate';
import { uuidv7 } from '../../../src-shared/util/ids';
import { err, ok, type Result } from '../../../src-shared/util/result';
import type { CacheStore } from '../cache-store';
import type { DataService } from '../data-service';
import { pendingOverlay, shownCase } from '../optimistic-view';
import type { OutboxEntry, OutboxStore, WithdrawOutcome } from '../outbox-store';
import { SeatSlot } from '../seat-slot';

export interface CaseRow {
  case: Case;
  /** Pending actions of this console on the case, oldest first. */
  pending: { commandId: string; type: CommandType }[];
}

export interface CaseDetail {
  case: Case | null;
  events: CaseEvent[];
  actions: OutboxEntry[];
}

/**
 * True when the cached events hold the case from its first entry to its current version. What
 * a cache misses is a prefix (the entries before its snapshot), never a middle part.
 */
export function historyComplete(events: readonly CaseEvent[], version: number): boolean {
  if (events.length === 0) return false;
  return events[0].version === 1 && events[events.length - 1].version >= version;
}

export class CasesFeature {
  private readonly calendar = defaultCalendar();
  /** Built from the reference on first use; dropped when the reference changes. */
  private index: PointIndex | null = null;
  private categories: Map<string, Category> | null = null;
  private departments: Map<string, Department> | null = null;
  /** Per seat's cache: the version of each case whose history was asked for already. */
  private readonly historyAsked = new SeatSlot(() => new Map<string, number>());

  constructor(private readonly core: DataService) {}

  /** The seat's reference lists changed (or another seat opened): the derived lookups go. */
  referenceChanged(): void {
    this.index = null;
    this.categories = null;
    this.departments = null;
  }

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
    const { cache, outbox, engine, seat } = this.core.require();
    const now = this.core.now;
    const command = {
      commandId: uuidv7(now()),
      clientId: this.core.clientId,
      type,
      payload,
      baseVersion,
      clientTime: now(),
    };
    if (!Object.prototype.hasOwnProperty.call(COMMAND_PAYLOADS, type))
      return err('BAD_REQUEST', `unknown action ${type}`);
    const parsed = parseWith(CommandSchema, command, `${type} command`);
    if (!parsed.ok) return parsed;
    const valid: Command = parsed.data;
    const current = this.shown(valid.payload.caseId, cache, outbox);
    const evaluation = evaluateCommand(
      current,
      valid,
      { id: seat.seatId, role: seat.role as Role, scopeCode: seat.scopeCode },
      this.env(cache, outbox, seat.scopeCode),
    );
    if (!evaluation.ok) return err(evaluation.code, evaluation.reason, { rule: evaluation.rule });
    const holdUntil = holdMs > 0 ? now() + Math.min(holdMs, 30_000) : null;
    const entry = outbox.enqueue(valid, evaluation.noop ? current : evaluation.next, now(), holdUntil);
    this.core.emit({ kind: 'outbox', commandIds: [entry.commandId] });
    this.core.emit({ kind: 'cases', ids: [entry.caseId] });
    engine.kick();
    return ok(entry);
  }

  private env(cache: CacheStore, outbox: OutboxStore, scopeCode: string): CommandEnv {
    return {
      now: this.core.now(),
      locate: (lon, lat) => this.pointIndex(cache)?.lookup(lon, lat) ?? null,
      category: (code) => this.categoryMap(cache).get(code),
      // The handling units this seat may see (its town's departments, its villages' committees).
      department: (code) => this.departmentMap(cache).get(code),
      dueOf: (c) => {
        const cat = this.categoryMap(cache).get(c.categoryCode);
        return cat ? handlingDueAt(c, cat.timeLimit, this.calendar) : null;
      },
      workingMsBetween: (a, b) => this.calendar.workingMsBetween(a, b),
      dueFrom: (startMs, limit) => dueAt({ startMs, limit, suspensions: [] }, this.calendar) ?? startMs,
      areaName: `the jurisdiction of this seat (${scopeCode})`,
      // The other case of a merge (case-merge.ts), as this console shows it.
      caseById: (id) => this.shown(id, cache, outbox),
      caseByNumber: (n) => cache.caseByNumber(n),
    };
  }

  private pointIndex(cache: CacheStore): PointIndex | null {
    if (!this.index) {
      const grids = cache.all('grids').filter((g) => g.geometry);
      if (grids.length === 0) return null;
      this.index = PointIndex.build(
        grids.map((g) => ({
          gridCode: g.code,
          villageCode: g.villageCode,
          townCode: g.townCode,
          geometry: g.geometry!,
        })),
      );
    }
    return this.index;
  }

  private departmentMap(cache: CacheStore): Map<string, Department> {
    this.departments ??= new Map(cache.all('departments').map((d) => [d.code, d]));
    return this.departments;
  }

  private categoryMap(cache: CacheStore): Map<string, Category> {
    this.categories ??= new Map(cache.all('categories').map((c) => [c.code, c]));
    return this.categories;
  }

  /** The case as the operator should see it (optimistic-view.ts). */
  shown(caseId: string, cache: CacheStore, outbox: OutboxStore): Case | null {
    const predicted = pendingOverlay(outbox.pending().filter((e) => e.caseId === caseId)).get(caseId);
    return shownCase(cache.getCase(caseId), predicted);
  }

  list(filter: { states?: readonly string[]; limit?: number } = {}): CaseRow[] {
    const { cache, outbox } = this.core.require();
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

  detail(id: string): CaseDetail {
    const { cache, outbox } = this.core.require();
    return {
      case: this.shown(id, cache, outbox),
      events: cache.caseEvents(id),
      actions: outbox.all().filter((e) => e.caseId === id),
    };
  }

  /**
   * The case's detail with its whole history. The cache holds the events caught up since the
   * seat's snapshot, so a case reported before the login lacks its first entries (and an
   * imported case has none here): then the history is fetched from the server once per case
   * version (GET /api/cases/<id>/history, scope-checked there) and kept in the cache. Offline,
   * or for a case the server does not know yet, the cached part is returned as it is.
   */
  async detailWithHistory(id: string): Promise<CaseDetail> {
    const local = this.detail(id);
    const c = local.case;
    if (!c || historyComplete(local.events, c.version)) return local;
    const { cache, seat } = this.core.require();
    const asked = this.historyAsked.of(cache);
    if (asked.get(id) === c.version) return local;
    // Offline the cached part is shown at once (no request waiting for its timeout).
    if (this.core.connection()?.status === 'offline') return local;
    asked.set(id, c.version);
    const token = this.core.seatToken;
    if (!token) return local;
    try {
      const res = await this.core.http.fetch(
        `${seat.serverUrl}/api/cases/${encodeURIComponent(id)}/history`,
        {
          headers: { authorization: `Bearer ${token}` },
          signal: AbortSignal.timeout(this.core.options.requestTimeoutMs ?? 10_000),
        },
      );
      if (!res.ok) return local;
      const body = (await res.json()) as { ok: boolean; data?: { case: Case; events: CaseEvent[] } };
      if (!body.ok || !body.data) return local;
      // Stored like catch-up events (the watermark does not move: these lie behind it).
      cache.applyEvents(body.data.events, null);
      cache.putCaseIfNewer(body.data.case);
    } catch (e) {
      this.core.options.log?.(`case history of ${id}: ${e instanceof Error ? e.message : String(e)}`);
      return local;
    }
    return this.detail(id);
  }

  /** Undo a held action while its undo window lasts (works offline: it never left the outbox). */
  undo(commandId: string): WithdrawOutcome {
    const { outbox } = this.core.require();
    const entry = outbox.get(commandId);
    const outcome = outbox.withdraw(commandId, this.core.now());
    if (outcome === 'withdrawn' && entry) {
      this.core.emit({ kind: 'outbox', commandIds: [commandId] });
      this.core.emit({ kind: 'cases', ids: [entry.caseId] });
    }
    return outcome;
  }

  conflicts(): OutboxEntry[] {
    return this.core.require().outbox.conflicts();
  }

  acknowledgeConflict(commandId: string): boolean {
    return this.core.require().outbox.acknowledge(commandId);
  }

  /** What the seat's cache holds, by SQL counts (the overview panel; cheap enough to ask often). */
  overviewCounts(): OverviewCounts {
    const { cache, outbox } = this.core.require();
    const counts = cache.counts();
    return {
      synced: cache.snapshotComplete,
      grids: counts.grids,
      officers: counts.gridOfficers,
      handlers: counts.officers - counts.gridOfficers,
      cameras: counts.cameras,
      openCases: cache.openCaseCount(),
      pending: new Set(outbox.pending().map((e) => e.caseId)).size,
    };
  }
}
