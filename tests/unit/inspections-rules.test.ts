// Inspection rules (issue 9): re-grading after repeated hazards or a long clean record, the
// hazard category per place type, the simulated officers' behaviour rates, the map status.
import { describe, expect, it } from 'vitest';
import { daysFromCivil, defaultCalendar } from '../../src-shared/domain/calendar';
import { DEFAULT_INSPECTION_SETTINGS } from '../../src-shared/inspections/model';
import {
  PLACE_STATUS_DUE,
  PLACE_STATUS_NEVER,
  PLACE_STATUS_OVERDUE,
  PLACE_STATUS_RECENT,
  placeStatusCode,
  placeStatusColour,
  placeStatusColumn,
} from '../../src-shared/inspections/place-status';
import {
  HAZARD_RATE,
  hazardCategory,
  orderFate,
  proposeRegrade,
  type VisitRecord,
} from '../../src-server/inspections/rules';
import { PLACE_COLORS } from '../../src-shared/map/palette';

const rules = DEFAULT_INSPECTION_SETTINGS.regrade;
const d = (m: string, day: number): number => daysFromCivil(Number(m.slice(0, 4)), Number(m.slice(4)), day);
const visit = (month: number, day: number | null, hazard: boolean | null): VisitRecord => ({
  month,
  doneDay: day === null ? null : d(String(month), day),
  hazard,
});

describe('proposeRegrade', () => {
  it('two hazards within three months make a warning rental strict', () => {
    const p = proposeRegrade(
      1,
      202611,
      [visit(202609, 10, true), visit(202611, 5, true), visit(202610, 3, false)],
      rules,
    );
    expect(p).toMatchObject({ toTier: 2, direction: 'stricter', hazards: 2 });
  });

  it('one hazard is not enough, nor are hazards older than the window, nor visits not done', () => {
    expect(proposeRegrade(1, 202611, [visit(202611, 5, true), visit(202611, 20, false)], rules)).toBeNull();
    expect(proposeRegrade(1, 202611, [visit(202608, 5, true), visit(202611, 5, true)], rules)).toBeNull();
    expect(proposeRegrade(1, 202611, [visit(202611, null, null), visit(202611, 5, true)], rules)).toBeNull();
  });

  it('nothing is stricter than banned, nothing more lenient than lenient', () => {
    expect(proposeRegrade(3, 202611, [visit(202611, 3, true), visit(202611, 9, true)], rules)).toBeNull();
    const clean = [202609, 202610, 202611].flatMap((m) => [visit(m, 4, false), visit(m, 18, false)]);
    expect(proposeRegrade(0, 202611, clean, rules)).toBeNull();
  });

  it('six clean visits in a row over three months make a strict rental warning', () => {
    const clean = [202609, 202610, 202611].flatMap((m) => [visit(m, 4, false), visit(m, 18, false)]);
    expect(proposeRegrade(2, 202611, clean, rules)).toMatchObject({
      toTier: 1,
      direction: 'lenient',
      cleanVisits: 6,
    });
  });

  it('a clean streak broken by a hazard, or within too few months, proposes nothing', () => {
    const broken = [
      visit(202609, 4, false),
      visit(202609, 18, false),
      visit(202610, 4, true),
      visit(202610, 18, false),
      visit(202611, 4, false),
      visit(202611, 18, false),
    ];
    expect(proposeRegrade(2, 202611, broken, rules)).toBeNull();
    const twoMonths = [202610, 202611].flatMap((m) => [
      visit(m, 2, false),
      visit(m, 9, false),
      visit(m, 20, false),
    ]);
    expect(proposeRegrade(2, 202611, twoMonths, rules)).toBeNull();
  });
});

describe('hazardCategory', () => {
  it('reports rentals under 出租屋管理 (05) and venues under 三小场所 (14), fire safety most often', () => {
    const seen = new Map<string, number>();
    for (let i = 0; i < 1000; i++) {
      const c = hazardCategory(DEFAULT_INSPECTION_SETTINGS, 'rental', 1, i / 1000);
      expect(c.slice(0, 2)).toBe('05');
      expect(c).not.toBe('05005'); // only banned buildings are "rented out against the ban"
      seen.set(c, (seen.get(c) ?? 0) + 1);
    }
    expect(Math.max(...seen.values())).toBe(seen.get('05003'));
    expect(hazardCategory(DEFAULT_INSPECTION_SETTINGS, 'rental', 3, 0.999)).toBe('05005');
    for (const type of ['shop', 'eatery', 'entertainment'] as const)
      for (let i = 0; i < 50; i++)
        expect(hazardCategory(DEFAULT_INSPECTION_SETTINGS, type, 255, i / 50).slice(0, 2)).toBe('14');
    expect(hazardCategory(DEFAULT_INSPECTION_SETTINGS, 'eatery', 255, 0)).toBe('14001');
  });
});

describe('orderFate', () => {
  it('finds hazards at ≈ 9.58 %, misses ≈ 3 %, is late ≈ 5 % and is the same every time', () => {
    const calendar = defaultCalendar();
    const planned = d('202611', 10);
    const due = d('202611', 16);
    let hazards = 0;
    let missed = 0;
    let late = 0;
    const n = 60_000;
    for (let p = 0; p < n; p++) {
      const f = orderFate(calendar, 202611, p, 1 + (p % 3), planned, due);
      if (f.hazard) hazards++;
      if (f.doDay === null) missed++;
      else if (f.doDay > due) {
        late++;
        expect(calendar.isWorkingDayIndex(f.doDay)).toBe(true);
      } else expect(f.doDay).toBe(planned);
      expect(orderFate(calendar, 202611, p, 1 + (p % 3), planned, due)).toEqual(f);
    }
    expect(Math.abs(hazards / n - HAZARD_RATE)).toBeLessThan(0.005);
    expect(Math.abs(missed / n - 0.03)).toBeLessThan(0.004);
    expect(Math.abs(late / n - 0.05)).toBeLessThan(0.005);
  });
});

describe('placeStatusColour (map)', () => {
  const today = 20_000;
  it('colours by tier and rings by last visit against the tier interval', () => {
    // Banned: 4 visits a month → ≈ 7.6 days between visits.
    expect(placeStatusCode(3, 255, today - 3, today)).toBe(PLACE_STATUS_RECENT);
    expect(placeStatusCode(3, 255, today - 7, today)).toBe(PLACE_STATUS_DUE);
    expect(placeStatusCode(3, 255, today - 14, today)).toBe(PLACE_STATUS_OVERDUE);
    // Lenient: monthly, so 14 days ago is fine.
    expect(placeStatusCode(0, 255, today - 14, today)).toBe(PLACE_STATUS_RECENT);
    expect(placeStatusCode(0, 255, 0, today)).toBe(PLACE_STATUS_NEVER);
    // An open overdue work order wins.
    expect(placeStatusCode(0, 255, today - 1, today, true)).toBe(PLACE_STATUS_OVERDUE);
    const look = placeStatusColour(2, 255, today - 40, today);
    expect(look.fill).toEqual(PLACE_COLORS[2]);
    expect(look.status).toBe('overdue');
    expect(look.ring).not.toBeNull();
    const venue = placeStatusColour(255, 1, today - 2, today);
    expect(venue.fill).toEqual(PLACE_COLORS[4]);
    expect(venue.ring).toBeNull();
  });

  it('codes a column of places, the server’s overdue/missed flags winning', () => {
    const places = {
      count: 4,
      id: Uint32Array.from([10, 11, 12, 13]),
      tier: Uint8Array.from([0, 3, 255, 2]),
      subkind: Uint8Array.from([255, 255, 0, 255]),
      lastInspectionDay: Uint16Array.from([today - 2, today - 20, today - 3, 0]),
    };
    expect([...placeStatusColumn(places, today)]).toEqual([
      PLACE_STATUS_RECENT,
      PLACE_STATUS_OVERDUE,
      PLACE_STATUS_RECENT,
      PLACE_STATUS_NEVER,
    ]);
    expect([...placeStatusColumn(places, today, new Set([10, 12]))]).toEqual([
      PLACE_STATUS_OVERDUE,
      PLACE_STATUS_OVERDUE,
      PLACE_STATUS_OVERDUE,
      PLACE_STATUS_NEVER,
    ]);
  });
});
