// The wire codec for typed arrays (web host ↔ renderer): every kind round-trips bit for bit,
// views are encoded as their own bytes, the pure base64 matches Node's, and decoding a city's
// worth of columns stays in single-digit milliseconds.
import { describe, expect, it } from 'vitest';
import {
  base64ToBytes,
  base64ToBytesManual,
  bytesToBase64,
  decodeTypedArray,
  decodeTypedJson,
  encodeTypedJson,
} from '../../src-shared/ipc/typed-json';
import type { EncodedTypedArray } from '../../src-shared/ipc/map-data';

const nodeB64 = (b: Uint8Array): string =>
  Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('base64');
const roundTrip = <T>(v: T, enc = nodeB64): T =>
  decodeTypedJson(JSON.parse(JSON.stringify(encodeTypedJson(v, enc)))) as T;

describe('typed-json', () => {
  it('round-trips every typed array kind, including NaN, -0 and extremes', () => {
    const value = {
      f64: new Float64Array([113.123456789, Number.NaN, -0, Number.MAX_VALUE, Number.MIN_VALUE, Infinity]),
      f32: new Float32Array([1.5, Number.NaN, -2.25]),
      u32: new Uint32Array([0, 1, 0xffffffff]),
      u16: new Uint16Array([0, 65535, 7]),
      u8: new Uint8Array([0, 255, 1]),
      i32: new Int32Array([-2147483648, 2147483647, -1]),
      empty: new Float64Array(0),
      nested: [{ at: new Float64Array([1, 2]) }, 'text', 3, null],
      ids: ['a', 'b'],
    };
    const back = roundTrip(value);
    expect(back.f64).toBeInstanceOf(Float64Array);
    expect(Object.is(back.f64[2], -0)).toBe(true);
    expect(Number.isNaN(back.f64[1])).toBe(true);
    expect([...back.f64]).toEqual([...value.f64]);
    expect(back.f32).toBeInstanceOf(Float32Array);
    expect([...back.f32]).toEqual([...value.f32]);
    for (const k of ['u32', 'u16', 'u8', 'i32'] as const) {
      expect(back[k].constructor).toBe(value[k].constructor);
      expect([...back[k]]).toEqual([...value[k]]);
    }
    expect(back.empty).toBeInstanceOf(Float64Array);
    expect(back.empty.length).toBe(0);
    expect((back.nested[0] as { at: Float64Array }).at).toEqual(new Float64Array([1, 2]));
    expect(back.nested.slice(1)).toEqual(['text', 3, null]);
    expect(back.ids).toEqual(['a', 'b']);
  });

  it('encodes a view as its own bytes and decodes into an aligned, owned buffer', () => {
    const big = new Float64Array([1, 2, 3, 4, 5]);
    const view = big.subarray(1, 3);
    const bytes = new Uint8Array([9, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const odd = new Uint8Array(bytes.buffer, 1, 8); // not 8-aligned
    const back = roundTrip({ view, odd: new Float64Array(odd.slice().buffer) });
    expect([...back.view]).toEqual([2, 3]);
    expect(back.view.buffer.byteLength).toBe(16);
    expect(back.odd.byteOffset).toBe(0);
  });

  it('leaves objects without typed arrays untouched and never copies plain string lists', () => {
    const ids = Array.from({ length: 1000 }, (_, i) => `C${i}`);
    const value = { ids, inner: { n: 1 } };
    const enc = encodeTypedJson(value) as typeof value;
    expect(enc).toBe(value);
    const mixed = { ids, col: new Uint8Array([1]) };
    const encMixed = encodeTypedJson(mixed) as { ids: string[]; col: EncodedTypedArray };
    expect(encMixed.ids).toBe(ids);
    expect(encMixed.col).toEqual({ $typed: 'Uint8Array', b64: 'AQ==' });
    expect(mixed.col).toBeInstanceOf(Uint8Array); // the input is not mutated
  });

  it('leaves look-alikes alone and refuses malformed input', () => {
    const notTyped = { $typed: 'Int64Array', b64: 'AAAA' };
    expect(decodeTypedJson(JSON.parse(JSON.stringify(notTyped)))).toEqual(notTyped);
    expect(() => decodeTypedArray({ $typed: 'Float64Array', b64: 'AQID' })).toThrow(/whole number/);
    expect(() => encodeTypedJson({ x: new BigInt64Array(1) })).toThrow(/BigInt64Array/);
  });

  it('the pure base64 matches Node’s for every length and padding', () => {
    for (let n = 0; n < 70; n++) {
      const b = Uint8Array.from({ length: n }, (_, i) => (i * 37 + n) & 255);
      const want = nodeB64(b);
      expect(bytesToBase64(b)).toBe(want);
      expect([...base64ToBytesManual(want)]).toEqual([...b]);
      expect([...base64ToBytes(want)]).toEqual([...b]);
    }
    const all = Uint8Array.from({ length: 256 }, (_, i) => i);
    expect(roundTrip({ all }, bytesToBase64).all).toEqual(all);
  });

  it('decodes 10k and 100k-element columns exactly (the renderer’s side of a city snapshot; speed: bench/codecs)', () => {
    for (const n of [10_000, 100_000]) {
      const cols = {
        lon: Float64Array.from({ length: n }, (_, i) => 113.5 + i * 1e-6),
        lat: Float64Array.from({ length: n }, (_, i) => 22.9 + i * 1e-6),
        state: Uint8Array.from({ length: n }, (_, i) => i % 7),
        grid: Uint16Array.from({ length: n }, (_, i) => i % 3050),
      };
      const wire = JSON.stringify(encodeTypedJson(cols, nodeB64));
      const back = decodeTypedJson(JSON.parse(wire), base64ToBytesManual) as typeof cols;
      expect(back.lon).toEqual(cols.lon);
      expect(back.lat).toEqual(cols.lat);
      expect(back.state).toEqual(cols.state);
      expect(back.grid).toEqual(cols.grid);
    }
  });
});
