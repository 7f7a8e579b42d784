// Where the map draws its alerts: an SOS at its officer's latest fix when the map has one, else
// where it was raised; an alert without a finite position is not drawn.
import type { MapSnapshot } from '../../../src-shared/ipc/map-data';
import type { MapAlert } from '../../../src-shared/map/layers/alerts-layer';

export type AlertInput = Omit<MapAlert, 'position'> & { lon: number; lat: number };

export function placeAlerts(alerts: readonly AlertInput[], o: MapSnapshot['officers']): MapAlert[] {
  const officerAt = new Map(o.ids.map((id, i) => [id, i]));
  const drawn: MapAlert[] = [];
  for (const a of alerts) {
    const k = a.officerId !== null ? officerAt.get(a.officerId) : undefined;
    const fix =
      k !== undefined && !Number.isNaN(o.lon[k]) ? ([o.lon[k], o.lat[k]] as [number, number]) : null;
    const position = fix ?? ([a.lon, a.lat] as [number, number]);
    if (!Number.isFinite(position[0]) || !Number.isFinite(position[1])) continue;
    drawn.push({ id: a.id, kind: a.kind, caseId: a.caseId, officerId: a.officerId, position });
  }
  return drawn;
}

/** Same alerts at the same places, in the same order (nothing to redraw). */
export function sameAlerts(a: readonly MapAlert[], b: readonly MapAlert[]): boolean {
  return (
    a.length === b.length &&
    a.every(
      (x, i) => x.id === b[i].id && x.position[0] === b[i].position[0] && x.position[1] === b[i].position[1],
    )
  );
}
