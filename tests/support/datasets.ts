// Datasets shared by the integration and e2e tests. The small one (same city, a 20k-case
// history) keeps server start-up quick; it is generated once per machine and reused.
import { resolve } from 'node:path';
import { ensureDataset } from '../../scripts/demo-data/index';

export const REPO_ROOT = resolve(import.meta.dirname, '../..');
export const SMALL_DATASET_DIR = resolve(REPO_ROOT, '.data/datasets/test-small');
export const SMALL_DATASET_CASES = 20_000;

export function ensureSmallDataset(): string {
  return ensureDataset({ outDir: SMALL_DATASET_DIR, cases: SMALL_DATASET_CASES }).dir;
}

/** The default-size history with the planted rises and laggards (the briefing's e2e and planted tests). */
export const PLANTED_DATASET_DIR = resolve(REPO_ROOT, '.data/datasets/briefing-planted');

export function ensurePlantedDataset(): string {
  return ensureDataset({ outDir: PLANTED_DATASET_DIR }).dir;
}
