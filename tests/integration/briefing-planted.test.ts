// The weekly briefing against the planted truth of the default demo history (2.5M cases, the
// rises, drift and laggards of scripts/demo-data/planted.ts): every planted rise is found in
// every week it runs, the slow drift in its last three weeks, few unplanted items are flagged,
// and the call-in list is the planted laggards (a town a quarter worse for a month).
// The full default history is used, not a reduced one: the modest rise and the 1-week rise are
// sized for it (at 500k cases the small cells drop under the minimum count).
import { resolve } from 'node:path';

import { beforeAll, describe, expect, it } from 'vitest';

import type { LoadedDataset } from '../../scripts/demo-data/index';
import { ensureDataset, readDataset } from '../../scripts/demo-data/index';
import { DEFAULT_PLANTED_LAGGARDS, DEFAULT_PLANTED_RISES } from '../../scripts/demo-data/planted';
import type { Briefing, RisingFamily } from '../../src-shared/briefing/briefing';
import { analyseWeek, lastCompleteWeek, RISING_FAMILIES } from '../../src-shared/briefing/briefing';
import { denominatorsFromDataset } from '../../src-shared/briefing/normalise';
import { BriefingRollups } from '../../src-shared/briefing/rollups';
import { ingestHistory } from '../../src-shared/briefing/ingest';
import { callInList } from '../../src-shared/briefing/performance';
import { isoWeekLabel, parseIsoWeek, weekOfMs } from '../../src-shared/briefing/weeks';
import { shanghaiMs } from '../../src-shared/domain/calendar';
import { REPO_ROOT } from '../support/datasets';

const DIR = resolve(REPO_ROOT, '.data/datasets/briefing-planted');
const CITY = '4419';
/**
 * Unplanted flags allowed (all six families): at city scope in the weeks of the planted rises
 * and over every week W10–W52; in the chosen week W52 over the 36 town scopes. Each briefing
 * keeps its false-discovery rate at 5 %, so 36 town briefings may well carry one or two. (Observed
 * when written: 0, 0 and 2 — 稔子园村街面秩序 31.7 → 57 and 五联村环境保护 2.7 → 12.)
 */
const MAX_UNPLANTED_IN_PLANTED_WEEKS = 2;
const MAX_UNPLANTED_ALL_WEEKS = 5;
const MAX_UNPLANTED_TOWN_SCOPES = 3;
/**
 * Unplanted call-ins allowed over W10–W48 (before any planted lag): town-weeks at city scope,
 * village-weeks over all 36 towns. (Observed: 1 — 东莞港 in W27, a small zone the generator
 * gave a genuinely lower on-time performance — and 0.)
 */
const MAX_UNPLANTED_CALL_INS = 3;
const MAX_UNPLANTED_VILLAGE_CALL_INS = 3;

let data: LoadedDataset;
let rollups: BriefingRollups;
let ingestMs = 0;
let genMs = 0;
const briefings = new Map<string, Briefing>();

function brief(scope: string, week: number): Briefing {
  const key = `${scope}@${week}`;
  let b = briefings.get(key);
  if (b === undefined) {
    b = analyseWeek(rollups, { scope, week });
    briefings.set(key, b);
  }
  return b;
}

const dayWeek = (day: string): number => {
  const [y, m, d] = day.split('-').map(Number);
  return weekOfMs(shanghaiMs(y, m, d));
};

interface Rise {
  id: string;
  majorCode: string;
  townCode: string;
  weeks: number[];
  ramp: boolean;
}

let rises: Rise[] = [];

beforeAll(() => {
  let t = performance.now();
  const ensured = ensureDataset({ outDir: DIR });
  genMs = performance.now() - t;
  data = readDataset(ensured.dir);
  t = performance.now();
  rollups = ingestHistory(data.cases, data.grids.grids, data.catalog, data.departments.departments, {
    history: data.manifest.history,
    region: data.manifest.region,
    divisions: data.divisions,
  });
  ingestMs = performance.now() - t;
  rises = data.manifest.plantedRises.map((r) => ({
    id: r.id,
    majorCode: r.majorCode,
    townCode: r.townCode,
    weeks: Array.from({ length: r.weeks }, (_, k) => dayWeek(r.fromDay) + k),
    ramp: r.ramp === true,
  }));
  console.log(
    `dataset ${ensured.generated ? `generated in ${(genMs / 1000).toFixed(1)} s` : 'reused'}: ${data.cases.rowCount} cases; ingestHistory ${ingestMs.toFixed(0)} ms`,
  );
}, 300_000);

/**
 * Is a flagged item explained by a planted rise running that week? At city scope the areas are
 * towns; at a town's scope, its villages (a town-wide rise may surface in any of them).
 */
function explained(
  item: Briefing['rising'][RisingFamily]['items'][number],
  family: RisingFamily,
  week: number,
): boolean {
  const d = item.drill;
  const active = rises.filter(
    (r) => r.weeks.includes(week) && (d.scopeCode === CITY || d.scopeCode === r.townCode),
  );
  const inArea = (r: Rise) => d.areaCode !== undefined && d.areaCode.startsWith(r.townCode);
  switch (family) {
    case 'categoryArea':
      return active.some((r) => r.majorCode === d.majorCode && inArea(r));
    case 'category':
      return active.some((r) => r.majorCode === d.majorCode);
    case 'minorCategory':
      return active.some((r) => d.categoryCode?.startsWith(r.majorCode) === true);
    case 'area':
      return active.some(inArea);
    default:
      return false;
  }
}

function unplanted(scope: string, week: number): string[] {
  const b = brief(scope, week);
  const out: string[] = [];
  for (const f of RISING_FAMILIES) {
    for (const item of b.rising[f].items)
      if (!explained(item, f, week)) out.push(`${isoWeekLabel(week)} ${f}: ${item.text['zh-CN']}`);
  }
  return out;
}

describe('weekly briefing on the default 2.5M-case demo history with its planted rises and laggards', () => {
  it('has the documented planted rises and laggards in its manifest', () => {
    expect(data.manifest.plantedRises.map(({ extraCases: _, ...r }) => r)).toEqual(DEFAULT_PLANTED_RISES);
    expect(data.manifest.plantedLaggards?.map(({ affectedCases: _, ...l }) => l)).toEqual(
      DEFAULT_PLANTED_LAGGARDS,
    );
    for (const r of data.manifest.plantedRises) expect(r.extraCases, r.id).toBeGreaterThan(30);
    for (const l of data.manifest.plantedLaggards ?? []) expect(l.affectedCases, l.id).toBeGreaterThan(100);
    expect(isoWeekLabel(lastCompleteWeek(rollups)!)).toBe('2025-W52');
  });

  it('finds every planted rise (category × town) in every week it runs, at city scope and in its town', () => {
    const missed: string[] = [];
    for (const r of rises.filter((x) => !x.ramp)) {
      for (const w of r.weeks) {
        const city = brief(CITY, w).rising.categoryArea.items;
        const hit = city.find((i) => i.drill.majorCode === r.majorCode && i.drill.areaCode === r.townCode);
        if (hit === undefined) missed.push(`${r.id} ${isoWeekLabel(w)} (city)`);
        else console.log(`${r.id} ${isoWeekLabel(w)}: ${hit.text['zh-CN']}`);
        const town = brief(r.townCode, w).rising.category.items;
        if (!town.some((i) => i.drill.majorCode === r.majorCode))
          missed.push(`${r.id} ${isoWeekLabel(w)} (town)`);
      }
    }
    expect(missed).toEqual([]);
  });

  // At its town's own scope the drift is found in the first of these weeks only: there the
  // overdispersion is estimated from the town's 16 classes, whose big cells' seasonal movement
  // widens the test (known limit; the city's briefing is where a leader reads it).
  it('reports the slow drift as rising in its last three weeks at city scope (category × town)', () => {
    const drifts = rises.filter((x) => x.ramp);
    expect(drifts.length).toBeGreaterThan(0);
    const missed: string[] = [];
    for (const r of drifts) {
      for (const w of r.weeks.slice(-3)) {
        const hit = brief(CITY, w).rising.categoryArea.items.find(
          (i) => i.drill.majorCode === r.majorCode && i.drill.areaCode === r.townCode,
        );
        if (hit === undefined) missed.push(`${r.id} ${isoWeekLabel(w)} (city)`);
        else console.log(`${r.id} ${isoWeekLabel(w)}: ${hit.text['zh-CN']}`);
      }
      const town = r.weeks.filter((w) =>
        brief(r.townCode, w).rising.category.items.some((i) => i.drill.majorCode === r.majorCode),
      );
      console.log(`${r.id} at its town's scope: ${town.map(isoWeekLabel).join(', ') || 'none'}`);
      expect(town.length, `${r.id} at its town's scope`).toBeGreaterThan(0);
    }
    expect(missed).toEqual([]);
  });

  it(`flags at most ${MAX_UNPLANTED_IN_PLANTED_WEEKS} unplanted items in the planted weeks and ${MAX_UNPLANTED_ALL_WEEKS} over W10–W52 (city scope, all six families)`, () => {
    const plantedWeeks = [...new Set(rises.flatMap((r) => r.weeks))].sort((a, b) => a - b);
    const inPlanted = plantedWeeks.flatMap((w) => unplanted(CITY, w));
    const all: string[] = [];
    for (let w = parseIsoWeek('2025-W10')!; w <= parseIsoWeek('2025-W52')!; w++)
      all.push(...unplanted(CITY, w));
    console.log(
      `unplanted flags: ${inPlanted.length} in the planted weeks, ${all.length} over W10–W52\n  ${all.join('\n  ')}`,
    );
    expect(inPlanted.length).toBeLessThanOrEqual(MAX_UNPLANTED_IN_PLANTED_WEEKS);
    expect(all.length).toBeLessThanOrEqual(MAX_UNPLANTED_ALL_WEEKS);
  });

  it(`flags at most ${MAX_UNPLANTED_TOWN_SCOPES} unplanted items over the 36 town scopes in W52`, () => {
    const w = parseIsoWeek('2025-W52')!;
    const list = rollups.dims.data.towns.flatMap((t) => unplanted(t.code, w).map((x) => `${t.name} ${x}`));
    console.log(`unplanted flags at town scopes in W52: ${list.length}\n  ${list.join('\n  ')}`);
    expect(list.length).toBeLessThanOrEqual(MAX_UNPLANTED_TOWN_SCOPES);
  });

  it('calls in exactly the planted laggards (towns at city scope, the village at its town) in W51 and W52', () => {
    const laggards = (data.manifest.plantedLaggards ?? []).map((l) => ({
      ...l,
      weeks: Array.from({ length: l.weeks }, (_, k) => dayWeek(l.fromDay) + k),
    }));
    for (const label of ['2025-W51', '2025-W52']) {
      const w = parseIsoWeek(label)!;
      // listed when lagging for ≥ 3 consecutive weeks up to and including w
      const due = laggards.filter((l) => l.weeks.includes(w) && l.weeks.filter((x) => x <= w).length >= 3);
      const cityList = brief(CITY, w)
        .callIn.map((c) => c.code)
        .sort();
      expect(cityList, `${label} city`).toEqual(
        due
          .filter((l) => l.areaCode.length === 9)
          .map((l) => l.areaCode)
          .sort(),
      );
      for (const town of rollups.dims.data.towns) {
        const got = brief(town.code, w)
          .callIn.map((c) => c.code)
          .sort();
        const want = due
          .filter((l) => l.areaCode.length === 12 && l.areaCode.startsWith(town.code))
          .map((l) => l.areaCode);
        expect(got, `${label} ${town.name}`).toEqual(want.sort());
      }
    }
    for (const c of brief(CITY, parseIsoWeek('2025-W52')!).callIn) console.log(c.text['zh-CN']);
  });

  it(`calls in at most ${MAX_UNPLANTED_CALL_INS} town-weeks and ${MAX_UNPLANTED_VILLAGE_CALL_INS} village-weeks before any planted lag (W10–W48)`, () => {
    const towns: string[] = [];
    const villages: string[] = [];
    for (let w = parseIsoWeek('2025-W10')!; w <= parseIsoWeek('2025-W48')!; w++) {
      for (const c of brief(CITY, w).callIn) towns.push(`${isoWeekLabel(w)} ${c.text['zh-CN']}`);
      for (const t of rollups.dims.data.towns) {
        // lookback = 3 weeks is all the listing needs (it only shortens the reported streak)
        for (const c of callInList(rollups, rollups.dims.resolveScope(t.code)!, w, { lookbackWeeks: 3 })) {
          villages.push(`${isoWeekLabel(w)} ${c.text['zh-CN']}`);
        }
      }
    }
    console.log(
      `unplanted call-ins W10–W48: ${towns.length} town-weeks, ${villages.length} village-weeks\n  ${[...towns, ...villages].join('\n  ')}`,
    );
    expect(towns.length).toBeLessThanOrEqual(MAX_UNPLANTED_CALL_INS);
    expect(villages.length).toBeLessThanOrEqual(MAX_UNPLANTED_VILLAGE_CALL_INS);
  });

  it('reads back from its bytes to the same briefing, and reports sizes and timings (with a 10M estimate)', () => {
    const w = parseIsoWeek('2025-W52')!;
    let t = performance.now();
    const bytes = rollups.toBytes();
    const writeMs = performance.now() - t;
    t = performance.now();
    const back = BriefingRollups.fromBytes(bytes);
    const readMs = performance.now() - t;
    const denominators = denominatorsFromDataset(rollups.dims, data.grids.grids, data.officers.officers);
    t = performance.now();
    const fresh = analyseWeek(back, { scope: CITY, week: w, denominators });
    const analyseMs = performance.now() - t;
    expect(JSON.stringify({ ...fresh, normalised: null })).toBe(
      JSON.stringify({ ...brief(CITY, w), normalised: null }),
    );
    expect(fresh.normalised?.scope.grids).toBe(data.grids.grids.length);
    const stats = rollups.stats();
    const perRowNs = (ingestMs * 1e6) / data.cases.rowCount;
    console.log(
      [
        `rollups in memory ${(stats.bytes / 1e6).toFixed(1)} MB (${Object.entries(stats.cubes)
          .map(([k, s]) => `${k} ${(s.bytes / 1e6).toFixed(1)}`)
          .join(
            ', ',
          )}), serialised ${(bytes.length / 1e6).toFixed(1)} MB (write ${writeMs.toFixed(0)} ms, read ${readMs.toFixed(0)} ms)`,
        `ingestHistory ${data.cases.rowCount} rows: ${ingestMs.toFixed(0)} ms (${perRowNs.toFixed(0)} ns/row) → 10M rows ≈ ${((perRowNs * 1e7) / 1e9).toFixed(1)} s; cube sizes stay the same (every week is already dense)`,
        `analyseWeek city ${isoWeekLabel(w)}: ${analyseMs.toFixed(0)} ms`,
      ].join('\n'),
    );
    expect(ingestMs).toBeLessThan(30_000);
  });
});
