// Legend: what is drawn at this zoom (counts per town or village in the city view, or every
// point), officer statuses, case priorities, video points, the grid outline, and the classes of
// the current shading.
import { MAP_OFFICER_STATUSES, MAP_PRIORITIES } from '../../../src-shared/ipc/map-data';
import { useI18n } from '../i18n';
import type { MessageKey } from '../i18n/zh-CN';
import type { Choropleth } from '../../../src-shared/map/choropleth';
import type { DrawMode } from '../../../src-shared/map/aggregate';
import { POINT_ZOOM } from '../../../src-shared/map/zoom-rules';
import { formatValue } from './describe';
import {
  AGG_CASE_COLORS,
  AGG_OFFICER,
  AGG_RING,
  CAMERA_OFFLINE,
  CAMERA_ONLINE,
  CASE_PENDING_RING,
  CASE_PRIORITY_TABLE,
  GRID_OUTLINE,
  OFFICER_COLOR_TABLE,
  SELECTION,
  ALERT_RING,
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

/** The city view (below POINT_ZOOM): bubbles per area, their colours and the officer tags. */
function CountsLegend({ village }: { village: boolean }) {
  const { t } = useI18n();
  const classes = ['ok', 'warn', 'bad'] as const;
  return (
    <div data-testid="legend-counts">
      <ul>
        <li>
          <Swatch color={toCss(AGG_CASE_COLORS[1])} ring={toCss(AGG_RING)} /> {t('map.legend.agg.size')}
        </li>
        {classes.map((k, i) => (
          <li key={k}>
            <Swatch color={toCss(AGG_CASE_COLORS[i])} /> {t(`map.legend.agg.${k}`)}
          </li>
        ))}
        <li>
          <Swatch color={toCss(AGG_OFFICER)} /> {t('map.legend.agg.officers')}
        </li>
      </ul>
      {village && <p className="muted small">{t('map.legend.agg.villageFigures')}</p>}
      <p className="muted small">{t('map.legend.agg.zoomIn', { zoom: String(POINT_ZOOM) })}</p>
    </div>
  );
}

/** From POINT_ZOOM: every officer, case and video point. */
function PointsLegend() {
  const { t } = useI18n();
  return (
    <div data-testid="legend-points">
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
    </div>
  );
}

export function MapLegend({
  choropleth,
  drawMode,
  alerts,
}: {
  choropleth: Choropleth | null;
  drawMode: DrawMode;
  /** Unacknowledged alerts drawn (at every zoom). */
  alerts: number;
}) {
  const { t } = useI18n();
  const c = choropleth;
  return (
    <details className="map-legend" data-testid="map-legend" data-draw-mode={drawMode} open>
      <summary>{t('map.legend.title')}</summary>
      <h3 data-testid="legend-drawn">{t(`map.legend.drawn.${drawMode}`)}</h3>
      <p
        data-testid="legend-alerts"
        data-count={alerts}
        className={alerts > 0 ? 'legend-alerts-on' : 'muted'}
      >
        <span className="swatch swatch-alert" style={{ borderColor: toCss(ALERT_RING) }} />{' '}
        {t('map.legend.alerts', { n: alerts })}
      </p>
      {drawMode === 'points' ? <PointsLegend /> : <CountsLegend village={drawMode === 'village'} />}
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
