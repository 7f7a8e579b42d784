// The pieces of the map's data path that need no server: the place slice format, the officer
// order version, track sampling and pruning, and grouping track rows per officer.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CacheStore, type TrackRow } from '../../src-main/data/cache-store';
import { groupTracks, officerOrderVersion } from '../../src-main/data/map-view';
import { TelemetryRecorder } from '../../src-main/data/telemetry-recorder';
import { allocTable, TableFormatError } from '../../src-shared/dataset/binary-table';
import {
  PLACE_SLICE_COLUMNS,
  decodePlaceSlice,
  encodePlaceSlice,
} from '../../src-shared/protocol/place-slice';
import type { OfficerFix } from '../../src-shared/protocol/entities';

describe('place slice', () => {
  it('round-trips grid codes and every column', () => {
    const t = allocTable(PLACE_SLICE_COLUMNS, 5);
    [3, 9, 10, 400_000, 977_000].forEach((id, i) => {
      t.id[i] = id;
      t.lon[i] = 113_750_000 + i * 37;
      t.lat[i] = 23_020_000 - i * 11;
      t.grid[i] = i % 2;
      t.kind[i] = i % 2;
      t.tier[i] = i % 2 === 0 ? i % 4 : 255;
      t.subkind[i] = i % 2 === 1 ? 2 : 255;
      t.units[i] = i * 3;
      t.lastInspectionDay[i] = 20_450 + i;
    });
    const gridCodes = ['441900003001001', '441900003001002'];
    const back = decodePlaceSlice(encodePlaceSlice({ gridCodes, table: t }));
    expect(back.gridCodes).toEqual(gridCodes);
    for (const c of PLACE_SLICE_COLUMNS) {
      expect(Array.from(back.table[c.name])).toEqual(Array.from(t[c.name]));
    }
    expect(
      decodePlaceSlice(encodePlaceSlice({ gridCodes: [], table: allocTable(PLACE_SLICE_COLUMNS, 0) })),
    ).toMatchObject({ gridCodes: [], table: { rowCount: 0 } });
  });

  it('refuses damage: wrong magic, a grid index past the codes, a bad grid code', () => {
    const t = allocTable(PLACE_SLICE_COLUMNS, 1);
    t.grid[0] = 1;
    expect(() => decodePlaceSlice(encodePlaceSlice({ gridCodes: ['441900003001001'], table: t }))).toThrow(
      /names grid 1/,
    );
    const ok = encodePlaceSlice({ gridCodes: ['441900003001001', '441900003001002'], table: t });
    const bad = ok.slice();
    bad[0] = 0x58;
    expect(() => decodePlaceSlice(bad)).toThrow(TableFormatError);
    expect(() => decodePlaceSlice(ok.subarray(0, 10))).toThrow(TableFormatError);
    expect(() => encodePlaceSlice({ gridCodes: ['4419'], table: t })).toThrow(/not a grid code/);
  });
});

describe('officer order version', () => {
  it('is stable for the same order and changes with any change of it', () => {
    const v = officerOrderVersion(['OF1', 'OF2', 'OF3']);
    expect(officerOrderVersion(['OF1', 'OF2', 'OF3'])).toBe(v);
    expect(officerOrderVersion(['OF1', 'OF3', 'OF2'])).not.toBe(v);
    expect(officerOrderVersion(['OF1', 'OF2'])).not.toBe(v);
    expect(officerOrderVersion(['OF1O', 'F2', 'OF3'])).not.toBe(v);
    expect(Number.isInteger(v) && v >= 0 && v < 2 ** 32).toBe(true);
  });
});

describe('telemetry recorder', () => {
  const fix = (
    officerId: string,
    at: number,
    lon: number,
    status: OfficerFix['status'] = 'patrol',
  ): OfficerFix => ({
    officerId,
    status,
    lon,
    lat: 23,
    heading: null,
    at,
  });

  it('keeps one point per interval when moving, one per maxStill when standing, and prunes after keepMs', () => {
    let now = 1_000_000_000;
    const cache = CacheStore.open(join(mkdtempSync(join(tmpdir(), 'gc-rec-')), 'cache.sqlite'));
    const rec = new TelemetryRecorder(cache, () => now, {
      minIntervalMs: 30_000,
      minMoveM: 20,
      maxStillMs: 600_000,
      keepMs: 3_600_000,
    });
    const t0 = now;
    const step = 0.001; // ≈ 100 m at 23°N
    rec.receive([fix('A', t0, 113)]);
    rec.receive([fix('A', t0 + 10_000, 113 + step)]); // too soon
    rec.receive([fix('A', t0 + 30_000, 113 + step)]); // kept
    rec.receive([fix('A', t0 + 70_000, 113 + step + 0.00005)]); // ≈ 5 m: standing
    rec.receive([fix('A', t0 + 630_000, 113 + step)]); // standing, but 10 min passed: kept
    rec.receive([fix('B', t0 + 5_000, 114), fix('A', t0 + 20_000, 113)]); // B's first; A's old fix ignored
    rec.flush();
    expect(cache.trackRows(['A'], 0, Infinity).map((p) => p[1])).toEqual([t0, t0 + 30_000, t0 + 630_000]);
    expect(cache.trackRows(null, 0, Infinity).map((p) => p[0])).toEqual(['A', 'A', 'A', 'B']);
    // The latest fix per officer went to positions in the same flush.
    expect(cache.positions().find((f) => f.officerId === 'A')?.at).toBe(t0 + 630_000);

    now = t0 + 3_600_000 + 40_000; // > keepMs after t0 and t0 + 30 s; later than the last prune by > 5 min
    rec.flush();
    expect(cache.trackRows(null, 0, Infinity).map((p) => p[1])).toEqual([t0 + 630_000]);
    rec.receive([fix('C', t0, 115)]); // older than keepMs: not recorded
    rec.flush();
    expect(cache.trackRows(['C'], 0, Infinity)).toEqual([]);
    cache.close();
  });

  it('groups track rows into one track per officer in time order, in the asked order', () => {
    const rows: TrackRow[] = [
      ['B', 5, 5, 6],
      ['A', 2, 3, 4],
      ['A', 1, 1, 2],
    ];
    const tracks = groupTracks(rows, ['B', 'X', 'A', 'B']);
    expect(tracks.map((t) => t.officerId)).toEqual(['B', 'A']);
    expect(tracks[1]).toEqual({
      officerId: 'A',
      lon: new Float64Array([1, 3]),
      lat: new Float64Array([2, 4]),
      at: new Float64Array([1, 2]),
    });
    expect(groupTracks(rows, null).map((t) => t.officerId)).toEqual(['A', 'B']);
    expect(groupTracks([], null)).toEqual([]);
  });
});
