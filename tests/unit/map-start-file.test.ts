// The stored map of the last clean close (src-main/data/map-start-file.ts): what is written is
// read back with the same typed arrays, and a file that is torn, damaged or of another format
// reads as nothing (the console then builds the map from its cache).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  readMapStart,
  referenceJsonOf,
  writeMapStart,
  type MapStart,
} from '../../src-main/data/map-start-file';
import type { MapSnapshot } from '../../src-shared/ipc/map-data';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
function fileIn(): string {
  const dir = mkdtempSync(join(tmpdir(), 'gc-map-start-'));
  dirs.push(dir);
  return join(dir, 'map-start.bin');
}

function sample(): MapStart {
  const snapshot: MapSnapshot = {
    version: 123456789,
    scopeCode: '441900003',
    gridCodes: ['g1', 'g2'],
    categoryCodes: ['c1'],
    cases: {
      count: 3,
      ids: ['a', 'b', 'c'],
      numbers: ['DG20261207-003-0001', '', 'DG20261207-003-0002'],
      lon: new Float64Array([113.7, 113.71, 113.72]),
      lat: new Float64Array([23.0, 23.01, 23.02]),
      state: new Uint8Array([0, 2, 4]),
      priority: new Uint8Array([1, 1, 0]),
      category: new Uint16Array([0, 65535, 0]),
      grid: new Uint16Array([1, 0, 1]),
      reportedAt: new Float64Array([1, 2, 3]),
      dueAt: new Float64Array([Number.NaN, 5, 6]),
      pending: new Uint8Array([0, 1, 0]),
    },
    officers: {
      count: 1,
      ids: ['o1'],
      names: ['王伟'],
      numbers: ['001'],
      kind: new Uint8Array([0]),
      homeGrid: new Uint16Array([0]),
      lon: new Float64Array([113.7]),
      lat: new Float64Array([23]),
      status: new Uint8Array([1]),
      heading: new Float32Array([90.5]),
      fixAt: new Float64Array([1_765_000_000_000]),
    },
    cameras: {
      count: 0,
      ids: [],
      names: [],
      lon: new Float64Array(0),
      lat: new Float64Array(0),
      online: new Uint8Array(0),
      direction: new Float32Array(0),
      grid: new Uint16Array(0),
    },
  };
  return {
    token: 'tok-1',
    scopeCode: '441900003',
    reference: {
      base: '{"divisions":[{"code":"441900003","name":"东城街道"}],"grids":[]}',
      rest: '{"officers":[{"id":"OF1","name":"张伟"}],"cameras":[]}',
    },
    snapshot,
  };
}

describe('map start file', () => {
  it('reads back what was written: the reference text, and each column as the same kind of typed array', () => {
    const file = fileIn();
    const start = sample();
    writeMapStart(file, start);
    const back = readMapStart(file);
    expect(back).not.toBeNull();
    expect(back!.token).toBe('tok-1');
    expect(back!.reference).toEqual(start.reference);
    // map.reference answers the two texts as one object
    expect(JSON.parse(referenceJsonOf(back!.reference))).toEqual({
      ...JSON.parse(start.reference.base),
      ...JSON.parse(start.reference.rest),
    });
    expect(back!.snapshot).toEqual(start.snapshot);
    expect(back!.snapshot.cases.category).toBeInstanceOf(Uint16Array);
    expect(back!.snapshot.officers.heading).toBeInstanceOf(Float32Array);
    expect(Number.isNaN(back!.snapshot.cases.dueAt[0])).toBe(true);
  });

  it('reads a missing, torn, damaged or foreign file as nothing', () => {
    const file = fileIn();
    expect(readMapStart(file)).toBeNull();
    writeMapStart(file, sample());
    const whole = readFileSync(file);
    writeFileSync(file, whole.subarray(0, whole.length - 9)); // torn at the end
    expect(readMapStart(file)).toBeNull();
    const flipped = Buffer.from(whole);
    flipped[flipped.length - 20] ^= 0x40; // one bit in a column
    writeFileSync(file, flipped);
    expect(readMapStart(file)).toBeNull();
    writeFileSync(file, Buffer.concat([Buffer.from('SQLite format 3\0'), whole.subarray(16)]));
    expect(readMapStart(file)).toBeNull();
    writeFileSync(file, whole);
    expect(readMapStart(file)?.token).toBe('tok-1');
  });
});
