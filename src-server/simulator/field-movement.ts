// The grid officers' bodies and phones (part of the field simulator): where each one stands in
// the home grid, walking its patrol or to a task, its status from the duty roster and the work
// in hand, and the position fixes the phone sends (telemetry, straight to the hub — a fix is not
// a command), with the odd lost signal and, rarely, an SOS.
import type { OfficerStatus } from '../../src-shared/domain/case-model';
import { HOUR_MS, MINUTE_MS } from '../../src-shared/domain/calendar';
import {
  bboxOf,
  fromGeometry,
  randomPointInMultiPolygon,
  type BBox,
  type MultiPolygon,
} from '../../src-shared/domain/geo';
import type { OfficerFix } from '../../src-shared/protocol/entities';
import { dutyAt } from './duty-roster';
import { distanceM, round6, type FieldBody, type FieldHost, type Worker } from './field-world';

const OFFLINE_AFTER_MS = 10 * MINUTE_MS;
/** Chance per on-duty hour that a phone loses its signal for a while. */
const DARK_PER_HOUR = 0.01;
/** Chance per on-duty hour of an SOS (rare: a handful a day across the city). */
const SOS_PER_HOUR = 1 / 15_000;

export class FieldMovement {
  private readonly gridShapes = new Map<string, { mp: MultiPolygon; bbox: BBox }>();
  /** Grid code → its position in the point index (ReferenceData builds the index in gridsByIndex order). */
  private readonly gridIndex = new Map<string, number>();

  constructor(
    private readonly host: Pick<FieldHost, 'server' | 'rng' | 'calendar' | 'stats' | 'crew' | 'now'>,
    /** Real ms between two fixes of an on-duty officer's phone (jittered ±30 %). */
    private readonly fixIntervalMs: number,
  ) {
    host.server.ref.gridsByIndex.forEach((g, i) => this.gridIndex.set(g.code, i));
  }

  /** The grid's position in the point index, -1 for an unknown code. */
  gridIndexOf(gridCode: string): number {
    return this.gridIndex.get(gridCode) ?? -1;
  }

  /** A body in the home grid: where the hub last saw the officer, or anywhere in the grid. */
  placeBody(
    officerId: string,
    gridCode: string,
    gridIdx: number,
    realNow: number,
    simNow: number,
  ): FieldBody | null {
    if (gridIdx < 0) return null;
    const { server, rng } = this.host;
    const held = server.telemetry.get(officerId);
    const index = server.ref.pointIndex;
    const start: [number, number] | null =
      held && index.lookupIndex(held.lon, held.lat) === gridIdx
        ? [held.lon, held.lat]
        : this.randomPointIn(gridCode, gridIdx);
    if (!start) return null;
    const to = this.randomPointIn(gridCode, gridIdx) ?? start;
    return {
      gridCode,
      gridIdx,
      lon: start[0],
      lat: start[1],
      toLon: to[0],
      toLat: to[1],
      // Mostly on foot (≈ 1.2 m/s), a third on e-bikes between stops (≈ 3 m/s on average).
      pace: rng.next() < 0.67 ? rng.range(1.0, 1.5) : rng.range(2.5, 3.5),
      heading: null,
      busyUntil: 0,
      darkUntil: 0,
      offlineSent: false,
      sosUntil: 0,
      lastFixSim: simNow,
      lastMoveSim: simNow,
      // Spread the first fixes over one interval so they do not all land in the first tick.
      nextFixAt: realNow + rng.next() * this.fixIntervalMs,
      status: null,
    };
  }

  /** Move the officers that are due a fix and send it. */
  updateBodies(t: number): void {
    const realNow = this.host.now();
    for (const w of this.host.crew.fieldWorkers) {
      const body = w.body as FieldBody;
      if (body.nextFixAt > realNow) continue;
      this.stepBody(w, body, t, realNow);
    }
  }

  private stepBody(w: Worker, body: FieldBody, t: number, realNow: number): void {
    const { rng } = this.host;
    const dt = Math.max(0, t - body.lastMoveSim);
    body.lastMoveSim = t;
    const duty = dutyAt(w.plan, t, this.host.calendar);
    const onDuty = duty !== 'off' || w.active.size > 0;
    let interval = this.fixIntervalMs * rng.range(0.7, 1.3);

    if (onDuty && body.sosUntil <= t && rng.next() < (SOS_PER_HOUR * dt) / HOUR_MS) {
      body.sosUntil = t + rng.range(10, 30) * MINUTE_MS;
    }
    if (onDuty && body.darkUntil <= t && body.sosUntil <= t && rng.next() < (DARK_PER_HOUR * dt) / HOUR_MS) {
      body.darkUntil = t + Math.min(2 * HOUR_MS, Math.exp(Math.log(15) + 0.8 * rng.normal()) * MINUTE_MS);
    }

    let status: OfficerStatus;
    if (body.sosUntil > t) {
      status = 'sos';
      interval = Math.min(interval, 5_000); // an SOS phone reports as often as it can
    } else if (!onDuty) status = 'off_duty';
    else if (body.busyUntil > t || w.active.size > 0) status = 'handling';
    else if (duty === 'station') status = 'on_duty';
    else status = 'patrol';

    if (status === 'patrol' || (status === 'handling' && w.active.size > 0 && body.busyUntil <= t)) {
      this.walk(body, (body.pace * dt) / 1000, status === 'patrol');
    } else body.heading = null;
    body.nextFixAt = realNow + interval;

    if (status === 'off_duty') {
      // Off duty the app stops tracking: one last fix saying so, then silence.
      if (body.status !== 'off_duty') this.sendFix(w, body, 'off_duty', null, t, realNow);
      return;
    }
    if (body.darkUntil > t && status !== 'sos') {
      // No signal: nothing reaches the server. After OFFLINE_AFTER_MS the platform shows the
      // officer offline; TelemetryHub has no presence watchdog, so the simulator stands in for it.
      if (!body.offlineSent && t - body.lastFixSim > OFFLINE_AFTER_MS) {
        this.sendFix(w, body, 'offline', null, t, realNow);
        body.offlineSent = true;
      }
      return;
    }
    body.offlineSent = false;
    this.sendFix(w, body, status, body.heading, t, realNow);
  }

  private sendFix(
    w: Worker,
    body: FieldBody,
    status: OfficerStatus,
    heading: number | null,
    t: number,
    realNow: number,
  ): void {
    const fix: OfficerFix = {
      officerId: w.id,
      status,
      lon: round6(body.lon),
      lat: round6(body.lat),
      heading,
      at: realNow,
    };
    this.host.server.telemetry.report(fix);
    body.status = status;
    body.lastFixSim = t;
    this.host.stats.fixes++;
  }

  /**
   * Move `meters` towards the waypoint, choosing new waypoints inside the home grid as they are
   * reached (patrol) or stopping there (going to a task). A position is only taken if the point
   * index puts it in the home grid — a straight line between two inside points can cut a
   * concave corner — otherwise the officer stays at the last inside point and turns.
   */
  private walk(body: FieldBody, meters: number, wander: boolean): void {
    const index = this.host.server.ref.pointIndex;
    let left = meters;
    let heading: number | null = null;
    for (let leg = 0; leg < 8 && left > 0.5; leg++) {
      const d = distanceM(body.lon, body.lat, body.toLon, body.toLat);
      if (d < 1) {
        if (!wander) break;
        const next = this.randomPointIn(body.gridCode, body.gridIdx);
        if (!next) break;
        body.toLon = next[0];
        body.toLat = next[1];
        continue;
      }
      const f = Math.min(1, left / d);
      const lon = body.lon + (body.toLon - body.lon) * f;
      const lat = body.lat + (body.toLat - body.lat) * f;
      heading = bearing(body.lon, body.lat, body.toLon, body.toLat);
      if (
        index.lookupIndex(lon, lat) !== body.gridIdx ||
        index.lookupIndex(round6(lon), round6(lat)) !== body.gridIdx
      ) {
        // Cut a corner: turn towards a fresh waypoint from here.
        const next = wander ? this.randomPointIn(body.gridCode, body.gridIdx) : null;
        if (next) {
          body.toLon = next[0];
          body.toLat = next[1];
        } else {
          body.toLon = body.lon;
          body.toLat = body.lat;
        }
        left -= Math.min(left, d * f);
        continue;
      }
      body.lon = lon;
      body.lat = lat;
      left -= d * f;
    }
    body.heading = heading;
  }

  /** A random point of the grid whose rounded position the point index also puts in it. */
  randomPointIn(gridCode: string, gridIdx: number): [number, number] | null {
    let shape = this.gridShapes.get(gridCode);
    if (!shape) {
      const g = this.host.server.ref.grids.get(gridCode);
      if (!g?.geometry) return null;
      const mp = fromGeometry(g.geometry);
      shape = { mp, bbox: bboxOf(mp) };
      this.gridShapes.set(gridCode, shape);
    }
    const index = this.host.server.ref.pointIndex;
    const p = randomPointInMultiPolygon(this.host.rng, shape.mp, {
      bbox: shape.bbox,
      maxTries: 500,
      // Positions go out rounded to 1e-6°, so the rounded point must be in the grid too.
      accept: (x, y) =>
        index.lookupIndex(x, y) === gridIdx && index.lookupIndex(round6(x), round6(y)) === gridIdx,
    });
    return p ? [p[0], p[1]] : null;
  }
}

function bearing(lon1: number, lat1: number, lon2: number, lat2: number): number {
  const dy = lat2 - lat1;
  const dx = (lon2 - lon1) * Math.cos(lat1 * (Math.PI / 180));
  const deg = (Math.atan2(dx, dy) * 180) / Math.PI;
  return Math.round(((deg % 360) + 360) % 360);
}
