import { describe, expect, it } from 'vitest';
import {
  HOUR_MS,
  MINUTE_MS,
  WorkingCalendar,
  defaultCalendar,
  formatShanghai,
  shanghaiMs,
} from '../../src-shared/domain/calendar';
import {
  DEFAULT_CLOCK_THRESHOLDS,
  DISPATCH_LIMIT_MS,
  clockState,
  consumedAt,
  dispatchDueAt,
  dispatchedOnTime,
  dueAt,
  limitToMs,
  validateTimeLimit,
  type CaseTiming,
  type Suspension,
  type TimeLimit,
} from '../../src-shared/domain/deadline';
import type { z } from 'zod';
import type {
  Suspension as ProtocolSuspension,
  TimeLimit as ProtocolTimeLimit,
} from '../../src-shared/protocol/entities';

const cal = defaultCalendar();
const at = (y: number, mo: number, d: number, h = 0, mi = 0): number => shanghaiMs(y, mo, d, h, mi);
const timing = (startMs: number, limit: TimeLimit, suspensions: Suspension[] = []): CaseTiming => ({
  startMs,
  limit,
  suspensions,
});
const H = (value: number): TimeLimit => ({ unit: 'hours', value });
const WH = (value: number): TimeLimit => ({ unit: 'working_hours', value });
const WD = (value: number): TimeLimit => ({ unit: 'working_days', value });

describe('protocol compatibility', () => {
  it('protocol TimeLimit and Suspension records are accepted as they are', () => {
    const asTiming = (
      limit: ProtocolTimeLimit,
      suspensions: z.infer<typeof ProtocolSuspension>[],
    ): CaseTiming => ({
      startMs: at(2025, 3, 3, 9),
      limit,
      suspensions,
    });
    const t = asTiming({ unit: 'hours', value: 2 }, [
      { fromMs: at(2025, 3, 3, 10), toMs: at(2025, 3, 3, 11), reason: 'owner away' },
    ]);
    expect(dueAt(t, cal)).toBe(at(2025, 3, 3, 12));
  });
});

describe('validateTimeLimit', () => {
  it('accepts every unit with a positive value', () => {
    for (const unit of ['hours', 'working_hours', 'working_days'] as const) {
      expect(validateTimeLimit({ unit, value: 2.5 })).toEqual({ ok: true, value: { unit, value: 2.5 } });
    }
  });

  it.each([['days'], [''], [undefined], [3], ['HOURS']])('refuses unit %j', (unit) => {
    const r = validateTimeLimit({ unit, value: 1 });
    expect(r).toMatchObject({ ok: false, code: 'BAD_LIMIT_UNIT' });
    if (!r.ok) expect(r.reason).toContain(JSON.stringify(unit) ?? 'undefined');
  });

  it.each([[0], [-1], [Number.NaN], [Number.POSITIVE_INFINITY], ['4'], [null]])(
    'refuses value %j',
    (value) => {
      const r = validateTimeLimit({ unit: 'hours', value });
      expect(r).toMatchObject({ ok: false, code: 'BAD_LIMIT_VALUE' });
      if (!r.ok) expect(r.reason).toContain(String(value));
    },
  );
});

describe('limitToMs', () => {
  it('converts each unit', () => {
    expect(limitToMs(H(3), cal)).toBe(3 * HOUR_MS);
    expect(limitToMs(WH(3), cal)).toBe(3 * HOUR_MS);
    expect(limitToMs(WD(2), cal)).toBe(15 * HOUR_MS);
  });

  it('follows the calendar for working days', () => {
    const r = WorkingCalendar.create({ workingHours: [{ start: '09:00', end: '17:00' }] });
    if (!r.ok) throw new Error(r.reason);
    expect(limitToMs(WD(1), r.value)).toBe(8 * HOUR_MS);
  });

  it('throws for a non-positive value', () => {
    expect(() => limitToMs(H(0), cal)).toThrow(RangeError);
    expect(() => limitToMs(WD(-1), cal)).toThrow(RangeError);
  });
});

describe('dueAt without suspensions', () => {
  it('natural hours run through nights, weekends and holidays', () => {
    expect(dueAt(timing(at(2025, 10, 1, 10), H(24)), cal)).toBe(at(2025, 10, 2, 10));
  });

  it('working hours skip nights and weekends', () => {
    // Fri 17:00–18:00 = 1 h, Mon 08:30 + 3 h → 11:30
    expect(dueAt(timing(at(2025, 3, 7, 17), WH(4)), cal)).toBe(at(2025, 3, 10, 11, 30));
  });

  it('working days keep the clock time', () => {
    expect(dueAt(timing(at(2025, 3, 3, 10), WD(2)), cal)).toBe(at(2025, 3, 5, 10));
    expect(dueAt(timing(at(2025, 9, 30, 10), WD(3)), cal)).toBe(at(2025, 10, 11, 10)); // Oct 9, 10, 11 (Sat make-up)
  });
});

describe('dueAt with suspensions', () => {
  it('extends working-hours deadlines by the working time suspended', () => {
    const t = timing(at(2025, 3, 7, 17), WH(4), [{ fromMs: at(2025, 3, 10, 9), toMs: at(2025, 3, 10, 10) }]);
    expect(dueAt(t, cal)).toBe(at(2025, 3, 10, 14, 30));
  });

  it('a suspension outside working hours costs a working-hours case nothing', () => {
    const t = timing(at(2025, 3, 7, 17), WH(4), [
      { fromMs: at(2025, 3, 7, 18), toMs: at(2025, 3, 10, 8, 30) },
    ]);
    expect(dueAt(t, cal)).toBe(at(2025, 3, 10, 11, 30));
  });

  it('extends natural-hours deadlines by the natural time suspended', () => {
    const t = timing(at(2025, 3, 7, 17), H(4), [
      { fromMs: at(2025, 3, 7, 18), toMs: at(2025, 3, 10, 8, 30) },
    ]);
    expect(dueAt(t, cal)).toBe(at(2025, 3, 7, 21) + (at(2025, 3, 10, 8, 30) - at(2025, 3, 7, 18)));
  });

  it('ignores suspensions that ended before the start and clips those that straddle it', () => {
    const start = at(2025, 3, 3, 9);
    expect(dueAt(timing(start, H(2), [{ fromMs: start - 5 * HOUR_MS, toMs: start }]), cal)).toBe(
      start + 2 * HOUR_MS,
    );
    expect(dueAt(timing(start, H(2), [{ fromMs: start - 5 * HOUR_MS, toMs: start + HOUR_MS }]), cal)).toBe(
      start + 3 * HOUR_MS,
    );
  });

  it('merges overlapping and unsorted suspensions', () => {
    const start = at(2025, 3, 3, 9);
    const t = timing(start, H(2), [
      { fromMs: start + 2 * HOUR_MS, toMs: start + 3 * HOUR_MS },
      { fromMs: start + HOUR_MS, toMs: start + 2.5 * HOUR_MS },
      { fromMs: start + 2.5 * HOUR_MS, toMs: start + 2.5 * HOUR_MS }, // zero length
    ]);
    expect(dueAt(t, cal)).toBe(start + 4 * HOUR_MS);
  });

  it('a suspension starting after the due instant does not move it', () => {
    const start = at(2025, 3, 3, 9);
    const t = timing(start, H(2), [{ fromMs: start + 3 * HOUR_MS, toMs: start + 10 * HOUR_MS }]);
    expect(dueAt(t, cal)).toBe(start + 2 * HOUR_MS);
  });

  it('is null while a suspension is open, unless the deadline had already passed', () => {
    const start = at(2025, 3, 3, 9);
    expect(dueAt(timing(start, H(2), [{ fromMs: start + HOUR_MS, toMs: null }]), cal)).toBeNull();
    expect(dueAt(timing(start, H(2), [{ fromMs: start + 3 * HOUR_MS, toMs: null }]), cal)).toBe(
      start + 2 * HOUR_MS,
    );
    expect(dueAt(timing(start, H(2), [{ fromMs: start + 2 * HOUR_MS, toMs: null }]), cal)).toBe(
      start + 2 * HOUR_MS,
    );
  });

  it('throws on a backwards or non-finite suspension and a non-finite start', () => {
    const start = at(2025, 3, 3, 9);
    expect(() => dueAt(timing(start, H(2), [{ fromMs: start + 2, toMs: start + 1 }]), cal)).toThrow(
      RangeError,
    );
    expect(() => dueAt(timing(start, H(2), [{ fromMs: Number.NaN, toMs: null }]), cal)).toThrow(RangeError);
    expect(() => dueAt(timing(Number.NaN, H(2)), cal)).toThrow(RangeError);
  });

  it('agrees with consumedAt: the limit is used up exactly at the due instant (random)', () => {
    let seed = 42;
    const rnd = (): number => {
      seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
      return seed / 2_147_483_648;
    };
    const units: TimeLimit[] = [H(6), WH(6), WD(2), WH(40), WD(0.5)];
    for (let i = 0; i < 300; i++) {
      const start = at(2025, 1, 1) + Math.floor(rnd() * 900 * 24 * HOUR_MS);
      const limit = units[i % units.length];
      const suspensions: Suspension[] = [];
      for (let k = 0; k < i % 4; k++) {
        const from = start + Math.floor(rnd() * 6 * 24 * HOUR_MS);
        suspensions.push({ fromMs: from, toMs: from + Math.floor(rnd() * 3 * 24 * HOUR_MS) });
      }
      const t = timing(start, limit, suspensions);
      const due = dueAt(t, cal);
      if (due === null) throw new Error('no open suspensions here');
      const L = limitToMs(limit, cal);
      expect(consumedAt(t, due, cal), `${formatShanghai(start)} ${limit.unit}`).toBe(L);
      expect(consumedAt(t, due - 1, cal)).toBeLessThan(L);
    }
  });
});

describe('consumedAt', () => {
  const start = at(2025, 3, 3, 9);
  it('is 0 at or before the start', () => {
    expect(consumedAt(timing(start, H(2)), start, cal)).toBe(0);
    expect(consumedAt(timing(start, H(2)), start - HOUR_MS, cal)).toBe(0);
  });

  it('excludes suspended time, including an open suspension', () => {
    const t = timing(start, WH(8), [
      { fromMs: start + HOUR_MS, toMs: start + 2 * HOUR_MS },
      { fromMs: at(2025, 3, 3, 15), toMs: null },
    ]);
    expect(consumedAt(t, start + 90 * MINUTE_MS, cal)).toBe(HOUR_MS); // inside the first suspension
    expect(consumedAt(t, at(2025, 3, 3, 12), cal)).toBe(2 * HOUR_MS); // 9–10, 11–12
    expect(consumedAt(t, at(2025, 3, 3, 16), cal)).toBe(3 * HOUR_MS); // + 14–15, frozen after
    expect(consumedAt(t, at(2025, 3, 20, 16), cal)).toBe(3 * HOUR_MS);
  });
});

describe('clockState', () => {
  const start = at(2025, 3, 3, 8); // natural-hours case: 4 h limit
  const t4 = timing(start, H(4));

  it('starts ok with the full limit', () => {
    expect(clockState(t4, start, cal)).toEqual({
      limitMs: 4 * HOUR_MS,
      consumedMs: 0,
      remainingMs: 4 * HOUR_MS,
      overdue: false,
      overdueByMs: 0,
      level: 'ok',
      paused: false,
      dueMs: start + 4 * HOUR_MS,
    });
  });

  it('turns amber below 25% and red below 10% (the boundaries themselves are the milder level)', () => {
    expect(clockState(t4, start + 3 * HOUR_MS, cal).level).toBe('ok'); // exactly 25% left
    expect(clockState(t4, start + 3 * HOUR_MS + 1, cal).level).toBe('amber');
    const redEdge = start + 4 * HOUR_MS - 24 * MINUTE_MS; // exactly 10% left
    expect(clockState(t4, redEdge, cal).level).toBe('amber');
    expect(clockState(t4, redEdge + 1, cal).level).toBe('red');
  });

  it('is red, not overdue, at the due instant and overdue one ms later with a negative remainder', () => {
    const due = start + 4 * HOUR_MS;
    expect(clockState(t4, due, cal)).toMatchObject({ level: 'red', overdue: false, remainingMs: 0 });
    expect(clockState(t4, due + 1, cal)).toMatchObject({
      level: 'overdue',
      overdue: true,
      remainingMs: -1,
      overdueByMs: 1,
    });
    expect(clockState(t4, due + 2 * HOUR_MS, cal).remainingMs).toBe(-2 * HOUR_MS);
  });

  it('for working hours, is overdue in the evening after an 18:00 deadline while remaining stays 0', () => {
    const t = timing(at(2025, 3, 3, 14), WH(4)); // due Mon 18:00
    const evening = clockState(t, at(2025, 3, 3, 20), cal);
    expect(evening).toMatchObject({
      overdue: true,
      level: 'overdue',
      remainingMs: 0,
      overdueByMs: 2 * HOUR_MS,
    });
    expect(clockState(t, at(2025, 3, 4, 9, 30), cal).remainingMs).toBe(-HOUR_MS);
  });

  it('pauses inside a suspension and freezes the remainder while one is open', () => {
    const t = timing(start, H(4), [{ fromMs: start + HOUR_MS, toMs: null }]);
    const a = clockState(t, start + 2 * HOUR_MS, cal);
    const b = clockState(t, start + 200 * HOUR_MS, cal);
    expect(a).toMatchObject({
      paused: true,
      dueMs: null,
      overdue: false,
      remainingMs: 3 * HOUR_MS,
      level: 'ok',
    });
    expect(b.remainingMs).toBe(3 * HOUR_MS);
    expect(b.overdue).toBe(false);
  });

  it('a closed suspension pauses only while it lasts', () => {
    const t = timing(start, H(4), [{ fromMs: start + HOUR_MS, toMs: start + 2 * HOUR_MS }]);
    expect(clockState(t, start + HOUR_MS, cal).paused).toBe(true);
    expect(clockState(t, start + 2 * HOUR_MS - 1, cal).paused).toBe(true);
    expect(clockState(t, start + 2 * HOUR_MS, cal).paused).toBe(false);
    expect(clockState(t, start + 2 * HOUR_MS, cal).remainingMs).toBe(3 * HOUR_MS);
    expect(clockState(t, start, cal).dueMs).toBe(start + 5 * HOUR_MS);
  });

  it('stays overdue when suspended after the deadline passed', () => {
    const t = timing(start, H(4), [{ fromMs: start + 6 * HOUR_MS, toMs: null }]);
    expect(clockState(t, start + 10 * HOUR_MS, cal)).toMatchObject({
      paused: true,
      overdue: true,
      level: 'overdue',
      remainingMs: -2 * HOUR_MS,
      dueMs: start + 4 * HOUR_MS,
      overdueByMs: 6 * HOUR_MS,
    });
  });

  it('is ok before the clock starts', () => {
    expect(clockState(t4, start - HOUR_MS, cal)).toMatchObject({
      consumedMs: 0,
      level: 'ok',
      overdue: false,
    });
  });

  it('takes custom thresholds and refuses inconsistent ones', () => {
    expect(DEFAULT_CLOCK_THRESHOLDS).toEqual({ amber: 0.25, red: 0.1 });
    const half = { amber: 0.5, red: 0.2 };
    expect(clockState(t4, start + 2 * HOUR_MS + 1, cal, half).level).toBe('amber');
    expect(clockState(t4, start + 3.5 * HOUR_MS, cal, half).level).toBe('red');
    expect(() => clockState(t4, start, cal, { amber: 0.1, red: 0.25 })).toThrow(RangeError);
    expect(() => clockState(t4, start, cal, { amber: 1.5, red: 0.1 })).toThrow(RangeError);
    expect(() => clockState(t4, start, cal, { amber: 0.25, red: -0.1 })).toThrow(RangeError);
    expect(() => clockState(t4, start, cal, { amber: Number.NaN, red: 0.1 })).toThrow(RangeError);
  });
});

describe('dispatch limit', () => {
  const reported = at(2025, 3, 3, 9);
  it('is 10 minutes for emergencies and 30 otherwise, in natural time', () => {
    expect(DISPATCH_LIMIT_MS).toEqual({
      emergency: 10 * MINUTE_MS,
      urgent: 30 * MINUTE_MS,
      normal: 30 * MINUTE_MS,
    });
    expect(dispatchDueAt(reported, 'emergency')).toBe(reported + 10 * MINUTE_MS);
    expect(dispatchDueAt(reported, 'normal')).toBe(reported + 30 * MINUTE_MS);
    const saturdayNight = at(2025, 3, 8, 23, 55);
    expect(dispatchDueAt(saturdayNight, 'emergency')).toBe(at(2025, 3, 9, 0, 5));
  });

  it('counts the limit instant as on time and one ms later as late', () => {
    expect(dispatchedOnTime(reported, reported + 10 * MINUTE_MS, 'emergency')).toBe(true);
    expect(dispatchedOnTime(reported, reported + 10 * MINUTE_MS + 1, 'emergency')).toBe(false);
    expect(dispatchedOnTime(reported, reported + 10 * MINUTE_MS + 1, 'urgent')).toBe(true);
    expect(dispatchedOnTime(reported, reported + 30 * MINUTE_MS + 1, 'normal')).toBe(false);
    expect(dispatchedOnTime(reported, reported, 'normal')).toBe(true);
  });
});
