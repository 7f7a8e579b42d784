import { describe, expect, it } from 'vitest';

import {
  allocCases,
  allocPlaces,
  CASE_COLUMNS,
  DATASET_FORMAT,
  DATASET_FORMAT_VERSION,
  DatasetFormatError,
  decodeCameras,
  decodeCases,
  decodeCatalog,
  decodeGrids,
  decodeManifest,
  decodePlaces,
  decodeTable,
  encodeCases,
  encodeJson,
  encodeJsonPretty,
  encodePlaces,
  encodeTable,
  PLACE_COLUMNS,
  TableFormatError,
} from '../../src-shared/dataset';
import type { CamerasFile, GridsFile, RawColumn } from '../../src-shared/dataset';
import { createRng } from '../../src-shared/domain/geo';

function sampleColumns(n: number): RawColumn[] {
  const rng = createRng('cols');
  const u8 = Uint8Array.from({ length: n }, () => rng.int(256));
  const i8 = Int8Array.from({ length: n }, () => rng.int(256) - 128);
  const u16 = Uint16Array.from({ length: n }, () => rng.int(65536));
  const i16 = Int16Array.from({ length: n }, () => rng.int(65536) - 32768);
  const u32 = Uint32Array.from({ length: n }, () => rng.u32());
  const i32 = Int32Array.from({ length: n }, () => rng.u32() | 0);
  const f32 = Float32Array.from({ length: n }, () => rng.normal());
  const f64 = Float64Array.from({ length: n }, () => rng.normal() * 1e6);
  const time = Uint32Array.from({ length: n }, (_, i) => 29_000_000 + i * 3 - (i % 5)); // mostly increasing
  const wrap = Uint32Array.from({ length: n }, (_, i) => (i % 2 === 0 ? 0xffffffff : 1)); // wrap-around deltas
  const neg = Int32Array.from({ length: n }, (_, i) => (i % 3 === 0 ? -2_147_483_648 : 2_147_483_647));
  return [
    { name: 'u8', type: 'u8', encoding: 'raw', data: u8 },
    { name: 'i8', type: 'i8', encoding: 'raw', data: i8 },
    { name: 'u16', type: 'u16', encoding: 'raw', shuffle: true, data: u16 },
    { name: 'i16', type: 'i16', encoding: 'delta', data: i16 },
    { name: 'u32', type: 'u32', encoding: 'raw', data: u32 },
    { name: 'i32', type: 'i32', encoding: 'raw', data: i32 },
    { name: 'f32', type: 'f32', encoding: 'raw', data: f32 },
    { name: 'f64', type: 'f64', encoding: 'raw', shuffle: true, data: f64 },
    { name: 'time', type: 'u32', encoding: 'delta', shuffle: true, data: time },
    { name: 'u8s', type: 'u8', encoding: 'raw', shuffle: true, data: u8 },
    { name: 'wrap', type: 'u32', encoding: 'delta', data: wrap },
    { name: 'extremes', type: 'i32', encoding: 'delta', data: neg },
  ];
}

describe('binary tables', () => {
  it('round-trips every column type and encoding', () => {
    for (const n of [0, 1, 7, 1000]) {
      const cols = sampleColumns(n);
      const bytes = encodeTable('test', n, cols);
      const t = decodeTable(bytes);
      expect(t.name).toBe('test');
      expect(t.rowCount).toBe(n);
      expect(t.columns.map((c) => [c.name, c.type, c.encoding, c.shuffle && c.type !== 'u8'])).toEqual(
        cols.map((c) => [c.name, c.type, c.encoding, c.shuffle === true && c.type !== 'u8']),
      );
      t.columns.forEach((c, k) => {
        expect(c.data.constructor).toBe(cols[k].data.constructor);
        expect(Array.from(c.data)).toEqual(Array.from(cols[k].data));
      });
    }
  });

  it('has the documented header: magic, version, column count, row count, 8-aligned offsets', () => {
    const cols = sampleColumns(5);
    const bytes = encodeTable('cases', 5, cols);
    const dv = new DataView(bytes.buffer);
    expect(new TextDecoder().decode(bytes.subarray(0, 4))).toBe('GCDT');
    expect(dv.getUint16(4, true)).toBe(1);
    expect(dv.getUint16(6, true)).toBe(cols.length);
    expect(dv.getUint32(8, true)).toBe(5);
    expect(dv.getUint32(12, true) % 8).toBe(0);
    expect(dv.getUint16(16, true)).toBe(5);
    expect(bytes.length % 8).toBe(0);
  });

  it('decodes from an unaligned view and from an ArrayBuffer', () => {
    const cols = sampleColumns(33);
    const bytes = encodeTable('t', 33, cols);
    const shifted = new Uint8Array(bytes.length + 3);
    shifted.set(bytes, 3);
    const t1 = decodeTable(shifted.subarray(3));
    const t2 = decodeTable(bytes.slice().buffer);
    for (const t of [t1, t2]) {
      t.columns.forEach((c, k) => expect(Array.from(c.data)).toEqual(Array.from(cols[k].data)));
    }
  });

  it('rejects damaged input with a TableFormatError', () => {
    const bytes = encodeTable('t', 10, sampleColumns(10));
    const badMagic = bytes.slice();
    badMagic[0] = 0x58;
    expect(() => decodeTable(badMagic)).toThrow(TableFormatError);
    const badVersion = bytes.slice();
    badVersion[4] = 9;
    expect(() => decodeTable(badVersion)).toThrow(/version/);
    expect(() => decodeTable(bytes.subarray(0, bytes.length - 16))).toThrow(TableFormatError);
    expect(() => decodeTable(new Uint8Array(4))).toThrow(TableFormatError);
    expect(() =>
      encodeTable('t', 3, [{ name: 'x', type: 'f32', encoding: 'delta', data: new Float32Array(3) }]),
    ).toThrow(/delta/);
    expect(() =>
      encodeTable('t', 4, [{ name: 'x', type: 'u8', encoding: 'raw', data: new Uint8Array(3) }]),
    ).toThrow(/expected 4/);
  });
});

describe('places and cases tables', () => {
  it('round-trip with typed columns', () => {
    const rng = createRng('typed');
    const p = allocPlaces(500);
    for (let i = 0; i < 500; i++) {
      p.lon[i] = 113_500_000 + rng.int(800_000);
      p.lat[i] = 22_600_000 + rng.int(500_000);
      p.grid[i] = rng.int(3000);
      p.kind[i] = rng.int(2);
      p.tier[i] = p.kind[i] === 0 ? rng.int(4) : 255;
      p.subkind[i] = p.kind[i] === 1 ? rng.int(3) : 255;
      p.units[i] = rng.int(300);
      p.lastInspectionDay[i] = 20_000 + rng.int(365);
    }
    const p2 = decodePlaces(encodePlaces(p));
    expect(p2.rowCount).toBe(500);
    for (const c of PLACE_COLUMNS) expect(Array.from(p2[c.name])).toEqual(Array.from(p[c.name]));

    const c = allocCases(400);
    for (let i = 0; i < 400; i++) {
      c.reportedAt[i] = 29_000_000 + i * 2;
      c.category[i] = rng.int(121);
      c.grid[i] = rng.int(3000);
      c.lon[i] = 113_700_000 + rng.int(1000);
      c.lat[i] = 22_900_000 + rng.int(1000);
      c.handlingDuration[i] = rng.int(100_000);
      c.reporter[i] = rng.int(10) - 1;
      c.onTime[i] = rng.int(2);
    }
    const c2 = decodeCases(encodeCases(c));
    for (const col of CASE_COLUMNS) expect(Array.from(c2[col.name])).toEqual(Array.from(c[col.name]));
  });

  it('checks the table name and column types, and ignores extra columns', () => {
    const p = allocPlaces(3);
    expect(() => decodeCases(encodePlaces(p))).toThrow(/expected table "cases"/);
    const wrongType = encodeTable('places', 1, [
      { name: 'lon', type: 'f64', encoding: 'raw', data: new Float64Array(1) },
    ]);
    expect(() => decodePlaces(wrongType)).toThrow(/lon is f64/);
    const extra = encodeTable('places', 3, [
      ...PLACE_COLUMNS.map((s) => ({
        name: s.name,
        type: s.type,
        encoding: 'raw' as const,
        data: p[s.name],
      })),
      { name: 'future', type: 'u8', encoding: 'raw', data: new Uint8Array(3) },
    ]);
    expect(decodePlaces(extra).rowCount).toBe(3);
  });
});

describe('JSON files and manifest', () => {
  it('encode deterministically and decode with a kind check', () => {
    const grids: GridsFile = {
      kind: 'grids',
      formatVersion: DATASET_FORMAT_VERSION,
      numbering: 'rule',
      grids: [],
    };
    const a = encodeJson(grids);
    expect(a).toEqual(encodeJson(JSON.parse(new TextDecoder().decode(a))));
    expect(decodeGrids(a)).toEqual(grids);
    expect(decodeGrids(new TextDecoder().decode(a))).toEqual(grids);
    expect(() => decodeCameras(a)).toThrow(DatasetFormatError);
    const cams: CamerasFile = { kind: 'cameras', formatVersion: 99, cameras: [] };
    expect(() => decodeCameras(encodeJson(cams))).toThrow(/formatVersion/);
    expect(() => decodeCatalog('{not json')).toThrow(/invalid JSON/);
  });

  it('decodes a manifest and rejects foreign JSON', () => {
    const m = {
      format: DATASET_FORMAT,
      formatVersion: DATASET_FORMAT_VERSION,
      seed: 's',
      options: { cases: 1, referenceDate: '2025-12-31', plantedRises: [] },
      files: [],
    };
    expect(decodeManifest(encodeJsonPretty(m)).seed).toBe('s');
    expect(() => decodeManifest('{"format":"other"}')).toThrow(DatasetFormatError);
  });
});
