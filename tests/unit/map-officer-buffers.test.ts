import { describe, expect, it } from 'vitest';
import type { PositionBatch } from '../../src-shared/ipc/map-data';
import { MAP_OFFICER_STATUSES } from '../../src-shared/ipc/map-data';
import {
  LOST_MS,
  OfficerBuffers,
  STALE_MS,
  officerColor,
  stalenessOf,
} from '../../src-shared/map/officer-buffers';
import { OFFICER_COLORS } from '../../src-shared/map/palette';
import { NOW, fixtureSnapshot } from './map-fixture';

const S = (name: (typeof MAP_OFFICER_STATUSES)[number]): number => MAP_OFFICER_STATUSES.indexOf(name);

function batch(
  rows: { index: number; lon: number; lat: number; status: number; heading?: number; at: number }[],
): PositionBatch {
  const n = rows.length;
  return {
    version: 7,
    count: n,
    index: Uint32Array.from(rows, (r) => r.index),
    lon: Float64Array.from(rows, (r) => r.lon),
    lat: Float64Array.from(rows, (r) => r.lat),
    status: Uint8Array.from(rows, (r) => r.status),
    heading: Float32Array.from(rows, (r) => r.heading ?? NaN),
    fixAt: Float64Array.from(rows, (r) => r.at),
  };
}

const rgba = (b: OfficerBuffers, i: number): number[] => [...b.fill.subarray(i * 4, i * 4 + 4)];

describe('officer buffers (the binary path)', () => {
  it('classifies staleness', () => {
    expect(stalenessOf(0)).toBe(0);
    expect(stalenessOf(STALE_MS)).toBe(1);
    expect(stalenessOf(LOST_MS)).toBe(2);
  });

  it('paints each officer by status, fades old fixes and hides officers without a fix', () => {
    const b = new OfficerBuffers(fixtureSnapshot().officers, NOW);
    expect(rgba(b, 0)).toEqual([...OFFICER_COLORS.patrol, 255]); // fresh
    expect(rgba(b, 1)).toEqual(officerColor(S('on_duty'), 1)); // 5 min old
    expect(rgba(b, 1)).not.toEqual([...OFFICER_COLORS.on_duty, 255]);
    expect(rgba(b, 2)).toEqual(officerColor(S('handling'), 2)); // 30 min old
    expect(rgba(b, 3)).toEqual([...OFFICER_COLORS.sos, 255]);
    expect(rgba(b, 4)[3]).toBe(0); // no fix
    expect(b.position[0]).toBeCloseTo(113.705, 4);
    expect(b.position[1]).toBeCloseTo(23.004, 4);
    // Heading arrow: shown when moving and not lost; deck.gl's angle is counter-clockwise.
    expect(b.arrow[3]).toBe(255);
    expect(b.angle[0]).toBe(-90);
    expect(b.arrow[1 * 4 + 3]).toBe(0); // standing still
    expect(b.arrow[2 * 4 + 3]).toBe(0); // lost
  });

  it('writes a batch into the same arrays, re-wraps them for deck.gl and bumps the version', () => {
    const b = new OfficerBuffers(fixtureSnapshot().officers, NOW);
    const { position, fill } = b;
    const before = b.dots.attributes;
    const dots = b.dots;
    const applied = b.applyBatch(
      batch([{ index: 4, lon: 113.735, lat: 23.005, status: S('handling'), heading: 270, at: NOW }]),
      NOW,
    );
    expect(applied).toBe(1);
    expect(b.version).toBe(1);
    expect(b.position).toBe(position); // same memory, no reallocation
    expect(b.fill).toBe(fill);
    expect(b.dots).toBe(dots); // the data object deck.gl holds stays the same…
    expect(b.dots.attributes).not.toBe(before); // …its attribute wrappers are new, so deck re-uploads them
    expect(b.dots.attributes.getPosition.value).toBe(position);
    expect(b.headings.attributes.getAngle.value).toBe(b.angle);
    expect(b.position[8]).toBeCloseTo(113.735, 4);
    expect(rgba(b, 4)).toEqual([...OFFICER_COLORS.handling, 255]);
    expect(b.angle[4]).toBe(-270);
    // The snapshot columns follow (cards and search read them).
    expect(b.officers.lon[4]).toBe(113.735);
    expect(b.officers.status[4]).toBe(S('handling'));
  });

  it('hands deck.gl new wrappers only for the arrays that changed', () => {
    const b = new OfficerBuffers(fixtureSnapshot().officers, NOW);
    const before = {
      getPosition: b.dots.attributes.getPosition,
      getFillColor: b.dots.attributes.getFillColor,
      getAngle: b.headings.attributes.getAngle,
      color: b.headings.attributes.getColor,
    };
    // The patrol officer moves on, same status, same heading: only positions change.
    b.applyBatch(
      batch([{ index: 0, lon: 113.7052, lat: 23.0041, status: S('patrol'), heading: 90, at: NOW + 1000 }]),
      NOW + 1000,
    );
    expect(b.dots.attributes.getPosition).not.toBe(before.getPosition);
    expect(b.headings.attributes.getPosition).toBe(b.dots.attributes.getPosition);
    expect(b.dots.attributes.getFillColor).toBe(before.getFillColor);
    expect(b.headings.attributes.getAngle).toBe(before.getAngle);
    expect(b.headings.attributes.getColor).toBe(before.color);
    // A turn changes the angles; a status change the fill.
    b.applyBatch(
      batch([{ index: 0, lon: 113.7052, lat: 23.0041, status: S('handling'), heading: 180, at: NOW + 2000 }]),
      NOW + 2000,
    );
    expect(b.headings.attributes.getAngle).not.toBe(before.getAngle);
    expect(b.dots.attributes.getFillColor).not.toBe(before.getFillColor);
  });

  it('never lets an older fix overwrite a newer one, and ignores unknown indices', () => {
    const b = new OfficerBuffers(fixtureSnapshot().officers, NOW);
    const applied = b.applyBatch(
      batch([
        { index: 0, lon: 1, lat: 1, status: S('sos'), at: NOW - 60 * 60_000 },
        { index: 99, lon: 1, lat: 1, status: S('sos'), at: NOW },
      ]),
      NOW,
    );
    expect(applied).toBe(0);
    expect(b.version).toBe(0);
    expect(b.position[0]).toBeCloseTo(113.705, 4);
  });

  it('repaints only when a fix crosses a staleness threshold', () => {
    const b = new OfficerBuffers(fixtureSnapshot().officers, NOW);
    expect(b.refresh(NOW + 1_000)).toBe(0);
    expect(b.version).toBe(0);
    // Two minutes on: the patrol officer's fix (10 s old) and the SOS one (0 s) fade.
    expect(b.refresh(NOW + STALE_MS)).toBe(2);
    expect(b.version).toBe(1);
    expect(rgba(b, 0)).toEqual(officerColor(S('patrol'), 1));
  });

  it('applies one batch for all 10,000 officers (its speed is measured in bench/map)', () => {
    const n = 10_000;
    const officers = {
      count: n,
      ids: Array.from({ length: n }, (_, i) => `OF${i}`),
      names: new Array<string>(n).fill('x'),
      numbers: new Array<string>(n).fill('x'),
      kind: new Uint8Array(n),
      homeGrid: new Uint16Array(n),
      lon: new Float64Array(n).fill(113.7),
      lat: new Float64Array(n).fill(23),
      status: new Uint8Array(n),
      heading: new Float32Array(n),
      fixAt: new Float64Array(n).fill(NOW),
    };
    const b = new OfficerBuffers(officers, NOW);
    const rows = Array.from({ length: n }, (_, i) => ({
      index: i,
      lon: 113.8,
      lat: 23.1,
      status: i % 6,
      heading: i % 360,
      at: NOW + 1,
    }));
    const bt = batch(rows);
    b.applyBatch(bt, NOW + 1); // warm up
    bt.fixAt.fill(NOW + 2);
    bt.lon.fill(113.9);
    expect(b.applyBatch(bt, NOW + 2)).toBe(n);
    // Every officer's position moved to the new longitude in the GPU buffer.
    for (let i = 0; i < n; i += 997) expect(b.position[i * 2]).toBeCloseTo(113.9, 4);
  });
});
