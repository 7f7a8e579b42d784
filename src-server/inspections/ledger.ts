// The current month's work orders as typed columns in memory (≈ 20 MB for 1.1M orders), kept in
// step with the store by every write (generation, completion), so coverage of any scope — a
// city seat's 3,000 grids or 10,000 officers — is one pass over a contiguous row range
// (milliseconds) instead of a GROUP BY over the month (seconds). The store stays the truth:
// the ledger is rebuilt from it after a restart, and the tests compare the two.
import type { CoverageFigures } from '../../src-shared/inspections/model';
import type { Db } from '../store/database';

export interface LedgerFigures extends CoverageFigures {
  key: number;
}

/** Figures of nothing counted yet. */
export function emptyFigures(): CoverageFigures {
  return {
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
  };
}

export class MonthLedger {
  readonly officerIds: string[] = [];
  private readonly officerIndex = new Map<string, number>();
  /** Rows of grid g are [gridStart[g], gridStart[g + 1]). */
  readonly gridStart: Int32Array;
  /** First row of each place (its visits follow), -1 when it has none this month. */
  private readonly placeRow: Int32Array;
  readonly place: Uint32Array;
  readonly officer: Int32Array;
  readonly due: Int32Array;
  readonly close: Int32Array;
  /** Day done, -1 when not done. */
  readonly done: Int32Array;
  readonly hazard: Uint8Array;
  private fill = 0;

  constructor(
    readonly month: number,
    readonly count: number,
    gridCount: number,
    placeCount: number,
  ) {
    this.gridStart = new Int32Array(gridCount + 1);
    this.placeRow = new Int32Array(placeCount).fill(-1);
    this.place = new Uint32Array(count);
    this.officer = new Int32Array(count);
    this.due = new Int32Array(count);
    this.close = new Int32Array(count);
    this.done = new Int32Array(count).fill(-1);
    this.hazard = new Uint8Array(count);
  }

  /** Append the next row; rows must come in key order (grid, place, visit). */
  push(
    grid: number,
    place: number,
    visit: number,
    officerId: string | null,
    due: number,
    close: number,
    doneDay: number | null,
    hazard: number | null,
  ): void {
    const k = this.fill++;
    if (visit === 1) this.placeRow[place] = k;
    this.gridStart[grid + 1] = k + 1;
    let o = -1;
    if (officerId !== null) {
      o = this.officerIndex.get(officerId) ?? -1;
      if (o < 0) {
        o = this.officerIds.length;
        this.officerIds.push(officerId);
        this.officerIndex.set(officerId, o);
      }
    }
    this.place[k] = place;
    this.officer[k] = o;
    this.due[k] = due;
    this.close[k] = close;
    this.done[k] = doneDay ?? -1;
    this.hazard[k] = hazard === 1 ? 1 : 0;
  }

  /** Close the row ranges of grids with no orders (call once every row is pushed). */
  seal(): void {
    if (this.fill !== this.count)
      throw new Error(`ledger of ${this.month}: ${this.fill} of ${this.count} rows`);
    for (let g = 1; g < this.gridStart.length; g++)
      if (this.gridStart[g] < this.gridStart[g - 1]) this.gridStart[g] = this.gridStart[g - 1];
  }

  markDone(place: number, visit: number, day: number, hazard: boolean): void {
    const first = this.placeRow[place];
    if (first < 0) return;
    this.done[first + visit - 1] = day;
    this.hazard[first + visit - 1] = hazard ? 1 : 0;
  }

  /** Figures of grids [lo, hi], grouped per grid or per officer (officer index; -1 = nobody). */
  figures(lo: number, hi: number, by: 'grid' | 'officer', today: number): Map<number, CoverageFigures> {
    const out = new Map<number, CoverageFigures>();
    for (let g = lo; g <= hi; g++) {
      let f: CoverageFigures | null = null;
      for (let k = this.gridStart[g]; k < this.gridStart[g + 1]; k++) {
        const key = by === 'grid' ? g : this.officer[k];
        if (by === 'officer' || f === null) {
          f = out.get(key) ?? null;
          if (!f) {
            f = emptyFigures();
            out.set(key, f);
          }
        }
        f.planned++;
        const due = this.due[k];
        const done = this.done[k];
        if (due <= today) f.due++;
        if (done >= 0) {
          f.done++;
          if (due <= today) f.dueDone++;
          if (done > due) f.late++;
          else f.onTime++;
          if (this.hazard[k] === 1) f.hazards++;
        } else if (this.close[k] < today) f.missed++;
        else if (due <= today) {
          f.dueOpen++;
          if (due < today) f.overdue++;
        }
      }
    }
    for (const f of out.values()) f.hazardRate = f.done > 0 ? f.hazards / f.done : null;
    return out;
  }

  /** Places of grids [lo, hi] with an open order past its due day, and with a missed one. */
  flags(lo: number, hi: number, today: number): { overdue: number[]; missed: number[] } {
    const overdue = new Set<number>();
    const missed = new Set<number>();
    for (let k = this.gridStart[lo]; k < this.gridStart[hi + 1]; k++) {
      if (this.done[k] >= 0) continue;
      if (this.close[k] < today) missed.add(this.place[k]);
      else if (this.due[k] < today) overdue.add(this.place[k]);
    }
    return { overdue: [...overdue], missed: [...missed] };
  }

  /**
   * Fill from the store (after a restart), in grid slices with the event loop free between. The
   * ledger may be marked meanwhile: a place not yet read is skipped by markDone, and its row is
   * read afterwards with the completion in it.
   */
  async fillFrom(db: Db, gridCount: number): Promise<void> {
    const stmt = db
      .prepare(
        `SELECT grid_idx, place, visit, officer_id, due_day, close_day, done_day, hazard FROM inspection_orders
         WHERE month = ? AND grid_idx BETWEEN ? AND ?`,
      )
      .raw(true);
    const step = 50; // ≈ 20k rows a slice
    for (let lo = 0; lo < gridCount; lo += step) {
      if (!db.open) return;
      for (const r of stmt.iterate(this.month, lo, Math.min(gridCount, lo + step) - 1) as Iterable<
        [number, number, number, string | null, number, number, number | null, number | null]
      >)
        this.push(r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7]);
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    this.seal();
  }
}
