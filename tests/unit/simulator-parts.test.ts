// The field simulator's pure parts: the PNG encoder, the rate model and its self-handle
// calibration, the duty roster, and the timed queue.
import { inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { DAY_MS, HOUR_MS, defaultCalendar, shanghaiMs } from '../../src-shared/domain/calendar';
import { createRng } from '../../src-shared/domain/geo';
import { dutyAt, gridOfficerPlan, nextOnDuty, type ShiftPlan } from '../../src-server/simulator/duty-roster';
import {
  CASES_PER_DAY,
  LIVE_SOURCE_MIX,
  SELF_HANDLED_SHARE,
  SELF_HANDLE_INSPECTION,
  WeightedPicker,
  calibrateSelfHandle,
  caseRatePerMs,
  localHour,
  poisson,
  selfHandleProbability,
} from '../../src-server/simulator/field-rates';
import { encodePng, renderScenePhoto } from '../../src-server/simulator/png';
import { TimedQueue } from '../../src-server/simulator/timed-queue';

const calendar = defaultCalendar();

describe('png', () => {
  it('encodes RGB pixels that inflate back to the same scanlines', () => {
    const rgb = Uint8Array.from({ length: 3 * 4 * 2 }, (_, i) => i * 10);
    const png = encodePng(4, 2, rgb);
    expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    expect(png.toString('latin1', 12, 16)).toBe('IHDR');
    expect(png.readUInt32BE(16)).toBe(4);
    expect(png.readUInt32BE(20)).toBe(2);
    const idatLen = png.readUInt32BE(33);
    expect(png.toString('latin1', 37, 41)).toBe('IDAT');
    const raw = inflateSync(png.subarray(41, 41 + idatLen));
    expect([...raw.subarray(0, 13)]).toEqual([0, ...rgb.subarray(0, 12)]);
    expect([...raw.subarray(13)]).toEqual([0, ...rgb.subarray(12)]);
    expect(png.subarray(-12).toString('latin1', 4, 8)).toBe('IEND');
    expect(() => encodePng(4, 2, new Uint8Array(5))).toThrow(RangeError);
  });

  it('renders a deterministic scene per case id, different before and after', () => {
    const a = renderScenePhoto('C-1', 'before');
    expect(renderScenePhoto('C-1', 'before').equals(a)).toBe(true);
    expect(renderScenePhoto('C-1', 'after').equals(a)).toBe(false);
    expect(renderScenePhoto('C-2', 'before').equals(a)).toBe(false);
    expect(a.length).toBeLessThan(16 * 1024);
  });
});

describe('field rates', () => {
  it('averages Dongguan’s daily volume over a week, busiest mid-morning', () => {
    const monday = shanghaiMs(2026, 3, 2);
    let total = 0;
    const step = 10 * 60_000;
    for (let t = monday; t < monday + 7 * DAY_MS; t += step) total += caseRatePerMs(t, calendar) * step;
    expect(total / 7).toBeGreaterThan(CASES_PER_DAY * 0.97);
    expect(total / 7).toBeLessThan(CASES_PER_DAY * 1.03);
    const at = (h: number) => caseRatePerMs(shanghaiMs(2026, 3, 4, h, 30), calendar);
    expect(at(10)).toBeGreaterThan(at(3) * 20);
    expect(localHour(shanghaiMs(2026, 3, 4, 10, 30))).toBe(10);
    // Spring Festival 2026 is a holiday: well below an ordinary Wednesday.
    expect(caseRatePerMs(shanghaiMs(2026, 2, 18, 10, 30), calendar)).toBeLessThan(at(10) * 0.6);
  });

  it('calibrates the self-handled share to the history’s 61 % and never self-handles emergencies', () => {
    const cats = [
      { priority: 'normal' as const, weight: 70 },
      { priority: 'urgent' as const, weight: 25 },
      { priority: 'emergency' as const, weight: 5 },
    ];
    const k = calibrateSelfHandle(cats);
    const share =
      LIVE_SOURCE_MIX.inspection * SELF_HANDLE_INSPECTION +
      (LIVE_SOURCE_MIX.patrol *
        cats.reduce((a, c) => a + c.weight * selfHandleProbability(c.priority, k), 0)) /
        100;
    expect(share).toBeCloseTo(SELF_HANDLED_SHARE, 6);
    expect(SELF_HANDLED_SHARE).toBe(0.61);
    expect(selfHandleProbability('emergency', k)).toBe(0);
    expect(selfHandleProbability('normal', k)).toBeGreaterThan(selfHandleProbability('urgent', k));
  });

  it('draws Poisson counts with the right mean, and weighted picks in proportion', () => {
    const rng = createRng('rates');
    for (const mean of [0.3, 4, 80]) {
      let sum = 0;
      for (let i = 0; i < 20_000; i++) sum += poisson(rng, mean);
      expect(sum / 20_000).toBeCloseTo(mean, mean > 10 ? 0 : 1);
    }
    expect(poisson(rng, 0)).toBe(0);
    const picker = new WeightedPicker(['a', 'b', 'c'], [1, 0, 3]);
    const counts: Record<string, number> = { a: 0, b: 0, c: 0 };
    for (let i = 0; i < 40_000; i++) counts[picker.pick(rng)]++;
    expect(counts.b).toBe(0);
    expect(counts.c / counts.a).toBeGreaterThan(2.8);
    expect(counts.c / counts.a).toBeLessThan(3.2);
  });
});

describe('duty roster', () => {
  const day: ShiftPlan = { kind: 'day', offsetMs: 0, rota: 9 };
  const night: ShiftPlan = { kind: 'night', offsetMs: 0, rota: 0 };
  const wed = (h: number, m = 0) => shanghaiMs(2026, 3, 4, h, m);

  it('walks the day shift with a lunch break, and keeps the night squad mostly at the station', () => {
    expect(dutyAt(day, wed(7, 30), calendar)).toBe('off');
    expect(dutyAt(day, wed(9), calendar)).toBe('patrol');
    expect(dutyAt(day, wed(12, 30), calendar)).toBe('station');
    expect(dutyAt(day, wed(18, 30), calendar)).toBe('off');
    expect(dutyAt(night, wed(21), calendar)).toBe('patrol');
    expect(dutyAt(night, wed(2), calendar)).toBe('station');
    expect(dutyAt(night, wed(12), calendar)).toBe('off');
  });

  it('gives part of the day squad the weekend off, and finds the next shift', () => {
    const saturday = shanghaiMs(2026, 3, 7, 10);
    expect(dutyAt(day, saturday, calendar)).toBe('off'); // rota 9: weekend off
    expect(dutyAt({ ...day, rota: 0 }, saturday, calendar)).toBe('patrol');
    const next = nextOnDuty(day, saturday, calendar);
    expect(next).toBeGreaterThanOrEqual(shanghaiMs(2026, 3, 9, 8));
    expect(next).toBeLessThan(shanghaiMs(2026, 3, 9, 8) + HOUR_MS);
  });

  it('spreads shifts and staggers their edges', () => {
    const rng = createRng('roster');
    const plans = Array.from({ length: 5_000 }, () => gridOfficerPlan(rng));
    const dayShare = plans.filter((p) => p.kind === 'day').length / plans.length;
    expect(dayShare).toBeGreaterThan(0.68);
    expect(dayShare).toBeLessThan(0.76);
    expect(new Set(plans.map((p) => p.offsetMs)).size).toBeGreaterThan(20);
  });
});

describe('timed queue', () => {
  it('pops in time order, ties in insertion order', () => {
    const q = new TimedQueue<string>();
    const rng = createRng('queue');
    const items = Array.from({ length: 500 }, (_, i) => ({ at: rng.int(50), name: `n${i}` }));
    for (const it of items) q.push(it.at, it.name);
    expect(q.size).toBe(500);
    const out: string[] = [];
    while (q.peekAt() !== Infinity) out.push(q.pop()!.item);
    const expected = [...items].sort(
      (a, b) => a.at - b.at || Number(a.name.slice(1)) - Number(b.name.slice(1)),
    );
    expect(out).toEqual(expected.map((x) => x.name));
    expect(q.pop()).toBeUndefined();
  });
});
