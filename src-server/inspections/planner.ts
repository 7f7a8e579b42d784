// Monthly work-order planning for managed places. Pure and deterministic: the same
// places, officers, settings and calendar give the same orders, so a month can be regenerated
// after a crash and tests can check every figure.
//
// Rules:
// - A place gets exactly `visitsPerMonth(tier/subkind)` orders in a month.
// - The month's working days (Asia/Shanghai calendar: Mon–Fri minus holidays, plus 调休 make-up
//   days) are cut into that many equal windows; visit k must be done in window k. Its due day is
//   the window's last working day; it closes (becomes missed when not done) `graceWorkingDays`
//   working days later, capped at the month's last working day.
// - All visits of a place go to one of its grid's grid officers: the one with the fewest orders
//   so far (ties: the lowest id). Places with the most visits are placed first.
// - Within its window a visit is planned on the officer's least loaded working day (ties: the
//   first from a per-place rotating start), so every officer's days stay within one or two
//   orders of each other and the city's load is flat across the month's working days.
import { civilFromDays, daysFromCivil, type WorkingCalendar } from '../../src-shared/domain/calendar';
import { TIER_NONE, type InspectionSettings } from '../../src-shared/inspections/model';
import { visitsPerMonth } from '../../src-shared/inspections/place-status';

export interface PlannerPlaces {
  rowCount: number;
  grid: ArrayLike<number>;
  kind: ArrayLike<number>;
  tier: ArrayLike<number>;
  subkind: ArrayLike<number>;
}

export interface MonthDays {
  /** yyyymm */
  key: number;
  /** Shanghai day numbers of the month's first and last calendar day. */
  first: number;
  last: number;
  /** The month's working days (day numbers, ascending). */
  working: number[];
}

export function monthDays(calendar: WorkingCalendar, key: number): MonthDays {
  const year = Math.floor(key / 100);
  const month = key % 100;
  const first = daysFromCivil(year, month, 1);
  const last = (month === 12 ? daysFromCivil(year + 1, 1, 1) : daysFromCivil(year, month + 1, 1)) - 1;
  const working: number[] = [];
  for (let d = first; d <= last; d++) if (calendar.isWorkingDayIndex(d)) working.push(d);
  return { key, first, last, working };
}

/** The month (yyyymm) of a Shanghai day number. */
export function monthOfDay(day: number): number {
  const c = civilFromDays(day);
  return c.year * 100 + c.month;
}

export function previousMonth(key: number, back = 1): number {
  let y = Math.floor(key / 100);
  let m = (key % 100) - back;
  while (m < 1) {
    m += 12;
    y--;
  }
  return y * 100 + m;
}

export interface PlannedOrders {
  count: number;
  /** Sorted by (grid, place, visit): the store's key order. */
  place: Uint32Array;
  grid: Uint16Array;
  /** 1-based visit number and the place's visits this month. */
  visit: Uint8Array;
  visits: Uint8Array;
  kind: Uint8Array;
  tier: Uint8Array;
  /** Index into `officerIds`, -1 when the grid has no grid officer. */
  officer: Int32Array;
  planned: Int32Array;
  due: Int32Array;
  close: Int32Array;
  officerIds: string[];
}

export interface PlanInput {
  places: PlannerPlaces;
  /** Grid count (grid column values are < gridCount). */
  gridCount: number;
  month: MonthDays;
  settings: InspectionSettings;
  /** Grid officers of each grid index, sorted by id (empty or undefined: nobody). */
  officersByGrid: readonly (readonly string[] | undefined)[];
  /** Approved re-grading: the tier a place has now, when it differs from the dataset's. */
  tierOverride?: ReadonlyMap<number, number>;
}

/** Plan a month in one go. */
export function planMonth(input: PlanInput): PlannedOrders {
  const steps = planMonthSteps(input);
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
  }
}

/** Grids planned between two yields of planMonthSteps. */
const GRIDS_PER_STEP = 64;

/** The same plan in steps (a yield every GRIDS_PER_STEP grids), so a server can breathe between them. */
export function* planMonthSteps(input: PlanInput): Generator<void, PlannedOrders, void> {
  const { places, gridCount, month, settings, officersByGrid } = input;
  const n = places.rowCount;
  const W = month.working.length;
  if (W === 0) throw new Error(`month ${month.key} has no working day`);

  const tierOf = (i: number): number => input.tierOverride?.get(i) ?? places.tier[i];
  const freq = new Uint8Array(n);
  let total = 0;
  for (let i = 0; i < n; i++) {
    const f = visitsPerMonth(tierOf(i), places.subkind[i], settings);
    freq[i] = f;
    total += f;
  }

  // Counting sort of places by grid (dataset order within a grid).
  const gridStart = new Uint32Array(gridCount + 1);
  for (let i = 0; i < n; i++) gridStart[places.grid[i] + 1]++;
  for (let g = 0; g < gridCount; g++) gridStart[g + 1] += gridStart[g];
  const fill = gridStart.slice(0, gridCount);
  const byGrid = new Uint32Array(n);
  for (let i = 0; i < n; i++) byGrid[fill[places.grid[i]]++] = i;

  const officerIds: string[] = [];
  const officerIndex = new Map<string, number>();
  const out: PlannedOrders = {
    count: total,
    place: new Uint32Array(total),
    grid: new Uint16Array(total),
    visit: new Uint8Array(total),
    visits: new Uint8Array(total),
    kind: new Uint8Array(total),
    tier: new Uint8Array(total),
    officer: new Int32Array(total),
    planned: new Int32Array(total),
    due: new Int32Array(total),
    close: new Int32Array(total),
    officerIds,
  };

  // Window bounds per visit count (1..8): [start, end) in working-day positions.
  const windows: { start: number; end: number }[][] = [];
  for (let f = 0; f <= 8; f++) {
    const list: { start: number; end: number }[] = [];
    for (let v = 0; v < f; v++) {
      if (f <= W) list.push({ start: Math.floor((v * W) / f), end: Math.floor(((v + 1) * W) / f) });
      else list.push({ start: v % W, end: (v % W) + 1 });
    }
    windows.push(list);
  }
  const grace = settings.graceWorkingDays;

  let k = 0;
  for (let g = 0; g < gridCount; g++) {
    if (g > 0 && g % GRIDS_PER_STEP === 0) yield;
    const from = gridStart[g];
    const to = gridStart[g + 1];
    if (from === to) continue;
    const officers = officersByGrid[g] ?? [];
    const slots = Math.max(1, officers.length); // nobody: one "unassigned" slot, still balanced
    const totals = new Int32Array(slots);
    const load = new Int32Array(slots * W);
    // Places with the most visits first (narrowest windows), stable by dataset order.
    const order = Array.from(byGrid.subarray(from, to));
    order.sort((a, b) => freq[b] - freq[a] || a - b);
    const slotOf = new Map<number, number>();
    const dayOf = new Map<number, number[]>();
    for (const p of order) {
      const f = freq[p];
      if (f === 0) continue;
      let s = 0;
      for (let j = 1; j < slots; j++) if (totals[j] < totals[s]) s = j;
      totals[s] += f;
      slotOf.set(p, s);
      const days: number[] = [];
      for (const w of windows[f]) {
        const len = w.end - w.start;
        const rot = p % len;
        let best = -1;
        let bestLoad = Infinity;
        for (let t = 0; t < len; t++) {
          const d = w.start + ((rot + t) % len);
          const l = load[s * W + d];
          if (l < bestLoad) {
            bestLoad = l;
            best = d;
          }
        }
        load[s * W + best]++;
        days.push(best);
      }
      dayOf.set(p, days);
    }
    // Emit in key order: by place (dataset order within the grid), then visit.
    for (let r = from; r < to; r++) {
      const p = byGrid[r];
      const f = freq[p];
      if (f === 0) continue;
      const s = slotOf.get(p) ?? 0;
      let oi = -1;
      if (officers.length > 0) {
        const id = officers[s];
        oi = officerIndex.get(id) ?? -1;
        if (oi < 0) {
          oi = officerIds.length;
          officerIds.push(id);
          officerIndex.set(id, oi);
        }
      }
      const days = dayOf.get(p)!;
      const ws = windows[f];
      for (let v = 0; v < f; v++) {
        out.place[k] = p;
        out.grid[k] = g;
        out.visit[k] = v + 1;
        out.visits[k] = f;
        out.kind[k] = places.kind[p];
        out.tier[k] = places.kind[p] === 0 ? tierOf(p) : TIER_NONE;
        out.officer[k] = oi;
        out.planned[k] = month.working[days[v]];
        const dueAt = ws[v].end - 1;
        out.due[k] = month.working[dueAt];
        out.close[k] = month.working[Math.min(dueAt + grace, W - 1)];
        k++;
      }
    }
  }
  if (k !== total) throw new Error(`planned ${k} orders, expected ${total}`);
  return out;
}
