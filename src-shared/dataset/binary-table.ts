// Columnar binary tables for the big dataset files (managed places, case history).
// Pure: operates on Uint8Array/ArrayBuffer; compression (gzip) is the caller's business and is
// recorded per file in the manifest (`contentEncoding`).
//
// Layout, version 1. All integers little-endian.
//
//   offset  size  field
//   0       4     magic "GCDT" (0x47 0x43 0x44 0x54)
//   4       2     layout version (1)
//   6       2     column count C
//   8       4     row count N (uint32)
//   12      4     data offset D: byte offset of the first column's data (multiple of 8)
//   16      2     table name length L
//   18      L     table name, UTF-8 (e.g. "cases")
//   …             C column descriptors, each:
//                   1  name length n
//                   n  column name, UTF-8
//                   1  type code: 1 u8, 2 i8, 3 u16, 4 i16, 5 u32, 6 i32, 7 f32, 8 f64
//                   1  encoding flags: bit 0 delta (stored[i] = v[i] − v[i−1] in the column's
//                      integer type with wrap-around, v[−1] = 0; decode with a running sum);
//                      bit 1 byte-shuffle (the N values' bytes are stored by significance:
//                      all byte-0s, then all byte-1s, …; undone before the running sum).
//                      Both exist to help the gzip that wraps the file.
//                   4  byte offset of the column's data from the start of the table (multiple of 8)
//                   4  byte length of the column's data (= N × element size)
//   D…            column data in descriptor order, each padded with zeros to a multiple of 8
//
// Offsets are multiples of 8 so a decoder can view plain columns (no flags) in place (zero copy)
// when the buffer itself is aligned; otherwise it copies.

export const TABLE_MAGIC = 'GCDT';
export const TABLE_LAYOUT_VERSION = 1;

export type ColumnType = 'u8' | 'i8' | 'u16' | 'i16' | 'u32' | 'i32' | 'f32' | 'f64';
export type ColumnEncoding = 'raw' | 'delta';

export interface ColumnArrayMap {
  u8: Uint8Array;
  i8: Int8Array;
  u16: Uint16Array;
  i16: Int16Array;
  u32: Uint32Array;
  i32: Int32Array;
  f32: Float32Array;
  f64: Float64Array;
}
export type ColumnArray = ColumnArrayMap[ColumnType];

export interface ColumnSpec {
  readonly name: string;
  readonly type: ColumnType;
  readonly encoding?: ColumnEncoding;
  /** Byte-shuffle the column (default: true for multi-byte types in encodeTyped). */
  readonly shuffle?: boolean;
  /** What the column means and its unit; also the documentation of the file format. */
  readonly doc: string;
}

/** `{ rowCount } & { [column name]: typed array }`, derived from a column spec list. */
export type TableOf<S extends readonly ColumnSpec[]> = { rowCount: number } & {
  [C in S[number] as C['name']]: ColumnArrayMap[C['type']];
};

const TYPE_CODES: Record<ColumnType, number> = {
  u8: 1,
  i8: 2,
  u16: 3,
  i16: 4,
  u32: 5,
  i32: 6,
  f32: 7,
  f64: 8,
};
const TYPES_BY_CODE: ColumnType[] = ['u8', 'u8', 'i8', 'u16', 'i16', 'u32', 'i32', 'f32', 'f64'];
const ELEMENT_SIZE: Record<ColumnType, number> = {
  u8: 1,
  i8: 1,
  u16: 2,
  i16: 2,
  u32: 4,
  i32: 4,
  f32: 4,
  f64: 8,
};
const CTORS = {
  u8: Uint8Array,
  i8: Int8Array,
  u16: Uint16Array,
  i16: Int16Array,
  u32: Uint32Array,
  i32: Int32Array,
  f32: Float32Array,
  f64: Float64Array,
} as const;

export function newColumn<T extends ColumnType>(type: T, length: number): ColumnArrayMap[T] {
  return new CTORS[type](length) as ColumnArrayMap[T];
}

export class TableFormatError extends Error {
  override name = 'TableFormatError';
}

const pad8 = (n: number): number => (n + 7) & ~7;

// Little-endian hosts can copy typed arrays byte for byte; big-endian ones go through DataView.
const LITTLE_ENDIAN_HOST = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

export interface RawColumn {
  name: string;
  type: ColumnType;
  encoding: ColumnEncoding;
  /** Byte-shuffled storage (no effect on 1-byte types). */
  shuffle?: boolean;
  data: ColumnArray;
}

/** Encodes columns (all of length rowCount) into one table. Delta encoding applies to integer types only. */
export function encodeTable(name: string, rowCount: number, columns: readonly RawColumn[]): Uint8Array {
  const enc = new TextEncoder();
  const nameBytes = enc.encode(name);
  const colNames = columns.map((c) => enc.encode(c.name));
  let headerLen = 18 + nameBytes.length;
  for (const n of colNames) {
    if (n.length > 255) throw new TableFormatError(`column name too long`);
    headerLen += 1 + n.length + 1 + 1 + 4 + 4;
  }
  const dataOffset = pad8(headerLen);
  let total = dataOffset;
  const offsets: number[] = [];
  for (const c of columns) {
    if (c.data.length !== rowCount) {
      throw new TableFormatError(`column ${c.name} has ${c.data.length} values, expected ${rowCount}`);
    }
    if (c.encoding === 'delta' && (c.type === 'f32' || c.type === 'f64')) {
      throw new TableFormatError(`delta encoding is for integer columns (${c.name})`);
    }
    offsets.push(total);
    total += pad8(rowCount * ELEMENT_SIZE[c.type]);
  }
  if (total > 0xffffffff) throw new TableFormatError('table larger than 4 GiB');
  const out = new Uint8Array(total);
  const dv = new DataView(out.buffer);
  out.set(enc.encode(TABLE_MAGIC), 0);
  dv.setUint16(4, TABLE_LAYOUT_VERSION, true);
  dv.setUint16(6, columns.length, true);
  dv.setUint32(8, rowCount, true);
  dv.setUint32(12, dataOffset, true);
  dv.setUint16(16, nameBytes.length, true);
  out.set(nameBytes, 18);
  let p = 18 + nameBytes.length;
  columns.forEach((c, k) => {
    out[p++] = colNames[k].length;
    out.set(colNames[k], p);
    p += colNames[k].length;
    out[p++] = TYPE_CODES[c.type];
    out[p++] = (c.encoding === 'delta' ? 1 : 0) | (c.shuffle && ELEMENT_SIZE[c.type] > 1 ? 2 : 0);
    dv.setUint32(p, offsets[k], true);
    dv.setUint32(p + 4, rowCount * ELEMENT_SIZE[c.type], true);
    p += 8;
  });
  columns.forEach((c, k) => {
    let values: ColumnArray = c.data;
    if (c.encoding === 'delta') {
      const d = newColumn(c.type, rowCount);
      let prev = 0;
      for (let i = 0; i < rowCount; i++) {
        const v = c.data[i];
        d[i] = v - prev; // typed-array store wraps around in the column's type
        prev = v;
      }
      values = d;
    }
    writeColumn(out, dv, offsets[k], c.type, values);
    if (c.shuffle && ELEMENT_SIZE[c.type] > 1) {
      const size = ELEMENT_SIZE[c.type];
      const len = rowCount * size;
      const plain = out.slice(offsets[k], offsets[k] + len);
      const dst = out.subarray(offsets[k], offsets[k] + len);
      for (let b = 0; b < size; b++) {
        const base = b * rowCount;
        for (let i = 0; i < rowCount; i++) dst[base + i] = plain[i * size + b];
      }
    }
  });
  return out;
}

function writeColumn(
  out: Uint8Array,
  dv: DataView,
  offset: number,
  type: ColumnType,
  values: ColumnArray,
): void {
  if (LITTLE_ENDIAN_HOST || ELEMENT_SIZE[type] === 1) {
    out.set(new Uint8Array(values.buffer, values.byteOffset, values.byteLength), offset);
    return;
  }
  const size = ELEMENT_SIZE[type];
  for (let i = 0; i < values.length; i++) setValue(dv, offset + i * size, type, values[i]);
}

function setValue(dv: DataView, at: number, type: ColumnType, v: number): void {
  switch (type) {
    case 'u16':
      dv.setUint16(at, v, true);
      break;
    case 'i16':
      dv.setInt16(at, v, true);
      break;
    case 'u32':
      dv.setUint32(at, v, true);
      break;
    case 'i32':
      dv.setInt32(at, v, true);
      break;
    case 'f32':
      dv.setFloat32(at, v, true);
      break;
    case 'f64':
      dv.setFloat64(at, v, true);
      break;
    default:
      dv.setUint8(at, v);
  }
}

export interface DecodedTable {
  name: string;
  rowCount: number;
  columns: RawColumn[];
}

/** Parses a table. Raw columns are views into `bytes` when aligned (do not mutate `bytes` afterwards). */
export function decodeTable(input: Uint8Array | ArrayBuffer): DecodedTable {
  const bytes = input instanceof Uint8Array ? input : new Uint8Array(input);
  if (bytes.length < 18) throw new TableFormatError('table too short');
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const dec = new TextDecoder();
  const magic = dec.decode(bytes.subarray(0, 4));
  if (magic !== TABLE_MAGIC) throw new TableFormatError(`bad magic ${JSON.stringify(magic)}`);
  const version = dv.getUint16(4, true);
  if (version !== TABLE_LAYOUT_VERSION) throw new TableFormatError(`unsupported layout version ${version}`);
  const colCount = dv.getUint16(6, true);
  const rowCount = dv.getUint32(8, true);
  const nameLen = dv.getUint16(16, true);
  const name = dec.decode(bytes.subarray(18, 18 + nameLen));
  let p = 18 + nameLen;
  const columns: RawColumn[] = [];
  for (let k = 0; k < colCount; k++) {
    if (p >= bytes.length) throw new TableFormatError('truncated column table');
    const n = bytes[p++];
    const colName = dec.decode(bytes.subarray(p, p + n));
    p += n;
    const type = TYPES_BY_CODE[bytes[p++]];
    const encodingCode = bytes[p++];
    const offset = dv.getUint32(p, true);
    const length = dv.getUint32(p + 4, true);
    p += 8;
    if (type === undefined || bytes[p - 10] === 0) throw new TableFormatError(`column ${colName}: bad type`);
    if (encodingCode > 3) throw new TableFormatError(`column ${colName}: bad encoding ${encodingCode}`);
    const size = ELEMENT_SIZE[type];
    if (length !== rowCount * size || offset + length > bytes.length) {
      throw new TableFormatError(`column ${colName}: truncated or inconsistent length`);
    }
    const delta = (encodingCode & 1) === 1;
    const shuffle = (encodingCode & 2) === 2;
    columns.push({
      name: colName,
      type,
      encoding: delta ? 'delta' : 'raw',
      shuffle,
      data: readColumn(
        shuffle ? unshuffle(bytes, offset, rowCount, size) : bytes,
        dv,
        shuffle ? 0 : offset,
        type,
        rowCount,
        delta,
        shuffle,
      ),
    });
  }
  return { name, rowCount, columns };
}

function unshuffle(bytes: Uint8Array, offset: number, rowCount: number, size: number): Uint8Array {
  const out = new Uint8Array(rowCount * size);
  for (let b = 0; b < size; b++) {
    const base = offset + b * rowCount;
    for (let i = 0; i < rowCount; i++) out[i * size + b] = bytes[base + i];
  }
  return out;
}

function readColumn(
  bytes: Uint8Array,
  dvIn: DataView,
  offset: number,
  type: ColumnType,
  rowCount: number,
  delta: boolean,
  fresh: boolean,
): ColumnArray {
  const size = ELEMENT_SIZE[type];
  let arr: ColumnArray;
  const abs = bytes.byteOffset + offset;
  const dv = fresh ? new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength) : dvIn;
  if (LITTLE_ENDIAN_HOST || size === 1) {
    if (fresh || (!delta && abs % size === 0)) {
      arr = new CTORS[type](bytes.buffer as ArrayBuffer, abs, rowCount);
    } else {
      arr = newColumn(type, rowCount);
      new Uint8Array(arr.buffer).set(bytes.subarray(offset, offset + rowCount * size));
    }
  } else {
    arr = newColumn(type, rowCount);
    for (let i = 0; i < rowCount; i++) arr[i] = getValue(dv, offset + i * size, type);
  }
  if (delta) {
    for (let i = 1; i < rowCount; i++) arr[i] = arr[i] + arr[i - 1];
  }
  return arr;
}

function getValue(dv: DataView, at: number, type: ColumnType): number {
  switch (type) {
    case 'u16':
      return dv.getUint16(at, true);
    case 'i16':
      return dv.getInt16(at, true);
    case 'u32':
      return dv.getUint32(at, true);
    case 'i32':
      return dv.getInt32(at, true);
    case 'f32':
      return dv.getFloat32(at, true);
    case 'f64':
      return dv.getFloat64(at, true);
    case 'i8':
      return dv.getInt8(at);
    default:
      return dv.getUint8(at);
  }
}

/** Encodes a typed table following `specs` (column order and types come from the spec). */
export function encodeTyped<S extends readonly ColumnSpec[]>(
  name: string,
  specs: S,
  table: TableOf<S>,
): Uint8Array {
  const t = table as unknown as Record<string, ColumnArray> & { rowCount: number };
  return encodeTable(
    name,
    t.rowCount,
    specs.map((s) => {
      const data = t[s.name];
      if (data === undefined) throw new TableFormatError(`missing column ${s.name}`);
      if (!(data instanceof CTORS[s.type])) throw new TableFormatError(`column ${s.name} must be ${s.type}`);
      return { name: s.name, type: s.type, encoding: s.encoding ?? 'raw', shuffle: s.shuffle ?? true, data };
    }),
  );
}

/**
 * Decodes a table and checks it against `specs`: name, every spec'd column present with its
 * type. Extra columns (from a newer generator) are ignored.
 */
export function decodeTyped<S extends readonly ColumnSpec[]>(
  name: string,
  specs: S,
  bytes: Uint8Array | ArrayBuffer,
): TableOf<S> {
  const t = decodeTable(bytes);
  if (t.name !== name) throw new TableFormatError(`expected table "${name}", found "${t.name}"`);
  const out: Record<string, unknown> = { rowCount: t.rowCount };
  for (const s of specs) {
    const c = t.columns.find((col) => col.name === s.name);
    if (c === undefined) throw new TableFormatError(`table ${name}: missing column ${s.name}`);
    if (c.type !== s.type)
      throw new TableFormatError(`table ${name}: column ${s.name} is ${c.type}, expected ${s.type}`);
    out[s.name] = c.data;
  }
  return out as TableOf<S>;
}

/** Allocates an empty table of `rowCount` rows for `specs`. */
export function allocTable<S extends readonly ColumnSpec[]>(specs: S, rowCount: number): TableOf<S> {
  const out: Record<string, unknown> = { rowCount };
  for (const s of specs) out[s.name] = newColumn(s.type, rowCount);
  return out as TableOf<S>;
}
