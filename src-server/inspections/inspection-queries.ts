// Reading the inspections (part of the inspection service): coverage per grid or officer from
// the month's ledger, the map's overdue and missed places, the work orders of a grid or officer,
// and the open orders the simulated officers work — each inside the reading seat's jurisdiction.
import {
  monthText,
  orderIdOf,
  type CoverageAnswer,
  type CoverageFigures,
  type CoverageQuery,
  type CoverageRow,
  type OrderRow,
  type OrderStatus,
  type OrdersAnswer,
  type OrdersQuery,
  type PlaceFlagsAnswer,
} from '../../src-shared/inspections/model';
import { isWithin } from '../../src-shared/domain/codes';
import { err, ok, type Result } from '../../src-shared/util/result';
import type { User } from '../auth/seats';
import { canRead, dayText, inScope, type InspectionContext, type OrderSqlRow } from './inspection-context';
import { emptyFigures } from './ledger';
import type { InspectionMonths } from './month-generation';
import { placeTypeOf } from './rules';

function statusOf(o: OrderSqlRow, today: number): OrderStatus {
  if (o.done_day !== null) return o.done_day > o.due_day ? 'late' : 'done';
  if (o.close_day < today) return 'missed';
  if (o.due_day < today) return 'overdue';
  return 'open';
}

export class InspectionQueries {
  constructor(
    private readonly ctx: InspectionContext,
    private readonly months: Pick<InspectionMonths, 'monthFor' | 'ledgerOf' | 'offeredMonths'>,
  ) {}

  /** Grid index ranges [lo, hi] of a scope (grids are indexed in code order: one range). */
  private gridRange(scope: string): { lo: number; hi: number } | null {
    let lo = -1;
    let hi = -1;
    this.ctx.deps.ref.gridsByIndex.forEach((g, i) => {
      if (isWithin(g.code, scope)) {
        if (lo < 0) lo = i;
        hi = i;
      }
    });
    return lo < 0 ? null : { lo, hi };
  }

  async coverage(user: User, q: CoverageQuery): Promise<Result<CoverageAnswer>> {
    const allowed = canRead(user);
    if (!allowed.ok) return allowed;
    const scope = q.scope ?? user.scopeCode;
    if (!inScope(scope, user.scopeCode))
      return err('OUT_OF_SCOPE', `${scope} is outside this seat's jurisdiction ${user.scopeCode}`);
    const month = await this.months.monthFor(q.month);
    if (!month.ok) return month;
    const range = this.gridRange(scope);
    const today = this.ctx.today();
    const rows: CoverageRow[] = [];
    const totals = emptyFigures();
    if (range) {
      const ledger = await this.months.ledgerOf(month.data);
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
          const g = this.ctx.deps.ref.gridsByIndex[k];
          rows.push({ key: g.code, name: this.ctx.gridName(g.code), gridCode: g.code, ...f });
        } else {
          const id = k >= 0 ? ledger.officerIds[k] : null;
          const o = id ? this.ctx.deps.ref.officers.get(id) : undefined;
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
      countedAt: this.ctx.deps.now(),
      months: this.months.offeredMonths(),
    });
  }

  /** Overdue and missed places of the seat's scope this month, for the map's rings. */
  async placeFlags(user: User, monthArg: string | undefined): Promise<Result<PlaceFlagsAnswer>> {
    const allowed = canRead(user);
    if (!allowed.ok) return allowed;
    const month = await this.months.monthFor(monthArg);
    if (!month.ok) return month;
    const today = this.ctx.today();
    const range = this.gridRange(user.scopeCode);
    const flags = range
      ? (await this.months.ledgerOf(month.data)).flags(range.lo, range.hi, today)
      : { overdue: [], missed: [] };
    return ok({ month: monthText(month.data), today: dayText(today), ...flags });
  }

  async orders(user: User, q: OrdersQuery): Promise<Result<OrdersAnswer>> {
    const allowed = canRead(user);
    if (!allowed.ok) return allowed;
    let grids: number[];
    if (q.grid) {
      const g = this.ctx.gridIdx.get(q.grid);
      if (g === undefined) return err('NOT_FOUND', `no grid ${q.grid}`);
      if (!inScope(q.grid, user.scopeCode))
        return err('OUT_OF_SCOPE', `grid ${q.grid} is outside ${user.scopeCode}`);
      grids = [g];
    } else {
      const o = this.ctx.deps.ref.officers.get(q.officer ?? '');
      if (!o || o.kind !== 'grid') return err('NOT_FOUND', `no grid officer ${q.officer}`);
      if (!o.gridCodes.some((c) => inScope(c, user.scopeCode)))
        return err('OUT_OF_SCOPE', `officer ${o.id} works outside ${user.scopeCode}`);
      grids = o.gridCodes.map((c) => this.ctx.gridIdx.get(c)).filter((g): g is number => g !== undefined);
    }
    const month = await this.months.monthFor(q.month);
    if (!month.ok) return month;
    const today = this.ctx.today();
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
      this.ctx.deps.db.prepare(`SELECT count(*) AS n FROM inspection_orders WHERE ${where}`).get(params) as {
        n: number;
      }
    ).n;
    const rows = this.ctx.deps.db
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
    const o = r.officer_id ? this.ctx.deps.ref.officers.get(r.officer_id) : undefined;
    return {
      id: orderIdOf(r.month, r.place, r.visit),
      place: r.place,
      placeType: placeTypeOf(r.kind, this.ctx.places.subkind[r.place]),
      tier: r.tier,
      gridCode: this.ctx.deps.ref.gridsByIndex[r.grid_idx].code,
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
    return this.ctx.deps.db
      .prepare(
        `SELECT * FROM inspection_orders WHERE month = ? AND grid_idx BETWEEN ? AND ?
           AND done_at IS NULL AND officer_id IS NOT NULL AND planned_day <= ? AND close_day >= ?`,
      )
      .all(month, lo, hi, today, today) as OrderSqlRow[];
  }
}
