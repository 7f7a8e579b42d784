import { describe, expect, it } from 'vitest';
import { isTileUrl, offlineStyle, styleTiles, TILE_LAYER_ID } from '../../src-shared/map/base-style';
import { cameraMoveForKey, PAN_STEP_PX } from '../../src-shared/map/keyboard';
import {
  DEFAULT_TOGGLES,
  loadMode,
  loadTileUrl,
  loadToggles,
  loadView,
  parseSavedView,
  saveMode,
  saveTileUrl,
  saveToggles,
  saveView,
  viewKey,
} from '../../src-shared/map/settings';
import { searchMap } from '../../src-shared/map/search';
import { mapCaseNumber } from '../../src-shared/map/case-label';
import { provisionalNumber } from '../../src-shared/domain/case-number';
import { TrackRecorder, mergeTracks } from '../../src-shared/map/track-recorder';
import { NOW, fixtureAreas, fixtureSnapshot } from './map-fixture';

class MemoryStore {
  readonly m = new Map<string, string>();
  getItem(k: string): string | null {
    return this.m.get(k) ?? null;
  }
  setItem(k: string, v: string): void {
    this.m.set(k, v);
  }
  removeItem(k: string): void {
    this.m.delete(k);
  }
}

describe('search', () => {
  const areas = fixtureAreas();
  const snapshot = fixtureSnapshot();

  it('finds a grid by its full code first, with the village as detail', () => {
    const hits = searchMap('441900003002001', areas, snapshot);
    expect(hits[0]).toMatchObject({ kind: 'grid', key: '441900003002001', detail: '大朗村', index: 2 });
    expect(hits[0].lon).toBeCloseTo(113.725);
  });

  it('finds grids by a code prefix, and villages and towns by name', () => {
    expect(searchMap('4419000030010', areas, snapshot).filter((h) => h.kind === 'grid')).toHaveLength(2);
    expect(searchMap('岗贝', areas, snapshot)[0]).toMatchObject({ kind: 'village', label: '岗贝社区' });
    expect(searchMap('东城', areas, snapshot)[0]).toMatchObject({ kind: 'town', detail: '东莞市' });
  });

  it('finds officers by name or number (only those with a fix), and cases by id', () => {
    expect(searchMap('李娜', areas, snapshot)[0]).toMatchObject({
      kind: 'officer',
      key: 'OF00001',
      detail: 'DG10000001 · 东城街道岗贝社区 001',
    });
    expect(searchMap('dg10000003', areas, snapshot)[0]).toMatchObject({ kind: 'officer', label: '陈静' });
    expect(searchMap('区洪', areas, snapshot)).toEqual([]); // no fix: nowhere to fly to
    expect(searchMap('h17', areas, snapshot)[0]).toMatchObject({ kind: 'case', key: 'H17' });
    expect(searchMap('', areas, snapshot)).toEqual([]);
    expect(searchMap('没有这个', areas, snapshot)).toEqual([]);
  });

  it('names cases by their human number (provisional while queued), found by any part of it', () => {
    const numbered = fixtureSnapshot();
    const c1 = numbered.cases.ids.indexOf('C1');
    const c2 = numbered.cases.ids.indexOf('C2');
    numbered.cases.numbers[c1] = 'DG20261207-106-0042';
    const [hit] = searchMap('106-0042', areas, numbered);
    expect(hit).toMatchObject({ kind: 'case', key: 'C1', label: 'DG20261207-106-0042' });
    expect(searchMap('dg20261207-106-00', areas, numbered)[0]).toMatchObject({ key: 'C1' });
    // C2 has no number yet and an action queued here: its provisional number, also searchable.
    expect(numbered.cases.pending[c2]).toBe(1);
    expect(mapCaseNumber(numbered.cases, c2)).toBe(provisionalNumber('C2'));
    expect(searchMap('临-C2', areas, numbered)[0]).toMatchObject({ kind: 'case', key: 'C2', label: '临-C2' });
    // Found by its id too, but labelled by the number.
    expect(searchMap('C1', areas, numbered).find((h) => h.key === 'C1')?.label).toBe('DG20261207-106-0042');
  });

  it('puts exact hits before partial ones of earlier kinds', () => {
    const hits = searchMap('C2', areas, snapshot);
    expect(hits[0]).toMatchObject({ kind: 'case', key: 'C2' });
  });
});

describe('keyboard', () => {
  it('pans with arrows (further with shift), zooms with +/- and goes home with 0', () => {
    expect(cameraMoveForKey({ key: 'ArrowLeft' })).toEqual({ kind: 'pan', dx: -PAN_STEP_PX, dy: 0 });
    expect(cameraMoveForKey({ key: 'ArrowDown', shiftKey: true })).toEqual({
      kind: 'pan',
      dx: 0,
      dy: 3 * PAN_STEP_PX,
    });
    expect(cameraMoveForKey({ key: '+' })).toEqual({ kind: 'zoom', delta: 1 });
    expect(cameraMoveForKey({ key: '=' })).toEqual({ kind: 'zoom', delta: 1 });
    expect(cameraMoveForKey({ key: '-' })).toEqual({ kind: 'zoom', delta: -1 });
    expect(cameraMoveForKey({ key: '0' })).toEqual({ kind: 'home' });
    expect(cameraMoveForKey({ key: 'ArrowLeft', altKey: true })).toBeNull(); // Alt+… are the shell's
    expect(cameraMoveForKey({ key: 'a' })).toBeNull();
  });
});

describe('map settings', () => {
  it('remembers the view per seat and ignores damaged entries', () => {
    const s = new MemoryStore();
    saveView('seat-a', { center: [113.7, 23], zoom: 12.5, bearing: 0, pitch: 0 }, s);
    expect(loadView('seat-a', s)).toEqual({ center: [113.7, 23], zoom: 12.5, bearing: 0, pitch: 0 });
    expect(loadView('seat-b', s)).toBeNull();
    s.setItem(viewKey('seat-b'), '{not json');
    expect(loadView('seat-b', s)).toBeNull();
    expect(parseSavedView({ center: [500, 23], zoom: 3 })).toBeNull();
    expect(parseSavedView({ center: [113, 23], zoom: 40 })).toBeNull();
    expect(parseSavedView({ center: [113, 23], zoom: 9 })).toEqual({
      center: [113, 23],
      zoom: 9,
      bearing: 0,
      pitch: 0,
    });
  });

  it('keeps layer toggles, the shading mode and the tile URL', () => {
    const s = new MemoryStore();
    expect(loadToggles(s)).toEqual(DEFAULT_TOGGLES);
    saveToggles({ ...DEFAULT_TOGGLES, cameras: false }, s);
    expect(loadToggles(s).cameras).toBe(false);
    expect(loadMode(s)).toBe('open');
    saveMode('overdue', s);
    expect(loadMode(s)).toBe('overdue');
    s.setItem('gridConsole.map.choropleth', 'nonsense');
    expect(loadMode(s)).toBe('open');
    expect(loadTileUrl(s)).toBeNull();
    saveTileUrl(' https://tiles.example.gov.cn/{z}/{x}/{y}.png ', s);
    expect(loadTileUrl(s)).toBe('https://tiles.example.gov.cn/{z}/{x}/{y}.png');
    saveTileUrl(null, s);
    expect(loadTileUrl(s)).toBeNull();
  });
});

describe('offline base style', () => {
  it('draws the water alone, with no source and no glyphs: land and boundaries are deck.gl layers', () => {
    const style = offlineStyle(fixtureAreas());
    expect(style.layers.map((l) => l.id)).toEqual(['water']);
    expect('glyphs' in style).toBe(false);
    // The land, the city's outline, town and village boundaries are deck.gl layers
    // (area-layers.ts): no source to load before maplibre's `load`.
    expect(Object.keys(style.sources)).toEqual([]);
    expect(offlineStyle(fixtureAreas(), { tileUrl: 'javascript:alert(1)' }).layers.map((l) => l.id)).toEqual([
      'water',
    ]);
  });

  it('adds a raster tile source under the boundaries only for a usable URL', () => {
    const url = 'https://tiles.example.gov.cn/{z}/{x}/{y}.png';
    const style = offlineStyle(fixtureAreas(), { tileUrl: url });
    expect(style.layers.map((l) => l.id)).toEqual(['water', 'land', TILE_LAYER_ID, 'city-line']);
    expect(style.sources.tiles).toMatchObject({ type: 'raster', tiles: [url] });
    expect(style.layers.map((l) => l.type as string)).not.toContain('symbol');
    expect(styleTiles(url)).toBe(url);
    expect(styleTiles('javascript:alert(1)')).toBeNull();
    expect(offlineStyle(fixtureAreas(), { tileUrl: 'javascript:alert(1)' }).sources.tiles).toBeUndefined();
    expect(isTileUrl('https://a/{z}/{x}/{y}')).toBe(true);
    expect(isTileUrl('https://a/tiles')).toBe(false);
    expect(isTileUrl('file:///{z}/{x}/{y}')).toBe(false);
  });
});

describe('track recorder', () => {
  it('keeps the fixes of watched officers only, in order, within capacity', () => {
    const r = new TrackRecorder(['A', 'B'], 3);
    r.watch(0, { lon: 113.7, lat: 23, at: NOW });
    const batch = (i: number, at: number) => ({
      version: 1,
      count: 1,
      index: Uint32Array.of(i),
      lon: Float64Array.of(113.7 + at / 1e9),
      lat: Float64Array.of(23),
      status: Uint8Array.of(0),
      heading: Float32Array.of(NaN),
      fixAt: Float64Array.of(at),
    });
    r.record(batch(0, NOW + 1000));
    r.record(batch(0, NOW + 500)); // out of order: dropped
    r.record(batch(1, NOW + 1000)); // not watched
    r.record(batch(0, NOW + 2000));
    r.record(batch(0, NOW + 3000)); // capacity 3: the seed falls out
    const t = r.track(0, 0, Infinity);
    expect(t.officerId).toBe('A');
    expect([...t.at]).toEqual([NOW + 1000, NOW + 2000, NOW + 3000]);
    expect(r.track(1, 0, Infinity).at).toHaveLength(0);
    expect([...r.track(0, NOW + 1500, NOW + 2500).at]).toEqual([NOW + 2000]);
    expect(r.isWatched(1)).toBe(false);
  });
});

describe('mergeTracks', () => {
  it('joins main history and live fixes in time order without repeats', () => {
    const m = mergeTracks(
      {
        officerId: 'A',
        at: Float64Array.of(1, 2, 3),
        lon: Float64Array.of(1, 2, 3),
        lat: Float64Array.of(0, 0, 0),
      },
      { officerId: 'A', at: Float64Array.of(3, 5), lon: Float64Array.of(3, 5), lat: Float64Array.of(0, 0) },
    );
    expect([...m.at]).toEqual([1, 2, 3, 5]);
    expect([...m.lon]).toEqual([1, 2, 3, 5]);
  });
});
