// The officers' GPU columns. A position batch writes straight into these typed arrays and
// bumps `version`; the layer builders pass the arrays to deck.gl as binary attributes, so a
// 10,000-officer update is a few typed-array writes and buffer uploads: no objects, no rebuild
// of any other layer.
import type { MapOfficers, PositionBatch } from '../ipc/map-data';
import { MAP_OFFICER_STATUSES } from '../ipc/map-data';
import { OFFICER_COLOR_TABLE, mix, type Rgb } from './palette';

/** A fix older than this is drawn faded; older than LOST_MS, faded further and without heading. */
export const STALE_MS = 2 * 60_000;
export const LOST_MS = 10 * 60_000;
const GREY: Rgb = [70, 80, 92];
const STALENESS_MIX = [0, 0.45, 0.75] as const;

export type Staleness = 0 | 1 | 2;
export const stalenessOf = (ageMs: number): Staleness => (ageMs < STALE_MS ? 0 : ageMs < LOST_MS ? 1 : 2);

/** Colour table: status × staleness → rgba, precomputed so the hot loop only copies bytes. */
const COLOR_TABLE = (() => {
  const t = new Uint8Array(MAP_OFFICER_STATUSES.length * 3 * 4);
  OFFICER_COLOR_TABLE.forEach((c, s) => {
    STALENESS_MIX.forEach((m, k) => {
      const rgb = mix(c, GREY, m);
      t.set([rgb[0], rgb[1], rgb[2], 255], (s * 3 + k) * 4);
    });
  });
  return t;
})();

export function officerColor(status: number, staleness: Staleness): [number, number, number, number] {
  const o = (status * 3 + staleness) * 4;
  return [COLOR_TABLE[o], COLOR_TABLE[o + 1], COLOR_TABLE[o + 2], COLOR_TABLE[o + 3]];
}

interface BinaryAttribute {
  value: Float32Array | Uint8Array;
  size: number;
  normalized?: boolean;
}

/** deck.gl's binary data form; `attributes` entries are replaced (not the object) on each change. */
export interface BinaryData {
  length: number;
  attributes: Record<string, BinaryAttribute>;
}

export class OfficerBuffers {
  readonly count: number;
  /** lon, lat per officer (float32 is ~1 m here: enough for a dot). */
  readonly position: Float32Array;
  readonly fill: Uint8Array;
  /** Heading arrow colour; alpha 0 hides the arrow (standing still or lost). */
  readonly arrow: Uint8Array;
  /** deck.gl angle: degrees counter-clockwise, so minus the heading. */
  readonly angle: Float32Array;
  /** Staleness class drawn for each officer, so `refresh` only repaints the ones that changed. */
  readonly drawnStaleness: Uint8Array;
  version = 0;
  /** Stable objects handed to deck.gl as `data`; attributes are re-wrapped when they change. */
  readonly dots: BinaryData;
  readonly headings: BinaryData;

  constructor(
    readonly officers: MapOfficers,
    now: number,
  ) {
    const n = officers.count;
    this.count = n;
    this.position = new Float32Array(n * 2);
    this.fill = new Uint8Array(n * 4);
    this.arrow = new Uint8Array(n * 4);
    this.angle = new Float32Array(n);
    this.drawnStaleness = new Uint8Array(n);
    this.dots = { length: n, attributes: {} };
    this.headings = { length: n, attributes: {} };
    for (let i = 0; i < n; i++) this.paint(i, now);
    this.wrap();
  }

  /**
   * Apply a batch of fixes (addressed by snapshot index). Returns how many were applied. The
   * loop is `paint` inlined over locals: it runs for every officer of the city once a second.
   */
  applyBatch(batch: PositionBatch, now: number): number {
    const o = this.officers;
    const { position, fill, arrow, angle, drawnStaleness, count } = this;
    const { index, lon, lat, status, heading, fixAt } = batch;
    const d = this.dirty;
    let applied = 0;
    for (let k = 0; k < batch.count; k++) {
      const i = index[k];
      if (i >= count) continue;
      const at = fixAt[k];
      if (at < o.fixAt[i]) continue; // an older fix never overwrites a newer one
      const x = lon[k];
      const y = lat[k];
      const st = status[k];
      const h = heading[k];
      o.lon[i] = x;
      o.lat[i] = y;
      o.status[i] = st;
      o.heading[i] = h;
      o.fixAt[i] = at;
      applied++;
      if (Number.isNaN(x) || Number.isNaN(y)) {
        this.paint(i, now);
        continue;
      }
      const p = i * 2;
      const fx = Math.fround(x);
      const fy = Math.fround(y);
      if (position[p] !== fx || position[p + 1] !== fy) {
        position[p] = fx;
        position[p + 1] = fy;
        d.position = true;
      }
      const age = now - at; // NaN (no time) fails both tests: lost
      const s = age < STALE_MS ? 0 : age < LOST_MS ? 1 : 2;
      drawnStaleness[i] = s;
      const t = (st * 3 + s) * 4;
      const c = i * 4;
      if (
        fill[c] !== COLOR_TABLE[t] ||
        fill[c + 1] !== COLOR_TABLE[t + 1] ||
        fill[c + 2] !== COLOR_TABLE[t + 2] ||
        fill[c + 3] !== 255
      ) {
        fill[c] = COLOR_TABLE[t];
        fill[c + 1] = COLOR_TABLE[t + 1];
        fill[c + 2] = COLOR_TABLE[t + 2];
        fill[c + 3] = 255;
        d.fill = true;
      }
      const moving = !Number.isNaN(h) && s < 2;
      const alpha = moving ? 255 : 0;
      if (arrow[c + 3] !== alpha || arrow[c] !== 12) {
        arrow[c] = 12;
        arrow[c + 1] = 22;
        arrow[c + 2] = 34;
        arrow[c + 3] = alpha;
        d.arrow = true;
      }
      const a = moving ? Math.fround(-h) : 0;
      if (angle[i] !== a) {
        angle[i] = a;
        d.angle = true;
      }
    }
    if (applied > 0) this.bump();
    return applied;
  }

  /** Repaint officers whose fix crossed a staleness threshold; bumps the version when any did. */
  refresh(now: number): number {
    const o = this.officers;
    let changed = 0;
    for (let i = 0; i < this.count; i++) {
      const s = Number.isNaN(o.fixAt[i]) ? 2 : stalenessOf(now - o.fixAt[i]);
      if (s !== this.drawnStaleness[i]) {
        this.paint(i, now);
        changed++;
      }
    }
    if (changed > 0) this.bump();
    return changed;
  }

  /** Which arrays changed since they were last handed to deck.gl (only those are re-uploaded). */
  private dirty = { position: false, fill: false, arrow: false, angle: false };

  private paint(i: number, now: number): void {
    const o = this.officers;
    const lon = o.lon[i];
    const lat = o.lat[i];
    const p = i * 2;
    const c = i * 4;
    const d = this.dirty;
    if (Number.isNaN(lon) || Number.isNaN(lat)) {
      this.position[p] = 0;
      this.position[p + 1] = 0;
      if (this.fill[c + 3] !== 0) d.fill = true;
      if (this.arrow[c + 3] !== 0) d.arrow = true;
      this.fill[c + 3] = 0;
      this.arrow[c + 3] = 0;
      this.drawnStaleness[i] = 2;
      d.position = true;
      return;
    }
    if (this.position[p] !== Math.fround(lon) || this.position[p + 1] !== Math.fround(lat)) {
      this.position[p] = lon;
      this.position[p + 1] = lat;
      d.position = true;
    }
    const s = Number.isNaN(o.fixAt[i]) ? 2 : stalenessOf(now - o.fixAt[i]);
    this.drawnStaleness[i] = s;
    const t = (o.status[i] * 3 + s) * 4;
    if (
      this.fill[c] !== COLOR_TABLE[t] ||
      this.fill[c + 1] !== COLOR_TABLE[t + 1] ||
      this.fill[c + 2] !== COLOR_TABLE[t + 2] ||
      this.fill[c + 3] !== 255
    ) {
      this.fill[c] = COLOR_TABLE[t];
      this.fill[c + 1] = COLOR_TABLE[t + 1];
      this.fill[c + 2] = COLOR_TABLE[t + 2];
      this.fill[c + 3] = 255;
      d.fill = true;
    }
    const h = o.heading[i];
    const moving = !Number.isNaN(h) && s < 2;
    const alpha = moving ? 255 : 0;
    if (this.arrow[c + 3] !== alpha || this.arrow[c] !== 12) {
      this.arrow[c] = 12;
      this.arrow[c + 1] = 22;
      this.arrow[c + 2] = 34;
      this.arrow[c + 3] = alpha;
      d.arrow = true;
    }
    const angle = moving ? -h : 0;
    if (this.angle[i] !== Math.fround(angle)) {
      this.angle[i] = angle;
      d.angle = true;
    }
  }

  private bump(): void {
    this.version++;
    this.wrap();
  }

  private wrap(): void {
    // deck.gl re-uploads an attribute when its binary value is a different object and leaves
    // the others alone: so only the arrays that changed get new wrappers (same memory).
    const d = this.dirty;
    const prevDots = this.dots.attributes;
    const prevHeadings = this.headings.attributes;
    const position =
      d.position || !prevDots.getPosition ? { value: this.position, size: 2 } : prevDots.getPosition;
    this.dots.attributes = {
      getPosition: position,
      getFillColor:
        d.fill || !prevDots.getFillColor
          ? { value: this.fill, size: 4, normalized: true }
          : prevDots.getFillColor,
    };
    this.headings.attributes = {
      getPosition: position,
      getColor:
        d.arrow || !prevHeadings.getColor
          ? { value: this.arrow, size: 4, normalized: true }
          : prevHeadings.getColor,
      getAngle: d.angle || !prevHeadings.getAngle ? { value: this.angle, size: 1 } : prevHeadings.getAngle,
    };
    this.dirty = { position: false, fill: false, arrow: false, angle: false };
  }
}
