import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CacheStore } from '../../src-main/data/cache-store';
import { MapView } from '../../src-main/data/map-view';
import {
  MAP_CASE_STATES,
  MAP_OFFICER_STATUSES,
  MAP_PRIORITIES,
  NO_INDEX,
} from '../../src-shared/ipc/map-data';
import {
  batchFromFixes,
  casesToColumns,
  mergeCaseChanges,
  officerIndexOf,
  snapshotFromReference,
} from '../../src-shared/map/columns';
import type { OfficerFix } from '../../src-shared/protocol/entities';
import {
  GRIDS,
  NOW,
  TOWN,
  fixtureCase,
  fixtureFixes,
  fixtureReference,
  fixtureSnapshot,
} from './map-fixture';

describe('map columns from the object calls', () => {
  it('keeps open cases only, with dictionary indices', () => {
    const s = fixtureSnapshot();
    expect(s.version).toBe(7);
    expect(s.gridCodes).toEqual([...GRIDS]);
    expect(s.categoryCodes).toEqual(['01001', '02003']);
    expect(s.cases.count).toBe(4);
    expect(s.cases.ids).toEqual(['C1', 'C2', 'C3', 'H17']);
    expect(MAP_PRIORITIES[s.cases.priority[0]]).toBe('emergency');
    expect(MAP_CASE_STATES[s.cases.state[2]]).toBe('reported');
    expect(Number.isNaN(s.cases.dueAt[2])).toBe(true);
    expect(s.cases.grid[3]).toBe(2);
    expect([...s.cases.pending]).toEqual([0, 1, 0, 0]);
  });

  it('orders officers by id and applies the latest fix of each', () => {
    const s = fixtureSnapshot();
    expect(s.officers.ids).toEqual(['OF00000', 'OF00001', 'OF00002', 'OF00003', 'OF00004']);
    expect(MAP_OFFICER_STATUSES[s.officers.status[0]]).toBe('patrol');
    expect(s.officers.heading[0]).toBe(90);
    expect(Number.isNaN(s.officers.heading[1])).toBe(true);
    // No fix yet: no position, offline.
    expect(Number.isNaN(s.officers.lon[4])).toBe(true);
    expect(MAP_OFFICER_STATUSES[s.officers.status[4]]).toBe('offline');
    expect(s.officers.kind[4]).toBe(1);
    expect(s.officers.homeGrid[3]).toBe(2);
  });

  it('maps unknown grids and categories to NO_INDEX', () => {
    const c = casesToColumns(
      [fixtureCase('X', 0, { gridCode: '441900999001001', categoryCode: '99999' })],
      new Map(),
      new Map(),
    );
    expect(c.grid[0]).toBe(NO_INDEX);
    expect(c.category[0]).toBe(NO_INDEX);
  });

  it('turns fixes into a batch addressed by snapshot index, skipping unknown officers', () => {
    const s = fixtureSnapshot();
    const b = batchFromFixes(officerIndexOf(s), s.version, [
      { officerId: 'OF00003', status: 'handling', lon: 113.72, lat: 23.01, heading: 45, at: NOW },
      { officerId: 'NOBODY', status: 'patrol', lon: 0, lat: 0, heading: null, at: NOW },
    ]);
    expect(b.count).toBe(1);
    expect(b.version).toBe(7);
    expect(b.index[0]).toBe(3);
    expect(MAP_OFFICER_STATUSES[b.status[0]]).toBe('handling');
    expect(b.heading[0]).toBe(45);
  });
});

describe('mergeCaseChanges', () => {
  it('replaces changed rows in place, drops removed ones and appends new ones', () => {
    const s = fixtureSnapshot();
    const grid = new Map(s.gridCodes.map((c, i) => [c, i]));
    const cat = new Map(s.categoryCodes.map((c, i) => [c, i]));
    const changes = {
      cases: casesToColumns(
        [fixtureCase('C2', 1, { state: 'handling' }), fixtureCase('N9', 3, { priority: 'urgent' })],
        grid,
        cat,
      ),
      removed: ['C1', 'GONE'],
    };
    const merged = mergeCaseChanges(s.cases, changes);
    expect(merged.ids).toEqual(['C2', 'C3', 'H17', 'N9']);
    expect(MAP_CASE_STATES[merged.state[0]]).toBe('handling');
    expect(merged.grid[0]).toBe(1);
    expect(merged.pending[0]).toBe(0);
    expect(merged.grid[3]).toBe(3);
    expect(merged.count).toBe(4);
    // The input columns are not touched.
    expect(s.cases.ids).toEqual(['C1', 'C2', 'C3', 'H17']);
  });
});

describe('one builder for officers, cameras and position batches', () => {
  // The data worker (MapView over a real cache file) and the renderer's fallback (the object
  // calls) drifted once: an unknown officer status was offline in one and on patrol in the other.
  it('gives the same columns and batches in the worker and in the renderer, unknown status offline', () => {
    const ref = fixtureReference();
    const odd = {
      ...fixtureFixes()[0],
      officerId: 'OF00004',
      status: 'teleporting',
    } as unknown as OfficerFix;
    const fixes = [...fixtureFixes(), odd];
    const cache = CacheStore.open(join(mkdtempSync(join(tmpdir(), 'gc-map-cols-')), 'cache.sqlite'));
    try {
      cache.beginSnapshot();
      cache.putSnapshotPage('grids', ref.grids);
      cache.putSnapshotPage('categories', ref.categories);
      // Stored out of id order: both sides sort by id.
      cache.putSnapshotPage('officers', [...ref.officers].reverse());
      cache.putSnapshotPage('cameras', [...ref.cameras].reverse());
      cache.finishSnapshot(0);
      const view = new MapView(cache);
      const worker = view.snapshot(TOWN, new Map(), fixes);
      const renderer = snapshotFromReference({
        scopeCode: TOWN,
        grids: ref.grids,
        officers: ref.officers,
        cameras: ref.cameras,
        categories: ref.categories,
        cases: [],
        fixes,
      });
      expect(worker.officers).toEqual(renderer.officers);
      expect(worker.cameras).toEqual(renderer.cameras);
      const i = worker.officers.ids.indexOf('OF00004');
      expect(MAP_OFFICER_STATUSES[worker.officers.status[i]]).toBe('offline');
      expect(worker.officers.lon[i]).toBe(odd.lon); // the position still counts

      // A batch with two fixes of one officer (the later wins) and the unknown status.
      const later = { ...fixes[1], at: fixes[1].at + 1_000, lon: 113.7061 };
      const batchFixes = [fixes[1], later, odd, { ...odd, officerId: 'NOBODY' }];
      const fromWorker = view.positionBatch(batchFixes)!;
      const fromRenderer = batchFromFixes(officerIndexOf(worker), worker.version, batchFixes);
      expect(fromWorker).toEqual(fromRenderer);
      expect(fromWorker.count).toBe(2);
      expect(fromWorker.lon[0]).toBe(113.7061);
      expect(MAP_OFFICER_STATUSES[fromWorker.status[1]]).toBe('offline');
    } finally {
      cache.close();
    }
  });
});
