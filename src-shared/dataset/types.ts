// Types of the demo dataset's JSON files and its manifest. The binary tables are described in
// places.ts and cases.ts. Every JSON file is an object `{ kind, formatVersion, … }` so a reader
// can tell what it holds; coordinates are [lon, lat] rounded to 1e-6°.

import type { AreaGeometry, Position } from '../domain/geo';
import type { Priority, TimeLimitUnit } from '../domain/case-model';

export const DATASET_FORMAT = 'grid-console-dataset';
export const DATASET_FORMAT_VERSION = 1;

/** File names inside a dataset directory. */
export const DATASET_FILES = {
  manifest: 'manifest.json',
  divisions: 'divisions.json',
  grids: 'grids.json',
  departments: 'departments.json',
  catalog: 'categories.json',
  officers: 'officers.json',
  cameras: 'cameras.json',
  places: 'places.bin.gz',
  cases: 'cases.bin.gz',
} as const;
export type DatasetFileRole = Exclude<keyof typeof DATASET_FILES, 'manifest'>;

/** Stored coordinates in micro-degrees: degrees = value / MICRO_DEGREES (divide, do not multiply by 1e-6). */
export const MICRO_DEGREES = 1e6;

// ---------------------------------------------------------------------------------------------
// divisions.json

export type TownKind = 'street' | 'town' | 'zone'; // 街道 001–099, 镇 100–199, special zone 400+
export type VillageKind = 'community' | 'village'; // 社区 / 村

export interface CityDivision {
  code: string; // "4419"
  name: string; // 东莞市
  areaKm2: number;
  geometry: AreaGeometry;
}

export interface TownDivision {
  code: string; // 9 digits
  name: string;
  parentCode: string;
  kind: TownKind;
  /** Where the town's tessellation seed sits (≈ the real town centre, moved inside the outline). */
  seed: Position;
  centroid: Position;
  areaKm2: number;
  geometry: AreaGeometry;
}

export interface VillageDivision {
  code: string; // 12 digits
  name: string; // official name, e.g. 岗贝社区居民委员会
  shortName: string; // e.g. 岗贝社区
  parentCode: string;
  kind: VillageKind;
  centroid: Position;
  areaKm2: number;
  populationEstimate: number;
  geometry: AreaGeometry;
}

export interface DivisionsFile {
  kind: 'divisions';
  formatVersion: number;
  city: CityDivision;
  towns: TownDivision[];
  villages: VillageDivision[];
}

// ---------------------------------------------------------------------------------------------
// grids.json

export interface GridRecord {
  /** Position in `grids` = the `grid` column of the binary tables. Grids are sorted by code. */
  index: number;
  code: string; // 15 digits = village code + 3-digit sequence
  name: string; // e.g. 岗贝社区第3网格
  villageCode: string;
  townCode: string;
  centroid: Position;
  areaKm2: number;
  rentalBuildings: number;
  rentalUnits: number;
  smallVenues: number;
  residentEstimate: number;
  geometry: AreaGeometry;
}

export interface GridsFile {
  kind: 'grids';
  formatVersion: number;
  /** The numbering rule of the 3-digit sequence, in words. */
  numbering: string;
  grids: GridRecord[];
}

// ---------------------------------------------------------------------------------------------
// departments.json, categories.json

export interface Department {
  code: string;
  nameZh: string;
  nameEn: string;
}

export interface DepartmentsFile {
  kind: 'departments';
  formatVersion: number;
  departments: Department[];
}

export interface TimeLimit {
  unit: TimeLimitUnit;
  value: number;
}

export interface MajorCategory {
  code: string; // 2 digits
  nameZh: string;
  nameEn: string;
}

export interface MinorCategory {
  code: string; // 5 digits MMmmm
  majorCode: string;
  nameZh: string;
  nameEn: string;
  departmentCode: string;
  priority: Priority;
  timeLimit: TimeLimit;
  filingCondition: string; // 立案条件
  closingStandard: string; // 结案条件
  /** Relative frequency in the demo history (not a domain attribute). */
  demoWeight: number;
}

export interface CatalogFile {
  kind: 'categories';
  formatVersion: number;
  majors: MajorCategory[];
  /** Sorted by code; the position is the `category` column of the cases table. */
  minors: MinorCategory[];
}

// ---------------------------------------------------------------------------------------------
// officers.json, cameras.json

export const SQUAD_KINDS = ['grid', 'mobile', 'department'] as const; // 网格员 / 机动巡查队 / 部门处置人员
export type SquadKind = (typeof SQUAD_KINDS)[number];

export interface Officer {
  /** Position in `officers` = the `reporter` column of the cases table. */
  index: number;
  id: string; // e.g. OF00001
  employeeNo: string; // 'DG' + 8 digits
  name: string;
  gender: 'M' | 'F';
  phone: string; // fake, 11 digits starting with 1
  squad: SquadKind;
  departmentCode: string | null; // department handlers only
  homeGrid: string; // grid code
  /** Further grids of a specialist (一员多格); empty for most. */
  extraGrids: string[];
  townCode: string;
  villageCode: string;
  /** Initial position, inside the home grid. */
  position: Position;
}

export interface OfficersFile {
  kind: 'officers';
  formatVersion: number;
  officers: Officer[];
}

export const CAMERA_OWNERS = ['public_security', 'town', 'enterprise'] as const;
export type CameraOwner = (typeof CAMERA_OWNERS)[number];

export interface Camera {
  id: string; // 20-digit GB/T 28181-style device id
  name: string; // e.g. 横沥镇田坑村振兴路口
  position: Position;
  gridCode: string;
  owner: CameraOwner;
  online: boolean;
  /** Compass bearing of the view axis, degrees clockwise from north. */
  direction: number;
  /** Horizontal field of view, degrees. */
  fieldOfView: number;
  /** Placeholder path of the live stream on the video gateway. */
  streamPath: string;
}

export interface CamerasFile {
  kind: 'cameras';
  formatVersion: number;
  cameras: Camera[];
}

// ---------------------------------------------------------------------------------------------
// manifest.json

export interface DatasetOptions {
  /** Number of cases in the history (default 2,500,000). */
  cases: number;
  /** Last day of the history, YYYY-MM-DD in +08:00; the history covers the 365 days ending with it. */
  referenceDate: string;
  /** Rises planted into the history (the generator's default list: scripts/demo-data/planted.ts). */
  plantedRises: PlantedRiseSpec[];
  /**
   * Areas planted to lag on on-time closure (default list in scripts/demo-data/planted.ts).
   * Absent in manifests of generator 1.0.x, which had none.
   */
  plantedLaggards?: PlantedLaggardSpec[];
}

export interface DatasetFileEntry {
  role: DatasetFileRole;
  name: string;
  mediaType: 'application/json' | 'application/vnd.grid-console.table';
  /** 'gzip': the stored bytes are gzip-compressed; decompress before decoding. */
  contentEncoding: 'identity' | 'gzip';
  /** Size of the stored file in bytes. */
  bytes: number;
  /** sha256 of the stored bytes, lowercase hex. */
  sha256: string;
  /** Rows (tables) or records (JSON lists). */
  rows: number;
}

export interface ProvenanceEntry {
  file: string; // path under resources/demo/
  source: string;
  version: string;
  sourcePath: string;
  licence: string;
  changes: string;
  /** sha256 of the input file as read by the generator. */
  sha256: string;
}

/**
 * A rise planted into the history on purpose (for the weekly briefing's tests): during `weeks`
 * weeks from `fromDay`, the case intensity of one major category in one town is multiplied by
 * `factor`; the extra cases come on top of `options.cases`.
 */
export interface PlantedRiseSpec {
  id: string;
  majorCode: string;
  townCode: string;
  /** First affected day, YYYY-MM-DD (+08:00). */
  fromDay: string;
  weeks: number;
  factor: number;
  /**
   * A slow drift rather than a jump: the intensity climbs linearly week by week, reaching
   * `factor` in the last week (week k of n: 1 + (factor − 1)·k/n).
   */
  ramp?: boolean;
}

export interface PlantedRise extends PlantedRiseSpec {
  /** Extra cases generated by the rise. */
  extraCases: number;
}

/**
 * An area planted to lag (for the briefing's call-in list 约谈): during `weeks` weeks from
 * `fromDay`, cases of the town or village `areaCode` that are dispatched are closed within their
 * time limit with `onTimeFactor` times the usual probability (the rest are closed late). No
 * extra cases; the history's size does not change.
 */
export interface PlantedLaggardSpec {
  id: string;
  /** Town (9 digits) or village (12 digits) code. */
  areaCode: string;
  /** First affected day (report date), YYYY-MM-DD (+08:00); a Monday to cover whole ISO weeks. */
  fromDay: string;
  weeks: number;
  /** 0 < factor < 1. */
  onTimeFactor: number;
}

export interface PlantedLaggard extends PlantedLaggardSpec {
  /** Dispatched cases reported in the window (those whose on-time chance was lowered). */
  affectedCases: number;
}

export interface DatasetCounts {
  towns: number;
  villages: number;
  grids: number;
  officers: number;
  gridOfficers: number;
  mobileOfficers: number;
  departmentHandlers: number;
  cameras: number;
  camerasOnline: number;
  departments: number;
  majorCategories: number;
  minorCategories: number;
  rentals: number;
  rentalsByTier: Record<string, number>;
  rentalUnits: number;
  smallVenues: number;
  cases: number;
  casesVoided: number;
  casesClosed: number;
  casesOnTime: number;
  casesReworked: number;
  casesSelfHandled: number;
  casesBySource: Record<string, number>;
}

export interface DatasetManifest {
  format: typeof DATASET_FORMAT;
  formatVersion: number;
  generator: { name: string; version: string };
  seed: string;
  options: DatasetOptions;
  region: { code: string; name: string };
  history: {
    firstDay: string;
    lastDay: string;
    days: number;
    timeZone: '+08:00';
    /** End of the history, minutes since epoch (= the `reportedAt` unit); cases open at that time stay open. */
    referenceMinute: number;
    referenceTime: string; // ISO 8601 with +08:00
  };
  counts: DatasetCounts;
  areaKm2: { outline: number; grids: number };
  plantedRises: PlantedRise[];
  /** Absent in manifests of generator 1.0.x. */
  plantedLaggards?: PlantedLaggard[];
  provenance: ProvenanceEntry[];
  notes: string[];
  files: DatasetFileEntry[];
}
