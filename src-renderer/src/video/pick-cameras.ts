// Which cameras the wall opens for a selection: nearest to the case/officer/camera, the grid's
// own cameras for a grid. Pure (tested through the e2e and usable anywhere).
import { distanceM } from '../../../src-shared/desk/recommend';
import type { Camera } from '../../../src-shared/protocol/entities';

export interface PickedCamera {
  camera: Camera;
  distanceM: number | null;
}

/** The `limit` cameras nearest to (lon, lat), online ones first at equal rank, within `withinM`. */
export function nearestCameras(
  cameras: readonly Camera[],
  lon: number,
  lat: number,
  limit: number,
  withinM = 5_000,
): PickedCamera[] {
  const out: PickedCamera[] = [];
  const box = withinM / 80_000; // degrees; > withinM at any latitude the console serves
  for (const camera of cameras) {
    if (Math.abs(camera.lat - lat) > box || Math.abs(camera.lon - lon) > box * 1.3) continue;
    const d = distanceM(lon, lat, camera.lon, camera.lat);
    if (d <= withinM) out.push({ camera, distanceM: d });
  }
  return out.sort((a, b) => (a.distanceM ?? 0) - (b.distanceM ?? 0)).slice(0, limit);
}

export function gridCameras(cameras: readonly Camera[], gridCode: string, limit: number): PickedCamera[] {
  return cameras
    .filter((c) => c.gridCode === gridCode)
    .slice(0, limit)
    .map((camera) => ({ camera, distanceM: null }));
}
