// Pure rules of the inspections feature (issue 9): what a simulated officer does with an order
// (deterministic per order, so a restart replays the same month), which category a hazard is
// reported under, and when a place's tier should be re-graded.
import type { WorkingCalendar } from '../../src-shared/domain/calendar';
import type { InspectionSettings, PlaceType } from '../../src-shared/inspections/model';

/** Dongguan: 9.58 % of ≈ 8M periodic inspection work orders since 2022 found a hazard. */
export const HAZARD_RATE = 0.0958;
/**
 * Share of the simulated officers' hazards reported as a case for the desks (源 inspection); the
 * rest are put right during the visit (当场整改) and recorded on the work order only — its
 * hazard still counts for 隐患率 and re-grading. Calibrated to the history's volume: the demo
 * city plans ≈ 1.14M visits a month (≈ 49,500 a working day → ≈ 4,750 hazards), while the
 * history has inspection reports at 4 % of ≈ 6,850 a day, ≈ 285 of them dispatched per working
 * day: 285 / 4,750 ≈ 6 %. Reporting every hazard added ≈ 4,700 dispatched cases a working day to
 * the live world and more than doubled its open workload within a day (bench/demo-world).
 */
export const HAZARD_CASE_SHARE = 0.06;
/** Simulated behaviour: done a few working days after the due day (late, if still open) … */
export const LATE_RATE = 0.05;
/** … or never done (missed). The rest are done on their planned day. */
export const MISS_RATE = 0.03;

/** 32-bit mix (murmur3 finaliser) of a few integers → uniform in [0, 1). */
export function unit(a: number, b: number, c: number, salt: number): number {
  let h = Math.imul(a ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(b + 0x7f4a7c15, 0xc2b2ae35);
  h ^= Math.imul(c + salt * 0x27d4eb2f, 0x165667b1);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return (h >>> 0) / 4_294_967_296;
}

export interface OrderFate {
  /** Shanghai day the officer does it, null = never (missed). */
  doDay: number | null;
  /** Share of that day's working hours that has passed when it is done, [0, 1). */
  slot: number;
  hazard: boolean;
  /** The hazard is reported as a case (HAZARD_CASE_SHARE), not put right during the visit. */
  reportCase: boolean;
  /** A uniform draw for picking the hazard's category. */
  pick: number;
}

export function addWorkingDays(calendar: WorkingCalendar, day: number, n: number): number {
  let d = day;
  let left = n;
  while (left > 0) {
    d++;
    if (calendar.isWorkingDayIndex(d)) left--;
  }
  return d;
}

/** What the simulated officer does with order (month, place, visit). */
export function orderFate(
  calendar: WorkingCalendar,
  month: number,
  place: number,
  visit: number,
  plannedDay: number,
  dueDay: number,
): OrderFate {
  const u = unit(month, place, visit, 1);
  const slot = unit(month, place, visit, 2);
  const hazard = unit(month, place, visit, 3) < HAZARD_RATE;
  const pick = unit(month, place, visit, 4);
  let doDay: number | null = plannedDay;
  if (u < MISS_RATE) doDay = null;
  else if (u < MISS_RATE + LATE_RATE)
    doDay = addWorkingDays(calendar, dueDay, 1 + Math.floor(unit(month, place, visit, 5) * 3));
  const reportCase = hazard && unit(month, place, visit, 6) < HAZARD_CASE_SHARE;
  return { doDay, slot, hazard, reportCase, pick };
}

/** The place type of a dataset row: rentals, or the venue's subkind. */
export function placeTypeOf(kind: number, subkind: number): PlaceType {
  if (kind === 0) return 'rental';
  return subkind === 1 ? 'eatery' : subkind === 2 ? 'entertainment' : 'shop';
}

/**
 * The category a hazard is reported under: the place type's list, weighted towards the front
 * (weights n, n-1, …, 1: fire safety first). Banned buildings (tier 3) found rented out report
 * 05005 when the list has it; other tiers never do.
 */
export function hazardCategory(
  settings: InspectionSettings,
  type: PlaceType,
  tier: number,
  pick: number,
): string {
  const list = settings.hazardCategories[type].filter((c) => c !== '05005' || tier === 3);
  const n = list.length;
  const total = (n * (n + 1)) / 2;
  let u = pick * total;
  for (let i = 0; i < n; i++) {
    u -= n - i;
    if (u < 0) return list[i];
  }
  return list[n - 1];
}

export interface VisitRecord {
  /** yyyymm */
  month: number;
  doneDay: number | null;
  hazard: boolean | null;
}

export interface RegradeProposal {
  toTier: number;
  direction: 'stricter' | 'lenient';
  hazards: number;
  cleanVisits: number;
  reason: string;
}

function monthsBetween(a: number, b: number): number {
  return (Math.floor(b / 100) - Math.floor(a / 100)) * 12 + ((b % 100) - (a % 100));
}

/**
 * Re-grading of a rental (tier 0 lenient … 3 banned) from its recent visits:
 * - ≥ `stricterHazards` hazards in the last `windowMonths` months (current included) → one tier
 *   stricter (none above banned);
 * - the last `lenientCleanVisits` visits done all clean, spanning ≥ `lenientMinMonths` months,
 *   and no hazard in the window → one tier more lenient (none below lenient).
 * Visits not done do not count either way. Null when neither applies.
 */
export function proposeRegrade(
  tier: number,
  currentMonth: number,
  visits: readonly VisitRecord[],
  rules: InspectionSettings['regrade'],
): RegradeProposal | null {
  if (tier < 0 || tier > 3) return null;
  const done = visits
    .filter((v) => v.doneDay !== null)
    .sort((a, b) => (b.doneDay as number) - (a.doneDay as number));
  const inWindow = done.filter((v) => monthsBetween(v.month, currentMonth) < rules.windowMonths);
  const hazards = inWindow.filter((v) => v.hazard).length;
  let streak = 0;
  const months = new Set<number>();
  for (const v of done) {
    if (v.hazard) break;
    streak++;
    months.add(v.month);
  }
  if (hazards >= rules.stricterHazards && tier < 3) {
    return {
      toTier: tier + 1,
      direction: 'stricter',
      hazards,
      cleanVisits: streak,
      reason: `${hazards} hazards in the last ${rules.windowMonths} months`,
    };
  }
  if (
    hazards === 0 &&
    tier > 0 &&
    streak >= rules.lenientCleanVisits &&
    months.size >= rules.lenientMinMonths
  ) {
    return {
      toTier: tier - 1,
      direction: 'lenient',
      hazards,
      cleanVisits: streak,
      reason: `${streak} clean visits in a row over ${months.size} months`,
    };
  }
  return null;
}
