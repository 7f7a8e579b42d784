// A week-chunked count cube: for each week, non-negative integer counts over `cells` cells (the
// other dimensions packed into one integer by the caller).
//
// Each week's chunk starts SPARSE (open addressing on an Int32Array of keys and a Uint32Array of
// counts, load ≤ 1/2, so 16 bytes per used cell) and turns DENSE (2 bytes per cell, Uint16Array)
// once more than 1/8 of its cells are used — the point where dense becomes smaller. A dense chunk
// moves to Uint32Array the first time a cell would pass 65,535. So a quiet week, a village seat's
// rollup or a 481-item catalogue costs what its cases cost, and a busy city week costs 2 bytes a
// cell with no hashing on the hot path.
//
// Counts may be decremented (a case record removed to be re-added with its new state); going
// below zero means the caller removed something it never added, which is thrown.

import type { ByteReader, ByteWriter } from './bytes';
import { RollupFormatError } from './bytes';

const SPARSE = 1;
const DENSE16 = 2;
const DENSE32 = 3;
const EMPTY = -1;
/** Chunks this small start dense: a hash table would not be smaller. */
const MIN_SPARSE_CELLS = 256;

class Chunk {
  kind: number;
  keys: Int32Array = new Int32Array(0);
  vals: Uint32Array = new Uint32Array(0);
  used = 0;
  d16: Uint16Array = new Uint16Array(0);
  d32: Uint32Array = new Uint32Array(0);

  constructor(
    readonly cells: number,
    dense = false,
  ) {
    if (dense || cells < MIN_SPARSE_CELLS) {
      this.kind = DENSE16;
      this.d16 = new Uint16Array(cells);
    } else {
      this.kind = SPARSE;
      this.keys = new Int32Array(16).fill(EMPTY);
      this.vals = new Uint32Array(16);
    }
  }

  add(cell: number, delta: number): void {
    if (this.kind === DENSE16) {
      const v = this.d16[cell] + delta;
      if (v >= 0 && v <= 0xffff) {
        this.d16[cell] = v;
        return;
      }
      if (v < 0) throw underflow(cell);
      this.d32 = Uint32Array.from(this.d16);
      this.d16 = new Uint16Array(0);
      this.kind = DENSE32;
    }
    if (this.kind === DENSE32) {
      const v = this.d32[cell] + delta;
      if (v < 0) throw underflow(cell);
      this.d32[cell] = v;
      return;
    }
    this.addSparse(cell, delta);
  }

  private addSparse(cell: number, delta: number): void {
    const keys = this.keys;
    const mask = keys.length - 1;
    let h = Math.imul(cell, 0x9e3779b1) >>> 0;
    for (;;) {
      const slot = h & mask;
      const k = keys[slot];
      if (k === cell) {
        const v = this.vals[slot] + delta;
        if (v < 0) throw underflow(cell);
        this.vals[slot] = v;
        return;
      }
      if (k === EMPTY) {
        if (delta < 0) throw underflow(cell);
        keys[slot] = cell;
        this.vals[slot] = delta;
        this.used++;
        if (this.used * 8 > this.cells) this.toDense();
        else if (this.used * 2 > keys.length) this.rehash(keys.length * 2);
        return;
      }
      h++;
    }
  }

  private rehash(size: number): void {
    const { keys, vals } = this;
    this.keys = new Int32Array(size).fill(EMPTY);
    this.vals = new Uint32Array(size);
    const mask = size - 1;
    for (let i = 0; i < keys.length; i++) {
      const k = keys[i];
      if (k === EMPTY) continue;
      let h = Math.imul(k, 0x9e3779b1) >>> 0;
      while (this.keys[h & mask] !== EMPTY) h++;
      this.keys[h & mask] = k;
      this.vals[h & mask] = vals[i];
    }
  }

  private toDense(): void {
    let max = 0;
    for (let i = 0; i < this.keys.length; i++) if (this.keys[i] !== EMPTY) max = Math.max(max, this.vals[i]);
    if (max > 0xffff) {
      this.d32 = new Uint32Array(this.cells);
      for (let i = 0; i < this.keys.length; i++)
        if (this.keys[i] !== EMPTY) this.d32[this.keys[i]] = this.vals[i];
      this.kind = DENSE32;
    } else {
      this.d16 = new Uint16Array(this.cells);
      for (let i = 0; i < this.keys.length; i++)
        if (this.keys[i] !== EMPTY) this.d16[this.keys[i]] = this.vals[i];
      this.kind = DENSE16;
    }
    this.keys = new Int32Array(0);
    this.vals = new Uint32Array(0);
  }

  get(cell: number): number {
    if (this.kind === DENSE16) return this.d16[cell];
    if (this.kind === DENSE32) return this.d32[cell];
    const keys = this.keys;
    const mask = keys.length - 1;
    let h = Math.imul(cell, 0x9e3779b1) >>> 0;
    for (;;) {
      const k = keys[h & mask];
      if (k === cell) return this.vals[h & mask];
      if (k === EMPTY) return 0;
      h++;
    }
  }

  forEach(fn: (cell: number, value: number) => void): void {
    if (this.kind === SPARSE) {
      for (let i = 0; i < this.keys.length; i++) {
        if (this.keys[i] !== EMPTY && this.vals[i] !== 0) fn(this.keys[i], this.vals[i]);
      }
      return;
    }
    const d = this.kind === DENSE16 ? this.d16 : this.d32;
    for (let i = 0; i < d.length; i++) if (d[i] !== 0) fn(i, d[i]);
  }

  nonZero(): number {
    let n = 0;
    this.forEach(() => n++);
    return n;
  }

  memoryBytes(): number {
    return this.kind === SPARSE
      ? this.keys.byteLength + this.vals.byteLength
      : this.d16.byteLength + this.d32.byteLength;
  }
}

function underflow(cell: number): RangeError {
  return new RangeError(`count of cell ${cell} would go below zero (a record removed that was never added)`);
}

export interface CubeStats {
  weeks: number;
  sparseWeeks: number;
  denseWeeks: number;
  nonZero: number;
  bytes: number;
}

export class WeekCube {
  private chunks: Array<Chunk | null> = [];
  /** Week number of chunks[0]. */
  private base = 0;
  /**
   * New weeks start dense: a bulk load that will fill most cells anyway (ingestHistory of a
   * city's history) skips growing a hash table only to convert it.
   */
  startDense = false;

  constructor(readonly cells: number) {
    if (!(Number.isInteger(cells) && cells > 0 && cells < 2 ** 31))
      throw new RangeError(`bad cell count ${cells}`);
  }

  /** First and last week holding a chunk, or null when empty. */
  weekRange(): { first: number; last: number } | null {
    let first = -1;
    let last = -1;
    for (let i = 0; i < this.chunks.length; i++) {
      if (this.chunks[i] === null) continue;
      if (first < 0) first = i;
      last = i;
    }
    return first < 0 ? null : { first: this.base + first, last: this.base + last };
  }

  private chunkFor(week: number): Chunk {
    if (this.chunks.length === 0) {
      this.base = week;
      this.chunks.push(null);
    } else if (week < this.base) {
      const pad: Array<Chunk | null> = new Array<Chunk | null>(this.base - week).fill(null);
      this.chunks = pad.concat(this.chunks);
      this.base = week;
    } else if (week >= this.base + this.chunks.length) {
      while (week >= this.base + this.chunks.length) this.chunks.push(null);
    }
    const i = week - this.base;
    let c = this.chunks[i];
    if (c === null) {
      c = new Chunk(this.cells, this.startDense);
      this.chunks[i] = c;
    }
    return c;
  }

  add(week: number, cell: number, delta = 1): void {
    if (delta === 0) return;
    const i = week - this.base;
    const c = i >= 0 && i < this.chunks.length ? this.chunks[i] : null;
    (c ?? this.chunkFor(week)).add(cell, delta);
  }

  get(week: number, cell: number): number {
    const i = week - this.base;
    const c = i >= 0 && i < this.chunks.length ? this.chunks[i] : null;
    return c === null ? 0 : c.get(cell);
  }

  hasWeek(week: number): boolean {
    const i = week - this.base;
    return i >= 0 && i < this.chunks.length && this.chunks[i] !== null;
  }

  /** Calls fn for each non-zero cell of the week. */
  forEachInWeek(week: number, fn: (cell: number, value: number) => void): void {
    const i = week - this.base;
    const c = i >= 0 && i < this.chunks.length ? this.chunks[i] : null;
    if (c !== null) c.forEach(fn);
  }

  /**
   * The week's counts as its dense array (the live chunk — do not write to it), or null when the
   * week is empty or still sparse. Hot loops read this directly and fall back to forEachInWeek,
   * which pays a call per non-zero cell.
   */
  denseWeek(week: number): Uint16Array | Uint32Array | null {
    const i = week - this.base;
    const c = i >= 0 && i < this.chunks.length ? this.chunks[i] : null;
    if (c === null || c.kind === SPARSE) return null;
    return c.kind === DENSE16 ? c.d16 : c.d32;
  }

  /** Sum of all counts of the week. */
  weekTotal(week: number): number {
    const dense = this.denseWeek(week);
    let s = 0;
    if (dense !== null) for (let k = 0; k < dense.length; k++) s += dense[k];
    else this.forEachInWeek(week, (_cell, v) => (s += v));
    return s;
  }

  /** Adds every count of `other` (same cell count) into this cube. */
  merge(other: WeekCube): void {
    if (other.cells !== this.cells)
      throw new RangeError(`cannot merge cubes of ${other.cells} and ${this.cells} cells`);
    const range = other.weekRange();
    if (range === null) return;
    for (let w = range.first; w <= range.last; w++) {
      if (!other.hasWeek(w)) continue;
      const c = this.chunkFor(w);
      other.forEachInWeek(w, (cell, v) => c.add(cell, v));
    }
  }

  stats(): CubeStats {
    const s: CubeStats = { weeks: 0, sparseWeeks: 0, denseWeeks: 0, nonZero: 0, bytes: 0 };
    for (const c of this.chunks) {
      if (c === null) continue;
      s.weeks++;
      if (c.kind === SPARSE) s.sparseWeeks++;
      else s.denseWeeks++;
      s.nonZero += c.nonZero();
      s.bytes += c.memoryBytes();
    }
    return s;
  }

  /**
   * Each week as whichever is smaller: a (cell, count) list of its non-zero cells, or the dense
   * array at the narrowest width that holds its largest count.
   */
  write(w: ByteWriter): void {
    w.u32(this.cells);
    // Weeks whose counts all went back to 0 are written as empty, so the bytes depend only on
    // the counts, not on the history of adds and removes that produced them.
    type Entry = { nnz: number; max: number; dense: Uint16Array | Uint32Array | null; week: number };
    const entries: Array<Entry | null> = [];
    let first = -1;
    let last = -1;
    const range = this.weekRange();
    if (range !== null) {
      for (let week = range.first; week <= range.last; week++) {
        const dense = this.denseWeek(week);
        let nnz = 0;
        let max = 0;
        if (dense !== null) {
          for (let k = 0; k < dense.length; k++) {
            const v = dense[k];
            if (v === 0) continue;
            nnz++;
            if (v > max) max = v;
          }
        } else {
          this.forEachInWeek(week, (_cell, v) => {
            nnz++;
            if (v > max) max = v;
          });
        }
        if (nnz === 0) {
          entries.push(null);
          continue;
        }
        if (first < 0) first = week;
        last = week;
        entries.push({ nnz, max, dense, week });
      }
    }
    w.i32(first < 0 ? 0 : first);
    w.u32(first < 0 ? 0 : last - first + 1);
    if (first < 0 || range === null) return;
    for (let week = first; week <= last; week++) {
      const e = entries[week - range.first];
      if (e === null) {
        w.u8(0);
        continue;
      }
      const wide = e.max > 0xffff;
      if (e.nnz * 8 < this.cells * (wide ? 4 : 2)) {
        // (cell, count) pairs in cell order: a sparse chunk's hash order would make equal
        // counts give different bytes
        const cells = new Uint32Array(e.nnz);
        const vals = new Uint32Array(e.nnz);
        let n = 0;
        if (e.dense !== null) {
          const d = e.dense;
          for (let k = 0; k < d.length; k++) {
            if (d[k] === 0) continue;
            cells[n] = k;
            vals[n++] = d[k];
          }
        } else {
          const pairs: Array<[number, number]> = [];
          this.forEachInWeek(week, (cell, v) => pairs.push([cell, v]));
          pairs.sort((a, b) => a[0] - b[0]);
          for (const [cell, v] of pairs) {
            cells[n] = cell;
            vals[n++] = v;
          }
        }
        w.u8(SPARSE);
        w.u32(e.nnz);
        w.array(cells);
        w.array(vals);
        continue;
      }
      let d: Uint16Array | Uint32Array;
      if (e.dense !== null && (e.dense instanceof Uint16Array || wide)) {
        d = e.dense;
      } else {
        d = wide ? new Uint32Array(this.cells) : new Uint16Array(this.cells);
        if (e.dense !== null) d.set(e.dense);
        else this.forEachInWeek(week, (cell, v) => (d[cell] = v));
      }
      w.u8(wide ? DENSE32 : DENSE16);
      w.array(d);
    }
  }

  static read(r: ByteReader, expectCells: number): WeekCube {
    const cells = r.u32();
    if (cells !== expectCells)
      throw new RollupFormatError(`cube has ${cells} cells, expected ${expectCells}`);
    const cube = new WeekCube(cells);
    const first = r.i32();
    const n = r.u32();
    for (let k = 0; k < n; k++) {
      const tag = r.u8();
      if (tag === 0) continue;
      const week = first + k;
      if (tag === SPARSE) {
        const m = r.u32();
        const keys = r.u32s(m);
        const vals = r.u32s(m);
        for (let i = 0; i < m; i++) {
          if (keys[i] >= cells) throw new RollupFormatError(`cell ${keys[i]} out of range`);
          cube.add(week, keys[i], vals[i]);
        }
      } else if (tag === DENSE16 || tag === DENSE32) {
        const d = tag === DENSE16 ? r.u16s(cells) : r.u32s(cells);
        const c = cube.chunkFor(week);
        if (tag === DENSE16) {
          c.kind = DENSE16;
          c.d16 = d as Uint16Array;
        } else {
          c.kind = DENSE32;
          c.d32 = d as Uint32Array;
        }
        c.keys = new Int32Array(0);
        c.vals = new Uint32Array(0);
      } else {
        throw new RollupFormatError(`bad chunk tag ${tag}`);
      }
    }
    return cube;
  }
}
