// Periodic inspections of managed places, server side: per-city plans, monthly work-order
// generation, completion (a hazard reports a case through the command path), coverage per grid
// and per officer, and tier re-grading with scoped approval.
//
// This class is the service's face (server.ts, http-routes.ts, inspection-rounds.ts use it) and
// does the completion of visits; the rest is in its parts: inspection-context.ts (deps, places,
// settings, access rules), month-generation.ts (generating months and their ledgers in the
// background), inspection-queries.ts (coverage, flags, orders), regrades.ts (proposals, decisions).
import { shanghaiDayIndex } from '../../src-shared/domain/calendar';
import {
  parseOrderId,
  type CoverageAnswer,
  type CoverageQuery,
  type InspectionSettings,
  type OrdersAnswer,
  type OrdersQuery,
  type PlaceFlagsAnswer,
  type RegradeDecision,
  type RegradeRow,
  type RegradesAnswer,
  type RegradesQuery,
} from '../../src-shared/inspections/model';
import type { Command } from '../../src-shared/protocol/commands';
import { err, ok, type Result } from '../../src-shared/util/result';
import { uuidv7 } from '../../src-shared/util/ids';
import type { DatasetManifest } from '../../src-shared/dataset';
import type { User } from '../auth/seats';
import { readManifest } from '../dataset/read-dataset';
import { InspectionContext, dayText, type InspectionDeps, type OrderSqlRow } from './inspection-context';
import { InspectionQueries } from './inspection-queries';
import { InspectionMonths, type GenerationReport } from './month-generation';
import { Regrades } from './regrades';
import { hazardCategory, placeTypeOf, type VisitRecord } from './rules';

export type { InspectionDeps } from './inspection-context';
export type { GenerationReport } from './month-generation';

export type CompleteOutcome = {
  id: string;
  hazard: boolean;
  caseId: string | null;
  /** The command answer's rejection, when the hazard report was refused. */
  caseRefused: string | null;
  late: boolean;
};

export class InspectionService {
  private readonly ctx: InspectionContext;
  private readonly months: InspectionMonths;
  private readonly regradeBook: Regrades;
  private readonly queries: InspectionQueries;

  private constructor(deps: InspectionDeps, manifest: DatasetManifest) {
    this.ctx = new InspectionContext(deps, manifest);
    this.regradeBook = new Regrades(this.ctx);
    this.months = new InspectionMonths(this.ctx, (month, hazardsNow) =>
      this.regradeBook.proposeFromHistory(month, hazardsNow),
    );
    this.queries = new InspectionQueries(this.ctx, this.months);
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

  private get deps(): InspectionDeps {
    return this.ctx.deps;
  }

  /** Stop background work (the store is closing). */
  close(): void {
    this.ctx.close();
  }

  get settings(): InspectionSettings {
    return this.ctx.settings;
  }

  /** Replace the city's settings (they apply from the next month generated). */
  updateSettings(next: unknown): Result<InspectionSettings> {
    return this.ctx.updateSettings(next);
  }

  get placeCount(): number {
    return this.ctx.places.rowCount;
  }

  get gridCount(): number {
    return this.deps.ref.gridsByIndex.length;
  }

  /** Last generation's figures (for the log, the bench and the report). */
  get lastGeneration(): GenerationReport | null {
    return this.months.lastGeneration;
  }

  /** Today's Shanghai day number on the server's clock. */
  today(): number {
    return this.ctx.today();
  }

  currentMonth(): number {
    return this.ctx.currentMonth();
  }

  /** The place's tier now (an approved re-grade wins over the dataset's). */
  tierOf(place: number): number {
    return this.ctx.tierOf(place);
  }

  placeLocation(place: number): { lon: number; lat: number; grid: number; kind: number; subkind: number } {
    return this.ctx.placeLocation(place);
  }

  /** e.g. 岗贝社区第3网格 */
  gridName(gridCode: string): string {
    return this.ctx.gridName(gridCode);
  }

  // ---- generation (month-generation.ts) --------------------------------------------------------

  isReady(month: number): boolean {
    return this.months.isReady(month);
  }

  /** Generate `month` (default: the current one) unless it is there; see InspectionMonths. */
  ensureMonth(month?: number): Promise<GenerationReport | null> {
    return this.months.ensureMonth(month);
  }

  /** `month` (default: the current one) and its history generated, the proposals made. */
  withHistory(month?: number): Promise<void> {
    return this.months.withHistory(month);
  }

  /** The months before `month` whose visits the re-grading rules read, oldest first. */
  historyMonths(month: number): number[] {
    return this.months.historyMonths(month);
  }

  /** The months a seat may pick, newest first (at most a year). */
  offeredMonths(): string[] {
    return this.months.offeredMonths();
  }

  // ---- reading (inspection-queries.ts) ---------------------------------------------------------

  coverage(user: User, q: CoverageQuery): Promise<Result<CoverageAnswer>> {
    return this.queries.coverage(user, q);
  }

  /** Overdue and missed places of the seat's scope this month, for the map's rings. */
  placeFlags(user: User, monthArg: string | undefined): Promise<Result<PlaceFlagsAnswer>> {
    return this.queries.placeFlags(user, monthArg);
  }

  orders(user: User, q: OrdersQuery): Promise<Result<OrdersAnswer>> {
    return this.queries.orders(user, q);
  }

  /** Open orders the simulated officers may work on `today` in grids [lo, hi]. */
  workable(month: number, lo: number, hi: number, today: number): OrderSqlRow[] {
    return this.queries.workable(month, lo, hi, today);
  }

  // ---- re-grading (regrades.ts) ----------------------------------------------------------------

  /** A place's visits over the months the rules look at. */
  placeHistory(place: number, month: number): VisitRecord[] {
    return this.regradeBook.placeHistory(place, month);
  }

  /** Propose a re-grade for a rental when its history calls for one and none is pending. */
  evaluateRegrade(place: number, month: number): number | null {
    return this.regradeBook.evaluateRegrade(place, month);
  }

  regrades(user: User, q: RegradesQuery): Result<RegradesAnswer> {
    return this.regradeBook.list(user, q);
  }

  /** Approve (the tier applies from the next month) or reject a pending proposal. */
  decide(user: User, id: number, d: RegradeDecision): Result<RegradeRow> {
    return this.regradeBook.decide(user, id, d);
  }

  // ---- completion ------------------------------------------------------------------------------

  private orderRow(month: number, place: number, visit: number): OrderSqlRow | null {
    const { places } = this.ctx;
    if (place >= places.rowCount) return null;
    return (
      (this.deps.db
        .prepare(
          'SELECT * FROM inspection_orders WHERE month = ? AND grid_idx = ? AND place = ? AND visit = ?',
        )
        .get(month, places.grid[place], place, visit) as OrderSqlRow | undefined) ?? null
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
      const category = hazardCategory(this.ctx.settings, type, o.tier, by.pick ?? Math.random());
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
    this.months.heldLedger(key.month)?.markDone(key.place, key.visit, day, by.hazard);
    // Only a hazard can make a place stricter; a clean visit can only make a stricter tier lenient.
    if (o.kind === 0 && (by.hazard || o.tier > 0)) this.evaluateRegrade(key.place, key.month);
    return ok({ id: orderId, hazard: by.hazard, caseId, caseRefused, late: day > o.due_day });
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
}
