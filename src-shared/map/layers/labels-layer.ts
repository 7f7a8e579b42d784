// Area names as deck.gl text: the glyphs are drawn from the workstation's own CJK font into a
// texture (no glyph server, no network), limited to the characters the names use.
import type { AreaLevel, MapAreas } from '../areas';
import { areaSet } from '../areas';
import { GRID_LABEL_ZOOM, TOWN_LABEL_MAX_ZOOM, VILLAGE_LABEL_ZOOM } from '../zoom-rules';
import type { LayerFactory } from './layer-factory';

export const LABEL_FONT =
  "'Noto Sans CJK SC', 'Source Han Sans SC', 'Microsoft YaHei', 'PingFang SC', sans-serif";

export interface Label {
  text: string;
  position: [number, number];
}

export interface LabelSet {
  level: AreaLevel;
  labels: Label[];
  /** Every character the labels use: the font atlas holds exactly these. */
  characters: string[];
}

export function characterSetOf(texts: Iterable<string>): string[] {
  const set = new Set<string>();
  for (const t of texts) for (const ch of t) set.add(ch);
  return [...set].sort();
}

export function labelSet(areas: MapAreas, level: AreaLevel): LabelSet {
  const set = areaSet(areas, level);
  const labels: Label[] = [];
  for (let k = 0; k < set.count; k++) {
    const lon = set.centroids[k * 2];
    const lat = set.centroids[k * 2 + 1];
    if (Number.isNaN(lon) || Number.isNaN(lat)) continue;
    labels.push({ text: set.names[k], position: [lon, lat] });
  }
  return { level, labels, characters: characterSetOf(labels.map((l) => l.text)) };
}

export function labelsVisible(level: AreaLevel, zoom: number): boolean {
  if (level === 'town') return zoom < TOWN_LABEL_MAX_ZOOM;
  if (level === 'village') return zoom >= VILLAGE_LABEL_ZOOM[0] && zoom < VILLAGE_LABEL_ZOOM[1];
  return zoom >= GRID_LABEL_ZOOM;
}

const SIZE = { town: 15, village: 13, grid: 13 } as const;
// Module constants: deck.gl compares object props by identity, a fresh literal would rebuild the atlas check.
const FONT_SETTINGS = { sdf: true, fontSize: 40, buffer: 6, radius: 10 };
const HALO: [number, number, number, number] = [8, 16, 26, 255];
const NO_CHARACTERS = ['0'];
const COLOR = {
  town: [255, 255, 255, 255],
  village: [255, 224, 160, 255],
  grid: [220, 250, 255, 255],
} as const;

export function labelsLayer<L>(
  f: LayerFactory<L>,
  set: LabelSet,
  opts: { zoom: number; visible?: boolean },
): L {
  return f.text<Label>({
    id: `${set.level}-labels`,
    data: set.labels,
    getText: (d) => d.text,
    getPosition: (d) => d.position,
    getSize: SIZE[set.level],
    sizeUnits: 'pixels',
    getColor: [...COLOR[set.level]],
    fontFamily: LABEL_FONT,
    fontWeight: set.level === 'village' ? 'normal' : 'bold',
    // An empty set would make a zero-height glyph texture, which WebGL refuses.
    characterSet: set.characters.length > 0 ? set.characters : NO_CHARACTERS,
    fontSettings: FONT_SETTINGS,
    outlineWidth: 3,
    outlineColor: HALO,
    getTextAnchor: 'middle',
    getAlignmentBaseline: 'center',
    visible: (opts.visible ?? true) && labelsVisible(set.level, opts.zoom),
  });
}
