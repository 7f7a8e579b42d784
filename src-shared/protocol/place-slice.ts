// The managed places of one seat's scope as the server sends them (GET /api/places) and the
// console stores them (places.bin): the grid codes the rows refer to, then a columnar table
// (src-shared/dataset/binary-table.ts). The HTTP body is this, gzipped; gzip is the caller's.
//
// Layout, version 1. Integers little-endian.
//
//   offset  size    field
//   0       4       magic "GCPS"
//   4       2       layout version (1)
//   6       2       reserved (0)
//   8       4       grid count G
//   12      4       table offset T (multiple of 8)
//   16      G × 15  grid codes, 15 ASCII digits each (GridCode), ascending
//   T…              the "place-slice" table; its `grid` column indexes the codes above
import { decodeTyped, encodeTyped, TableFormatError, type TableOf } from '../dataset/binary-table';

export const PLACE_SLICE_MAGIC = 'GCPS';
export const PLACE_SLICE_VERSION = 1;
export const PLACE_SLICE_TABLE = 'place-slice';
const GRID_CODE_LENGTH = 15;

export const PLACE_SLICE_COLUMNS = [
  {
    name: 'id',
    type: 'u32',
    encoding: 'delta',
    doc: 'row of the place in the dataset (its id is "P" + row)',
  },
  { name: 'lon', type: 'i32', encoding: 'delta', doc: 'longitude in micro-degrees (1e-6°)' },
  { name: 'lat', type: 'i32', encoding: 'delta', doc: 'latitude in micro-degrees (1e-6°)' },
  { name: 'grid', type: 'u16', doc: 'index into the slice’s grid codes' },
  { name: 'kind', type: 'u8', doc: 'index into PLACE_KINDS: 0 rental, 1 small_venue' },
  { name: 'tier', type: 'u8', doc: 'rentals: index into RENTAL_TIERS; small venues: 255' },
  { name: 'subkind', type: 'u8', doc: 'small venues: index into SMALL_VENUE_SUBKINDS; rentals: 255' },
  { name: 'units', type: 'u16', doc: 'rentals: rental units; small venues: 0' },
  {
    name: 'lastInspectionDay',
    type: 'u16',
    doc: 'day of the last inspection, days since 1970-01-01 in +08:00 (moved with the history shift)',
  },
] as const;

export type PlaceSliceTable = TableOf<typeof PLACE_SLICE_COLUMNS>;

export interface PlaceSlice {
  gridCodes: string[];
  table: PlaceSliceTable;
}

const pad8 = (n: number): number => (n + 7) & ~7;

export function encodePlaceSlice(slice: PlaceSlice): Uint8Array {
  const table = encodeTyped(PLACE_SLICE_TABLE, PLACE_SLICE_COLUMNS, slice.table);
  const codesAt = 16;
  const tableAt = pad8(codesAt + slice.gridCodes.length * GRID_CODE_LENGTH);
  const out = new Uint8Array(tableAt + table.length);
  const dv = new DataView(out.buffer);
  const enc = new TextEncoder();
  out.set(enc.encode(PLACE_SLICE_MAGIC), 0);
  dv.setUint16(4, PLACE_SLICE_VERSION, true);
  dv.setUint32(8, slice.gridCodes.length, true);
  dv.setUint32(12, tableAt, true);
  slice.gridCodes.forEach((code, i) => {
    if (!/^\d{15}$/.test(code)) throw new TableFormatError(`not a grid code: ${code}`);
    out.set(enc.encode(code), codesAt + i * GRID_CODE_LENGTH);
  });
  out.set(table, tableAt);
  return out;
}

/** Decodes a slice; columns are views into `bytes` where they can be (do not reuse `bytes`). */
export function decodePlaceSlice(bytes: Uint8Array): PlaceSlice {
  if (bytes.length < 16) throw new TableFormatError('place slice too short');
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const dec = new TextDecoder();
  if (dec.decode(bytes.subarray(0, 4)) !== PLACE_SLICE_MAGIC) throw new TableFormatError('not a place slice');
  const version = dv.getUint16(4, true);
  if (version !== PLACE_SLICE_VERSION)
    throw new TableFormatError(`unsupported place slice version ${version}`);
  const count = dv.getUint32(8, true);
  const tableAt = dv.getUint32(12, true);
  if (16 + count * GRID_CODE_LENGTH > tableAt || tableAt > bytes.length)
    throw new TableFormatError('place slice: inconsistent grid table');
  const text = dec.decode(bytes.subarray(16, 16 + count * GRID_CODE_LENGTH));
  const gridCodes: string[] = new Array<string>(count);
  for (let i = 0; i < count; i++) gridCodes[i] = text.slice(i * GRID_CODE_LENGTH, (i + 1) * GRID_CODE_LENGTH);
  const table = decodeTyped(PLACE_SLICE_TABLE, PLACE_SLICE_COLUMNS, bytes.subarray(tableAt));
  for (let i = 0; i < table.rowCount; i++) {
    if (table.grid[i] >= count)
      throw new TableFormatError(`place slice: row ${i} names grid ${table.grid[i]}`);
  }
  return { gridCodes, table };
}
