// Node reader for a dataset directory: checks sizes (and optionally sha256) and decodes every
// file. Reading the manifest and gunzipping a file is the server's reader
// (src-server/dataset/read-dataset.ts), reused here so there is one reader.

import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

import type { CasesTable } from '../../src-shared/dataset/cases';
import type { PlacesTable } from '../../src-shared/dataset/places';
import type { DatasetManifest } from '../../src-shared/dataset/types';
import {
  readCaseHistory,
  readFileBytes,
  readManifest,
  readPlaces,
  readReferenceFiles,
  type ReferenceFiles,
} from '../../src-server/dataset/read-dataset';

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

export interface LoadedDataset extends ReferenceFiles {
  places: PlacesTable;
  cases: CasesTable;
}

export function readDataset(dir: string): LoadedDataset {
  const reference = readReferenceFiles(dir);
  return {
    ...reference,
    places: readPlaces(dir, reference.manifest),
    cases: readCaseHistory(dir, reference.manifest),
  };
}
