// Little-endian byte writer/reader for the rollups' serialised form. Typed arrays are written at
// 4-byte-aligned offsets so a reader could view them in place; this one copies (slice), which
// keeps the result independent of the input buffer's lifetime.

// The rollups' typed arrays are written as the host lays them out; a big-endian host would
// write a different file, so it is refused rather than silently producing one.
const LITTLE_ENDIAN_HOST = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

function checkHost(): void {
  if (!LITTLE_ENDIAN_HOST) throw new RollupFormatError('rollup serialisation needs a little-endian host');
}

export class ByteWriter {
  private buf: Uint8Array;
  private dv: DataView;
  private pos = 0;

  constructor(initial = 1 << 16) {
    this.buf = new Uint8Array(initial);
    this.dv = new DataView(this.buf.buffer);
  }

  private ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.pos + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.pos));
    this.buf = next;
    this.dv = new DataView(next.buffer);
  }

  u8(v: number): void {
    this.ensure(1);
    this.buf[this.pos++] = v;
  }
  u32(v: number): void {
    this.ensure(4);
    this.dv.setUint32(this.pos, v, true);
    this.pos += 4;
  }
  i32(v: number): void {
    this.ensure(4);
    this.dv.setInt32(this.pos, v, true);
    this.pos += 4;
  }
  f64(v: number): void {
    this.ensure(8);
    this.dv.setFloat64(this.pos, v, true);
    this.pos += 8;
  }
  align(n: number): void {
    const pad = (n - (this.pos % n)) % n;
    this.ensure(pad);
    this.buf.fill(0, this.pos, this.pos + pad);
    this.pos += pad;
  }
  bytes(b: Uint8Array): void {
    this.ensure(b.length);
    this.buf.set(b, this.pos);
    this.pos += b.length;
  }
  /** Length-prefixed UTF-8. */
  text(s: string): void {
    const b = new TextEncoder().encode(s);
    this.u32(b.length);
    this.bytes(b);
  }
  /** A typed array's raw bytes, 4-aligned (host order; every supported host is little-endian). */
  array(a: Uint16Array | Uint32Array | Int32Array): void {
    checkHost();
    this.align(4);
    this.bytes(new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
  }
  finish(): Uint8Array {
    return this.buf.slice(0, this.pos);
  }
}

export class RollupFormatError extends Error {
  override name = 'RollupFormatError';
}

export class ByteReader {
  private readonly dv: DataView;
  private pos = 0;

  constructor(private readonly buf: Uint8Array) {
    this.dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  }

  private need(n: number): void {
    if (this.pos + n > this.buf.length) throw new RollupFormatError('truncated rollup data');
  }
  u8(): number {
    this.need(1);
    return this.buf[this.pos++];
  }
  u32(): number {
    this.need(4);
    const v = this.dv.getUint32(this.pos, true);
    this.pos += 4;
    return v;
  }
  i32(): number {
    this.need(4);
    const v = this.dv.getInt32(this.pos, true);
    this.pos += 4;
    return v;
  }
  f64(): number {
    this.need(8);
    const v = this.dv.getFloat64(this.pos, true);
    this.pos += 8;
    return v;
  }
  align(n: number): void {
    this.pos += (n - (this.pos % n)) % n;
  }
  bytes(n: number): Uint8Array {
    this.need(n);
    const out = this.buf.slice(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }
  text(): string {
    return new TextDecoder().decode(this.bytes(this.u32()));
  }
  u16s(n: number): Uint16Array {
    checkHost();
    this.align(4);
    return new Uint16Array(this.bytes(n * 2).buffer);
  }
  u32s(n: number): Uint32Array {
    this.align(4);
    return new Uint32Array(this.bytes(n * 4).buffer);
  }
  i32s(n: number): Int32Array {
    this.align(4);
    return new Int32Array(this.bytes(n * 4).buffer);
  }
  get remaining(): number {
    return this.buf.length - this.pos;
  }
}
