// Tier re-grading (part of the inspection service): a rental whose recent visits call for a
// stricter tier (hazards) or a more lenient one (a long clean record) gets a proposal; leaders and
// village operators read and decide the proposals of their area, and an approved tier applies
// from the next month generated.
import { shanghaiDayIndex } from '../../src-shared/domain/calendar';
import {
  tierName,
  type RegradeDecision,
  type RegradeRow,
  type RegradesAnswer,
  type RegradesQuery,
} from '../../src-shared/inspections/model';
import { err, ok, type Result } from '../../src-shared/util/result';
import type { User } from '../auth/seats';
import { DECIDE_ROLES, canRead, inScope, type InspectionContext } from './inspection-context';
import { monthOfDay, previousMonth } from './planner';
import { proposeRegrade, type VisitRecord } from './rules';

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

export class Regrades {
  constructor(private readonly ctx: InspectionContext) {}

  /**
   * After a backfill: the rentals whose recent history already calls for a re-grade. `hazardsNow`
   * holds the hazards of `month` counted while writing it (null: read them from the store too).
   */
  proposeFromHistory(month: number, hazardsNow: Uint8Array | null): void {
    const rules = this.ctx.settings.regrade;
    const hazards = hazardsNow ? Uint8Array.from(hazardsNow) : new Uint8Array(this.ctx.places.rowCount);
    const rows = this.ctx.deps.db
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

  /** A place's visits over the months the rules look at (one key seek per month). */
  placeHistory(place: number, month: number): VisitRecord[] {
    const rules = this.ctx.settings.regrade;
    const span = Math.max(rules.windowMonths, rules.lenientMinMonths + 1);
    const stmt = this.ctx.deps.db.prepare(
      'SELECT done_day, hazard FROM inspection_orders WHERE month = ? AND grid_idx = ? AND place = ?',
    );
    const out: VisitRecord[] = [];
    for (let b = 0; b < span; b++) {
      const m = previousMonth(month, b);
      for (const r of stmt.all(m, this.ctx.places.grid[place], place) as {
        done_day: number | null;
        hazard: number | null;
      }[])
        out.push({ month: m, doneDay: r.done_day, hazard: r.hazard === null ? null : r.hazard === 1 });
    }
    return out;
  }

  /** Propose a re-grade for a rental when its history calls for one and none is pending. */
  evaluateRegrade(place: number, month: number): number | null {
    if (this.ctx.places.kind[place] !== 0) return null;
    const tier = this.ctx.tierOf(place);
    const proposal = proposeRegrade(tier, month, this.placeHistory(place, month), this.ctx.settings.regrade);
    if (!proposal) return null;
    const grid = this.ctx.places.grid[place];
    const info = this.ctx.deps.db
      .prepare(
        `INSERT OR IGNORE INTO inspection_regrades (place, grid_idx, grid_code, from_tier, to_tier, hazards,
           clean_visits, reason, proposed_at, status) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'pending')`,
      )
      .run(
        place,
        grid,
        this.ctx.deps.ref.gridsByIndex[grid].code,
        tier,
        proposal.toTier,
        proposal.hazards,
        proposal.cleanVisits,
        proposal.reason,
        this.ctx.deps.now(),
      );
    return info.changes > 0 ? Number(info.lastInsertRowid) : null;
  }

  private toRegradeRow(r: RegradeSqlRow): RegradeRow {
    const g = this.ctx.deps.ref.grids.get(r.grid_code);
    return {
      id: r.id,
      place: r.place,
      gridCode: r.grid_code,
      gridName: g ? this.ctx.gridName(g.code) : r.grid_code,
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

  list(user: User, q: RegradesQuery): Result<RegradesAnswer> {
    const allowed = canRead(user);
    if (!allowed.ok) return allowed;
    const like = `${user.scopeCode}%`;
    const total = (
      this.ctx.deps.db
        .prepare('SELECT count(*) AS n FROM inspection_regrades WHERE status = ? AND grid_code LIKE ?')
        .get(q.status, like) as { n: number }
    ).n;
    const order = q.status === 'pending' ? 'id ASC' : 'decided_at DESC, id DESC';
    const rows = this.ctx.deps.db
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
    const { db, now } = this.ctx.deps;
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
