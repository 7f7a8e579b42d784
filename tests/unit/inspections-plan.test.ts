// Monthly work-order planning (issue 9): exact visit counts per tier, only working days of the
// Asia/Shanghai calendar (holidays out, 调休 make-up days in), windows in visit order, an even
// spread per officer and per day, round-robin by load over the grid's officers, determinism.
import { describe, expect, it } from 'vitest';
import { daysFromCivil, defaultCalendar, dayOfWeek } from '../../src-shared/domain/calendar';
import { DEFAULT_INSPECTION_SETTINGS, TIER_NONE } from '../../src-shared/inspections/model';
import { monthDays, planMonth, type PlannerPlaces } from '../../src-server/inspections/planner';
import { createRng } from '../../src-shared/domain/geo';

const calendar = defaultCalendar();

/** A synthetic city: `grids` grids of 150–450 places, Dongguan's tier mix, 60 % venues. */
function synthPlaces(grids: number, seed: string): PlannerPlaces & { n: number } {
  const rng = createRng(seed);
  const grid: number[] = [];
  const kind: number[] = [];
  const tier: number[] = [];
  const subkind: number[] = [];
  for (let g = 0; g < grids; g++) {
    const count = 150 + Math.floor(rng.next() * 300);
    for (let i = 0; i < count; i++) {
      grid.push(g);
      if (rng.next() < 0.4) {
        const u = rng.next();
        kind.push(0);
        tier.push(u < 0.7 ? 0 : u < 0.88 ? 1 : u < 0.98 ? 2 : 3);
        subkind.push(255);
      } else {
        kind.push(1);
        tier.push(TIER_NONE);
        subkind.push(Math.floor(rng.next() * 3));
      }
    }
  }
  // Places of a grid need not be contiguous: shuffle a little (the planner sorts by grid itself).
  return {
    n: grid.length,
    rowCount: grid.length,
    grid: Uint16Array.from(grid),
    kind: Uint8Array.from(kind),
    tier: Uint8Array.from(tier),
    subkind: Uint8Array.from(subkind),
  };
}

function officers(grids: number, perGrid: (g: number) => number): string[][] {
  return Array.from({ length: grids }, (_, g) =>
    Array.from({ length: perGrid(g) }, (_, k) => `OF${String(g * 10 + k).padStart(5, '0')}`),
  );
}

const day = (y: number, m: number, d: number): number => daysFromCivil(y, m, d);

describe('monthDays', () => {
  it('October 2025: National Day 1–8 off, Saturday 11 a make-up working day (调休)', () => {
    const m = monthDays(calendar, 202510);
    expect(m.first).toBe(day(2025, 10, 1));
    expect(m.last).toBe(day(2025, 10, 31));
    for (let d = 1; d <= 8; d++) expect(m.working).not.toContain(day(2025, 10, d));
    expect(m.working).toContain(day(2025, 10, 11));
    expect(dayOfWeek(day(2025, 10, 11))).toBe(6);
    // 23 weekdays, 6 of them in the holiday (1–3, 6–8), plus the make-up Saturday.
    expect(m.working).toHaveLength(18);
  });

  it('September 2025 has the make-up Sunday the 28th; February 2026 keeps its Spring Festival out', () => {
    expect(monthDays(calendar, 202509).working).toContain(day(2025, 9, 28));
    const feb = monthDays(calendar, 202602).working;
    for (const w of feb) expect(calendar.isWorkingDayIndex(w)).toBe(true);
    expect(feb.length).toBeLessThan(20);
  });
});

describe('planMonth', () => {
  const places = synthPlaces(60, 'inspections-plan');
  const byGrid = officers(60, (g) => (g === 7 ? 0 : 1 + (g % 4)));
  const month = monthDays(calendar, 202510);
  const plan = planMonth({
    places,
    gridCount: 60,
    month,
    settings: DEFAULT_INSPECTION_SETTINGS,
    officersByGrid: byGrid,
  });
  const expectedVisits = (i: number): number => (places.kind[i] === 0 ? [1, 2, 3, 4][places.tier[i]] : 1);

  it('gives every place exactly its tier frequency of orders', () => {
    const count = new Uint8Array(places.n);
    for (let k = 0; k < plan.count; k++) count[plan.place[k]]++;
    let expectedTotal = 0;
    for (let i = 0; i < places.n; i++) {
      expect(count[i], `place ${i}`).toBe(expectedVisits(i));
      expectedTotal += expectedVisits(i);
    }
    expect(plan.count).toBe(expectedTotal);
    // The four tiers are all there (the test would be weak otherwise).
    const tiers = new Set<number>();
    for (let i = 0; i < places.n; i++) if (places.kind[i] === 0) tiers.add(places.tier[i]);
    expect([...tiers].sort()).toEqual([0, 1, 2, 3]);
  });

  it('plans, dues and closes only on working days, with the make-up Saturday used', () => {
    const working = new Set(month.working);
    const used = new Set<number>();
    for (let k = 0; k < plan.count; k++) {
      expect(working.has(plan.planned[k])).toBe(true);
      expect(working.has(plan.due[k])).toBe(true);
      expect(working.has(plan.close[k])).toBe(true);
      expect(plan.planned[k]).toBeLessThanOrEqual(plan.due[k]);
      expect(plan.due[k]).toBeLessThanOrEqual(plan.close[k]);
      used.add(plan.planned[k]);
    }
    expect(used.has(day(2025, 10, 11))).toBe(true);
    expect(used.size).toBe(month.working.length);
  });

  it('puts a place’s visits in consecutive windows, in visit order, with the grace capped at month end', () => {
    const pos = new Map(month.working.map((d, i) => [d, i]));
    for (let k = 0; k < plan.count; k++) {
      const v = plan.visit[k];
      if (v > 1) {
        expect(plan.place[k - 1]).toBe(plan.place[k]);
        expect(plan.visit[k - 1]).toBe(v - 1);
        // The next visit's window starts after the previous one's due day.
        expect(plan.planned[k]).toBeGreaterThan(plan.due[k - 1]);
      }
      const due = pos.get(plan.due[k])!;
      expect(pos.get(plan.close[k])).toBe(Math.min(due + DEFAULT_INSPECTION_SETTINGS.graceWorkingDays, 17));
    }
    // The last visit of any place is due on the month's last working day.
    for (let k = 0; k < plan.count; k++)
      if (plan.visit[k] === plan.visits[k]) expect(plan.due[k]).toBe(month.working[17]);
  });

  it('spreads the load evenly over the working days, per officer and for the city', () => {
    const W = month.working.length;
    const pos = new Map(month.working.map((d, i) => [d, i]));
    const perOfficer = new Map<number, number[]>();
    const perDay = new Array<number>(W).fill(0);
    for (let k = 0; k < plan.count; k++) {
      const d = pos.get(plan.planned[k])!;
      perDay[d]++;
      if (plan.officer[k] < 0) continue;
      const list = perOfficer.get(plan.officer[k]) ?? new Array<number>(W).fill(0);
      list[d]++;
      perOfficer.set(plan.officer[k], list);
    }
    let worst = 0;
    for (const list of perOfficer.values()) worst = Math.max(worst, Math.max(...list) - Math.min(...list));
    expect(worst).toBeLessThanOrEqual(1);
    // The city's day is the sum of its officers' days (plus the one unassigned grid), each within
    // one order of flat: so within one order per officer of flat too.
    const mean = plan.count / W;
    const spread = Math.max(...perDay) - Math.min(...perDay);
    expect(spread).toBeLessThanOrEqual(perOfficer.size + 1);
    expect(spread / mean).toBeLessThan(0.15);
  });

  it('assigns a place’s visits to one officer of its grid, balancing their totals; none when the grid has nobody', () => {
    const totals = new Map<string, number>();
    const officerOfPlace = new Map<number, number>();
    for (let k = 0; k < plan.count; k++) {
      const p = plan.place[k];
      const g = places.grid[p];
      const o = plan.officer[k];
      if (g === 7) {
        expect(o).toBe(-1);
        continue;
      }
      const id = plan.officerIds[o];
      expect(byGrid[g]).toContain(id);
      const prior = officerOfPlace.get(p);
      if (prior !== undefined) expect(prior).toBe(o);
      officerOfPlace.set(p, o);
      totals.set(id, (totals.get(id) ?? 0) + 1);
    }
    for (let g = 0; g < 60; g++) {
      if (byGrid[g].length < 2) continue;
      const t = byGrid[g].map((id) => totals.get(id) ?? 0);
      // Greedy by load: totals differ by at most one place's visits (≤ 4).
      expect(Math.max(...t) - Math.min(...t)).toBeLessThanOrEqual(4);
    }
  });

  it('is deterministic, and follows the settings and approved tier overrides', () => {
    const again = planMonth({
      places,
      gridCount: 60,
      month,
      settings: DEFAULT_INSPECTION_SETTINGS,
      officersByGrid: byGrid,
    });
    expect(Buffer.from(again.planned.buffer).equals(Buffer.from(plan.planned.buffer))).toBe(true);
    expect(Buffer.from(again.officer.buffer).equals(Buffer.from(plan.officer.buffer))).toBe(true);

    const lenientRental = Array.from({ length: places.n }, (_, i) => i).find(
      (i) => places.kind[i] === 0 && places.tier[i] === 0,
    )!;
    const custom = planMonth({
      places,
      gridCount: 60,
      month,
      settings: {
        ...DEFAULT_INSPECTION_SETTINGS,
        smallVenueVisitsPerMonth: { shop: 2, eatery: 0, entertainment: 4 },
      },
      officersByGrid: byGrid,
      tierOverride: new Map([[lenientRental, 3]]),
    });
    const count = new Uint8Array(places.n);
    for (let k = 0; k < custom.count; k++) count[custom.place[k]]++;
    for (let i = 0; i < places.n; i++) {
      const want =
        i === lenientRental ? 4 : places.kind[i] === 0 ? expectedVisits(i) : [2, 0, 4][places.subkind[i]];
      expect(count[i]).toBe(want);
    }
  });
});
