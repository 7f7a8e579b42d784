// Unacknowledged alerts on the situation map (告警: 特急 cases, officer SOS, deadlines about to
// lapse or lapsed): a thick steady ring in the alert colour at every zoom (the city view too —
// an alert is never hidden in a count), and a ring pulsing out of it. Picking the ring picks the
// alert (its disc is filled with a transparent colour, so it can be clicked at its centre);
// the map turns that into the case or the officer. Acknowledged alerts are not handed in.
import { ALERT_RING } from '../palette';
import type { LayerFactory } from './layer-factory';

export const ALERTS_ID = 'alerts';
export const ALERTS_PULSE_ID = 'alerts-pulse';
/** Ring radius and width in pixels (larger than any dot, so the dot stays visible inside). */
export const ALERT_RADIUS_PX = 13;
export const ALERT_LINE_PX = 3;

export interface MapAlert {
  id: string;
  kind: 'emergency' | 'sos' | 'due_soon' | 'lapsed';
  caseId: string | null;
  officerId: string | null;
  /** Where to draw it: the case, or the officer's latest fix. */
  position: [number, number];
}

/** What both rings share: where, how large, in the alert colour. */
const ring = (alerts: readonly MapAlert[]) =>
  ({
    data: alerts,
    getPosition: (a: MapAlert) => a.position,
    radiusUnits: 'pixels',
    getRadius: ALERT_RADIUS_PX,
    stroked: true,
    lineWidthUnits: 'pixels',
    getLineColor: [...ALERT_RING, 255],
  }) as const;

export function alertsLayer<L>(f: LayerFactory<L>, alerts: readonly MapAlert[]): L {
  return f.scatterplot<MapAlert>({
    ...ring(alerts),
    id: ALERTS_ID,
    filled: true,
    getFillColor: [0, 0, 0, 0],
    getLineWidth: ALERT_LINE_PX,
    pickable: true,
    visible: alerts.length > 0,
  });
}

/** The ring that pulses out of each alert (phase 0..1); not drawn when motion is reduced. */
export function alertsPulseLayer<L>(
  f: LayerFactory<L>,
  alerts: readonly MapAlert[],
  opts: { phase: number; visible: boolean },
): L {
  return f.scatterplot<MapAlert>({
    ...ring(alerts),
    id: ALERTS_PULSE_ID,
    radiusScale: 1 + opts.phase,
    filled: false,
    getLineWidth: 2,
    opacity: 0.9 * (1 - opts.phase),
    pickable: false,
    visible: opts.visible && alerts.length > 0,
  });
}
