// Legend: officer statuses, case priorities, video points, the grid outline, and the classes
// of the current shading.
import { MAP_OFFICER_STATUSES, MAP_PRIORITIES } from '../../../src-shared/ipc/map-data';
import { useI18n } from '../i18n';
import type { MessageKey } from '../i18n/zh-CN';
import type { Choropleth } from '../../../src-shared/map/choropleth';
import { formatValue } from './describe';
import {
  CAMERA_OFFLINE,
  CAMERA_ONLINE,
  CASE_PENDING_RING,
  CASE_PRIORITY_TABLE,
  GRID_OUTLINE,
  OFFICER_COLOR_TABLE,
  SELECTION,
  toCss,
} from '../../../src-shared/map/palette';

function Swatch({ color, ring, line }: { color?: string; ring?: string; line?: string }) {
  if (line) return <span className="swatch-line" style={{ background: line }} />;
  return (
    <span
      className="swatch"
      style={{ background: color ?? 'transparent', borderColor: ring ?? 'transparent' }}
    />
  );
}

export function MapLegend({ choropleth }: { choropleth: Choropleth | null }) {
  const { t } = useI18n();
  const c = choropleth;
  return (
    <details className="map-legend" data-testid="map-legend" open>
      <summary>{t('map.legend.title')}</summary>
      <h3>{t('map.legend.officers')}</h3>
      <ul>
        {MAP_OFFICER_STATUSES.map((s, i) => (
          <li key={s}>
            <Swatch color={toCss(OFFICER_COLOR_TABLE[i])} /> {t(`map.status.${s}` as MessageKey)}
          </li>
        ))}
      </ul>
      <p className="muted small">{t('map.legend.stale')}</p>
      <h3>{t('map.legend.cases')}</h3>
      <ul>
        {MAP_PRIORITIES.map((p, i) => (
          <li key={p}>
            <Swatch color={toCss(CASE_PRIORITY_TABLE[i])} /> {t(`map.priority.${p}` as MessageKey)}
          </li>
        ))}
        <li>
          <Swatch ring={toCss(SELECTION)} /> {t('map.legend.newCase')}
        </li>
        <li>
          <Swatch ring={toCss(CASE_PENDING_RING)} /> {t('map.legend.pending')}
        </li>
      </ul>
      <h3>{t('map.legend.cameras')}</h3>
      <ul>
        <li>
          <Swatch color={toCss(CAMERA_ONLINE)} /> {t('map.camera.online')}
        </li>
        <li>
          <Swatch color={toCss(CAMERA_OFFLINE)} ring="#e53935" /> {t('map.camera.offline')}
        </li>
        <li>
          <Swatch line={toCss(GRID_OUTLINE)} /> {t('map.legend.gridOutline')}
        </li>
      </ul>
      {c && c.mode !== 'none' && (
        <div data-testid="legend-shading">
          <h3>
            {t('map.legend.shading', {
              level: t(`map.level.${c.level}` as MessageKey),
              mode: t(`map.mode.${c.mode}` as MessageKey),
            })}
          </h3>
          {c.breaks.length === 0 && c.mode !== 'onDuty' ? (
            <p className="muted small">{t('map.legend.noData')}</p>
          ) : (
            <ul className="ramp">
              {c.ramp.map((rgb, k) => {
                const lo = k === 0 ? (c.mode === 'onDuty' ? 0 : null) : c.breaks[k - 1];
                const hi = c.breaks[k];
                if (k > 0 && lo === undefined) return null;
                const text =
                  hi === undefined
                    ? `> ${formatValue(lo ?? 0)}`
                    : lo === null
                      ? `≤ ${formatValue(hi)}`
                      : `${formatValue(lo)} – ${formatValue(hi)}`;
                return (
                  <li key={k}>
                    <Swatch color={toCss(rgb, 0.6)} /> {text}
                  </li>
                );
              })}
            </ul>
          )}
        </div>
      )}
    </details>
  );
}
