// Officer telemetry as the console keeps it: the latest fix per officer (for the map's start)
// and a sampled track per officer for the last 24 h (for the replay). Telemetry is not in the
// server's log, so nothing can be caught up later: what this console hears is all it will have.
// Fixes are buffered and written in one transaction per flush, never one write per fix.
import type { OfficerFix } from '../../src-shared/protocol/entities';
import type { CacheStore, TrackPoint } from './cache-store';

export interface TrackSampling {
  /** Keep at most one point per officer per this many ms. */
  minIntervalMs: number;
  /** …and only when the officer moved this far (metres) since the last kept point, */
  minMoveM: number;
  /** …unless this long has passed (a standing officer still leaves a point now and then). */
  maxStillMs: number;
  /** Points older than this are pruned. */
  keepMs: number;
}

/**
 * Phones report every ~10 s. A city seat hears ~10k officers, ~8 patrol hours each a day:
 * one point per 30 s moving is ≈ 10M rows a day (≈ 42 bytes each: ≈ 0.4 GB), a village seat's
 * 20–40 officers ≈ 1 MB. A replay at 30 s steps still follows the streets of a grid.
 */
export const DEFAULT_TRACK_SAMPLING: TrackSampling = {
  minIntervalMs: 30_000,
  minMoveM: 20,
  maxStillMs: 10 * 60_000,
  keepMs: 24 * 3_600_000,
};

/** Pruning is a range delete per officer; every few minutes keeps each one small. */
const PRUNE_EVERY_MS = 5 * 60_000;

function metres(aLon: number, aLat: number, bLon: number, bLat: number): number {
  const kx = 111_320 * Math.cos((aLat * Math.PI) / 180);
  const dx = (bLon - aLon) * kx;
  const dy = (bLat - aLat) * 110_540;
  return Math.sqrt(dx * dx + dy * dy);
}

export class TelemetryRecorder {
  private latest = new Map<string, OfficerFix>();
  private track: TrackPoint[] = [];
  /** The last point kept per officer (in memory only: after a restart the first fix is kept). */
  private readonly kept = new Map<string, TrackPoint>();
  private lastPrune = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly cache: CacheStore,
    private readonly now: () => number,
    private readonly sampling: TrackSampling = DEFAULT_TRACK_SAMPLING,
  ) {}

  receive(fixes: readonly OfficerFix[]): void {
    const oldest = this.now() - this.sampling.keepMs;
    for (const f of fixes) {
      const held = this.latest.get(f.officerId);
      if (!held || held.at <= f.at) this.latest.set(f.officerId, f);
      if (f.at < oldest) continue;
      const prev = this.kept.get(f.officerId);
      if (prev) {
        const dt = f.at - prev.at;
        if (dt < this.sampling.minIntervalMs) continue;
        if (
          dt < this.sampling.maxStillMs &&
          metres(prev.lon, prev.lat, f.lon, f.lat) < this.sampling.minMoveM
        )
          continue;
      }
      const p: TrackPoint = { officerId: f.officerId, at: f.at, lon: f.lon, lat: f.lat };
      this.kept.set(f.officerId, p);
      this.track.push(p);
    }
  }

  /** Write what was received since the last flush; prune old track points now and then. */
  flush(): void {
    const now = this.now();
    if (this.latest.size > 0 || this.track.length > 0) {
      const fixes = [...this.latest.values()];
      const track = this.track;
      this.latest = new Map();
      this.track = [];
      this.cache.putTelemetry(fixes, track);
    }
    if (now - this.lastPrune >= PRUNE_EVERY_MS) {
      this.lastPrune = now;
      this.cache.pruneTracks(now - this.sampling.keepMs);
    }
  }
}
