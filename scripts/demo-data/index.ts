// Public API of the demo-data generator: generateDataset (always writes) and ensureDataset
// (reuses a complete dataset generated with the same generator version, seed and options).

import { existsSync, renameSync, rmSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';

import type { DatasetManifest } from '../../src-shared/dataset/types';
import type { GenerateOptions } from './generate';
import { GENERATOR_NAME, GENERATOR_VERSION, generateDataset, resolveOptions } from './generate';
import { REPO_ROOT } from './inputs';
import { checkFiles, readManifest } from './read';

export { DEFAULT_OPTIONS, DEFAULT_SEED, GENERATOR_VERSION, SIZES, generateDataset } from './generate';
export type { GenerateOptions } from './generate';
export { checkFiles, readDataset, readFileBytes, readManifest } from './read';
export type { LoadedDataset } from './read';

/** `$GRID_CONSOLE_DATA_DIR/datasets/dongguan`, else `<repo>/.data/datasets/dongguan`. */
export function defaultDatasetDir(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.GRID_CONSOLE_DATA_DIR ? resolve(env.GRID_CONSOLE_DATA_DIR) : join(REPO_ROOT, '.data');
  return join(base, 'datasets', 'dongguan');
}

export interface EnsureOptions extends Omit<GenerateOptions, 'outDir'> {
  outDir?: string;
  /** Regenerate even if a matching dataset exists. */
  force?: boolean;
  /** Also verify the sha256 of every file before reusing (slower; default sizes only). */
  verifyHashes?: boolean;
}

export interface EnsureResult {
  dir: string;
  manifest: DatasetManifest;
  /** true when the dataset was (re)generated, false when reused. */
  generated: boolean;
  /** Why it was (re)generated. */
  reason: string;
}

/** Why the dataset in `dir` cannot be reused for these options, or null if it can. */
export function staleReason(dir: string, opts: EnsureOptions): string | null {
  if (!existsSync(join(dir, 'manifest.json'))) return 'no dataset';
  let m: DatasetManifest;
  try {
    m = readManifest(dir);
  } catch (e) {
    return `unreadable manifest (${(e as Error).message})`;
  }
  const { seed, options } = resolveOptions(opts);
  if (m.generator.name !== GENERATOR_NAME || m.generator.version !== GENERATOR_VERSION) {
    return `generator ${m.generator.version} ≠ ${GENERATOR_VERSION}`;
  }
  if (m.seed !== seed) return `seed ${JSON.stringify(m.seed)} ≠ ${JSON.stringify(seed)}`;
  if (JSON.stringify(m.options) !== JSON.stringify(options)) return 'options differ';
  const problems = checkFiles(dir, m, opts.verifyHashes ?? false);
  if (problems.length > 0) return `damaged: ${problems[0]}`;
  return null;
}

/**
 * Generates the dataset into `outDir` (default defaultDatasetDir()) unless a complete one with
 * the same generator version, seed and options is there. Generation happens in a sibling
 * directory that replaces the old one only when complete.
 */
export function ensureDataset(opts: EnsureOptions = {}): EnsureResult {
  const dir = resolve(opts.outDir ?? defaultDatasetDir());
  const reason = opts.force ? 'forced' : staleReason(dir, opts);
  if (reason === null) return { dir, manifest: readManifest(dir), generated: false, reason: 'up to date' };
  const tmp = join(dirname(dir), `.${basename(dir)}.partial-${process.pid}`);
  rmSync(tmp, { recursive: true, force: true });
  try {
    const manifest = generateDataset({ ...opts, outDir: tmp });
    rmSync(dir, { recursive: true, force: true });
    renameSync(tmp, dir);
    return { dir, manifest, generated: true, reason };
  } catch (e) {
    rmSync(tmp, { recursive: true, force: true });
    throw e;
  }
}
