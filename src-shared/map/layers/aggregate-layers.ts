// The city view's layers (below POINT_ZOOM): per town or village a bubble sized by its open
// cases and coloured by their overdue share, the count on it, the area's name above it and the
// officers on duty on a blue tag below. See aggregate.ts for why counts per jurisdiction.
import type { AreaCounts } from '../aggregate';
import { bubbleRadius, overdueClass } from '../aggregate';
import type { MapAreas } from '../areas';
import { areaSet } from '../areas';
import { AGG_CASE_COLORS, AGG_OFFICER, AGG_RING } from '../palette';
import type { LayerFactory } from './layer-factory';
import { characterSetOf, LABEL_FONT } from './labels-layer';
import { placeLabels } from '../label-placement';

export const AGG_BUBBLES_ID = 'agg-bubbles';
export const AGG_COUNTS_ID = 'agg-counts';
export const AGG_NAMES_ID = 'agg-names';
export const AGG_OFFICERS_ID = 'agg-officers';

export interface AggItem {
  /** Index of the area in its AreaSet (picking gives the area). */
  area: number;
  position: [number, number];
  name: string;
  cases: number;
  overdue: number;
  onDuty: number;
  radius: number;
  color: [number, number, number, number];
}

export interface AggView {
  counts: AreaCounts;
  items: AggItem[];
  /**
   * The items that get figures (count, officer tag): every town; a village only when its bubble
   * is big enough to carry a number (hundreds of small tags would cover the city again).
   */
  labelled: AggItem[];
  /** The items with open cases (the others get no bubble). */
  bubbles: AggItem[];
  /** The labelled items with open cases (the others have no bubble to carry a count). */
  counted: AggItem[];
  /** Glyphs of the names (the counts use digits only). */
  nameCharacters: string[];
}

/** One item per area with a place to draw it. */
export function aggView(areas: MapAreas, counts: AreaCounts): AggView {
  const set = areaSet(areas, counts.level);
  const items: AggItem[] = [];
  for (let a = 0; a < set.count; a++) {
    const lon = set.centroids[a * 2];
    const lat = set.centroids[a * 2 + 1];
    if (Number.isNaN(lon) || Number.isNaN(lat)) continue;
    const cases = counts.cases[a];
    const onDuty = counts.onDuty[a];
    const rgb = AGG_CASE_COLORS[overdueClass(cases, counts.overdue[a])];
    items.push({
      area: a,
      position: [lon, lat],
      name: set.names[a],
      cases,
      overdue: counts.overdue[a],
      onDuty,
      radius: bubbleRadius(cases, counts.maxCases, counts.level),
      color: [rgb[0], rgb[1], rgb[2], 255],
    });
  }
  // Small bubbles over big ones, so a quiet village next to a busy one is not hidden.
  items.sort((x, y) => y.radius - x.radius);
  const labelled = counts.level === 'town' ? items : items.filter((i) => i.radius >= VILLAGE_FIGURE_RADIUS);
  const bubbles = items.filter((i) => i.cases > 0);
  return {
    counts,
    items,
    labelled,
    bubbles,
    counted: labelled.filter((i) => i.cases > 0),
    nameCharacters: characterSetOf(items.map((i) => i.name)),
  };
}

/** The town names that fit at `zoom`, with their offsets (label-placement.ts). */
export function placedNames(
  v: AggView,
  zoom: number,
  bubbles: boolean,
  tags: boolean,
): { item: AggItem; offset: readonly [number, number] }[] {
  const labelled = new Set(v.labelled);
  const offsets = placeLabels(
    v.items.map((d) => ({
      position: d.position,
      radius: bubbles && d.cases > 0 ? d.radius : 0,
      name: d.name,
      cases: d.cases,
      tagged: tags && labelled.has(d),
    })),
    zoom,
  );
  const out: { item: AggItem; offset: readonly [number, number] }[] = [];
  v.items.forEach((item, k) => {
    const offset = offsets[k];
    if (offset) out.push({ item, offset });
  });
  return out;
}

/** A village bubble at least this wide (pixels of radius) carries its figures. */
export const VILLAGE_FIGURE_RADIUS = 9;

const DIGITS = [...'0123456789'];
const WHITE: [number, number, number, number] = [255, 255, 255, 255];
const HALO: [number, number, number, number] = [8, 16, 26, 255];
const FONT_SETTINGS = { sdf: true, fontSize: 40, buffer: 6, radius: 10 };
const NO_CHARACTERS = ['0'];
const EMPTY_VIEW: AggView = {
  counts: {
    level: 'town',
    cases: new Uint32Array(0),
    overdue: new Uint32Array(0),
    onDuty: new Uint32Array(0),
    maxCases: 0,
  },
  items: [],
  labelled: [],
  bubbles: [],
  counted: [],
  nameCharacters: [],
};

export type AggPart = 'bubbles' | 'counts' | 'names' | 'officers';
export const AGG_PARTS: readonly AggPart[] = ['bubbles', 'counts', 'names', 'officers'];

/**
 * One of the city view's layers: the bubbles and counts (cases), the town names (the labels
 * toggle) or the officer tags (officers). `view` null = the map is at point zoom: hidden.
 */
export function aggregateLayer<L>(
  f: LayerFactory<L>,
  part: AggPart,
  view: AggView | null,
  opts: { cases: boolean; officers: boolean; names: boolean; zoom?: number },
): L {
  const v = view ?? EMPTY_VIEW;
  const visible = view !== null;
  const town = v.counts.level === 'town';
  const cases = visible && opts.cases;
  switch (part) {
    case 'bubbles':
      return f.scatterplot<AggItem>({
        id: AGG_BUBBLES_ID,
        data: v.bubbles,
        getPosition: (d) => d.position,
        getRadius: (d) => d.radius,
        getFillColor: (d) => d.color,
        getLineColor: [...AGG_RING, 255],
        radiusUnits: 'pixels',
        stroked: true,
        lineWidthUnits: 'pixels',
        getLineWidth: 1.5,
        pickable: true,
        visible: cases,
      });
    case 'counts':
      return f.text<AggItem>({
        id: AGG_COUNTS_ID,
        data: v.counted,
        getText: (d) => String(d.cases),
        getPosition: (d) => d.position,
        getSize: town ? 13 : 10,
        sizeUnits: 'pixels',
        getColor: WHITE,
        fontFamily: LABEL_FONT,
        fontWeight: 'bold',
        characterSet: DIGITS,
        fontSettings: FONT_SETTINGS,
        outlineWidth: 3,
        outlineColor: HALO,
        getTextAnchor: 'middle',
        getAlignmentBaseline: 'center',
        visible: cases,
      });
    case 'names': {
      // Town names placed clear of each other, the bubbles and the officer tags at this zoom
      // (label-placement.ts); without a zoom, each above its bubble.
      const placed =
        town && opts.zoom !== undefined
          ? placedNames(v, opts.zoom, opts.cases, opts.officers)
          : v.items.map((d) => ({
              item: d,
              offset: [0, -(Math.max(d.radius, 6) + (town ? 10 : 7))] as const,
            }));
      return f.text<{ item: AggItem; offset: readonly [number, number] }>({
        id: AGG_NAMES_ID,
        data: placed,
        getText: (d) => d.item.name,
        getPosition: (d) => d.item.position,
        getPixelOffset: (d) => [d.offset[0], d.offset[1]],
        getSize: town ? 15 : 11,
        sizeUnits: 'pixels',
        getColor: WHITE,
        fontFamily: LABEL_FONT,
        fontWeight: town ? 'bold' : 'normal',
        characterSet: v.nameCharacters.length > 0 ? v.nameCharacters : NO_CHARACTERS,
        fontSettings: FONT_SETTINGS,
        outlineWidth: 3,
        outlineColor: HALO,
        getTextAnchor: 'middle',
        getAlignmentBaseline: 'center',
        // Village names would cover the city at this zoom: only towns are named.
        visible: visible && opts.names && town,
      });
    }
    case 'officers':
      return f.text<AggItem>({
        id: AGG_OFFICERS_ID,
        data: v.labelled,
        getText: (d) => String(d.onDuty),
        getPosition: (d) => d.position,
        getPixelOffset: (d) => [0, Math.max(d.radius, 6) + 10],
        getSize: 11,
        sizeUnits: 'pixels',
        getColor: WHITE,
        fontFamily: LABEL_FONT,
        fontWeight: 'bold',
        characterSet: DIGITS,
        fontSettings: FONT_SETTINGS,
        background: true,
        getBackgroundColor: [...AGG_OFFICER, 255],
        backgroundPadding: [4, 1, 4, 1],
        getTextAnchor: 'middle',
        getAlignmentBaseline: 'center',
        visible: visible && opts.officers,
      });
  }
}
