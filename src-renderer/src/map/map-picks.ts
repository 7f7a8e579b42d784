// What a hover, a click or a box on the map hit, in the snapshot's terms (an officer, camera or
// case by its index in the columns, an area by level and index), and where such a pick lies.
// Pure functions of the layer that answered and the data drawn: no maplibre, no deck instance.
import type { PickingInfo } from '@deck.gl/core';
import type { MapSnapshot } from '../../../src-shared/ipc/map-data';
import { areaSet, type AreaLevel, type MapAreas } from '../../../src-shared/map/areas';
import { AGG_BUBBLES_ID, type AggView } from '../../../src-shared/map/layers/aggregate-layers';
import { ALERTS_ID, type MapAlert } from '../../../src-shared/map/layers/alerts-layer';
import { AREA_SHADING_ID, areaPaths } from '../../../src-shared/map/layers/area-layers';
import type { LayerUi } from '../../../src-shared/map/layers/build-layers';
import type { SelectedPoint } from '../../../src-shared/map/layers/selection-layer';
import { OFFICERS_ID } from '../../../src-shared/map/layers/officers-layer';
import { CAMERAS_ID, CASES_ID } from '../../../src-shared/map/layers/point-layers';

/** What a hover or click hit. */
export type MapPick =
  | { kind: 'officer'; index: number }
  | { kind: 'camera'; index: number }
  | { kind: 'case'; index: number }
  | { kind: 'area'; level: AreaLevel; index: number };

export type MapSelection = MapPick | { kind: 'box'; picks: MapPick[] } | null;

/** The layers a box selection picks from. */
export const BOX_LAYER_IDS = [OFFICERS_ID, CAMERAS_ID, CASES_ID];

/** The map's state a pick is read against. */
export interface PickContext {
  snapshot: MapSnapshot;
  /** The city view's counts (bubbles pick their area), null at point zoom. */
  agg: AggView | null;
  /** The level the choropleth shades (a shaded area picks itself). */
  shadingLevel: AreaLevel;
}

export function pickOf(info: PickingInfo, ctx: PickContext): MapPick | null {
  if (!info.layer || info.index < 0) return null;
  switch (info.layer.id) {
    case OFFICERS_ID:
      return { kind: 'officer', index: info.index };
    case CAMERAS_ID:
      return { kind: 'camera', index: info.index };
    case CASES_ID:
      return { kind: 'case', index: info.index };
    case ALERTS_ID: {
      // an alert opens what it is about: its case, or its officer
      const a = info.object as MapAlert | null;
      if (!a) return null;
      const s = ctx.snapshot;
      if (a.caseId !== null) {
        const i = s.cases.ids.indexOf(a.caseId);
        if (i >= 0) return { kind: 'case', index: i };
      }
      if (a.officerId !== null) {
        const i = s.officers.ids.indexOf(a.officerId);
        if (i >= 0) return { kind: 'officer', index: i };
      }
      return null;
    }
    case AGG_BUBBLES_ID: {
      const agg = ctx.agg;
      const area = (info.object as { area?: number } | null)?.area;
      return agg && typeof area === 'number' ? { kind: 'area', level: agg.counts.level, index: area } : null;
    }
    case AREA_SHADING_ID: {
      const poly = (info.object as { area?: number } | null)?.area;
      return typeof poly === 'number' ? { kind: 'area', level: ctx.shadingLevel, index: poly } : null;
    }
    default:
      return null;
  }
}

/** Where a pick lies ([lon, lat]; an area's centroid), or null when it has no position. */
export function positionOf(p: MapPick, s: MapSnapshot, areas: MapAreas): [number, number] | null {
  let lon = NaN;
  let lat = NaN;
  if (p.kind === 'officer') [lon, lat] = [s.officers.lon[p.index], s.officers.lat[p.index]];
  else if (p.kind === 'camera') [lon, lat] = [s.cameras.lon[p.index], s.cameras.lat[p.index]];
  else if (p.kind === 'case') [lon, lat] = [s.cases.lon[p.index], s.cases.lat[p.index]];
  else {
    const set = areaSet(areas, p.level);
    [lon, lat] = [set.centroids[p.index * 2], set.centroids[p.index * 2 + 1]];
  }
  return Number.isNaN(lon) || Number.isNaN(lat) ? null : [lon, lat];
}

/** What a selection highlights: an area's outline (not in a box), and the picked points' rings. */
export function selectionHighlight(
  sel: MapSelection,
  snapshot: MapSnapshot,
  areas: MapAreas,
): Pick<LayerUi, 'selectedArea' | 'selectedPoints'> {
  let selectedArea: LayerUi['selectedArea'] = null;
  let points: SelectedPoint[] | null = null;
  const picks = sel === null ? [] : sel.kind === 'box' ? sel.picks : [sel];
  for (const p of picks) {
    if (p.kind === 'area') {
      if (sel?.kind !== 'box') selectedArea = { level: p.level, paths: areaPaths(areas, p.level, p.index) };
      continue;
    }
    const pos = positionOf(p, snapshot, areas);
    if (pos) (points ??= []).push({ position: pos, radius: p.kind === 'officer' ? 11 : 10 });
  }
  return { selectedArea, selectedPoints: points };
}
