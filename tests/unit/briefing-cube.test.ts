import { describe, expect, it } from 'vitest';
import { ByteReader, ByteWriter, RollupFormatError } from '../../src-shared/briefing/bytes';
import { WeekCube } from '../../src-shared/briefing/count-cube';
import { createRng } from '../../src-shared/domain/geo';

function roundTrip(c: WeekCube): WeekCube {
  const w = new ByteWriter(16);
  c.write(w);
  return WeekCube.read(new ByteReader(w.finish()), c.cells);
}

function contents(c: WeekCube): string[] {
  const out: string[] = [];
  const r = c.weekRange();
  if (r === null) return out;
  for (let w = r.first; w <= r.last; w++) c.forEachInWeek(w, (cell, v) => out.push(`${w}:${cell}=${v}`));
  return out.sort();
}

describe('WeekCube', () => {
  it('counts per week and cell, sparse while few cells are used, dense after 1/8', () => {
    const c = new WeekCube(8000);
    c.add(2900, 5);
    c.add(2900, 5, 2);
    c.add(2901, 7999);
    expect(c.get(2900, 5)).toBe(3);
    expect(c.get(2900, 6)).toBe(0);
    expect(c.get(2899, 5)).toBe(0);
    expect(c.stats()).toMatchObject({ weeks: 2, sparseWeeks: 2, denseWeeks: 0, nonZero: 2 });
    for (let cell = 0; cell < 1000; cell++) c.add(2900, cell * 7);
    expect(c.stats()).toMatchObject({ sparseWeeks: 1, denseWeeks: 1 });
    expect(c.get(2900, 5)).toBe(3);
    expect(c.get(2900, 7)).toBe(1);
    expect(c.denseWeek(2900)).toBeInstanceOf(Uint16Array);
    expect(c.denseWeek(2901)).toBeNull();
    expect(c.weekTotal(2900)).toBe(1003);
  });

  it('moves a dense week to 32 bits when a count passes 65,535, and never below zero', () => {
    const c = new WeekCube(10);
    c.add(1, 3, 65_535);
    expect(c.denseWeek(1)).toBeInstanceOf(Uint16Array);
    c.add(1, 3, 1);
    expect(c.denseWeek(1)).toBeInstanceOf(Uint32Array);
    expect(c.get(1, 3)).toBe(65_536);
    c.add(1, 3, -65_536);
    expect(c.get(1, 3)).toBe(0);
    expect(() => c.add(1, 3, -1)).toThrow(RangeError);
    const s = new WeekCube(100_000);
    expect(() => s.add(4, 10, -1)).toThrow(RangeError);
    s.add(4, 10, 70_000); // sparse holds 32-bit counts and goes dense32 when it converts
    for (let k = 0; k < 13_000; k++) s.add(4, 20 + k);
    expect(s.denseWeek(4)).toBeInstanceOf(Uint32Array);
    expect(s.get(4, 10)).toBe(70_000);
  });

  it('grows in both directions and keeps empty weeks empty', () => {
    const c = new WeekCube(4);
    c.add(100, 1);
    c.add(90, 2);
    c.add(105, 3);
    expect(c.weekRange()).toEqual({ first: 90, last: 105 });
    expect(c.hasWeek(95)).toBe(false);
    expect(contents(c)).toEqual(['100:1=1', '105:3=1', '90:2=1']);
  });

  it('merges and serialises (sparse, dense16, dense32 and empty weeks) without loss', () => {
    const rng = createRng('cube');
    const a = new WeekCube(5000);
    const b = new WeekCube(5000);
    const both = new WeekCube(5000);
    for (let k = 0; k < 20_000; k++) {
      const w = 2800 + rng.int(10) * (rng.next() < 0.5 ? 1 : 3); // some weeks empty
      const cell = rng.next() < 0.3 ? rng.int(5000) : rng.int(50);
      const v = 1 + rng.int(3);
      (k % 2 === 0 ? a : b).add(w, cell, v);
      both.add(w, cell, v);
    }
    a.add(2800, 1, 70_000);
    both.add(2800, 1, 70_000);
    const merged = roundTrip(a);
    merged.merge(roundTrip(b));
    expect(contents(merged)).toEqual(contents(both));
    const s = both.stats();
    expect(s.sparseWeeks + s.denseWeeks).toBe(s.weeks);
    expect(roundTrip(new WeekCube(3)).weekRange()).toBeNull();
    expect(() => WeekCube.read(new ByteReader(new Uint8Array([1, 0, 0, 0])), 2)).toThrow(RollupFormatError);
    expect(() => a.merge(new WeekCube(4))).toThrow(RangeError);
  });
});
