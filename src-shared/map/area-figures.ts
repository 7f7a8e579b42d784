// What a town, village or grid card shows: its officers and open cases, from the columns.
import type { MapSnapshot } from '../ipc/map-data';
import { MAP_OFFICER_STATUSES } from '../ipc/map-data';
import { areaOfGrid, type AreaLevel, type MapAreas } from './areas';
import { LOST_MS } from './officer-buffers';

const ON_DUTY = new Set(
  (['patrol', 'handling', 'on_duty', 'sos'] as const).map((s) => MAP_OFFICER_STATUSES.indexOf(s)),
);

export interface AreaFigures {
  /** Indices into snapshot.officers of the officers homed here. */
  officers: number[];
  onDuty: number;
  /** Indices into snapshot.cases of the open cases here, most urgent first. */
  cases: number[];
  overdue: number;
}

export function areaFigures(
  areas: MapAreas,
  snapshot: MapSnapshot,
  gridMap: Int32Array,
  level: AreaLevel,
  index: number,
  now: number,
): AreaFigures {
  const inArea = (snapshotGrid: number): boolean =>
    snapshotGrid < gridMap.length && areaOfGrid(areas, level, gridMap[snapshotGrid]) === index;
  const o = snapshot.officers;
  const officers: number[] = [];
  let onDuty = 0;
  for (let i = 0; i < o.count; i++) {
    if (!inArea(o.homeGrid[i])) continue;
    officers.push(i);
    if (ON_DUTY.has(o.status[i]) && now - o.fixAt[i] < LOST_MS) onDuty++;
  }
  const c = snapshot.cases;
  const cases: number[] = [];
  let overdue = 0;
  for (let i = 0; i < c.count; i++) {
    if (!inArea(c.grid[i])) continue;
    cases.push(i);
    if (c.dueAt[i] < now) overdue++;
  }
  cases.sort((a, b) => c.priority[a] - c.priority[b] || c.reportedAt[b] - c.reportedAt[a]);
  officers.sort((a, b) => (o.names[a] < o.names[b] ? -1 : o.names[a] > o.names[b] ? 1 : 0));
  return { officers, onDuty, cases, overdue };
}
