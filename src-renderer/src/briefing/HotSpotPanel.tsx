// The hot-spot layer of the briefing: the week's cases per village, at the village's
// centre, binned into hexagons by deck.gl's HexagonLayer in a small map panel of its own (no
// base map: the situation map belongs to src-renderer/src/map). `hotSpotLayer` is the same layer
// for whoever wires it into the main map: pass it among the map's deck layers.
import { HexagonLayer } from '@deck.gl/aggregation-layers';
import { Deck, WebMercatorViewport, type Layer, type PickingInfo } from '@deck.gl/core';
import { useEffect, useRef } from 'react';
import type { BriefingHotSpot } from '../../../src-shared/briefing/view';
import { useI18n } from '../i18n';

export const HOT_SPOT_RADIUS_M = 1200;

/** Low (blue) to high (red), as the heat grid. */
const COLOR_RANGE: Array<[number, number, number]> = [
  [24, 70, 110],
  [47, 155, 255],
  [120, 190, 160],
  [245, 166, 35],
  [255, 110, 60],
  [255, 77, 79],
];

export function hotSpotLayer(
  spots: readonly BriefingHotSpot[],
  options: { id?: string; radius?: number; opacity?: number; pickable?: boolean } = {},
): Layer {
  return new HexagonLayer<BriefingHotSpot>({
    id: options.id ?? 'briefing-hot-spots',
    data: spots,
    getPosition: (d) => [d.lon, d.lat],
    getColorWeight: (d) => d.count,
    colorAggregation: 'SUM',
    getElevationWeight: (d) => d.count,
    elevationAggregation: 'SUM',
    radius: options.radius ?? HOT_SPOT_RADIUS_M,
    extruded: false,
    coverage: 0.92,
    colorRange: COLOR_RANGE,
    opacity: options.opacity ?? 0.85,
    pickable: options.pickable ?? true,
    gpuAggregation: false,
  });
}

export function HotSpotPanel({
  spots,
  onPick,
  large,
}: {
  spots: readonly BriefingHotSpot[];
  onPick?: (villageCodes: string[]) => void;
  large?: boolean;
}) {
  const { t } = useI18n();
  const host = useRef<HTMLDivElement | null>(null);
  const deck = useRef<Deck | null>(null);
  const pick = useRef(onPick);
  useEffect(() => {
    pick.current = onPick;
  }, [onPick]);
  const width = large ? 1100 : 680;
  const height = large ? 560 : 340;

  useEffect(() => {
    const el = host.current;
    if (!el || spots.length === 0) return;
    let minLon = Infinity;
    let minLat = Infinity;
    let maxLon = -Infinity;
    let maxLat = -Infinity;
    for (const s of spots) {
      minLon = Math.min(minLon, s.lon);
      maxLon = Math.max(maxLon, s.lon);
      minLat = Math.min(minLat, s.lat);
      maxLat = Math.max(maxLat, s.lat);
    }
    const pad = 0.02;
    const view = new WebMercatorViewport({ width, height }).fitBounds(
      [
        [minLon - pad, minLat - pad],
        [maxLon + pad, maxLat + pad],
      ],
      { padding: 16 },
    );
    const layer = hotSpotLayer(spots);
    if (!deck.current) {
      const canvas = document.createElement('canvas');
      canvas.style.width = `${width}px`;
      canvas.style.height = `${height}px`;
      el.replaceChildren(canvas);
      deck.current = new Deck({
        canvas,
        width,
        height,
        initialViewState: { longitude: view.longitude, latitude: view.latitude, zoom: view.zoom },
        controller: true,
        layers: [layer],
        // Keep the drawing buffer so screenshots and print capture the hexagons.
        deviceProps: { type: 'webgl', webgl: { preserveDrawingBuffer: true } },
        onClick: (info: PickingInfo) => {
          const obj = info.object as { points?: Array<{ source: BriefingHotSpot } | BriefingHotSpot> } | null;
          const codes = (obj?.points ?? []).map((p) => ('source' in p ? p.source.code : p.code));
          if (codes.length > 0) pick.current?.(codes);
        },
        getTooltip: (info: PickingInfo) => {
          const obj = info.object as { colorValue?: number } | null;
          return obj?.colorValue === undefined ? null : `${obj.colorValue}`;
        },
      });
    } else {
      deck.current.setProps({
        layers: [layer],
        initialViewState: { longitude: view.longitude, latitude: view.latitude, zoom: view.zoom },
      });
    }
  }, [spots, width, height]);

  useEffect(
    () => () => {
      deck.current?.finalize();
      deck.current = null;
    },
    [],
  );

  if (spots.length === 0) return <p className="muted">{t('briefing.hot.none')}</p>;
  return (
    <div>
      <div ref={host} className="briefing-hot-map" style={{ width, height }} data-testid="briefing-hot-map" />
      <p className="muted briefing-note">{t('briefing.hot.legend', { r: HOT_SPOT_RADIUS_M })}</p>
    </div>
  );
}
