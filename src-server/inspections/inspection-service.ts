// Periodic inspections of managed places, server side: per-city plans, monthly
// work-order generation, completion (a hazard reports a case through the command path),
// coverage per grid and per officer, and tier re-grading with scoped approval.
//
// Generation runs in the background after the server listens, in chunks of a few ten thousand
// rows per transaction with the event loop free in between, so `npm start` is not held up and
// consoles are answered meanwhile; a month interrupted mid-way (crash) is deleted and generated
// again on the next start (the month row says 'generating' until the last chunk commits). Calls
// that need a month wait for it. The current month is generated on first need; then, in the
// background, the months of visit history the re-grading rules look back on (filled in whole:
// they are past) and the proposals they imply, so the re-grading queue is not empty in the first
// days of a month.
import { SEAT_ROLES, type Role } from '../../src-shared/domain/case-model';
import {
  dayIndexToMs,
  formatShanghaiDate,
  shanghaiDayIndex,
  type WorkingCalendar,
} from '../../src-shared/domain/calendar';
import type { DatasetManifest, PlacesTable } from '../../src-shared/dataset';
import {
  DEFAULT_INSPECTION_SETTINGS,
  InspectionSettings,
  monthText,
  orderIdOf,
  parseOrderId,
  tierName,
  type CoverageAnswer,
  type CoverageFigures,
  type CoverageQuery,
  type CoverageRow,
  type OrderRow,
  type OrderStatus,
  type OrdersAnswer,
  type OrdersQuery,
  type PlaceFlagsAnswer,
  type RegradeDecision,
  type RegradeRow,
  type RegradesAnswer,
  type RegradesQuery,
} from '../../src-shared/inspections/model';
import type { Command, CommandAnswer } from '../../src-shared/protocol/commands';
import { err, ok, type Result } from '../../src-shared/util/result';
import { uuidv7 } from '../../src-shared/util/ids';
import { isValidCode, isWithin, levelOf } from '../../src-shared/domain/codes';
import type { User } from '../auth/seats';
import { readManifest, readPlaces } from '../dataset/read-dataset';
import type { ReferenceData } from '../reference/reference-data';
import type { Db } from '../store/database';
import { MonthLedger } from './ledger';
import { monthDays, monthOfDay, planMonthSteps, previousMonth, type PlannedOrders } from './planner';
import { hazardCategory, orderFate, placeTypeOf, proposeRegrade, type VisitRecord } from './rules';

export interface InspectionDeps {
  db: Db;
  ref: ReferenceData;
  calendar: WorkingCalendar;
  now: () => number;
  datasetDir: string;
  log: (line: string) => void;
  /** The server's command path (publishes to consoles); needed for hazards to become cases. */
  execute?: (userId: string, clientId: string, command: Command) => CommandAnswer;
  /** Stores a photo for a hazard report (content hash), null when none can be made. */
  photo?: (caseId: string, userId: string) => string | null;
  /** Fill the elapsed days of a newly generated month with simulated visits (default true). */
  backfill?: boolean;
  /** Rows per generation transaction (default 10,000: ≈ 50 ms of the event loop each). */
  chunkRows?: number;
}

export interface GenerationReport {
  month: number;
  orders: number;
  planMs: number;
  insertMs: number;
  totalMs: number;
  chunks: number;
  backfilled: number;
}

export type CompleteOutcome = {
  id: string;
  hazard: boolean;
  caseId: string | null;
  /** The command answer's rejection, when the hazard report was refused. */
  caseRefused: string | null;
  late: boolean;
};

/** Seats may read; field officers read their own grid. Deciding needs a leader or operator. */
const READ_ROLES: readonly Role[] = [...SEAT_ROLES, 'officer'];
export const DECIDE_ROLES: readonly Role[] = ['duty_leader', 'village_operator', 'admin'];

/** Orders per INSERT statement during generation (15 parameters each; SQLite allows 32,766). */
const ROWS_PER_STATEMENT = 64;

const EMPTY = (): CoverageFigures => ({
  planned: 0,
  due: 0,
  dueDone: 0,
  dueOpen: 0,
  done: 0,
  onTime: 0,
  late: 0,
  missed: 0,
  overdue: 0,
  hazards: 0,
  hazardRate: null,
});

interface OrderSqlRow {
  month: number;
  grid_idx: number;
  place: number;
  visit: number;
  visits: number;
  kind: number;
  tier: number;
  officer_id: string | null;
  planned_day: number;
  due_day: number;
  close_day: number;
  done_at: number | null;
  done_day: number | null;
  hazard: number | null;
  case_id: string | null;
}

interface RegradeSqlRow {
  id: number;
  place: number;
  grid_code: string;
  from_tier: number;
  to_tier: number;
  hazards: number;
  clean_visits: number;
  reason: string;
  proposed_at: number;
  status: 'pending' | 'approved' | 'rejected';
  decided_at: number | null;
  decided_by: string | null;
  note: string | null;
}

const dayText = (day: number): string => formatShanghaiDate(dayIndexToMs(day));

function statusOf(o: OrderSqlRow, today: number): OrderStatus {
  if (o.done_day !== null) return o.done_day > o.due_day ? 'late' : 'done';
  if (o.close_day < today) return 'missed';
  if (o.due_day < today) return 'overdue';
  return 'open';
}

// Jurisdiction by the code tree: a truncated or malformed scope matches nothing.
const inScope = (code: string, scope: string): boolean => isWithin(code, scope);

export class InspectionService {
  private settingsValue: InspectionSettings;
  private readonly generating = new Map<number, Promise<GenerationReport | null>>();
  /** Runs generating a month's history (keyed by the month the history is for). */
  private readonly historyRuns = new Map<number, Promise<void>>();
  private readonly readyMonths = new Set<number>();
  /** In-memory columns of generated months (the current one; see ledger.ts), with their fill. */
  private readonly ledgers = new Map<number, { ledger: MonthLedger; filled: Promise<void> }>();
  private readonly officersByGrid: string[][];
  private readonly gridIdx = new Map<string, number>();
  private closed = false;
  /** Last generation's figures (for the log, the bench and the report). */
  lastGeneration: GenerationReport | null = null;

  private placesTable: PlacesTable | null = null;

  private constructor(
    private readonly deps: InspectionDeps,
    private readonly manifest: DatasetManifest,
  ) {
    const { db, ref } = deps;
    this.settingsValue = this.loadSettings();
    ref.gridsByIndex.forEach((g, i) => this.gridIdx.set(g.code, i));
    this.officersByGrid = ref.gridsByIndex.map(() => []);
    for (const o of ref.officers.values()) {
      if (o.kind !== 'grid') continue;
      for (const code of o.gridCodes) {
        const i = this.gridIdx.get(code);
        if (i !== undefined) this.officersByGrid[i].push(o.id);
      }
    }
    for (const list of this.officersByGrid) list.sort();
    for (const r of db.prepare("SELECT month FROM inspection_months WHERE status = 'ready'").all() as {
      month: number;
    }[])
      this.readyMonths.add(r.month);
  }

  /** Null (and a log line) when the dataset's places cannot be read for this store. */
  static open(deps: InspectionDeps): InspectionService | null {
    try {
      const manifest = readManifest(deps.datasetDir);
      const seed = (
        deps.db.prepare("SELECT value FROM meta WHERE key = 'dataset_seed'").get() as
          { value: string } | undefined
      )?.value;
      if (seed !== manifest.seed) {
        deps.log(`inspections: ${deps.datasetDir} holds dataset ${manifest.seed}, the store ${seed}; off`);
        return null;
      }
      if (!manifest.files.some((f) => f.role === 'places')) throw new Error('the dataset has no places file');
      return new InspectionService(deps, manifest);
    } catch (e) {
      deps.log(`inspections: cannot read the places (${e instanceof Error ? e.message : String(e)}); off`);
      return null;
    }
  }

  /** The dataset's places, read on first need (≈ 0.2 s: not during the server's start). */
  private get places(): PlacesTable {
    this.placesTable ??= readPlaces(this.deps.datasetDir, this.manifest);
    return this.placesTable;
  }

  /** Stop background work (the store is closing). */
  close(): void {
    this.closed = true;
  }

  get settings(): InspectionSettings {
    return this.settingsValue;
  }

  get placeCount(): number {
    return this.places.rowCount;
  }

  /** Today's Shanghai day number on the server's clock. */
  today(): number {
    return shanghaiDayIndex(this.deps.now());
  }

  currentMonth(): number {
    return monthOfDay(this.today());
  }

  isReady(month: number): boolean {
    return this.readyMonths.has(month);
  }

  /** The place's tier now (an approved re-grade wins over the dataset's). */
  tierOf(place: number): number {
    const row = this.deps.db.prepare('SELECT tier FROM inspection_place_tiers WHERE place = ?').get(place) as
      { tier: number } | undefined;
    return row?.tier ?? this.places.tier[place];
  }

  placeLocation(place: number): { lon: number; lat: number; grid: number; kind: number; subkind: number } {
    const p = this.places;
    return {
      lon: p.lon[place] / 1e6,
      lat: p.lat[place] / 1e6,
      grid: p.grid[place],
      kind: p.kind[place],
      subkind: p.subkind[place],
    };
  }

  // ---- settings --------------------------------------------------------------------------------

  private loadSettings(): InspectionSettings {
    const { db, ref, now } = this.deps;
    const row = db.prepare('SELECT json FROM inspection_settings WHERE city_code = ?').get(ref.cityCode) as
      { json: string } | undefined;
    if (!row) {
      db.prepare('INSERT INTO inspection_settings (city_code, json, updated_at) VALUES (?, ?, ?)').run(
        ref.cityCode,
        JSON.stringify(DEFAULT_INSPECTION_SETTINGS),
        now(),
      );
      return DEFAULT_INSPECTION_SETTINGS;
    }
    const parsed = InspectionSettings.safeParse(JSON.parse(row.json));
    if (!parsed.success) {
      this.deps.log(
        `inspections: the settings of ${ref.cityCode} are invalid (${parsed.error.message}); using defaults`,
      );
      return DEFAULT_INSPECTION_SETTINGS;
    }
    return parsed.data;
  }

  /** Replace the city's settings (they apply from the next month generated). */
  updateSettings(next: unknown): Result<InspectionSettings> {
    const parsed = InspectionSettings.safeParse(next);
    if (!parsed.success)
      return err(
        'BAD_REQUEST',
        parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '),
      );
    this.deps.db
      .prepare('UPDATE inspection_settings SET json = ?, updated_at = ? WHERE city_code = ?')
      .run(JSON.stringify(parsed.data), this.deps.now(), this.deps.ref.cityCode);
    this.settingsValue = parsed.data;
    return ok(parsed.data);
  }

  // ---- generation ------------------------------------------------------------------------------

  /**
   * Generate `month` unless it is there; concurrent callers share one run. For the current month
   * this also starts, in the background once the month is ready, the months of history the
   * re-grading rules read (`withHistory` waits for them).
   */
  ensureMonth(month: number = this.currentMonth()): Promise<GenerationReport | null> {
    const run = this.ensureOne(month);
    if (this.historyMonths(month).some((m) => !this.readyMonths.has(m)) && !this.historyRuns.has(month))
      void this.withHistory(month).catch((e: unknown) => this.deps.log(`inspections: ${String(e)}`));
    return run;
  }

  /** Generate `month` alone unless it is there; concurrent callers share one run. */
  private ensureOne(month: number): Promise<GenerationReport | null> {
    if (this.readyMonths.has(month)) {
      // Generated by an earlier run: read its ledger in the background now, not on first ask.
      void this.ledgerOf(month);
      return Promise.resolve(null);
    }
    let run = this.generating.get(month);
    if (!run) {
      run = this.generate(month, { propose: true, keepLedger: true }).finally(() =>
        this.generating.delete(month),
      );
      this.generating.set(month, run);
    }
    return run;
  }

  /**
   * `month` and its history generated, and the re-grading proposals the history implies made:
   * what a town leader's queue holds on the first day of a month. Concurrent callers share one run.
   */
  withHistory(month: number = this.currentMonth()): Promise<void> {
    let run = this.historyRuns.get(month);
    if (!run) {
      run = (async () => {
        await this.ensureOne(month);
        let made = 0;
        for (const m of this.historyMonths(month)) {
          if (this.closed || !this.deps.db.open) return;
          if (this.readyMonths.has(m)) continue;
          await this.generate(m, { propose: false, keepLedger: false });
          made++;
        }
        if (made === 0 || this.closed || !this.deps.db.open) return;
        this.deps.db.transaction(() => this.proposeFromHistory(month, null))();
      })();
      this.historyRuns.set(month, run);
    }
    return run;
  }

  /**
   * The months before `month` whose visits the re-grading rules read (the rules' window and the
   * lenient span), oldest first: only for the current month with backfill on (the demo world),
   * since a past month is filled in with what the simulated officers would have done in it.
   */
  historyMonths(month: number): number[] {
    if (!(this.deps.backfill ?? true) || month !== this.currentMonth()) return [];
    const rules = this.settingsValue.regrade;
    const span = Math.max(rules.windowMonths, rules.lenientMinMonths + 1);
    const out: number[] = [];
    for (let back = span - 1; back >= 1; back--) out.push(previousMonth(month, back));
    return out;
  }

  private async generate(
    month: number,
    opts: { propose: boolean; keepLedger: boolean },
  ): Promise<GenerationReport | null> {
    const { db, calendar, log } = this.deps;
    const t0 = performance.now();
    if (!this.placesTable) {
      void this.places;
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    const days = monthDays(calendar, month);
    const overrides = new Map<number, number>();
    for (const r of db
      .prepare('SELECT place, tier FROM inspection_place_tiers WHERE since_month <= ?')
      .all(month) as {
      place: number;
      tier: number;
    }[])
      overrides.set(r.place, r.tier);
    const steps = planMonthSteps({
      places: this.places,
      gridCount: this.deps.ref.gridsByIndex.length,
      month: days,
      settings: this.settingsValue,
      officersByGrid: this.officersByGrid,
      tierOverride: overrides,
    });
    let plan: PlannedOrders;
    for (;;) {
      const r = steps.next();
      if (r.done) {
        plan = r.value;
        break;
      }
      await new Promise<void>((resolve) => setImmediate(resolve));
      if (this.closed || !db.open) return null;
    }
    const planMs = performance.now() - t0;
    const prior = db.prepare('SELECT status FROM inspection_months WHERE month = ?').get(month) as
      { status: string } | undefined;
    if (prior?.status === 'ready') {
      this.readyMonths.add(month);
      return null;
    }
    db.transaction(() => {
      if (prior) {
        log(`inspections: month ${monthText(month)} was interrupted; generating it again`);
        db.prepare('DELETE FROM inspection_orders WHERE month = ?').run(month);
        db.prepare('DELETE FROM inspection_months WHERE month = ?').run(month);
      }
      db.prepare(
        "INSERT INTO inspection_months (month, status, orders, settings, started_at) VALUES (?, 'generating', ?, ?, ?)",
      ).run(month, plan.count, JSON.stringify(this.settingsValue), this.deps.now());
    })();

    const today = this.today();
    const backfill = this.deps.backfill ?? true;
    // Multi-row INSERTs (ROWS_PER_STATEMENT orders a statement): a third of the per-row binding cost.
    const cols = 15;
    const valuesOf = (rows: number): string =>
      Array.from({ length: rows }, () => `(${Array.from({ length: cols }, () => '?').join(',')},NULL)`).join(
        ',',
      );
    const insertSql = (rows: number): string =>
      `INSERT INTO inspection_orders (month, grid_idx, place, visit, visits, kind, tier, officer_id,
         planned_day, due_day, close_day, done_at, done_day, done_by, hazard, case_id) VALUES ${valuesOf(rows)}`;
    const insertMany = db.prepare(insertSql(ROWS_PER_STATEMENT));
    const insertOne = db.prepare(insertSql(1));
    const chunk = this.deps.chunkRows ?? 10_000;
    const t1 = performance.now();
    let chunks = 0;
    let backfilled = 0;
    const args: (number | string | null)[] = [];
    const ledger = new MonthLedger(
      month,
      plan.count,
      this.deps.ref.gridsByIndex.length,
      this.places.rowCount,
    );
    /** Rentals' hazards found in the filled-in days (for the re-grading proposals at the end). */
    const hazardsNow = new Uint8Array(this.places.rowCount);
    const push = (k: number): void => {
      const officer = plan.officer[k] >= 0 ? plan.officerIds[plan.officer[k]] : null;
      let doneAt: number | null = null;
      let doneDay: number | null = null;
      let hazard: number | null = null;
      if (backfill && officer !== null && plan.planned[k] < today) {
        const fate = orderFate(calendar, month, plan.place[k], plan.visit[k], plan.planned[k], plan.due[k]);
        if (fate.doDay !== null && fate.doDay < today && fate.doDay <= plan.close[k]) {
          doneDay = fate.doDay;
          doneAt = calendar.addWorkingTime(
            dayIndexToMs(doneDay),
            Math.floor(fate.slot * calendar.workingMsPerDay),
          );
          hazard = fate.hazard ? 1 : 0;
          if (fate.hazard && plan.kind[k] === 0) hazardsNow[plan.place[k]]++;
          backfilled++;
        }
      }
      args.push(
        month,
        plan.grid[k],
        plan.place[k],
        plan.visit[k],
        plan.visits[k],
        plan.kind[k],
        plan.tier[k],
        officer,
        plan.planned[k],
        plan.due[k],
        plan.close[k],
        doneAt,
        doneDay,
        doneAt === null ? null : officer,
        hazard,
      );
      ledger.push(
        plan.grid[k],
        plan.place[k],
        plan.visit[k],
        officer,
        plan.due[k],
        plan.close[k],
        doneDay,
        hazard,
      );
    };
    const writeRange = db.transaction((from: number, to: number) => {
      let k = from;
      for (; k + ROWS_PER_STATEMENT <= to; k += ROWS_PER_STATEMENT) {
        args.length = 0;
        for (let j = k; j < k + ROWS_PER_STATEMENT; j++) push(j);
        insertMany.run(args);
      }
      for (; k < to; k++) {
        args.length = 0;
        push(k);
        insertOne.run(args);
      }
    });
    // The plan took the event loop for a while: give it back before writing.
    await new Promise<void>((resolve) => setImmediate(resolve));
    for (let from = 0; from < plan.count; from += chunk) {
      if (this.closed || !db.open) return null;
      writeRange(from, Math.min(plan.count, from + chunk));
      chunks++;
      // Let the event loop answer consoles between chunks.
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    if (this.closed || !db.open) return null;
    const insertMs = performance.now() - t1;
    db.transaction(() => {
      db.prepare(
        "UPDATE inspection_months SET status = 'ready', finished_at = ?, ms = ? WHERE month = ?",
      ).run(this.deps.now(), Math.round(performance.now() - t0), month);
      if (backfill && opts.propose) this.proposeFromHistory(month, hazardsNow);
    })();
    ledger.seal();
    if (opts.keepLedger) this.ledgers.set(month, { ledger, filled: Promise.resolve() });
    this.readyMonths.add(month);
    const report: GenerationReport = {
      month,
      orders: plan.count,
      planMs: Math.round(planMs),
      insertMs: Math.round(insertMs),
      totalMs: Math.round(performance.now() - t0),
      chunks,
      backfilled,
    };
    this.lastGeneration = report;
    log(
      `inspections: ${monthText(month)} generated: ${plan.count} work orders for ${this.places.rowCount} places ` +
        `(${days.working.length} working days) in ${report.totalMs} ms (plan ${report.planMs} ms, insert ${report.insertMs} ms in ${chunks} chunks), ` +
        `${backfilled} visits of the elapsed days filled in`,
    );
    return report;
  }

  /**
   * After a backfill: the rentals whose recent history already calls for a re-grade. `hazardsNow`
   * holds the hazards of `month` counted while writing it (null: read them from the store too).
   */
  private proposeFromHistory(month: number, hazardsNow: Uint8Array | null): void {
    const rules = this.settingsValue.regrade;
    const hazards = hazardsNow ? Uint8Array.from(hazardsNow) : new Uint8Array(this.places.rowCount);
    const rows = this.deps.db
      .prepare(
        `SELECT place, count(*) AS n FROM inspection_orders WHERE month BETWEEN ? AND ? AND kind = 0 AND hazard = 1
         GROUP BY place`,
      )
      .all(previousMonth(month, rules.windowMonths - 1), hazardsNow ? previousMonth(month) : month) as {
      place: number;
      n: number;
    }[];
    for (const r of rows) hazards[r.place] = Math.min(255, hazards[r.place] + r.n);
    for (let p = 0; p < hazards.length; p++)
      if (hazards[p] >= rules.stricterHazards) this.evaluateRegrade(p, month);
  }

  /** The month's ledger, read from the store on first need after a restart. */
  private ledgerOf(month: number): Promise<MonthLedger> {
    let held = this.ledgers.get(month);
    if (!held) {
      const row = this.deps.db.prepare('SELECT orders FROM inspection_months WHERE month = ?').get(month) as {
        orders: number;
      };
      const ledger = new MonthLedger(
        month,
        row.orders,
        this.deps.ref.gridsByIndex.length,
        this.places.rowCount,
      );
      held = { ledger, filled: ledger.fillFrom(this.deps.db, this.deps.ref.gridsByIndex.length) };
      // Keep the current month and the one asked for: older ledgers go.
      for (const m of this.ledgers.keys()) if (m !== this.currentMonth()) this.ledgers.delete(m);
      this.ledgers.set(month, held);
    }
    const { ledger, filled } = held;
    return filled.then(() => ledger);
  }

  // ---- completion ------------------------------------------------------------------------------

  private orderRow(month: number, place: number, visit: number): OrderSqlRow | null {
    if (place >= this.places.rowCount) return null;
    return (
      (this.deps.db
        .prepare(
          'SELECT * FROM inspection_orders WHERE month = ? AND grid_idx = ? AND place = ? AND visit = ?',
        )
        .get(month, this.places.grid[place], place, visit) as OrderSqlRow | undefined) ?? null
    );
  }

  /**
   * An officer reports a visit done, with or without a hazard. A hazard is reported as a case
   * (source `inspection`) by the officer through the command path, in the category for the
   * place's type and at the place (so in its grid), and linked to the order.
   */
  complete(
    orderId: string,
    by: { officerId: string; hazard: boolean; at?: number; pick?: number; reportCase?: boolean },
  ): Result<CompleteOutcome> {
    const key = parseOrderId(orderId);
    if (!key) return err('BAD_REQUEST', `${orderId} is not an inspection order id`);
    const o = this.orderRow(key.month, key.place, key.visit);
    if (!o) return err('NOT_FOUND', `no inspection order ${orderId}`);
    if (o.officer_id !== by.officerId)
      return err(
        'FORBIDDEN_ROLE',
        `order ${orderId} is ${o.officer_id ?? 'nobody'}'s, not ${by.officerId}'s`,
      );
    if (o.done_at !== null) return err('ALREADY_DONE', `order ${orderId} was done at ${o.done_at}`);
    const at = by.at ?? this.deps.now();
    const day = shanghaiDayIndex(at);
    if (day > o.close_day)
      return err('ORDER_CLOSED', `order ${orderId} closed on ${dayText(o.close_day)} (missed)`);

    let caseId: string | null = null;
    let caseRefused: string | null = null;
    if (by.hazard && by.reportCase !== false && this.deps.execute) {
      const loc = this.placeLocation(key.place);
      const type = placeTypeOf(loc.kind, loc.subkind);
      const category = hazardCategory(this.settingsValue, type, o.tier, by.pick ?? Math.random());
      const name = this.deps.ref.categories.get(category)?.name ?? category;
      const newId = `C-${uuidv7(at)}`;
      const userId = `U-${by.officerId}`;
      const photo = this.deps.photo?.(newId, userId) ?? null;
      const command = {
        commandId: uuidv7(at),
        clientId: `phone-${by.officerId}`,
        type: 'report',
        payload: {
          caseId: newId,
          categoryCode: category,
          source: 'inspection',
          description: `定期巡查发现隐患（工单 ${orderId}，${type === 'rental' ? '出租屋' : '三小场所'} P${key.place}）：${name}`,
          address: this.addressOf(this.deps.ref.gridsByIndex[loc.grid].code),
          lon: Math.round(loc.lon * 1e6) / 1e6,
          lat: Math.round(loc.lat * 1e6) / 1e6,
          photos: photo ? [photo] : [],
        },
        baseVersion: null,
        clientTime: at,
      } as Command;
      try {
        const answer = this.deps.execute(userId, `phone-${by.officerId}`, command);
        if (answer.status === 'accepted') caseId = newId;
        else caseRefused = `${answer.code}: ${answer.reason}`;
      } catch (e) {
        caseRefused = e instanceof Error ? e.message : String(e);
      }
    }
    this.deps.db
      .prepare(
        `UPDATE inspection_orders SET done_at = ?, done_day = ?, done_by = ?, hazard = ?, case_id = ?
         WHERE month = ? AND grid_idx = ? AND place = ? AND visit = ? AND done_at IS NULL`,
      )
      .run(at, day, by.officerId, by.hazard ? 1 : 0, caseId, key.month, o.grid_idx, key.place, key.visit);
    this.ledgers.get(key.month)?.ledger.markDone(key.place, key.visit, day, by.hazard);
    // Only a hazard can make a place stricter; a clean visit can only make a stricter tier lenient.
    if (o.kind === 0 && (by.hazard || o.tier > 0)) this.evaluateRegrade(key.place, key.month);
    return ok({ id: orderId, hazard: by.hazard, caseId, caseRefused, late: day > o.due_day });
  }

  /** e.g. 岗贝社区第3网格 */
  gridName(gridCode: string): string {
    const village = (this.deps.ref.divisionNames.get(gridCode.slice(0, 12)) ?? '').replace(
      /(居民委员会|村民委员会)$/,
      '',
    );
    return `${village}第${Number(gridCode.slice(12))}网格`;
  }

  /**
   * Complete several visits: the clean ones (and hazards put right on the spot) in one
   * transaction (one fsync, not one per visit), each hazard reported as a case on its own (its
   * report is a command of its own). Outcomes in input order.
   */
  completeMany(
    visits: readonly {
      id: string;
      officerId: string;
      hazard: boolean;
      pick?: number;
      reportCase?: boolean;
    }[],
    at?: number,
  ): Result<CompleteOutcome>[] {
    const out: Result<CompleteOutcome>[] = new Array<Result<CompleteOutcome>>(visits.length);
    const reports = (v: { hazard: boolean; reportCase?: boolean }): boolean =>
      v.hazard && v.reportCase !== false;
    this.deps.db.transaction(() => {
      visits.forEach((v, i) => {
        if (!reports(v)) out[i] = this.complete(v.id, { ...v, at });
      });
    })();
    visits.forEach((v, i) => {
      if (reports(v)) out[i] = this.complete(v.id, { ...v, at });
    });
    return out;
  }

  private addressOf(gridCode: string): string {
    const names = this.deps.ref.divisionNames;
    const town = names.get(gridCode.slice(0, 9)) ?? '';
    const village = (names.get(gridCode.slice(0, 12)) ?? '').replace(/(居民委员会|村民委员会)$/, '');
    return `${town}${village}第${Number(gridCode.slice(12))}网格`.slice(0, 200);
  }

  /** A place's visits over the months the rules look at (one key seek per month). */
  placeHistory(place: number, month: number): VisitRecord[] {
    const rules = this.settingsValue.regrade;
    const span = Math.max(rules.windowMonths, rules.lenientMinMonths + 1);
    const stmt = this.deps.db.prepare(
      'SELECT done_day, hazard FROM inspection_orders WHERE month = ? AND grid_idx = ? AND place = ?',
    );
    const out: VisitRecord[] = [];
    for (let b = 0; b < span; b++) {
      const m = previousMonth(month, b);
      for (const r of stmt.all(m, this.places.grid[place], place) as {
        done_day: number | null;
        hazard: number | null;
      }[])
        out.push({ month: m, doneDay: r.done_day, hazard: r.hazard === null ? null : r.hazard === 1 });
    }
    return out;
  }

  /** Propose a re-grade for a rental when its history calls for one and none is pending. */
  evaluateRegrade(place: number, month: number): number | null {
    if (this.places.kind[place] !== 0) return null;
    const tier = this.tierOf(place);
    const proposal = proposeRegrade(tier, month, this.placeHistory(place, month), this.settingsValue.regrade);
    if (!proposal) return null;
    const grid = this.places.grid[place];
    const info = this.deps.db
      .prepare(
        `INSERT OR IGNORE INTO inspection_regrades (place, grid_idx, grid_code, from_tier, to_tier, hazards,
           clean_visits, reason, proposed_at, status) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'pending')`,
      )
      .run(
        place,
        grid,
        this.deps.ref.gridsByIndex[grid].code,
        tier,
        proposal.toTier,
        proposal.hazards,
        proposal.cleanVisits,
        proposal.reason,
        this.deps.now(),
      );
    return info.changes > 0 ? Number(info.lastInsertRowid) : null;
  }

  // ---- reading -----------------------------------------------------------------------------------

  private canRead(user: User): Result<null> {
    if (!READ_ROLES.includes(user.role))
      return err('FORBIDDEN_ROLE', `a ${user.role} seat cannot read inspections`);
    // Field officers read the orders of their own grid; the mobile squad has no inspection grid.
    if (user.role === 'officer' && levelOf(user.scopeCode) !== 'grid')
      return err('FORBIDDEN_ROLE', 'only a grid officer reads inspections from the field');
    if (!isValidCode(user.scopeCode)) return err('OUT_OF_SCOPE', 'this seat has no valid jurisdiction');
    return ok(null);
  }

  /** Grid index ranges [lo, hi] of a scope (grids are indexed in code order: one range). */
  private gridRange(scope: string): { lo: number; hi: number } | null {
    let lo = -1;
    let hi = -1;
    this.deps.ref.gridsByIndex.forEach((g, i) => {
      if (isWithin(g.code, scope)) {
        if (lo < 0) lo = i;
        hi = i;
      }
    });
    return lo < 0 ? null : { lo, hi };
  }

  /** The months a seat may pick, newest first (at most a year): see CoverageAnswer.months. */
  offeredMonths(): string[] {
    const current = this.currentMonth();
    const keys = new Set<number>([
      current,
      ...this.historyMonths(current),
      ...this.readyMonths,
      ...this.generating.keys(),
    ]);
    return [...keys]
      .filter((k) => k <= current)
      .sort((a, b) => b - a)
      .slice(0, 12)
      .map(monthText);
  }

  private async monthFor(month: string | undefined): Promise<Result<number>> {
    const current = this.currentMonth();
    const key = month ? Number(month.slice(0, 4)) * 100 + Number(month.slice(5, 7)) : current;
    if (key === current) await this.ensureMonth(current);
    if (!this.readyMonths.has(key)) {
      // A month of history still being filled in the background is not "never generated".
      if (this.generating.has(key) || this.historyMonths(current).includes(key))
        return err('MONTH_GENERATING', `the work orders of ${monthText(key)} are being generated`);
      return err('MONTH_NOT_GENERATED', `no work orders were generated for ${monthText(key)}`);
    }
    return ok(key);
  }

  async coverage(user: User, q: CoverageQuery): Promise<Result<CoverageAnswer>> {
    const allowed = this.canRead(user);
    if (!allowed.ok) return allowed;
    const scope = q.scope ?? user.scopeCode;
    if (!inScope(scope, user.scopeCode))
      return err('OUT_OF_SCOPE', `${scope} is outside this seat's jurisdiction ${user.scopeCode}`);
    const month = await this.monthFor(q.month);
    if (!month.ok) return month;
    const range = this.gridRange(scope);
    const today = this.today();
    const rows: CoverageRow[] = [];
    const totals = EMPTY();
    if (range) {
      const ledger = await this.ledgerOf(month.data);
      const sum = (into: CoverageFigures, f: CoverageFigures): void => {
        for (const k of [
          'planned',
          'due',
          'dueDone',
          'dueOpen',
          'done',
          'onTime',
          'late',
          'missed',
          'overdue',
          'hazards',
        ] as const)
          into[k] += f[k];
      };
      for (const [k, f] of ledger.figures(range.lo, range.hi, q.by, today)) {
        sum(totals, f);
        if (q.by === 'grid') {
          const g = this.deps.ref.gridsByIndex[k];
          rows.push({ key: g.code, name: this.gridName(g.code), gridCode: g.code, ...f });
        } else {
          const id = k >= 0 ? ledger.officerIds[k] : null;
          const o = id ? this.deps.ref.officers.get(id) : undefined;
          rows.push({
            key: id ?? '-',
            name: o ? `${o.name} (${o.number})` : '—',
            gridCode: o?.homeGridCode ?? '',
            ...f,
          });
        }
      }
      totals.hazardRate = totals.done > 0 ? totals.hazards / totals.done : null;
    }
    return ok({
      month: monthText(month.data),
      today: dayText(today),
      by: q.by,
      scopeCode: scope,
      rows,
      totals,
      countedAt: this.deps.now(),
      months: this.offeredMonths(),
    });
  }

  /** Overdue and missed places of the seat's scope this month, for the map's rings. */
  async placeFlags(user: User, monthArg: string | undefined): Promise<Result<PlaceFlagsAnswer>> {
    const allowed = this.canRead(user);
    if (!allowed.ok) return allowed;
    const month = await this.monthFor(monthArg);
    if (!month.ok) return month;
    const today = this.today();
    const range = this.gridRange(user.scopeCode);
    const flags = range
      ? (await this.ledgerOf(month.data)).flags(range.lo, range.hi, today)
      : { overdue: [], missed: [] };
    return ok({ month: monthText(month.data), today: dayText(today), ...flags });
  }

  async orders(user: User, q: OrdersQuery): Promise<Result<OrdersAnswer>> {
    const allowed = this.canRead(user);
    if (!allowed.ok) return allowed;
    let grids: number[];
    if (q.grid) {
      const g = this.gridIdx.get(q.grid);
      if (g === undefined) return err('NOT_FOUND', `no grid ${q.grid}`);
      if (!inScope(q.grid, user.scopeCode))
        return err('OUT_OF_SCOPE', `grid ${q.grid} is outside ${user.scopeCode}`);
      grids = [g];
    } else {
      const o = this.deps.ref.officers.get(q.officer ?? '');
      if (!o || o.kind !== 'grid') return err('NOT_FOUND', `no grid officer ${q.officer}`);
      if (!o.gridCodes.some((c) => inScope(c, user.scopeCode)))
        return err('OUT_OF_SCOPE', `officer ${o.id} works outside ${user.scopeCode}`);
      grids = o.gridCodes.map((c) => this.gridIdx.get(c)).filter((g): g is number => g !== undefined);
    }
    const month = await this.monthFor(q.month);
    if (!month.ok) return month;
    const today = this.today();
    const statusSql: Record<OrderStatus, string> = {
      open: 'done_at IS NULL AND due_day >= @today',
      overdue: 'done_at IS NULL AND due_day < @today AND close_day >= @today',
      missed: 'done_at IS NULL AND close_day < @today',
      done: 'done_day <= due_day',
      late: 'done_day > due_day',
    };
    const where = [
      'month = @m',
      `grid_idx IN (${grids.map((g) => Number(g)).join(',') || '-1'})`,
      ...(q.officer ? ['officer_id = @officer'] : []),
      ...(q.status ? [statusSql[q.status]] : []),
    ].join(' AND ');
    const params = { m: month.data, today, officer: q.officer ?? null, limit: q.limit, offset: q.offset };
    const total = (
      this.deps.db.prepare(`SELECT count(*) AS n FROM inspection_orders WHERE ${where}`).get(params) as {
        n: number;
      }
    ).n;
    const rows = this.deps.db
      .prepare(
        `SELECT * FROM inspection_orders WHERE ${where}
         ORDER BY planned_day, grid_idx, place, visit LIMIT @limit OFFSET @offset`,
      )
      .all(params) as OrderSqlRow[];
    return ok({
      month: monthText(month.data),
      today: dayText(today),
      total,
      orders: rows.map((r) => this.toOrderRow(r, today)),
    });
  }

  private toOrderRow(r: OrderSqlRow, today: number): OrderRow {
    const o = r.officer_id ? this.deps.ref.officers.get(r.officer_id) : undefined;
    return {
      id: orderIdOf(r.month, r.place, r.visit),
      place: r.place,
      placeType: placeTypeOf(r.kind, this.places.subkind[r.place]),
      tier: r.tier,
      gridCode: this.deps.ref.gridsByIndex[r.grid_idx].code,
      officerId: r.officer_id,
      officerName: o?.name ?? null,
      visit: r.visit,
      visits: r.visits,
      plannedDay: dayText(r.planned_day),
      dueDay: dayText(r.due_day),
      closeDay: dayText(r.close_day),
      doneAt: r.done_at,
      hazard: r.hazard === null ? null : r.hazard === 1,
      caseId: r.case_id,
      status: statusOf(r, today),
    };
  }

  /** Open orders the simulated officers may work on `today` in grids [lo, hi]. */
  workable(month: number, lo: number, hi: number, today: number): OrderSqlRow[] {
    return this.deps.db
      .prepare(
        `SELECT * FROM inspection_orders WHERE month = ? AND grid_idx BETWEEN ? AND ?
           AND done_at IS NULL AND officer_id IS NOT NULL AND planned_day <= ? AND close_day >= ?`,
      )
      .all(month, lo, hi, today, today) as OrderSqlRow[];
  }

  get gridCount(): number {
    return this.deps.ref.gridsByIndex.length;
  }

  // ---- re-grading ------------------------------------------------------------------------------

  private toRegradeRow(r: RegradeSqlRow): RegradeRow {
    const g = this.deps.ref.grids.get(r.grid_code);
    return {
      id: r.id,
      place: r.place,
      gridCode: r.grid_code,
      gridName: g ? this.gridName(g.code) : r.grid_code,
      fromTier: tierName(r.from_tier) ?? 'lenient',
      toTier: tierName(r.to_tier) ?? 'lenient',
      direction: r.to_tier > r.from_tier ? 'stricter' : 'lenient',
      hazards: r.hazards,
      cleanVisits: r.clean_visits,
      reason: r.reason,
      proposedAt: r.proposed_at,
      status: r.status,
      decidedAt: r.decided_at,
      decidedBy: r.decided_by,
      note: r.note,
    };
  }

  regrades(user: User, q: RegradesQuery): Result<RegradesAnswer> {
    const allowed = this.canRead(user);
    if (!allowed.ok) return allowed;
    const like = `${user.scopeCode}%`;
    const total = (
      this.deps.db
        .prepare('SELECT count(*) AS n FROM inspection_regrades WHERE status = ? AND grid_code LIKE ?')
        .get(q.status, like) as { n: number }
    ).n;
    const order = q.status === 'pending' ? 'id ASC' : 'decided_at DESC, id DESC';
    const rows = this.deps.db
      .prepare(
        `SELECT * FROM inspection_regrades WHERE status = ? AND grid_code LIKE ? ORDER BY ${order} LIMIT ?`,
      )
      .all(q.status, like, q.limit) as RegradeSqlRow[];
    return ok({ status: q.status, total, rows: rows.map((r) => this.toRegradeRow(r)) });
  }

  /** Approve (the tier applies from the next month) or reject a pending proposal. */
  decide(user: User, id: number, d: RegradeDecision): Result<RegradeRow> {
    if (!DECIDE_ROLES.includes(user.role))
      return err(
        'FORBIDDEN_ROLE',
        `a ${user.role} seat cannot decide re-gradings (leaders and village operators can)`,
      );
    const { db, now } = this.deps;
    return db.transaction((): Result<RegradeRow> => {
      const r = db.prepare('SELECT * FROM inspection_regrades WHERE id = ?').get(id) as
        RegradeSqlRow | undefined;
      if (!r) return err('NOT_FOUND', `no re-grading proposal ${id}`);
      if (!inScope(r.grid_code, user.scopeCode))
        return err('OUT_OF_SCOPE', `proposal ${id} (grid ${r.grid_code}) is outside ${user.scopeCode}`);
      if (r.status !== 'pending')
        return err('ALREADY_DECIDED', `proposal ${id} was already ${r.status}`, {
          status: r.status,
          by: r.decided_by,
        });
      const at = now();
      db.prepare(
        "UPDATE inspection_regrades SET status = ?, decided_at = ?, decided_by = ?, note = ? WHERE id = ? AND status = 'pending'",
      ).run(d.approve ? 'approved' : 'rejected', at, user.id, d.note ?? null, id);
      if (d.approve) {
        const since = monthOfDay(this.firstDayAfterMonth(shanghaiDayIndex(at)));
        db.prepare(
          `INSERT INTO inspection_place_tiers (place, tier, since_month, regrade_id) VALUES (?, ?, ?, ?)
           ON CONFLICT(place) DO UPDATE SET tier = excluded.tier, since_month = excluded.since_month, regrade_id = excluded.regrade_id`,
        ).run(r.place, r.to_tier, since, id);
      }
      const after = db.prepare('SELECT * FROM inspection_regrades WHERE id = ?').get(id) as RegradeSqlRow;
      return ok(this.toRegradeRow(after));
    })();
  }

  private firstDayAfterMonth(day: number): number {
    const m = monthOfDay(day);
    let d = day;
    while (monthOfDay(d) === m) d += 1;
    return d;
  }
}
