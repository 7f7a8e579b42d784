import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { AreaGeometry, BBox, MultiPolygon } from '../../src-shared/domain/geo';
import {
  bboxOf,
  createRng,
  fromGeometry,
  geometryAreaKm2,
  pointInMultiPolygon,
} from '../../src-shared/domain/geo';
import { PointIndex } from '../../src-shared/domain/point-index';
import { PRIORITIES, RENTAL_TIERS, TIME_LIMIT_UNITS } from '../../src-shared/domain/case-model';
import { MICRO_DEGREES, PLACE_KIND_RENTAL, PLACE_KIND_SMALL_VENUE } from '../../src-shared/dataset';
import type { DatasetManifest } from '../../src-shared/dataset';
import type { LoadedDataset } from '../../scripts/demo-data/index';
import {
  checkFiles,
  ensureDataset,
  generateDataset,
  readDataset,
  staleReason,
} from '../../scripts/demo-data/index';
import { REPO_ROOT } from '../../scripts/demo-data/inputs';

const REDUCED_CASES = 200_000;

let root: string;
let full: LoadedDataset;
let fullMs = 0;
let index: PointIndex;

function csvRows(level: string): { code: string; name: string; parent: string }[] {
  return readFileSync(join(REPO_ROOT, 'resources/demo/dongguan-divisions.csv'), 'utf8')
    .split(/\r?\n/)
    .map((l) => l.split(','))
    .filter((c) => c[0] === level)
    .map(([, code, name, parent]) => ({ code, name, parent }));
}

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'grid-console-demo-data-'));
  const t = performance.now();
  generateDataset({ outDir: join(root, 'full') });
  fullMs = performance.now() - t;
  full = readDataset(join(root, 'full'));
  index = PointIndex.build(
    full.grids.grids.map((g) => ({
      gridCode: g.code,
      villageCode: g.villageCode,
      townCode: g.townCode,
      geometry: g.geometry,
    })),
  );
}, 300_000);

afterAll(() => {
  if (root) rmSync(root, { recursive: true, force: true });
});

describe('default Dongguan dataset', () => {
  it('generates every file its manifest lists (the time is printed; speed is not asserted here)', () => {
    console.log(`default dataset generated in ${(fullMs / 1000).toFixed(1)} s`);
    expect(checkFiles(join(root, 'full'), full.manifest, true)).toEqual([]);
  });

  it('has the 36 towns and 609 villages of the CSV with their real names and codes', () => {
    const towns = csvRows('town');
    const villages = csvRows('village');
    expect(towns).toHaveLength(36);
    expect(villages).toHaveLength(609);
    const d = full.divisions;
    expect(d.city).toMatchObject({ code: '4419', name: '东莞市' });
    expect(d.towns.map((t) => [t.code, t.name, t.parentCode])).toEqual(
      towns.sort((a, b) => a.code.localeCompare(b.code)).map((t) => [t.code, t.name, t.parent]),
    );
    expect(d.villages.map((v) => [v.code, v.name, v.parentCode])).toEqual(
      villages.sort((a, b) => a.code.localeCompare(b.code)).map((v) => [v.code, v.name, v.parent]),
    );
    for (const t of d.towns) {
      // each town's seed (≈ real centre) lies inside its own town
      expect(pointInMultiPolygon(t.seed[0], t.seed[1], fromGeometry(t.geometry)), t.name).toBe(true);
    }
  });

  it('has 2,900–3,200 grids with valid, unique, sequential 15-digit codes', () => {
    const grids = full.grids.grids;
    expect(grids.length).toBeGreaterThanOrEqual(2900);
    expect(grids.length).toBeLessThanOrEqual(3200);
    const villages = new Map(full.divisions.villages.map((v) => [v.code, v]));
    const seqs = new Map<string, number[]>();
    grids.forEach((g, i) => {
      expect(g.index).toBe(i);
      expect(g.code).toMatch(/^\d{15}$/);
      expect(g.code.slice(0, 12)).toBe(g.villageCode);
      expect(villages.get(g.villageCode)?.parentCode).toBe(g.townCode);
      if (i > 0) expect(g.code > grids[i - 1].code).toBe(true); // sorted, hence unique
      const list = seqs.get(g.villageCode) ?? [];
      list.push(Number(g.code.slice(12)));
      seqs.set(g.villageCode, list);
      expect(g.geometry.coordinates.length).toBeGreaterThan(0);
      expect(g.residentEstimate).toBeGreaterThan(0);
    });
    expect(seqs.size).toBe(609);
    for (const [, list] of seqs) {
      expect(list.length).toBeGreaterThanOrEqual(3);
      expect(list.length).toBeLessThanOrEqual(8);
      expect(list).toEqual(list.map((_, k) => k + 1)); // 001, 002, …
    }
  });

  it('tiles the outline: total area within 0.5 %, and random points fall in exactly one grid', () => {
    const outline = full.divisions.city.geometry;
    const outlineArea = geometryAreaKm2(outline);
    const sum = (gs: { geometry: AreaGeometry }[]) => gs.reduce((s, g) => s + geometryAreaKm2(g.geometry), 0);
    expect(Math.abs(sum(full.grids.grids) / outlineArea - 1)).toBeLessThan(0.005);
    expect(Math.abs(sum(full.divisions.villages) / outlineArea - 1)).toBeLessThan(0.005);
    expect(Math.abs(sum(full.divisions.towns) / outlineArea - 1)).toBeLessThan(0.005);

    // brute force (bbox-filtered scan of every grid polygon), no index involved
    const polys: MultiPolygon[] = full.grids.grids.map((g) => fromGeometry(g.geometry));
    const boxes: BBox[] = polys.map((p) => bboxOf(p));
    const outlineMp = fromGeometry(outline);
    const bb = bboxOf(outlineMp);
    const rng = createRng('tiling-check');
    let inside = 0;
    const bad: string[] = [];
    for (let i = 0; i < 30_000; i++) {
      const x = bb[0] + rng.next() * (bb[2] - bb[0]);
      const y = bb[1] + rng.next() * (bb[3] - bb[1]);
      let hits = 0;
      for (let g = 0; g < polys.length; g++) {
        const b = boxes[g];
        if (x >= b[0] && x <= b[2] && y >= b[1] && y <= b[3] && pointInMultiPolygon(x, y, polys[g])) hits++;
      }
      const inOutline = pointInMultiPolygon(x, y, outlineMp);
      if (inOutline) inside++;
      if (hits !== (inOutline ? 1 : 0)) bad.push(`(${x}, ${y}): ${hits} grids, in outline ${inOutline}`);
    }
    expect(bad).toEqual([]);
    expect(inside).toBeGreaterThan(10_000);
  });

  it('has ~10,000 grid officers (2–5 per grid) plus the 300 mobile squad and department handlers, each in its home grid', () => {
    const officers = full.officers.officers;
    const gridOfficers = officers.filter((o) => o.squad === 'grid');
    expect(gridOfficers.length).toBeGreaterThan(9500);
    expect(gridOfficers.length).toBeLessThan(10_500);
    expect(officers.filter((o) => o.squad === 'mobile')).toHaveLength(300);
    const handlers = officers.filter((o) => o.squad === 'department');
    expect(handlers.length).toBeGreaterThanOrEqual(200);
    expect(handlers.length).toBeLessThanOrEqual(600);
    const deps = new Set(full.departments.departments.map((d) => d.code));
    for (const h of handlers) expect(deps.has(h.departmentCode ?? '')).toBe(true);
    const perGrid = new Map<string, number>();
    for (const o of gridOfficers) perGrid.set(o.homeGrid, (perGrid.get(o.homeGrid) ?? 0) + 1);
    expect(perGrid.size).toBe(full.grids.grids.length);
    for (const n of perGrid.values()) {
      expect(n).toBeGreaterThanOrEqual(2);
      expect(n).toBeLessThanOrEqual(5);
    }
    const multi = gridOfficers.filter((o) => o.extraGrids.length > 0).length;
    expect(multi / gridOfficers.length).toBeGreaterThan(0.01);
    expect(multi / gridOfficers.length).toBeLessThan(0.08);
    const ids = new Set(officers.map((o) => o.employeeNo));
    expect(ids.size).toBe(officers.length);
    officers.forEach((o, i) => {
      expect(o.index).toBe(i);
      expect(o.employeeNo).toMatch(/^DG\d{8}$/);
      expect(o.phone).toMatch(/^1\d{10}$/);
      expect(o.name).toMatch(/^[\u4e00-\u9fff]{2,4}$/);
      expect(index.lookup(o.position[0], o.position[1])?.gridCode).toBe(o.homeGrid);
    });
  });

  it('has ~15,000 cameras, ≈ 95 % online, each in the grid it names', () => {
    const cams = full.cameras.cameras;
    expect(cams.length).toBeGreaterThan(14_000);
    expect(cams.length).toBeLessThan(16_000);
    const online = cams.filter((c) => c.online).length / cams.length;
    expect(online).toBeGreaterThan(0.93);
    expect(online).toBeLessThan(0.97);
    expect(new Set(cams.map((c) => c.id)).size).toBe(cams.length);
    for (const c of cams) {
      expect(c.id).toMatch(/^\d{20}$/);
      expect(index.lookup(c.position[0], c.position[1])?.gridCode).toBe(c.gridCode);
    }
    expect(cams[0].name).toMatch(/^[\u4e00-\u9fff]+\d*$/);
  });

  it('has 373k ± 1 % rentals with all four tiers and ~604k small venues, each in its grid', () => {
    const p = full.places;
    let rentals = 0;
    let venues = 0;
    const tiers = new Array<number>(RENTAL_TIERS.length).fill(0);
    let wrong = 0;
    for (let i = 0; i < p.rowCount; i++) {
      if (p.kind[i] === PLACE_KIND_RENTAL) {
        rentals++;
        tiers[p.tier[i]]++;
      } else if (p.kind[i] === PLACE_KIND_SMALL_VENUE) venues++;
      if (index.lookupIndex(p.lon[i] / MICRO_DEGREES, p.lat[i] / MICRO_DEGREES) !== p.grid[i]) wrong++;
    }
    expect(wrong).toBe(0);
    expect(Math.abs(rentals / 373_000 - 1)).toBeLessThan(0.01);
    expect(Math.abs(venues / 604_000 - 1)).toBeLessThan(0.01);
    for (const n of tiers) expect(n).toBeGreaterThan(0);
    expect(tiers[0] / rentals).toBeGreaterThan(0.6); // 宽管 dominates
    expect(tiers[3] / rentals).toBeLessThan(0.05); // 禁租 rare
  });

  it('has a catalogue of ≥ 12 major and ≥ 100 minor classes, each with department, priority, time limit and closing standard', () => {
    const { majors, minors } = full.catalog;
    expect(majors.length).toBeGreaterThanOrEqual(12);
    expect(minors.length).toBeGreaterThanOrEqual(100);
    const deps = new Set(full.departments.departments.map((d) => d.code));
    expect(deps.size).toBeGreaterThanOrEqual(19);
    const majorCodes = new Set(majors.map((m) => m.code));
    for (const m of minors) {
      expect(m.code).toMatch(/^\d{5}$/);
      expect(majorCodes.has(m.code.slice(0, 2))).toBe(true);
      expect(deps.has(m.departmentCode)).toBe(true);
      expect(PRIORITIES).toContain(m.priority);
      expect(TIME_LIMIT_UNITS).toContain(m.timeLimit.unit);
      expect(m.timeLimit.value).toBeGreaterThan(0);
      expect(m.closingStandard.length).toBeGreaterThan(4);
      expect(m.filingCondition.length).toBeGreaterThan(4);
    }
  });

  it('has ≈ 2.5M cases over one year with a realistic rhythm and outcome rates, each in its grid', () => {
    const c = full.cases;
    const m = full.manifest;
    // 2.5M plus the extra cases of the default planted rises (scripts/demo-data/planted.ts)
    expect(m.plantedRises.length).toBeGreaterThan(0);
    expect(c.rowCount).toBe(2_500_000 + m.plantedRises.reduce((s, r) => s + r.extraCases, 0));
    const first = m.history.referenceMinute - 365 * 1440;
    const hours = new Array<number>(24).fill(0);
    let wrong = 0;
    let unsorted = 0;
    let registered = 0;
    let closed = 0;
    let dispatched = 0;
    let dispatchedOnTime = 0;
    let self = 0;
    let publicSource = 0;
    let rework = 0;
    let patrol = 0;
    for (let i = 0; i < c.rowCount; i++) {
      const t = c.reportedAt[i];
      if (i > 0 && t < c.reportedAt[i - 1]) unsorted++;
      if (t < first || t >= m.history.referenceMinute) wrong++;
      hours[Math.floor(((t + 480) % 1440) / 60)]++;
      if (index.lookupIndex(c.lon[i] / MICRO_DEGREES, c.lat[i] / MICRO_DEGREES) !== c.grid[i]) wrong++;
      if (c.outcome[i] === 0) {
        registered++;
        closed += c.closed[i];
        rework += c.rework[i] > 0 ? 1 : 0;
        if (c.selfHandled[i] === 1) self++;
        else if (c.closed[i] === 1) {
          dispatched++;
          dispatchedOnTime += c.onTime[i];
        }
      }
      if (c.source[i] === 0) patrol++;
      if (c.source[i] === 1 || c.source[i] === 3) publicSource++; // citizen, hotline
    }
    expect(wrong).toBe(0);
    expect(unsorted).toBe(0);
    expect(hours[10]).toBeGreaterThan(5 * hours[3]); // daytime peak vs night
    expect(hours[15]).toBeGreaterThan(hours[12]); // afternoon peak vs lunch
    // Dongguan's seeds: ≈ 96.8 % of reported problems handled; no never-closing tail (all but
    // the last days' open workload closed); ≈ 95 % of dispatched cases on time (generator 1.3.0:
    // a few per cent late, emergencies and urgent cases almost never — issue 16); most officers'
    // findings handled on the spot (≈ 77 % of patrol findings, ≈ 61 % of all reports); a few per
    // cent from the public
    expect(closed / c.rowCount).toBeGreaterThan(0.96);
    expect(closed / c.rowCount).toBeLessThan(0.98);
    expect(registered - closed).toBeLessThan(0.005 * c.rowCount);
    expect(dispatchedOnTime / dispatched).toBeGreaterThan(0.92);
    expect(dispatchedOnTime / dispatched).toBeLessThan(0.975);
    expect(self / registered).toBeGreaterThan(0.58);
    expect(self / registered).toBeLessThan(0.75);
    expect(publicSource / c.rowCount).toBeGreaterThan(0.04);
    expect(publicSource / c.rowCount).toBeLessThan(0.1);
    expect(rework / registered).toBeGreaterThan(0.02);
    expect(rework / registered).toBeLessThan(0.07);
    expect(patrol / c.rowCount).toBeGreaterThan(0.74);
    expect(patrol / c.rowCount).toBeLessThan(0.84);
    // 智网 mix: fire safety leads; fire, rental housing, 三小场所 and gas together ≥ 45 %
    const byMajor = new Map<string, number>();
    for (let i = 0; i < c.rowCount; i++) {
      const major = full.catalog.minors[c.category[i]].majorCode;
      byMajor.set(major, (byMajor.get(major) ?? 0) + 1);
    }
    const top = [...byMajor.entries()].sort((a, b) => b[1] - a[1])[0][0];
    expect(full.catalog.majors.find((x) => x.code === top)?.nameZh).toBe('消防安全');
    const lead = ['01', '05', '14', '02'].reduce((s, code) => s + (byMajor.get(code) ?? 0), 0);
    expect(lead / c.rowCount).toBeGreaterThan(0.45);
  });
});

describe('determinism and reuse', () => {
  let a: DatasetManifest;
  let b: DatasetManifest;

  beforeAll(() => {
    a = generateDataset({ outDir: join(root, 'a'), cases: REDUCED_CASES });
    b = generateDataset({ outDir: join(root, 'b'), cases: REDUCED_CASES });
  }, 300_000);

  it(`two runs with --cases ${REDUCED_CASES} give byte-identical files; the full run's non-case files are identical too`, () => {
    expect(b.files).toEqual(a.files);
    expect(readFileSync(join(root, 'b', 'manifest.json'))).toEqual(
      readFileSync(join(root, 'a', 'manifest.json')),
    );
    for (const f of a.files) {
      expect(
        readFileSync(join(root, 'b', f.name)).equals(readFileSync(join(root, 'a', f.name))),
        f.name,
      ).toBe(true);
    }
    // geography, people, cameras and places do not depend on the case count
    const fullByName = new Map(full.manifest.files.map((f) => [f.name, f.sha256]));
    for (const f of a.files) if (f.role !== 'cases') expect(fullByName.get(f.name), f.name).toBe(f.sha256);
  });

  it('ensureDataset reuses a matching dataset and says why it would regenerate', () => {
    const dir = join(root, 'a');
    expect(staleReason(dir, { cases: REDUCED_CASES })).toBeNull();
    expect(staleReason(dir, { cases: 1000 })).toBe('options differ');
    expect(staleReason(dir, { cases: REDUCED_CASES, seed: 'other' })).toMatch(/^seed/);
    expect(staleReason(join(root, 'nowhere'), {})).toBe('no dataset');
    const r = ensureDataset({ outDir: dir, cases: REDUCED_CASES, verifyHashes: true });
    expect(r.generated).toBe(false);
    expect(r.manifest.files).toEqual(a.files);
  });
});

describe('planted rises (extension point)', () => {
  it('adds the extra cases of one major class in one town for the given weeks and records them', () => {
    const dir = join(root, 'rise');
    const rise = {
      id: 'r1',
      majorCode: '09',
      townCode: '441900110',
      fromDay: '2025-06-02',
      weeks: 3,
      factor: 4,
    };
    const m = generateDataset({ outDir: dir, cases: 100_000, plantedRises: [rise] });
    expect(m.options.plantedRises).toEqual([rise]);
    expect(m.plantedRises).toHaveLength(1);
    const extra = m.plantedRises[0].extraCases;
    expect(extra).toBeGreaterThan(50);
    const d = readDataset(dir);
    expect(d.cases.rowCount).toBe(100_000 + extra);
    const from = m.history.referenceMinute - (365 - 152) * 1440; // 2025-06-02 00:00 +08:00
    const week = 7 * 1440;
    const perWeek = (start: number) => {
      let n = 0;
      for (let i = 0; i < d.cases.rowCount; i++) {
        const t = d.cases.reportedAt[i];
        if (t < start || t >= start + week) continue;
        const g = d.grids.grids[d.cases.grid[i]];
        if (
          g.townCode === rise.townCode &&
          d.catalog.minors[d.cases.category[i]].majorCode === rise.majorCode
        )
          n++;
      }
      return n;
    };
    const before = [1, 2, 3, 4, 5, 6].map((k) => perWeek(from - k * week)).reduce((a, b) => a + b, 0) / 6;
    const during = [0, 1, 2].map((k) => perWeek(from + k * week)).reduce((a, b) => a + b, 0) / 3;
    expect(during).toBeGreaterThan(2.5 * before);
    expect(perWeek(from + 3 * week)).toBeLessThan(2 * before);
  });
});

describe('CLI', () => {
  const tsx = join(REPO_ROOT, 'node_modules', '.bin', 'tsx');
  const cli = join(REPO_ROOT, 'scripts', 'demo-data', 'cli.ts');

  it('prints help and rejects bad flags with exit code 2', () => {
    const help = spawnSync(tsx, [cli, '--help'], { encoding: 'utf8' });
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('--cases');
    const bad = spawnSync(tsx, [cli, '--frobnicate'], { encoding: 'utf8' });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain("Unknown option '--frobnicate'");
    const badCases = spawnSync(tsx, [cli, '--cases', 'many'], { encoding: 'utf8' });
    expect(badCases.status).toBe(2);
    expect(badCases.stderr).toContain('--cases must be a non-negative integer');
  });

  it('reports an up-to-date dataset without regenerating', () => {
    const r = spawnSync(tsx, [cli, '--out', join(root, 'a'), '--cases', String(REDUCED_CASES)], {
      encoding: 'utf8',
    });
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('up to date');
  });
});
