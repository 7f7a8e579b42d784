// Track replay of selected officers (TripsLayer). Times are seconds from the window's start:
// the layer keeps timestamps as float32, which cannot hold epoch milliseconds.
import type { OfficerTrack } from '../../ipc/map-data';
import type { Rgb } from '../palette';
import type { LayerFactory } from './layer-factory';

export const TRACKS_ID = 'tracks';

export interface Trip {
  officerId: string;
  path: [number, number][];
  /** Seconds since `Replay.from`. */
  times: number[];
  color: Rgb;
}

export interface Replay {
  from: number;
  to: number;
  trips: Trip[];
}

const TRACK_COLORS: readonly Rgb[] = [
  [255, 64, 129],
  [0, 229, 255],
  [255, 234, 0],
  [118, 255, 3],
  [224, 64, 251],
  [255, 145, 0],
];

/** Tracks clipped to [from, to], as trips with times relative to `from`. */
export function tripsOf(tracks: readonly OfficerTrack[], from: number, to: number): Replay {
  const trips: Trip[] = [];
  tracks.forEach((t, k) => {
    const path: [number, number][] = [];
    const times: number[] = [];
    for (let i = 0; i < t.at.length; i++) {
      const at = t.at[i];
      if (at < from || at > to || Number.isNaN(t.lon[i]) || Number.isNaN(t.lat[i])) continue;
      path.push([t.lon[i], t.lat[i]]);
      times.push((at - from) / 1000);
    }
    if (path.length > 0)
      trips.push({ officerId: t.officerId, path, times, color: TRACK_COLORS[k % TRACK_COLORS.length] });
  });
  return { from, to, trips };
}

const NO_TRIPS: Trip[] = [];

/** `time` is seconds since the window's start; `trail` how many seconds of track stay visible. */
export function tracksLayer<L>(
  f: LayerFactory<L>,
  replay: Replay | null,
  opts: { time: number; trail: number },
): L {
  return f.trips<Trip>({
    id: TRACKS_ID,
    data: replay?.trips ?? NO_TRIPS,
    getPath: (d) => d.path,
    getTimestamps: (d) => d.times,
    getColor: (d) => [...d.color],
    currentTime: opts.time,
    trailLength: opts.trail,
    fadeTrail: true,
    capRounded: true,
    jointRounded: true,
    widthUnits: 'pixels',
    getWidth: 4,
    visible: replay !== null && replay.trips.length > 0,
  });
}
