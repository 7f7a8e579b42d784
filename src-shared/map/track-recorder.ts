// Fixes of watched officers kept in small ring buffers, so a selected officer's recent track
// can be replayed even when main has no track history to offer. A flag per officer keeps the
// check in the position hot path to one byte read.
import type { OfficerTrack, PositionBatch } from '../ipc/map-data';

const CAPACITY = 2048;

interface Ring {
  lon: Float64Array;
  lat: Float64Array;
  at: Float64Array;
  start: number;
  length: number;
}

export class TrackRecorder {
  private readonly watched: Uint8Array;
  private readonly rings = new Map<number, Ring>();

  constructor(
    private readonly ids: readonly string[],
    private readonly capacity = CAPACITY,
  ) {
    this.watched = new Uint8Array(ids.length);
  }

  watch(index: number, seed?: { lon: number; lat: number; at: number }): void {
    if (index < 0 || index >= this.watched.length || this.watched[index]) return;
    this.watched[index] = 1;
    const ring: Ring = {
      lon: new Float64Array(this.capacity),
      lat: new Float64Array(this.capacity),
      at: new Float64Array(this.capacity),
      start: 0,
      length: 0,
    };
    this.rings.set(index, ring);
    if (seed && !Number.isNaN(seed.lon) && !Number.isNaN(seed.at))
      this.push(ring, seed.lon, seed.lat, seed.at);
  }

  isWatched(index: number): boolean {
    return this.watched[index] === 1;
  }

  record(batch: PositionBatch): void {
    if (this.rings.size === 0) return;
    for (let k = 0; k < batch.count; k++) {
      const i = batch.index[k];
      if (this.watched[i] !== 1) continue;
      const ring = this.rings.get(i);
      if (ring) this.push(ring, batch.lon[k], batch.lat[k], batch.fixAt[k]);
    }
  }

  private push(r: Ring, lon: number, lat: number, at: number): void {
    if (r.length > 0) {
      const last = (r.start + r.length - 1) % this.capacity;
      if (at <= r.at[last]) return; // out of order or repeated
    }
    const slot = (r.start + r.length) % this.capacity;
    r.lon[slot] = lon;
    r.lat[slot] = lat;
    r.at[slot] = at;
    if (r.length < this.capacity) r.length++;
    else r.start = (r.start + 1) % this.capacity;
  }

  /** The recorded fixes of one officer within [from, to], oldest first. */
  track(index: number, from: number, to: number): OfficerTrack {
    const r = this.rings.get(index);
    const lon: number[] = [];
    const lat: number[] = [];
    const at: number[] = [];
    if (r) {
      for (let k = 0; k < r.length; k++) {
        const s = (r.start + k) % this.capacity;
        if (r.at[s] < from || r.at[s] > to) continue;
        lon.push(r.lon[s]);
        lat.push(r.lat[s]);
        at.push(r.at[s]);
      }
    }
    return {
      officerId: this.ids[index] ?? '',
      lon: Float64Array.from(lon),
      lat: Float64Array.from(lat),
      at: Float64Array.from(at),
    };
  }
}

/**
 * One officer's fixes from two sources (main's recorded history and what this map saw live,
 * which may be newer than main has written yet), in time order without repeats.
 */
export function mergeTracks(a: OfficerTrack, b: OfficerTrack): OfficerTrack {
  const rows: [number, number, number][] = [];
  for (const t of [a, b]) for (let i = 0; i < t.at.length; i++) rows.push([t.at[i], t.lon[i], t.lat[i]]);
  rows.sort((x, y) => x[0] - y[0]);
  const kept = rows.filter((r, i) => i === 0 || r[0] !== rows[i - 1][0]);
  return {
    officerId: a.officerId || b.officerId,
    at: Float64Array.from(kept, (r) => r[0]),
    lon: Float64Array.from(kept, (r) => r[1]),
    lat: Float64Array.from(kept, (r) => r[2]),
  };
}
