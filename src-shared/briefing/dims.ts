// The dimension tables of the briefing rollups: which integer means which town, village, class,
// department and source. Rollups store only these integers; the tables travel with them (in
// the serialised header) so a rollup can be read, merged and explained without the dataset.
//
// Villages are the finest area the rollups keep (towns and the city derive from them by
// summing): a base grid sees a handful of cases a week, too few for any test, and keeping grids
// would multiply the memory by five for nothing the briefing shows.

import { CASE_SOURCES } from '../domain/case-model';

export interface DimTown {
  code: string;
  name: string;
}

export interface DimVillage {
  code: string;
  name: string;
  /** Index into `towns`. */
  town: number;
}

export interface DimMajor {
  code: string;
  nameZh: string;
  nameEn: string;
}

export interface DimMinor {
  code: string;
  /** Index into `majors`. */
  major: number;
  nameZh: string;
  nameEn: string;
  /** Index into `departments` of the class's responsible department, or −1. */
  department: number;
}

export interface DimDepartment {
  code: string;
  nameZh: string;
  nameEn: string;
}

/** Serialisable description of the rollups' dimensions. */
export interface BriefingDimsData {
  city: { code: string; name: string };
  towns: DimTown[];
  villages: DimVillage[];
  majors: DimMajor[];
  minors: DimMinor[];
  departments: DimDepartment[];
}

export type ScopeLevel = 'city' | 'town' | 'village';

/** A scope resolved to villages, and the areas one level below it. */
export interface ResolvedScope {
  code: string;
  level: ScopeLevel;
  name: string;
  /** 1 for villages in the scope, else 0 (index = village). */
  inScope: Uint8Array;
  /** Area slot of each village (−1 outside the scope): its town at city scope, itself at town scope. */
  areaOf: Int32Array;
  /** Codes and names of the areas below the scope (towns, or villages of a town; none for a village). */
  areas: Array<{ code: string; name: string; level: 'town' | 'village' }>;
}

export class BriefingDims {
  readonly data: BriefingDimsData;
  readonly nTowns: number;
  readonly nVillages: number;
  readonly nMajors: number;
  readonly nMinors: number;
  readonly nDepartments: number;
  /** Department slots: the departments, then one for cases handled by nobody (self-handled, voided, not yet dispatched). */
  readonly nDeptSlots: number;
  readonly noDeptSlot: number;
  readonly nSources = CASE_SOURCES.length;
  readonly villageTown: Int32Array;
  readonly minorMajor: Int32Array;
  private readonly townIndex: Map<string, number>;
  private readonly villageIndex: Map<string, number>;
  private readonly minorIndex: Map<string, number>;
  private readonly majorIndex: Map<string, number>;
  private readonly deptIndex: Map<string, number>;
  private readonly scopeCache = new Map<string, ResolvedScope>();

  constructor(data: BriefingDimsData) {
    this.data = data;
    this.nTowns = data.towns.length;
    this.nVillages = data.villages.length;
    this.nMajors = data.majors.length;
    this.nMinors = data.minors.length;
    this.nDepartments = data.departments.length;
    this.nDeptSlots = this.nDepartments + 1;
    this.noDeptSlot = this.nDepartments;
    this.villageTown = Int32Array.from(data.villages, (v) => v.town);
    this.minorMajor = Int32Array.from(data.minors, (m) => m.major);
    this.townIndex = new Map(data.towns.map((t, i) => [t.code, i]));
    this.villageIndex = new Map(data.villages.map((v, i) => [v.code, i]));
    this.minorIndex = new Map(data.minors.map((m, i) => [m.code, i]));
    this.majorIndex = new Map(data.majors.map((m, i) => [m.code, i]));
    this.deptIndex = new Map(data.departments.map((d, i) => [d.code, i]));
    for (const v of data.villages) {
      if (!(v.town >= 0 && v.town < this.nTowns)) throw new RangeError(`village ${v.code}: bad town index`);
    }
    for (const m of data.minors) {
      if (!(m.major >= 0 && m.major < this.nMajors)) throw new RangeError(`class ${m.code}: bad major index`);
    }
    // Keys of the rollups pack (class, village) and (village, department) into one integer.
    if (this.nMinors * this.nVillages >= 2 ** 31 || this.nVillages * this.nDeptSlots * 8 >= 2 ** 31) {
      throw new RangeError('dimensions too large for 31-bit cell keys');
    }
  }

  town(code: string): number {
    return this.townIndex.get(code) ?? -1;
  }
  village(code: string): number {
    return this.villageIndex.get(code) ?? -1;
  }
  minor(code: string): number {
    return this.minorIndex.get(code) ?? -1;
  }
  major(code: string): number {
    return this.majorIndex.get(code) ?? -1;
  }
  department(code: string): number {
    return this.deptIndex.get(code) ?? -1;
  }

  /** A fingerprint of the dimension tables: rollups merge only when it matches. */
  key(): string {
    const d = this.data;
    return [
      d.city.code,
      d.towns.map((t) => t.code).join(','),
      d.villages.map((v) => `${v.code}:${v.town}`).join(','),
      d.majors.map((m) => m.code).join(','),
      d.minors.map((m) => `${m.code}:${m.major}`).join(','),
      d.departments.map((x) => x.code).join(','),
      CASE_SOURCES.join(','),
    ].join('|');
  }

  /** Resolves a city, town or village code; null when it is none of ours. */
  resolveScope(code: string): ResolvedScope | null {
    const cached = this.scopeCache.get(code);
    if (cached !== undefined) return cached;
    const d = this.data;
    const inScope = new Uint8Array(this.nVillages);
    const areaOf = new Int32Array(this.nVillages).fill(-1);
    let out: ResolvedScope | null = null;
    if (code === d.city.code) {
      inScope.fill(1);
      for (let v = 0; v < this.nVillages; v++) areaOf[v] = this.villageTown[v];
      out = {
        code,
        level: 'city',
        name: d.city.name,
        inScope,
        areaOf,
        areas: d.towns.map((t) => ({ code: t.code, name: t.name, level: 'town' })),
      };
    } else if (this.townIndex.has(code)) {
      const t = this.townIndex.get(code)!;
      const areas: ResolvedScope['areas'] = [];
      for (let v = 0; v < this.nVillages; v++) {
        if (this.villageTown[v] !== t) continue;
        inScope[v] = 1;
        areaOf[v] = areas.length;
        areas.push({ code: d.villages[v].code, name: d.villages[v].name, level: 'village' });
      }
      out = { code, level: 'town', name: d.towns[t].name, inScope, areaOf, areas };
    } else if (this.villageIndex.has(code)) {
      const v = this.villageIndex.get(code)!;
      inScope[v] = 1;
      const t = d.towns[this.villageTown[v]];
      out = { code, level: 'village', name: `${t.name}${d.villages[v].name}`, inScope, areaOf, areas: [] };
    }
    if (out !== null) this.scopeCache.set(code, out);
    return out;
  }
}

export interface DimsSource {
  city: { code: string; name: string };
  /** In the order of the cases table's `grid` column. */
  grids: ReadonlyArray<{ code: string; villageCode: string; townCode: string }>;
  towns?: ReadonlyArray<{ code: string; name: string }>;
  villages?: ReadonlyArray<{ code: string; name?: string; shortName?: string }>;
  majors: ReadonlyArray<{ code: string; nameZh: string; nameEn: string }>;
  /** In the order of the cases table's `category` column. */
  minors: ReadonlyArray<{
    code: string;
    majorCode: string;
    nameZh: string;
    nameEn: string;
    departmentCode?: string;
  }>;
  /** In the order of the cases table's `department` column. */
  departments: ReadonlyArray<{ code: string; nameZh: string; nameEn: string }>;
}

/**
 * Dimensions from a dataset's tables. Towns and villages are the ones the grids name (sorted by
 * code); names come from `towns`/`villages` (divisions.json) when given, else the code stands in.
 * Classes and departments keep the dataset's order, so a cases-table index is a dims index.
 */
export function dimsFromDataset(src: DimsSource): BriefingDims {
  const townCodes = [...new Set(src.grids.map((g) => g.townCode))].sort();
  const villageCodes = [...new Set(src.grids.map((g) => g.villageCode))].sort();
  const townNames = new Map((src.towns ?? []).map((t) => [t.code, t.name]));
  const villageNames = new Map((src.villages ?? []).map((v) => [v.code, v.shortName ?? v.name ?? v.code]));
  const villageTown = new Map(src.grids.map((g) => [g.villageCode, g.townCode]));
  const townIdx = new Map(townCodes.map((c, i) => [c, i]));
  const majorIdx = new Map(src.majors.map((m, i) => [m.code, i]));
  const deptIdx = new Map(src.departments.map((d, i) => [d.code, i]));
  return new BriefingDims({
    city: { ...src.city },
    towns: townCodes.map((code) => ({ code, name: townNames.get(code) ?? code })),
    villages: villageCodes.map((code) => ({
      code,
      name: villageNames.get(code) ?? code,
      town: townIdx.get(villageTown.get(code)!)!,
    })),
    majors: src.majors.map((m) => ({ code: m.code, nameZh: m.nameZh, nameEn: m.nameEn })),
    minors: src.minors.map((m) => {
      const major = majorIdx.get(m.majorCode);
      if (major === undefined) throw new RangeError(`class ${m.code}: unknown major ${m.majorCode}`);
      const department = m.departmentCode === undefined ? -1 : (deptIdx.get(m.departmentCode) ?? -1);
      return { code: m.code, major, nameZh: m.nameZh, nameEn: m.nameEn, department };
    }),
    departments: src.departments.map((d) => ({ code: d.code, nameZh: d.nameZh, nameEn: d.nameEn })),
  });
}
