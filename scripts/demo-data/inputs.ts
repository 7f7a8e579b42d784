// Loads and validates the generator's inputs from resources/demo/ (and nothing else).

import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import type { MultiPolygon } from '../../src-shared/domain/geo';
import { fromGeometry } from '../../src-shared/domain/geo';
import type { Department, MajorCategory, MinorCategory } from '../../src-shared/dataset/types';
import { PRIORITIES, TIME_LIMIT_UNITS } from '../../src-shared/domain/case-model';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const RESOURCES_DIR = join(REPO_ROOT, 'resources', 'demo');

export interface DivisionRow {
  code: string;
  name: string;
  parentCode: string;
}

export interface Inputs {
  outline: MultiPolygon;
  city: DivisionRow;
  towns: DivisionRow[]; // sorted by code
  villages: DivisionRow[]; // sorted by code
  departments: Department[];
  majors: (MajorCategory & { departmentCode: string })[];
  minors: MinorCategory[]; // sorted by code
  /** sha256 of each input file, for the manifest. */
  inputHashes: Record<string, string>;
}

export class InputError extends Error {
  override name = 'InputError';
}

export const CITY_CODE = '4419';

function read(dir: string, name: string, hashes: Record<string, string>): string {
  let buf: Buffer;
  try {
    buf = readFileSync(join(dir, name));
  } catch {
    throw new InputError(`missing input resources/demo/${name}`);
  }
  hashes[name] = createHash('sha256').update(buf).digest('hex');
  return buf.toString('utf8');
}

export function loadInputs(dir: string = RESOURCES_DIR): Inputs {
  const hashes: Record<string, string> = {};

  // Outline
  const outlineJson = JSON.parse(read(dir, 'dongguan-outline.geojson', hashes)) as {
    features: { geometry: { type: 'Polygon' | 'MultiPolygon'; coordinates: never } }[];
  };
  const geom = outlineJson.features?.[0]?.geometry;
  if (!geom || (geom.type !== 'Polygon' && geom.type !== 'MultiPolygon')) {
    throw new InputError('dongguan-outline.geojson: expected a Polygon feature');
  }
  const outline = fromGeometry(geom);

  // Divisions CSV (level,code,name,parent_code), CRLF or LF
  const rows = read(dir, 'dongguan-divisions.csv', hashes)
    .split(/\r?\n/)
    .filter((l) => l.trim() !== '');
  if (rows[0] !== 'level,code,name,parent_code')
    throw new InputError('dongguan-divisions.csv: unexpected header');
  let city: DivisionRow | null = null;
  const towns: DivisionRow[] = [];
  const villages: DivisionRow[] = [];
  for (const line of rows.slice(1)) {
    const [level, code, name, parentCode = ''] = line.split(',');
    if (level === 'city' && code === CITY_CODE) city = { code, name, parentCode };
    else if (level === 'town' && parentCode === CITY_CODE) towns.push({ code, name, parentCode });
    else if (level === 'village' && parentCode.startsWith(CITY_CODE))
      villages.push({ code, name, parentCode });
  }
  if (!city) throw new InputError('dongguan-divisions.csv: no city row 4419');
  towns.sort((a, b) => a.code.localeCompare(b.code));
  villages.sort((a, b) => a.code.localeCompare(b.code));
  const townCodes = new Set(towns.map((t) => t.code));
  for (const t of towns) if (!/^4419\d{5}$/.test(t.code)) throw new InputError(`bad town code ${t.code}`);
  for (const v of villages) {
    if (!/^4419\d{8}$/.test(v.code) || !townCodes.has(v.parentCode) || !v.code.startsWith(v.parentCode)) {
      throw new InputError(`bad village row ${v.code} ${v.name}`);
    }
  }
  for (const t of towns) {
    if (!villages.some((v) => v.parentCode === t.code))
      throw new InputError(`town ${t.code} has no villages`);
  }

  // Departments and catalog
  const depJson = JSON.parse(read(dir, 'departments.json', hashes)) as { departments: Department[] };
  const departments = depJson.departments;
  const depCodes = new Set<string>();
  for (const d of departments) {
    if (!/^[a-z][a-z0-9_]*$/.test(d.code) || !d.nameZh || !d.nameEn)
      throw new InputError(`bad department ${d.code}`);
    if (depCodes.has(d.code)) throw new InputError(`duplicate department ${d.code}`);
    depCodes.add(d.code);
  }
  const { majors, minors } = validateCatalog(JSON.parse(read(dir, 'categories.json', hashes)), depCodes);
  return { outline, city, towns, villages, departments, majors, minors, inputHashes: hashes };
}

interface RawMinor extends Omit<MinorCategory, 'majorCode'> {
  majorCode?: string;
}
interface RawMajor extends MajorCategory {
  departmentCode: string;
  minors: RawMinor[];
}

/** Validates categories.json: codes MM / MMmmm, departments known, priority/unit from case-model.ts, texts present. */
export function validateCatalog(
  json: unknown,
  depCodes: ReadonlySet<string>,
): { majors: (MajorCategory & { departmentCode: string })[]; minors: MinorCategory[] } {
  const errors: string[] = [];
  const root = json as { majors?: RawMajor[] };
  if (!Array.isArray(root?.majors)) throw new InputError('categories.json: missing "majors"');
  const majors: (MajorCategory & { departmentCode: string })[] = [];
  const minors: MinorCategory[] = [];
  const seen = new Set<string>();
  for (const m of root.majors) {
    if (!/^\d{2}$/.test(m.code) || seen.has(m.code)) errors.push(`major ${m.code}: bad or duplicate code`);
    seen.add(m.code);
    if (!m.nameZh || !m.nameEn) errors.push(`major ${m.code}: missing name`);
    if (!depCodes.has(m.departmentCode))
      errors.push(`major ${m.code}: unknown department ${m.departmentCode}`);
    majors.push({ code: m.code, nameZh: m.nameZh, nameEn: m.nameEn, departmentCode: m.departmentCode });
    if (!Array.isArray(m.minors) || m.minors.length === 0) errors.push(`major ${m.code}: no minors`);
    for (const n of m.minors ?? []) {
      const where = `minor ${n.code}`;
      if (!/^\d{5}$/.test(n.code) || !n.code.startsWith(m.code) || seen.has(n.code)) {
        errors.push(`${where}: bad or duplicate code (must be ${m.code}mmm)`);
      }
      seen.add(n.code);
      if (!n.nameZh || !n.nameEn) errors.push(`${where}: missing name`);
      if (!depCodes.has(n.departmentCode)) errors.push(`${where}: unknown department ${n.departmentCode}`);
      if (!(PRIORITIES as readonly string[]).includes(n.priority))
        errors.push(`${where}: bad priority ${n.priority}`);
      if (
        !n.timeLimit ||
        !(TIME_LIMIT_UNITS as readonly string[]).includes(n.timeLimit.unit) ||
        !(Number.isInteger(n.timeLimit.value) && n.timeLimit.value > 0)
      ) {
        errors.push(`${where}: bad time limit`);
      }
      if (!n.filingCondition || !/[\u4e00-\u9fff]/.test(n.filingCondition))
        errors.push(`${where}: missing 立案条件`);
      if (!n.closingStandard || !/[\u4e00-\u9fff]/.test(n.closingStandard))
        errors.push(`${where}: missing 结案条件`);
      if (!(typeof n.demoWeight === 'number' && n.demoWeight > 0))
        errors.push(`${where}: demoWeight must be > 0`);
      minors.push({
        code: n.code,
        majorCode: m.code,
        nameZh: n.nameZh,
        nameEn: n.nameEn,
        departmentCode: n.departmentCode,
        priority: n.priority,
        timeLimit: { unit: n.timeLimit?.unit, value: n.timeLimit?.value },
        filingCondition: n.filingCondition,
        closingStandard: n.closingStandard,
        demoWeight: n.demoWeight,
      });
    }
  }
  if (majors.length < 12) errors.push(`need ≥ 12 major classes, found ${majors.length}`);
  if (minors.length < 100) errors.push(`need ≥ 100 minor classes, found ${minors.length}`);
  if (errors.length > 0) throw new InputError(`categories.json invalid:\n  ${errors.join('\n  ')}`);
  majors.sort((a, b) => a.code.localeCompare(b.code));
  minors.sort((a, b) => a.code.localeCompare(b.code));
  return { majors, minors };
}
