// The seat's map as it was when the console last closed cleanly: the reference (as the JSON texts
// `map.base` and `map.reference` answer) and the columnar map snapshot, in one file beside the cache, so the
// next start answers the map's first asks from one read instead of building them from SQLite
// (issue 19). The file is bound to the cache by a random token written into the cache's meta
// after the file (cache-store.ts `mapStartToken`); the opening console takes the token out of the
// meta, so a file is used at most once and never after a crash that left the cache changed.
//
// Layout: MAGIC, u32 header length, header JSON, zero padding to 8, then the blobs (each padded
// to 8): blob 0 is the reference's base text (UTF-8), blob 1 the snapshot's JSON tree, blob 2 the
// rest of the reference (officers, cameras), the others the snapshot's typed arrays, which the tree names by index (typed-json.ts with the base64 step
// replaced by an index). A CRC-32 of everything after the header guards against a torn or
// damaged file. Opening checks the file; each part is decoded when first asked for, so the
// reference is answered while the snapshot is still to be decoded.
import { randomBytes } from 'node:crypto';
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { crc32 } from 'node:zlib';
import type { MapSnapshot } from '../../src-shared/ipc/map-data';
import { decodeTypedJson, encodeTypedJson } from '../../src-shared/ipc/typed-json';
import type { CacheStore } from './cache-store';

/** Beside the seat's cache.sqlite. */
export const MAP_START_FILE = 'map-start.bin';
// 2: the snapshot's cases carry `numbers` (case numbers); 3: the reference in two texts (the
// map's base first). A file of an older version is not used.
const MAGIC = Buffer.from('GCMAPST3', 'latin1');
const PAD = 8;

/**
 * The reference lists as JSON text in two parts: `base` is what `map.base` answers (an object of
 * the divisions, grids, categories and departments: a map's first frame), `rest` an object of the
 * officers and cameras; `map.reference` answers the two joined (referenceJsonOf).
 */
export interface ReferenceText {
  base: string;
  rest: string;
}

/** `{…base}` and `{…rest}` as one object's text. */
export const referenceJsonOf = (t: ReferenceText): string => `${t.base.slice(0, -1)},${t.rest.slice(1)}`;

export interface MapStart {
  /** Matches the cache's `mapStartToken` when this file belongs to the cache as it is. */
  token: string;
  scopeCode: string;
  reference: ReferenceText;
  snapshot: MapSnapshot;
}

/** A checked map start file whose parts are decoded on first ask (then kept). */
export interface StoredMap {
  token: string;
  scopeCode: string;
  reference(): ReferenceText;
  snapshot(): MapSnapshot;
}

interface Header {
  token: string;
  scopeCode: string;
  crc: number;
  /** [offset, length] of each blob, from the start of the blob area. */
  blobs: [number, number][];
}

const padded = (n: number): number => Math.ceil(n / PAD) * PAD;

export const newMapStartToken = (): string => randomBytes(12).toString('hex');

/** Write atomically (temporary file, then rename): a reader sees the old file or the new one. */
export function writeMapStart(file: string, start: MapStart): void {
  const blobs: Uint8Array[] = [
    Buffer.from(start.reference.base, 'utf8'),
    new Uint8Array(0),
    Buffer.from(start.reference.rest, 'utf8'),
  ];
  const tree = encodeTypedJson(start.snapshot, (bytes) => {
    blobs.push(bytes);
    return String(blobs.length - 1);
  });
  blobs[1] = Buffer.from(JSON.stringify(tree), 'utf8');
  const places: [number, number][] = [];
  let size = 0;
  for (const b of blobs) {
    places.push([size, b.byteLength]);
    size = padded(size + b.byteLength);
  }
  const body = Buffer.alloc(size);
  blobs.forEach((b, i) => body.set(b, places[i][0]));
  const header: Header = {
    token: start.token,
    scopeCode: start.scopeCode,
    crc: crc32(body),
    blobs: places,
  };
  const headerBytes = Buffer.from(JSON.stringify(header), 'utf8');
  const head = Buffer.alloc(padded(MAGIC.length + 4 + headerBytes.length));
  MAGIC.copy(head, 0);
  head.writeUInt32LE(headerBytes.length, MAGIC.length);
  headerBytes.copy(head, MAGIC.length + 4);
  const tmp = `${file}.tmp-${process.pid}`;
  writeFileSync(tmp, Buffer.concat([head, body]), { mode: 0o600 });
  renameSync(tmp, file);
}

/** The whole content, or null when the file is missing, of another format, torn or damaged. */
export function readMapStart(file: string): MapStart | null {
  const stored = openMapStart(file);
  if (!stored) return null;
  try {
    const { token, scopeCode } = stored;
    return { token, scopeCode, reference: stored.reference(), snapshot: stored.snapshot() };
  } catch {
    return null;
  }
}

function once<T>(make: () => T): () => T {
  let made: { value: T } | null = null;
  return () => (made ??= { value: make() }).value;
}

/** The file checked whole (CRC-32), its parts decoded when asked; null as for readMapStart. */
export function openMapStart(file: string): StoredMap | null {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch {
    return null;
  }
  try {
    if (bytes.length < MAGIC.length + 4 || !bytes.subarray(0, MAGIC.length).equals(MAGIC)) return null;
    const headerLength = bytes.readUInt32LE(MAGIC.length);
    const headerEnd = MAGIC.length + 4 + headerLength;
    if (headerEnd > bytes.length) return null;
    const header = JSON.parse(bytes.toString('utf8', MAGIC.length + 4, headerEnd)) as Header;
    const body = bytes.subarray(padded(headerEnd));
    if (crc32(body) !== header.crc) return null;
    const blob = (i: number): Uint8Array => {
      const [offset, length] = header.blobs[i];
      if (offset + length > body.length) throw new RangeError(`blob ${i} beyond the end of the file`);
      // A plain Uint8Array view: decodeTypedArray copies it with slice(), which for a Buffer
      // would be another view of the same memory.
      return new Uint8Array(body.buffer, body.byteOffset + offset, length);
    };
    const text = (i: number): string => {
      const b = blob(i);
      return Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('utf8');
    };
    return {
      token: header.token,
      scopeCode: header.scopeCode,
      reference: once(() => ({ base: text(0), rest: text(2) })),
      snapshot: once(() => decodeTypedJson(JSON.parse(text(1)), (ref) => blob(Number(ref))) as MapSnapshot),
    };
  } catch {
    return null;
  }
}

const fileOf = (cache: CacheStore): string => join(dirname(cache.file), MAP_START_FILE);

/**
 * At open: the stored map when it belongs to the cache as it is (its token was the cache's) and
 * to this scope. The cache's token is taken either way: the file is good for this start only.
 */
export function takeMapStart(
  cache: CacheStore,
  scopeCode: string,
  log?: (line: string) => void,
): StoredMap | null {
  const token = cache.takeMapStartToken();
  if (!token || !cache.snapshotComplete) return null;
  const start = openMapStart(fileOf(cache));
  if (!start || start.token !== token || start.scopeCode !== scopeCode) {
    log?.(`${MAP_START_FILE} missing, damaged or of another cache: the map is built from the cache`);
    return null;
  }
  return start;
}

/**
 * At a clean close: the map as the cache holds it now, for the next start. The token goes into
 * the cache after the file is whole, so the cache never names a torn file.
 */
export function saveMapStart(
  cache: CacheStore,
  scopeCode: string,
  build: () => { reference: ReferenceText; snapshot: MapSnapshot },
  log?: (line: string) => void,
): void {
  if (!cache.snapshotComplete) return;
  try {
    const token = newMapStartToken();
    writeMapStart(fileOf(cache), { token, scopeCode, ...build() });
    cache.setMapStartToken(token);
  } catch (e) {
    log?.(`${MAP_START_FILE} not written (${e instanceof Error ? e.message : String(e)})`);
  }
}
