// What the map remembers on a workstation: the camera per seat, the layer toggles and the
// shading mode, and an optional raster tile service. The store is injected (the renderer passes
// localStorage); a damaged entry is ignored, never fatal.
import type { ChoroplethMode } from './choropleth';
import { CHOROPLETH_MODES } from './choropleth';

export interface SavedView {
  center: [number, number];
  zoom: number;
  bearing: number;
  pitch: number;
}

export const LAYER_KEYS = [
  'areas',
  'grids',
  'labels',
  'officers',
  'cameras',
  'cases',
  'places',
  'tracks',
] as const;
export type LayerKey = (typeof LAYER_KEYS)[number];
export type LayerToggles = Record<LayerKey, boolean>;
export const DEFAULT_TOGGLES: LayerToggles = {
  areas: true,
  grids: true,
  labels: true,
  officers: true,
  cameras: true,
  cases: true,
  places: true,
  tracks: true,
};

export interface KeyValueStore {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

const PREFIX = 'gridConsole.map.';
export const viewKey = (seatId: string): string => `${PREFIX}view.${seatId}`;
export const TILE_URL_KEY = `${PREFIX}tileUrl`;
const TOGGLES_KEY = `${PREFIX}layers`;
const MODE_KEY = `${PREFIX}choropleth`;

function readJson(key: string, s: KeyValueStore | null): unknown {
  try {
    const text = s?.getItem(key);
    return text ? (JSON.parse(text) as unknown) : null;
  } catch {
    return null;
  }
}

const finite = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

export function parseSavedView(v: unknown): SavedView | null {
  if (typeof v !== 'object' || v === null) return null;
  const r = v as Record<string, unknown>;
  const c = r.center;
  if (!Array.isArray(c) || c.length !== 2 || !finite(c[0]) || !finite(c[1])) return null;
  if (!finite(r.zoom) || r.zoom < 0 || r.zoom > 24) return null;
  if (Math.abs(c[0]) > 180 || Math.abs(c[1]) > 90) return null;
  return {
    center: [c[0], c[1]],
    zoom: r.zoom,
    bearing: finite(r.bearing) ? r.bearing : 0,
    pitch: finite(r.pitch) ? r.pitch : 0,
  };
}

export function loadView(seatId: string, s: KeyValueStore | null): SavedView | null {
  return parseSavedView(readJson(viewKey(seatId), s));
}

export function saveView(seatId: string, view: SavedView, s: KeyValueStore | null): void {
  s?.setItem(viewKey(seatId), JSON.stringify(view));
}

export function loadToggles(s: KeyValueStore | null): LayerToggles {
  const v = readJson(TOGGLES_KEY, s);
  const out = { ...DEFAULT_TOGGLES };
  if (typeof v === 'object' && v !== null) {
    for (const k of LAYER_KEYS) {
      const b = (v as Record<string, unknown>)[k];
      if (typeof b === 'boolean') out[k] = b;
    }
  }
  return out;
}

export function saveToggles(t: LayerToggles, s: KeyValueStore | null): void {
  s?.setItem(TOGGLES_KEY, JSON.stringify(t));
}

export function loadMode(s: KeyValueStore | null): ChoroplethMode {
  const v = s?.getItem(MODE_KEY);
  return (CHOROPLETH_MODES as readonly string[]).includes(v ?? '') ? (v as ChoroplethMode) : 'open';
}

export function saveMode(mode: ChoroplethMode, s: KeyValueStore | null): void {
  s?.setItem(MODE_KEY, mode);
}

export function loadTileUrl(s: KeyValueStore | null): string | null {
  const v = s?.getItem(TILE_URL_KEY);
  return v && v.trim().length > 0 ? v.trim() : null;
}

export function saveTileUrl(url: string | null, s: KeyValueStore | null): void {
  if (url && url.trim().length > 0) s?.setItem(TILE_URL_KEY, url.trim());
  else s?.removeItem(TILE_URL_KEY);
}
