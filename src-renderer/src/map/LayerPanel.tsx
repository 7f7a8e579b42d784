// Layer toggles, the shading mode and the optional tile service.
import { useState } from 'react';
import { useI18n } from '../i18n';
import type { MessageKey } from '../i18n/zh-CN';
import { isTileUrl } from '../../../src-shared/map/base-style';
import { CHOROPLETH_MODES, type ChoroplethMode } from '../../../src-shared/map/choropleth';
import { LAYER_KEYS, type LayerToggles } from './map-settings';

interface Props {
  toggles: LayerToggles;
  mode: ChoroplethMode;
  tileUrl: string | null;
  usingTiles: boolean;
  onToggles: (t: LayerToggles) => void;
  onMode: (m: ChoroplethMode) => void;
  onTileUrl: (url: string | null) => void;
}

export function LayerPanel(p: Props) {
  const { t } = useI18n();
  const [url, setUrl] = useState(p.tileUrl ?? '');
  return (
    <details className="map-layers" data-testid="map-layers">
      <summary data-testid="map-layers-toggle">{t('map.layers.title')}</summary>
      <ul>
        {LAYER_KEYS.map((k) => (
          <li key={k}>
            <label>
              <input
                type="checkbox"
                data-testid={`layer-${k}`}
                checked={p.toggles[k]}
                onChange={(e) => p.onToggles({ ...p.toggles, [k]: e.target.checked })}
              />
              {t(`map.layer.${k}` as MessageKey)}
            </label>
          </li>
        ))}
      </ul>
      <label className="map-mode">
        {t('map.mode.title')}
        <select
          data-testid="map-mode"
          value={p.mode}
          onChange={(e) => p.onMode(e.target.value as ChoroplethMode)}
        >
          {CHOROPLETH_MODES.map((m) => (
            <option key={m} value={m}>
              {t(`map.mode.${m}` as MessageKey)}
            </option>
          ))}
        </select>
      </label>
      <form
        className="map-tiles"
        onSubmit={(e) => {
          e.preventDefault();
          const v = url.trim();
          p.onTileUrl(v.length > 0 && isTileUrl(v) ? v : null);
        }}
      >
        <label>
          {t('map.tiles.label')}
          <input
            data-testid="map-tile-url"
            value={url}
            placeholder="https://…/{z}/{x}/{y}.png"
            onChange={(e) => setUrl(e.target.value)}
          />
        </label>
        <button type="submit" data-testid="map-tile-apply">
          {t('map.tiles.apply')}
        </button>
        <span className="muted small" data-testid="map-base">
          {t(p.usingTiles ? 'map.tiles.online' : 'map.tiles.offline')}
        </span>
      </form>
    </details>
  );
}
