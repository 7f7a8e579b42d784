// Node reader for a dataset directory: checks sizes (and optionally sha256) and decodes every
// file. Reading the manifest and gunzipping a file is the server's reader
// (src-server/dataset/read-dataset.ts), reused here so there is one reader.

import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

import type { CasesTable } from '../../src-shared/dataset/cases';
import { decodeCases } from '../../src-shared/dataset/cases';
import {
  decodeCameras,
  decodeCatalog,
  decodeDepartments,
  decodeDivisions,
  decodeGrids,
  decodeOfficers,
} from '../../src-shared/dataset/json-files';
import type { PlacesTable } from '../../src-shared/dataset/places';
import { decodePlaces } from '../../src-shared/dataset/places';
import type {
  CamerasFile,
  CatalogFile,
  DatasetFileRole,
  DatasetManifest,
  DepartmentsFile,
  DivisionsFile,
  GridsFile,
  OfficersFile,
} from '../../src-shared/dataset/types';
import { readFileBytes, readManifest } from '../../src-server/dataset/read-dataset';

export { readFileBytes, readManifest };

/** Problems with the files listed in the manifest (missing, size, and with `hashes` the sha256); [] when fine. */
export function checkFiles(dir: string, manifest: DatasetManifest, hashes = false): string[] {
  const problems: string[] = [];
  for (const f of manifest.files) {
    const path = join(dir, f.name);
    let size: number;
    try {
      size = statSync(path).size;
    } catch {
      problems.push(`${f.name}: missing`);
      continue;
    }
    if (size !== f.bytes) problems.push(`${f.name}: ${size} bytes, manifest says ${f.bytes}`);
    else if (hashes && createHash('sha256').update(readFileSync(path)).digest('hex') !== f.sha256) {
      problems.push(`${f.name}: sha256 mismatch`);
    }
  }
  return problems;
}

export interface LoadedDataset {
  manifest: DatasetManifest;
  divisions: DivisionsFile;
  grids: GridsFile;
  departments: DepartmentsFile;
  catalog: CatalogFile;
  officers: OfficersFile;
  cameras: CamerasFile;
  places: PlacesTable;
  cases: CasesTable;
}

export function readDataset(dir: string): LoadedDataset {
  const manifest = readManifest(dir);
  const bytes = (role: DatasetFileRole) => readFileBytes(dir, manifest, role);
  return {
    manifest,
    divisions: decodeDivisions(bytes('divisions')),
    grids: decodeGrids(bytes('grids')),
    departments: decodeDepartments(bytes('departments')),
    catalog: decodeCatalog(bytes('catalog')),
    officers: decodeOfficers(bytes('officers')),
    cameras: decodeCameras(bytes('cameras')),
    places: decodePlaces(bytes('places')),
    cases: decodeCases(bytes('cases')),
  };
}
