// Typed arrays over JSON, for the web host's WebSocket (Electron IPC clones them as they are).
// Each typed array in an answer or event becomes an EncodedTypedArray `{$typed, b64}` on the way
// out and a fresh, aligned typed array of the same kind on the way in. Pure and environment-
// neutral: the base64 step is injected (Node's Buffer on the host, the fastest browser decoder
// in the renderer), and bytes are little-endian on both ends — every platform we run on is.
import { TYPED_ARRAY_NAMES, type EncodedTypedArray, type TypedArrayName } from './map-data';

export type TypedArray = Float64Array | Float32Array | Uint32Array | Uint16Array | Uint8Array | Int32Array;

export type BytesToBase64 = (bytes: Uint8Array) => string;
export type Base64ToBytes = (b64: string) => Uint8Array;

const CTORS: Record<TypedArrayName, { new (buffer: ArrayBuffer): TypedArray; BYTES_PER_ELEMENT: number }> = {
  Float64Array,
  Float32Array,
  Uint32Array,
  Uint16Array,
  Uint8Array,
  Int32Array,
};
const NAMES = new Set<string>(TYPED_ARRAY_NAMES);

function typedName(v: ArrayBufferView): TypedArrayName | null {
  const name = v.constructor?.name;
  return name !== undefined && NAMES.has(name) ? (name as TypedArrayName) : null;
}

/**
 * A copy of `value` with every typed array replaced by its EncodedTypedArray. Objects and arrays
 * that hold no typed array anywhere are reused as they are (a 78k-id string list is not copied).
 */
export function encodeTypedJson(value: unknown, toBase64: BytesToBase64 = bytesToBase64): unknown {
  return encodeValue(value, toBase64);
}

function encodeValue(v: unknown, toBase64: BytesToBase64): unknown {
  if (v === null || typeof v !== 'object') return v;
  if (ArrayBuffer.isView(v)) {
    const name = typedName(v);
    if (name === null) throw new TypeError(`cannot send a ${v.constructor.name} over JSON`);
    const bytes = new Uint8Array(v.buffer, v.byteOffset, v.byteLength);
    const encoded: EncodedTypedArray = { $typed: name, b64: toBase64(bytes) };
    return encoded;
  }
  if (Array.isArray(v)) {
    let out: unknown[] | null = null;
    for (let i = 0; i < v.length; i++) {
      const item: unknown = v[i];
      if (item === null || typeof item !== 'object') continue;
      const enc = encodeValue(item, toBase64);
      if (enc !== item) {
        out ??= v.slice();
        out[i] = enc;
      }
    }
    return out ?? v;
  }
  let out: Record<string, unknown> | null = null;
  const obj = v as Record<string, unknown>;
  // for…in, not Object.keys: no key array per object (a 78k-case list has ~3M keys). Answers
  // are plain data, so there are no inherited enumerable keys to skip.
  for (const key in obj) {
    const item = obj[key];
    if (item === null || typeof item !== 'object') continue;
    const enc = encodeValue(item, toBase64);
    if (enc !== item) {
      out ??= { ...obj };
      out[key] = enc;
    }
  }
  return out ?? v;
}

function isEncoded(v: Record<string, unknown>): v is Record<string, unknown> & EncodedTypedArray {
  return typeof v.$typed === 'string' && typeof v.b64 === 'string' && NAMES.has(v.$typed);
}

/** Decode one EncodedTypedArray into a fresh (so aligned) typed array. */
export function decodeTypedArray(
  e: EncodedTypedArray,
  fromBase64: Base64ToBytes = base64ToBytes,
): TypedArray {
  const ctor = CTORS[e.$typed];
  const bytes = fromBase64(e.b64);
  if (bytes.byteLength % ctor.BYTES_PER_ELEMENT !== 0)
    throw new TypeError(`${e.$typed}: ${bytes.byteLength} bytes is not a whole number of elements`);
  // A fresh decoder output owns its whole buffer from offset 0; copy when it does not.
  const buffer =
    bytes.byteOffset === 0 &&
    bytes.byteLength === bytes.buffer.byteLength &&
    bytes.buffer instanceof ArrayBuffer
      ? bytes.buffer
      : bytes.slice().buffer;
  return new ctor(buffer);
}

/**
 * Replace every EncodedTypedArray inside a freshly parsed JSON tree by its typed array, in place
 * (the tree came from JSON.parse and belongs to the caller). Returns the (possibly replaced) root.
 */
export function decodeTypedJson(value: unknown, fromBase64: Base64ToBytes = base64ToBytes): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      if (item !== null && typeof item === 'object') value[i] = decodeTypedJson(item, fromBase64);
    }
    return value;
  }
  const obj = value as Record<string, unknown>;
  if (isEncoded(obj)) return decodeTypedArray(obj, fromBase64);
  for (const key in obj) {
    const item = obj[key];
    if (item !== null && typeof item === 'object') obj[key] = decodeTypedJson(item, fromBase64);
  }
  return obj;
}

// ---- base64 without Buffer (the renderer has none) ----

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const DECODE = new Uint8Array(256).fill(255);
for (let i = 0; i < ALPHABET.length; i++) DECODE[ALPHABET.charCodeAt(i)] = i;

const ENCODE = new Uint8Array(64);
for (let i = 0; i < ALPHABET.length; i++) ENCODE[i] = ALPHABET.charCodeAt(i);
const ascii = new TextDecoder('latin1');

/** Standard base64 with padding, written as ASCII bytes and decoded once (no string concatenation). */
export function bytesToBase64(bytes: Uint8Array): string {
  const out = new Uint8Array(Math.ceil(bytes.length / 3) * 4);
  let o = 0;
  let i = 0;
  const whole = bytes.length - (bytes.length % 3);
  for (; i < whole; i += 3) {
    const n = (bytes[i] << 16) | (bytes[i + 1] << 8) | bytes[i + 2];
    out[o++] = ENCODE[n >> 18];
    out[o++] = ENCODE[(n >> 12) & 63];
    out[o++] = ENCODE[(n >> 6) & 63];
    out[o++] = ENCODE[n & 63];
  }
  if (i < bytes.length) {
    const two = i + 1 < bytes.length;
    const n = (bytes[i] << 16) | (two ? bytes[i + 1] << 8 : 0);
    out[o++] = ENCODE[n >> 18];
    out[o++] = ENCODE[(n >> 12) & 63];
    out[o++] = two ? ENCODE[(n >> 6) & 63] : 61;
    out[o++] = 61; // '='
  }
  return ascii.decode(out);
}

/** Table-driven decoder over the string's char codes: no intermediate binary string. */
export function base64ToBytesManual(b64: string): Uint8Array {
  let len = b64.length;
  while (len > 0 && b64.charCodeAt(len - 1) === 61 /* = */) len--;
  const out = new Uint8Array((len * 3) >> 2);
  let o = 0;
  let i = 0;
  for (; i + 3 < len; i += 4) {
    const n =
      (DECODE[b64.charCodeAt(i)] << 18) |
      (DECODE[b64.charCodeAt(i + 1)] << 12) |
      (DECODE[b64.charCodeAt(i + 2)] << 6) |
      DECODE[b64.charCodeAt(i + 3)];
    out[o++] = n >> 16;
    out[o++] = (n >> 8) & 255;
    out[o++] = n & 255;
  }
  const rest = len - i;
  if (rest >= 2) {
    const n =
      (DECODE[b64.charCodeAt(i)] << 18) |
      (DECODE[b64.charCodeAt(i + 1)] << 12) |
      (rest === 3 ? DECODE[b64.charCodeAt(i + 2)] << 6 : 0);
    out[o++] = n >> 16;
    if (rest === 3) out[o++] = (n >> 8) & 255;
  }
  if (rest === 1) throw new TypeError('malformed base64');
  return out;
}

type FromBase64 = (s: string) => Uint8Array;
const nativeFromBase64 = (Uint8Array as unknown as { fromBase64?: FromBase64 }).fromBase64;

/**
 * The fastest decoder the runtime has: `Uint8Array.fromBase64` (recent Chromium, so Electron),
 * else the table-driven one (measured faster than atob + charCodeAt in V8; see typed-json.test).
 */
export const base64ToBytes: Base64ToBytes =
  typeof nativeFromBase64 === 'function' ? (s) => nativeFromBase64.call(Uint8Array, s) : base64ToBytesManual;
