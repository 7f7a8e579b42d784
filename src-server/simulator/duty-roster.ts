// When a simulated officer is on duty, and doing what. Dongguan's grid officers mostly work a
// day shift with a lunch break; a smaller evening squad covers the after-work peak and a night
// squad keeps watch (mostly at the station, 在岗) with a patrol at each end of the night. On
// weekends and public holidays a rota keeps part of the day shift out. Department handlers keep
// office hours plus a duty roster. Shift edges are staggered per officer so a whole city does
// not change status in the same second.
import {
  DAY_MS,
  HOUR_MS,
  MINUTE_MS,
  SHANGHAI_OFFSET_MS,
  type WorkingCalendar,
} from '../../src-shared/domain/calendar';
import type { Rng } from '../../src-shared/domain/geo';

export type ShiftKind = 'day' | 'evening' | 'night' | 'office';
/** off = 下班; patrol = 巡查; station = on duty but not walking (在岗: lunch, night watch). */
export type Duty = 'off' | 'patrol' | 'station';

export interface ShiftPlan {
  kind: ShiftKind;
  /** Stagger of this officer's shift edges (ms, may be negative). */
  offsetMs: number;
  /** 0–9: which part of the weekend rota the officer is in. */
  rota: number;
}

const H = HOUR_MS;

/** Pick a grid officer's shift: 72 % day, 20 % evening, 8 % night. */
export function gridOfficerPlan(rng: Rng): ShiftPlan {
  const u = rng.next();
  const kind: ShiftKind = u < 0.72 ? 'day' : u < 0.92 ? 'evening' : 'night';
  return { kind, offsetMs: Math.round(rng.range(-20, 20)) * MINUTE_MS, rota: rng.int(10) };
}

export function officePlan(rng: Rng): ShiftPlan {
  return { kind: 'office', offsetMs: Math.round(rng.range(-15, 15)) * MINUTE_MS, rota: rng.int(10) };
}

/** Milliseconds since local (Asia/Shanghai) midnight. */
function msOfDay(ms: number): number {
  return (((ms + SHANGHAI_OFFSET_MS) % DAY_MS) + DAY_MS) % DAY_MS;
}

/** What the officer is doing at `ms` by the roster alone (tasks and findings come on top). */
export function dutyAt(plan: ShiftPlan, ms: number, calendar: WorkingCalendar): Duty {
  const t = ms - plan.offsetMs;
  const m = msOfDay(t);
  const working = calendar.isWorkingDay(t);
  switch (plan.kind) {
    case 'day':
      // 40 % of the day squad is on the weekend/holiday rota.
      if (!working && plan.rota >= 4) return 'off';
      if (m < 8 * H || m >= 18 * H) return 'off';
      return m >= 12 * H && m < 13.5 * H ? 'station' : 'patrol';
    case 'evening':
      if (!working && plan.rota >= 6) return 'off';
      if (m < 14 * H || m >= 22 * H) return 'off';
      return m >= 17.5 * H && m < 18.5 * H ? 'station' : 'patrol';
    case 'night':
      // 20:00 → 08:00 next morning, every night: patrol at the ends, watch in between.
      if (m >= 8 * H && m < 20 * H) return 'off';
      return m >= 20 * H && m < 23.5 * H ? 'patrol' : m >= 6 * H && m < 8 * H ? 'patrol' : 'station';
    case 'office':
      // Office hours on working days; a duty roster (30 %) covers weekends and holidays 09–17.
      if (working) return m >= 8 * H && m < 20 * H ? 'station' : 'off';
      return plan.rota < 3 && m >= 9 * H && m < 17 * H ? 'station' : 'off';
  }
}

/** The first instant ≥ ms at which the officer is on duty (scans in 10-minute steps, ≤ 4 days). */
export function nextOnDuty(plan: ShiftPlan, ms: number, calendar: WorkingCalendar): number {
  const step = 10 * MINUTE_MS;
  for (let t = ms, end = ms + 4 * DAY_MS; t < end; t += step) {
    if (dutyAt(plan, t, calendar) !== 'off') return t;
  }
  return ms + 4 * DAY_MS;
}
