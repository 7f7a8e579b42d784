// Encoders/decoders for the dataset's JSON files. Encoding is deterministic: the generator builds
// every object with a fixed key order and rounded numbers, and JSON.stringify keeps both.

import type {
  CamerasFile,
  CatalogFile,
  DatasetManifest,
  DepartmentsFile,
  DivisionsFile,
  GridsFile,
  OfficersFile,
} from './types';
import { DATASET_FORMAT, DATASET_FORMAT_VERSION } from './types';

export class DatasetFormatError extends Error {
  override name = 'DatasetFormatError';
}

/** Compact JSON + newline (data files). */
export function encodeJson(value: unknown): Uint8Array {
  return new TextEncoder().encode(JSON.stringify(value) + '\n');
}

/** Indented JSON + newline (the manifest, meant to be read by people). */
export function encodeJsonPretty(value: unknown): Uint8Array {
  return new TextEncoder().encode(JSON.stringify(value, null, 2) + '\n');
}

function parse(input: string | Uint8Array | ArrayBuffer): unknown {
  const text = typeof input === 'string' ? input : new TextDecoder().decode(input);
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw new DatasetFormatError(`invalid JSON: ${(e as Error).message}`);
  }
}

function expectKind<T>(input: string | Uint8Array | ArrayBuffer, kind: string, listKey: string): T {
  const v = parse(input) as Record<string, unknown> | null;
  if (v === null || typeof v !== 'object') throw new DatasetFormatError(`${kind}: not an object`);
  if (v.kind !== kind)
    throw new DatasetFormatError(`expected a "${kind}" file, found kind ${JSON.stringify(v.kind)}`);
  if (v.formatVersion !== DATASET_FORMAT_VERSION) {
    throw new DatasetFormatError(`${kind}: unsupported formatVersion ${JSON.stringify(v.formatVersion)}`);
  }
  if (!Array.isArray(v[listKey])) throw new DatasetFormatError(`${kind}: missing list "${listKey}"`);
  return v as T;
}

export const decodeDivisions = (input: string | Uint8Array | ArrayBuffer): DivisionsFile =>
  expectKind<DivisionsFile>(input, 'divisions', 'villages');
export const decodeGrids = (input: string | Uint8Array | ArrayBuffer): GridsFile =>
  expectKind<GridsFile>(input, 'grids', 'grids');
export const decodeDepartments = (input: string | Uint8Array | ArrayBuffer): DepartmentsFile =>
  expectKind<DepartmentsFile>(input, 'departments', 'departments');
export const decodeCatalog = (input: string | Uint8Array | ArrayBuffer): CatalogFile =>
  expectKind<CatalogFile>(input, 'categories', 'minors');
export const decodeOfficers = (input: string | Uint8Array | ArrayBuffer): OfficersFile =>
  expectKind<OfficersFile>(input, 'officers', 'officers');
export const decodeCameras = (input: string | Uint8Array | ArrayBuffer): CamerasFile =>
  expectKind<CamerasFile>(input, 'cameras', 'cameras');

export function decodeManifest(input: string | Uint8Array | ArrayBuffer): DatasetManifest {
  const v = parse(input) as Partial<DatasetManifest> | null;
  if (v === null || typeof v !== 'object' || v.format !== DATASET_FORMAT) {
    throw new DatasetFormatError('not a grid-console dataset manifest');
  }
  if (v.formatVersion !== DATASET_FORMAT_VERSION) {
    throw new DatasetFormatError(`unsupported dataset formatVersion ${JSON.stringify(v.formatVersion)}`);
  }
  if (!Array.isArray(v.files) || typeof v.seed !== 'string' || typeof v.options !== 'object') {
    throw new DatasetFormatError('manifest: missing files, seed or options');
  }
  return v as DatasetManifest;
}
