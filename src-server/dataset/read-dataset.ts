// Reads a demo dataset directory (written by scripts/demo-data) from disk: the manifest, then
// each file gunzipped as the manifest says and decoded by src-shared/dataset. The server reads
// the format itself so it never imports the generator.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import {
  DATASET_FILES,
  decodeCameras,
  decodeCases,
  decodeCatalog,
  decodeDepartments,
  decodeDivisions,
  decodeGrids,
  decodeManifest,
  decodeOfficers,
  decodePlaces,
  type CamerasFile,
  type CasesTable,
  type CatalogFile,
  type DatasetFileRole,
  type DatasetManifest,
  type DepartmentsFile,
  type DivisionsFile,
  type GridsFile,
  type OfficersFile,
  type PlacesTable,
} from '../../src-shared/dataset';

export class DatasetMissingError extends Error {}

export function readManifest(dir: string): DatasetManifest {
  const file = join(dir, DATASET_FILES.manifest);
  if (!existsSync(file)) {
    throw new DatasetMissingError(
      `no demo dataset at ${dir}: run \`npm run demo-data\` (or start with \`npm start\`)`,
    );
  }
  return decodeManifest(readFileSync(file));
}

export function readFileBytes(dir: string, manifest: DatasetManifest, role: DatasetFileRole): Uint8Array {
  const entry = manifest.files.find((f) => f.role === role);
  if (!entry) throw new Error(`dataset at ${dir} has no ${role} file`);
  const raw = readFileSync(join(dir, entry.name));
  return entry.contentEncoding === 'gzip' ? gunzipSync(raw) : raw;
}

/** The small JSON part: everything but the places and the case history. */
export interface ReferenceFiles {
  manifest: DatasetManifest;
  divisions: DivisionsFile;
  grids: GridsFile;
  departments: DepartmentsFile;
  catalog: CatalogFile;
  officers: OfficersFile;
  cameras: CamerasFile;
}

export function readReferenceFiles(dir: string): ReferenceFiles {
  const manifest = readManifest(dir);
  const bytes = (role: DatasetFileRole): Uint8Array => readFileBytes(dir, manifest, role);
  return {
    manifest,
    divisions: decodeDivisions(bytes('divisions')),
    grids: decodeGrids(bytes('grids')),
    departments: decodeDepartments(bytes('departments')),
    catalog: decodeCatalog(bytes('catalog')),
    officers: decodeOfficers(bytes('officers')),
    cameras: decodeCameras(bytes('cameras')),
  };
}

export const readCaseHistory = (dir: string, manifest: DatasetManifest): CasesTable =>
  decodeCases(readFileBytes(dir, manifest, 'cases'));

export const readPlaces = (dir: string, manifest: DatasetManifest): PlacesTable =>
  decodePlaces(readFileBytes(dir, manifest, 'places'));
