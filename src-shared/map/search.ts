// Search box: grid codes, town and village names and codes, officer names and numbers, case
// numbers 案件编号 (and ids), camera names. Pure over the map's columns; exact hits first, then prefixes, then
// substrings, a few per kind.
import type { MapSnapshot } from '../ipc/map-data';
import type { AreaSet, MapAreas } from './areas';
import { mapCaseNumber } from './case-label';

export const SEARCH_KINDS = ['grid', 'village', 'town', 'officer', 'case', 'camera'] as const;
export type SearchKind = (typeof SEARCH_KINDS)[number];

export interface SearchHit {
  kind: SearchKind;
  /** Index in its area set or snapshot column. */
  index: number;
  /** Code or id. */
  key: string;
  label: string;
  detail: string;
  lon: number;
  lat: number;
}

/** 0 exact, 1 prefix, 2 substring, -1 no match. */
function rank(text: string, q: string): number {
  const t = text.toLowerCase();
  if (t === q) return 0;
  if (t.startsWith(q)) return 1;
  return t.includes(q) ? 2 : -1;
}

const best = (...ranks: number[]): number => {
  const hits = ranks.filter((r) => r >= 0);
  return hits.length > 0 ? Math.min(...hits) : -1;
};

interface Scored {
  hit: SearchHit;
  rank: number;
}

export function searchMap(
  query: string,
  areas: MapAreas,
  snapshot: MapSnapshot | null,
  perKind = 6,
): SearchHit[] {
  const q = query.trim().toLowerCase();
  if (q.length === 0) return [];
  const byKind = new Map<SearchKind, Scored[]>();
  const push = (s: Scored): void => {
    const list = byKind.get(s.hit.kind) ?? [];
    list.push(s);
    byKind.set(s.hit.kind, list);
  };
  const areaHits = (set: AreaSet, kind: SearchKind, parentName: (k: number) => string): void => {
    for (let k = 0; k < set.count; k++) {
      const r =
        kind === 'grid' ? best(rank(set.codes[k], q)) : best(rank(set.names[k], q), rank(set.codes[k], q));
      if (r < 0) continue;
      push({
        rank: r,
        hit: {
          kind,
          index: k,
          key: set.codes[k],
          label: kind === 'grid' ? set.codes[k] : set.names[k],
          detail: parentName(k),
          lon: set.centroids[k * 2],
          lat: set.centroids[k * 2 + 1],
        },
      });
    }
  };
  const villageName = (k: number): string => (k >= 0 ? areas.villages.names[k] : '');
  const townName = (k: number): string => (k >= 0 ? areas.towns.names[k] : '');
  // Grid codes are digits: only search them when the query could be part of one.
  if (/^\d{3,15}$/.test(q)) areaHits(areas.grids, 'grid', (k) => villageName(areas.grids.parent[k]));
  areaHits(areas.villages, 'village', (k) => townName(areas.villages.parent[k]));
  areaHits(areas.towns, 'town', () => areas.cityName);

  if (snapshot) {
    const o = snapshot.officers;
    // Two officers of the same name are told apart by where they work: number · town village grid.
    const gridIndex = new Map(areas.grids.codes.map((c, k) => [c, k]));
    const homeOf = (i: number): string => {
      const code = snapshot.gridCodes[o.homeGrid[i]];
      const k = code === undefined ? undefined : gridIndex.get(code);
      if (k === undefined) return '';
      const v = areas.grids.parent[k];
      const town = v >= 0 ? townName(areas.villages.parent[v]) : '';
      return `${town}${villageName(v)} ${areas.grids.names[k]}`.trim();
    };
    for (let i = 0; i < o.count; i++) {
      const r = best(rank(o.names[i], q), rank(o.numbers[i], q), rank(o.ids[i], q));
      if (r < 0 || Number.isNaN(o.lon[i])) continue;
      push({
        rank: r,
        hit: {
          kind: 'officer',
          index: i,
          key: o.ids[i],
          label: o.names[i],
          detail: [o.numbers[i], homeOf(i)].filter(Boolean).join(' · '),
          lon: o.lon[i],
          lat: o.lat[i],
        },
      });
    }
    const c = snapshot.cases;
    for (let i = 0; i < c.count; i++) {
      // By its human number (or a part of it: the sequence, town-sequence), else by the id.
      const label = mapCaseNumber(c, i);
      const r = best(rank(label, q), rank(c.ids[i], q));
      if (r < 0) continue;
      const grid = snapshot.gridCodes[c.grid[i]] ?? '';
      push({
        rank: r,
        hit: {
          kind: 'case',
          index: i,
          key: c.ids[i],
          label,
          detail: grid,
          lon: c.lon[i],
          lat: c.lat[i],
        },
      });
    }
    const cam = snapshot.cameras;
    if (q.length >= 2) {
      for (let i = 0; i < cam.count; i++) {
        const r = best(rank(cam.names[i], q), rank(cam.ids[i], q));
        if (r < 0) continue;
        push({
          rank: r,
          hit: {
            kind: 'camera',
            index: i,
            key: cam.ids[i],
            label: cam.names[i],
            detail: cam.ids[i],
            lon: cam.lon[i],
            lat: cam.lat[i],
          },
        });
      }
    }
  }

  const out: Scored[] = [];
  for (const kind of SEARCH_KINDS) {
    const list = byKind.get(kind) ?? [];
    list.sort(
      (a, b) => a.rank - b.rank || (a.hit.label < b.hit.label ? -1 : a.hit.label > b.hit.label ? 1 : 0),
    );
    out.push(...list.slice(0, perKind));
  }
  // Exact hits of any kind lead; otherwise the kind order above stands.
  return out
    .map((s, i) => ({ s, i }))
    .sort((a, b) => Number(a.s.rank !== 0) - Number(b.s.rank !== 0) || a.i - b.i)
    .map(({ s }) => s.hit);
}
