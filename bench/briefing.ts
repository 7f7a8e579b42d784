// The weekly briefing for one week with 10,000,000 historical cases behind it (issue 8): the
// briefing from the rollups (src-shared/briefing) against a plain GROUP BY over the raw rows in
// SQLite, in the same run. Target: the briefing ≤ 1 s.
//
// Rollups: ingestHistory over the dataset's columns (timed, with the rollups' size), then
// analyseWeek for the city and for one town — cold (first call: day weights estimated) and warm.
// Baseline: a `cases` table of the same rows (week, class, major, village, town, hour-of-week
// slot, source, voided, dispatch/close weeks and flags) with indexes on the week columns, and
// the GROUP BY queries that give the briefing's inputs: counts by week × class × village and by
// week × slot over the chosen week and its 8 baseline weeks, the last-week / last-year totals,
// the weekly trend, and the closure / dispatch counts per village × department over the 12
// weeks of the call-in lookback. The baseline does only the counting (the statistics on top
// cost the same either way) and leaves out the overdue-open backlog the rollups also carry,
// so it is, if anything, flattered. Both sides' totals for the week are checked to agree.
//
// Run: npx tsx bench/briefing.ts [--cases 10000000] [--keep-db]
// The dataset is generated once into .data/datasets/bench-<cases> (minutes for 10M).
import { existsSync, mkdirSync, rmSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import { ensureDataset, readDataset } from '../scripts/demo-data/index';
import { analyseWeek, lastCompleteWeek } from '../src-shared/briefing/briefing';
import { estimateDayWeights } from '../src-shared/briefing/capacity';
import { gridVillages, ingestHistory } from '../src-shared/briefing/ingest';
import { HOURS_PER_WEEK } from '../src-shared/briefing/weeks';

const REPO_ROOT = resolve(import.meta.dirname, '..');
const { values } = parseArgs({
  options: {
    cases: { type: 'string', default: '10000000' },
    'keep-db': { type: 'boolean', default: false },
  },
});
const nCases = Number(values.cases.replace(/[_,]/g, ''));
const outDir = join(REPO_ROOT, `.data/datasets/bench-${nCases}`);

const ms = (t0: number) => performance.now() - t0;
const fmt = (x: number) => `${x.toFixed(0)} ms`;
const mb = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;

let t = performance.now();
const ensured = ensureDataset({ outDir, cases: nCases });
console.log(
  `dataset ${ensured.dir}: ${ensured.generated ? `generated in ${(ms(t) / 1000).toFixed(0)} s` : 'reused'}`,
);
t = performance.now();
const data = readDataset(ensured.dir);
const rows = data.cases.rowCount;
console.log(`read ${rows.toLocaleString('en')} cases in ${fmt(ms(t))}`);

// ---- rollups
t = performance.now();
const rollups = ingestHistory(data.cases, data.grids.grids, data.catalog, data.departments.departments, {
  history: data.manifest.history,
  region: data.manifest.region,
  divisions: data.divisions,
});
const ingestMs = ms(t);
const stats = rollups.stats();
const serialised = rollups.toBytes().length;
console.log(
  `rollup ingest ${fmt(ingestMs)} (${Math.round(rows / (ingestMs / 1000)).toLocaleString('en')} rows/s); ` +
    `in memory ${mb(stats.bytes)}, serialised ${mb(serialised)}`,
);

const city = data.manifest.region.code;
const week = lastCompleteWeek(rollups)!;
const town = rollups.dims.data.towns[0].code;
// Day weights (capacity.ts) are estimated once per rollups revision from the whole heat cube;
// the console gets them precomputed in the slice header, so they are timed apart.
t = performance.now();
estimateDayWeights(rollups);
const dayWeightsMs = ms(t);
t = performance.now();
const cold = analyseWeek(rollups, { scope: city, week });
const coldMs = ms(t);
const warmRuns: number[] = [];
for (let k = 0; k < 5; k++) {
  t = performance.now();
  analyseWeek(rollups, { scope: city, week: week - (k % 2) });
  warmRuns.push(ms(t));
}
warmRuns.sort((a, b) => a - b);
const warmMs = warmRuns[2];
t = performance.now();
analyseWeek(rollups, { scope: town, week });
const townMs = ms(t);
console.log(
  `briefing ${cold.weekLabel} (city, ${cold.totals.cases.toLocaleString('en')} cases that week): ` +
    `day weights ${fmt(dayWeightsMs)} (once per rollups revision), first briefing ${fmt(coldMs)}, ` +
    `warm median ${fmt(warmMs)}; one town ${fmt(townMs)}`,
);

// ---- baseline: the raw rows in SQLite
const dbFile = join(REPO_ROOT, `.data/bench-briefing-${nCases}.sqlite`);
mkdirSync(join(REPO_ROOT, '.data'), { recursive: true });
for (const f of [dbFile, `${dbFile}-wal`, `${dbFile}-shm`]) if (existsSync(f)) rmSync(f);
const db = new Database(dbFile);
db.pragma('journal_mode = OFF');
db.pragma('synchronous = OFF');
db.pragma('cache_size = -262144'); // 256 MB page cache: the baseline gets every advantage
db.exec(`CREATE TABLE cases (
  week INTEGER NOT NULL, category INTEGER NOT NULL, major INTEGER NOT NULL, village INTEGER NOT NULL,
  town INTEGER NOT NULL, slot INTEGER NOT NULL, source INTEGER NOT NULL, voided INTEGER NOT NULL,
  department INTEGER NOT NULL, dispatch_week INTEGER, dispatched_on_time INTEGER NOT NULL,
  close_week INTEGER, closed_on_time INTEGER NOT NULL, reworked INTEGER NOT NULL)`);
t = performance.now();
{
  const c = data.cases;
  const gridVillage = gridVillages(rollups.dims, data.grids.grids);
  const villageTown = rollups.dims.villageTown;
  const minorMajor = rollups.dims.minorMajor;
  const asOfMin = data.manifest.history.referenceMinute;
  const weekOfMin = (m: number) => Math.floor((Math.floor((m + 480) / 1440) + 3) / 7);
  const insert = db.prepare('INSERT INTO cases VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)');
  const batch = db.transaction((from: number, to: number) => {
    for (let i = from; i < to; i++) {
      const rep = c.reportedAt[i];
      const local = rep + 480;
      const day = Math.floor(local / 1440);
      const w = Math.floor((day + 3) / 7);
      const slot = (day - (w * 7 - 3)) * 24 + Math.floor((local - day * 1440) / 60);
      const v = gridVillage[c.grid[i]];
      const voided = c.outcome[i] === 1 ? 1 : 0;
      const self = c.selfHandled[i] === 1;
      const disp = rep + c.dispatchDelay[i];
      const dispatched = !voided && !self && disp < asOfMin;
      const close = disp + c.handlingDuration[i];
      const closed = !voided && (self || (dispatched && c.closed[i] === 1 && close < asOfMin));
      insert.run(
        w,
        c.category[i],
        minorMajor[c.category[i]],
        v,
        villageTown[v],
        slot,
        c.source[i],
        voided,
        c.department[i],
        dispatched ? weekOfMin(disp) : null,
        dispatched && c.dispatchDelay[i] <= 60 ? 1 : 0,
        closed ? (self ? w : weekOfMin(close)) : null,
        closed && (self || c.onTime[i] === 1) ? 1 : 0,
        c.rework[i] > 0 ? 1 : 0,
      );
    }
  });
  for (let from = 0; from < rows; from += 200_000) batch(from, Math.min(rows, from + 200_000));
}
const loadMs = ms(t);
t = performance.now();
// Covering indexes: every query below is answered from an index alone (no row lookups), the
// best a plain GROUP BY gets without precomputing anything.
db.exec('CREATE INDEX cases_week ON cases (week, voided, category, village, slot)');
db.exec('CREATE INDEX cases_close_week ON cases (close_week, village, department, closed_on_time, reworked)');
db.exec('CREATE INDEX cases_dispatch_week ON cases (dispatch_week, village, department, dispatched_on_time)');
db.exec('ANALYZE');
const indexMs = ms(t);
console.log(
  `baseline table: ${rows.toLocaleString('en')} rows loaded in ${(loadMs / 1000).toFixed(1)} s, indexed in ${(indexMs / 1000).toFixed(1)} s, file ${mb(statSync(dbFile).size)}`,
);

const queryMs = new Map<string, number[]>();
function timed<T>(name: string, f: () => T): T {
  const t0 = performance.now();
  const out = f();
  queryMs.set(name, [...(queryMs.get(name) ?? []), performance.now() - t0]);
  return out;
}

function baseline(w: number): { total: number; byMajor: Map<number, number>; ms: number } {
  const t0 = performance.now();
  const cells = timed(
    'week × class × village (9 weeks)',
    () =>
      db
        .prepare(
          `SELECT week, category, village, COUNT(*) AS n FROM cases
           WHERE week BETWEEN ? AND ? AND voided = 0 GROUP BY week, category, village`,
        )
        .all(w - 8, w) as Array<{ week: number; category: number; village: number; n: number }>,
  );
  timed('week × hour slot (9 weeks)', () =>
    db
      .prepare(
        `SELECT week, slot, COUNT(*) AS n FROM cases WHERE week BETWEEN ? AND ? AND voided = 0 GROUP BY week, slot`,
      )
      .all(w - 8, w),
  );
  timed('last week, last year', () =>
    db
      .prepare(`SELECT week, COUNT(*) AS n FROM cases WHERE week IN (?, ?) AND voided = 0 GROUP BY week`)
      .all(w - 1, w - 52),
  );
  timed('trend (every week)', () =>
    db.prepare(`SELECT week, COUNT(*) AS n FROM cases WHERE voided = 0 GROUP BY week`).all(),
  );
  timed('closures per village × dept (12 weeks)', () =>
    db
      .prepare(
        `SELECT close_week, village, department, COUNT(*) AS closed, SUM(closed_on_time) AS on_time, SUM(reworked) AS reworked
         FROM cases WHERE close_week BETWEEN ? AND ? GROUP BY close_week, village, department`,
      )
      .all(w - 11, w),
  );
  timed('dispatches per village × dept (12 weeks)', () =>
    db
      .prepare(
        `SELECT dispatch_week, village, department, COUNT(*) AS dispatched, SUM(dispatched_on_time) AS on_time
         FROM cases WHERE dispatch_week BETWEEN ? AND ? GROUP BY dispatch_week, village, department`,
      )
      .all(w - 11, w),
  );
  timed('intake per village (12 weeks)', () =>
    db
      .prepare(
        `SELECT week, village, COUNT(*) AS reported, SUM(voided = 0) AS registered FROM cases
         WHERE week BETWEEN ? AND ? GROUP BY week, village`,
      )
      .all(w - 11, w),
  );
  const elapsed = performance.now() - t0;
  let total = 0;
  const byMajor = new Map<number, number>();
  for (const r of cells) {
    if (r.week !== w) continue;
    total += r.n;
    const m = rollups.dims.minorMajor[r.category];
    byMajor.set(m, (byMajor.get(m) ?? 0) + r.n);
  }
  return { total, byMajor, ms: elapsed };
}

baseline(week - 3); // warm the page cache (the rollups were warm too)
const runs = [baseline(week), baseline(week - 1), baseline(week)];
const base = runs[2];
const baseMs = [...runs.map((r) => r.ms)].sort((a, b) => a - b)[1];
if (base.total !== cold.totals.cases) {
  console.error(
    `MISMATCH: baseline counts ${base.total} cases in ${cold.weekLabel}, the briefing ${cold.totals.cases}`,
  );
  process.exitCode = 1;
}
for (const [i, m] of rollups.dims.data.majors.entries()) {
  if ((base.byMajor.get(i) ?? 0) !== cold.totals.byMajor[i].count) {
    console.error(`MISMATCH in ${m.code}: ${base.byMajor.get(i) ?? 0} vs ${cold.totals.byMajor[i].count}`);
    process.exitCode = 1;
  }
}
for (const [name, times] of queryMs) {
  const sorted = [...times.slice(1)].sort((a, b) => a - b);
  console.log(`  ${name.padEnd(42)} median ${fmt(sorted[Math.floor(sorted.length / 2)])}`);
}
console.log(
  `baseline GROUP BY (counts only) for ${cold.weekLabel}: median ${fmt(baseMs)} (runs ${runs.map((r) => fmt(r.ms)).join(', ')}); totals agree: ${base.total === cold.totals.cases}`,
);
const met = coldMs <= 1000 && warmMs <= 1000;
console.log(
  `\nbriefing from rollups (whole analysis): first ${fmt(coldMs)}, warm ${fmt(warmMs)}   ` +
    `baseline GROUP BY (counts only): ${fmt(baseMs)}   ratio ${(baseMs / warmMs).toFixed(1)}× (warm), ` +
    `${(baseMs / coldMs).toFixed(1)}× (first)   target ≤ 1000 ms: ${met ? 'met' : 'NOT met'}`,
);
console.log(
  `(ingest ${fmt(ingestMs)} once; rollups ${mb(stats.bytes)} for ${rollups.dims.nVillages} villages × ` +
    `${rollups.dims.nMinors} classes × ${HOURS_PER_WEEK} hour slots per week; the day weights add ${fmt(dayWeightsMs)} ` +
    'once per rollups revision, precomputed for consoles)',
);
db.close();
if (!values['keep-db'])
  for (const f of [dbFile, `${dbFile}-wal`, `${dbFile}-shm`]) if (existsSync(f)) rmSync(f);
