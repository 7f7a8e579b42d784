// The map's settings (src-shared/map/settings.ts) kept in this workstation's localStorage.
import * as settings from '../../../src-shared/map/settings';
import type { ChoroplethMode } from '../../../src-shared/map/choropleth';
import type { LayerToggles, SavedView } from '../../../src-shared/map/settings';

export {
  DEFAULT_TOGGLES,
  LAYER_KEYS,
  type LayerKey,
  type LayerToggles,
  type SavedView,
} from '../../../src-shared/map/settings';

const store = (): settings.KeyValueStore | null => globalThis.localStorage ?? null;

export const loadView = (seatId: string): SavedView | null => settings.loadView(seatId, store());
export const saveView = (seatId: string, view: SavedView): void => settings.saveView(seatId, view, store());
export const loadToggles = (): LayerToggles => settings.loadToggles(store());
export const saveToggles = (t: LayerToggles): void => settings.saveToggles(t, store());
export const loadMode = (): ChoroplethMode => settings.loadMode(store());
export const saveMode = (mode: ChoroplethMode): void => settings.saveMode(mode, store());
export const loadTileUrl = (): string | null => settings.loadTileUrl(store());
export const saveTileUrl = (url: string | null): void => settings.saveTileUrl(url, store());
