// `npm run bench -- demo-world`: the demo city as its users would meet it (issue 16). A fresh
// store on the default Dongguan dataset (generated when missing; timed), the server started at
// this minute, then the field simulator and the simulated desks run at speed on a virtual clock
// for one simulated day (the server and the simulator share the clock, so deadlines, events and
// rates are the live path's own); then the server stops, a simulated week passes, and it starts
// again on the same store. Prints the open workload over time, the overdue share of open cases,
// the oldest overdue age, weekly 结案率 / 按期结案率 / 自处置率 for every week of the history,
// hours without reports in the last four weeks, and the last full week against its baseline,
// each with the issue's target.
//
// Environment: DEMO_WORLD_HOURS (simulated hours of the live run, default 24),
// DEMO_WORLD_DOWNTIME_DAYS (default 7), DEMO_WORLD_START (default now).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { defaultDatasetDir, ensureDataset } from '../scripts/demo-data/index';
import { analyseWeek, lastCompleteWeek } from '../src-shared/briefing/briefing';
import type { BriefingRollups } from '../src-shared/briefing/rollups';
import { isoWeekLabel, weekEndMs, weekOfMs, weekStartMs } from '../src-shared/briefing/weeks';
import { formatShanghai, HOUR_MS, MINUTE_MS } from '../src-shared/domain/calendar';
import { rates } from '../src-shared/domain/evaluation';
import { BriefingService, storeCases } from '../src-server/briefing/briefing-service';
import { startDispatchServer, type DispatchServer } from '../src-server/server';
import { FieldSimulator, readCategoryWeights } from '../src-server/simulator/field-simulator';

const HOURS = Number(process.env.DEMO_WORLD_HOURS ?? 24);
const DOWNTIME_DAYS = Number(process.env.DEMO_WORLD_DOWNTIME_DAYS ?? 7);
const DAY_MS = 24 * HOUR_MS;
const STEP_MS = 5 * MINUTE_MS;

// DEMO_WORLD_START (an ISO instant, e.g. 2026-12-08T09:00+08:00): start there instead of now
const startAt = process.env.DEMO_WORLD_START ? Date.parse(process.env.DEMO_WORLD_START) : Date.now();
const clock = { t: Math.floor(startAt / MINUTE_MS) * MINUTE_MS };
const now = (): number => clock.t;
const pct = (x: number | null): string => (x === null ? '—' : `${(100 * x).toFixed(1)} %`);
const ok = (pass: boolean): string => (pass ? 'ok' : 'MISSED');

const tGen = performance.now();
const ensured = ensureDataset({ outDir: defaultDatasetDir() });
console.log(
  `dataset ${ensured.generated ? `generated in ${((performance.now() - tGen) / 1000).toFixed(1)} s` : 'reused'}: ${ensured.dir}`,
);
const dataDir = mkdtempSync(join(tmpdir(), 'demo-world-'));

async function start(label: string): Promise<DispatchServer> {
  const t0 = performance.now();
  const server = await startDispatchServer({
    dataDir,
    datasetDir: ensured.dir,
    port: 0,
    now,
    catchUp: true,
    log: (line) => {
      if (line.startsWith('catch-up')) console.log(`  ${line}`);
    },
  });
  // At speed, a commit's fsync per command was a third of a simulated day's cost (profile); the
  // world is what is measured here, not durability (in real time that fsync is a few ms a command).
  server.db.pragma('synchronous = NORMAL');
  console.log(
    `${label}: server up in ${((performance.now() - t0) / 1000).toFixed(1)} s at ${formatShanghai(now())}` +
      (server.imported ? ` (imported ${server.imported.openCases} open cases)` : '') +
      (server.caughtUp
        ? ` (caught up ${((server.caughtUp.toMs - server.caughtUp.fromMs) / DAY_MS).toFixed(1)} days in ${(server.caughtUp.ms / 1000).toFixed(1)} s)`
        : ''),
  );
  return server;
}

interface Workload {
  open: number;
  overdue: number;
  oldestOverdueMs: number | null;
  waitingDesk: number;
}

function workload(server: DispatchServer): Workload {
  const row = server.db
    .prepare(
      `SELECT COUNT(*) AS open,
         SUM(CASE WHEN json_extract(json, '$.dueAt') < @now THEN 1 ELSE 0 END) AS overdue,
         MIN(json_extract(json, '$.dueAt')) AS oldest,
         SUM(CASE WHEN state IN ('reported', 'registered', 'returned', 'feedback') THEN 1 ELSE 0 END) AS desk
       FROM cases WHERE state NOT IN ('closed', 'voided')`,
    )
    .get({ now: now() }) as {
    open: number;
    overdue: number | null;
    oldest: number | null;
    desk: number | null;
  };
  return {
    open: row.open,
    overdue: row.overdue ?? 0,
    oldestOverdueMs: row.oldest !== null && row.oldest < now() ? now() - row.oldest : null,
    waitingDesk: row.desk ?? 0,
  };
}

function printWorkload(server: DispatchServer): Workload {
  const w = workload(server);
  console.log(
    `  ${formatShanghai(now())}  open ${w.open}  (at a desk ${w.waitingDesk})  overdue ${w.overdue} = ${pct(w.open ? w.overdue / w.open : null)}` +
      `  oldest overdue ${w.oldestOverdueMs === null ? '—' : `${(w.oldestOverdueMs / DAY_MS).toFixed(1)} d`}`,
  );
  console.log(`      overdue by ${overdueBreakdown(server)}`);
  return w;
}

/**
 * Who makes up the overdue share: origin (the history's rows imported at the first start `H…`,
 * the catch-up's `G…`, live cases), priority, how long past the deadline, state, and the
 * categories with most overdue cases.
 */
function overdueBreakdown(server: DispatchServer): string {
  const rows = server.db
    .prepare(
      `SELECT CASE WHEN id LIKE 'H%' THEN 'history' WHEN id LIKE 'G%' THEN 'catch-up' ELSE 'live' END AS origin,
         json_extract(json, '$.priority') AS priority, state,
         json_extract(json, '$.categoryCode') AS category,
         @now - json_extract(json, '$.dueAt') AS late
       FROM cases WHERE state NOT IN ('closed', 'voided') AND json_extract(json, '$.dueAt') < @now`,
    )
    .all({ now: now() }) as {
    origin: string;
    priority: string;
    state: string;
    category: string;
    late: number;
  }[];
  const tally = (key: (r: (typeof rows)[number]) => string, top = 8): string => {
    const m = new Map<string, number>();
    for (const r of rows) m.set(key(r), (m.get(key(r)) ?? 0) + 1);
    return [...m]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([k, n]) => `${k} ${n}`)
      .join(', ');
  };
  const age = (ms: number): string =>
    ms < 4 * HOUR_MS ? '<4 h' : ms < DAY_MS ? '4–24 h' : ms < 2 * DAY_MS ? '1–2 d' : '≥2 d';
  return (
    `origin: ${tally((r) => r.origin)} · priority: ${tally((r) => r.priority)} · past due: ${tally((r) => age(r.late))}` +
    ` · state: ${tally((r) => r.state)} · top classes: ${tally((r) => r.category, 5)}`
  );
}

async function settle(sim: FieldSimulator): Promise<void> {
  for (let i = 0; i < 10_000; i++) {
    await new Promise((r) => setImmediate(r));
    if (sim.stats.lagMs === 0) return;
  }
}

/**
 * The live run's new cases by source: how many, the share self-handled, and how many were
 * dispatched — the inflow that sets the open workload, against the history's mix.
 */
function printLiveMix(server: DispatchServer, fromMs: number): void {
  const rows = server.db
    .prepare(
      `SELECT json_extract(json, '$.source') AS source, COUNT(*) AS n,
         SUM(json_extract(json, '$.selfHandled')) AS self,
         SUM(CASE WHEN json_extract(json, '$.dispatchedAt') IS NOT NULL THEN 1 ELSE 0 END) AS dispatched
       FROM cases WHERE json_extract(json, '$.reportedAt') >= ? AND id LIKE 'C-%'
       GROUP BY source ORDER BY n DESC`,
    )
    .all(fromMs) as { source: string; n: number; self: number; dispatched: number }[];
  const total = rows.reduce((a, r) => a + r.n, 0);
  const self = rows.reduce((a, r) => a + r.self, 0);
  console.log(
    `  live cases by source: ${rows.map((r) => `${r.source} ${r.n} (${pct(r.n / total)}; self ${r.self}, dispatched ${r.dispatched})`).join(', ')}; ` +
      `total ${total}, self-handled ${pct(total ? self / total : null)}`,
  );
}

/** Runs the simulator for `hours` of virtual time, printing the workload every `every` hours. */
async function run(server: DispatchServer, hours: number, every: number): Promise<Workload[]> {
  const sim = new FieldSimulator(server, {
    now,
    speed: 1,
    seed: `demo-world-${now()}`,
    tickMs: 3_600_000, // the bench drives the ticks
    fixIntervalMs: 30 * MINUTE_MS,
    maxCommandsPerTick: 100_000,
    photoPool: 64,
    categoryWeights: readCategoryWeights(ensured.dir),
    log: () => {},
  });
  sim.start();
  const seen: Workload[] = [printWorkload(server)];
  const t0 = performance.now();
  const end = now() + hours * HOUR_MS;
  let nextPrint = now() + every * HOUR_MS;
  while (now() < end) {
    clock.t += STEP_MS;
    const tt = performance.now();
    sim.tick();
    await settle(sim);
    if (process.env.DEMO_WORLD_DEBUG)
      console.log(
        `    step ${formatShanghai(now())} ${(performance.now() - tt).toFixed(0)} ms lag ${sim.stats.lagMs} pending ${sim.stats.pending} reported ${sim.stats.reported} fixes ${sim.stats.fixes}`,
      );
    if (now() >= nextPrint) {
      seen.push(printWorkload(server));
      nextPrint += every * HOUR_MS;
    }
  }
  sim.stop();
  printLiveMix(server, end - hours * HOUR_MS);
  const s = sim.stats;
  const d = sim.deskStats;
  console.log(
    `  ${hours} simulated h in ${((performance.now() - t0) / 1000).toFixed(1)} s real: field reported ${s.reported}, self-handled ${s.selfHandled}, signed for ${s.signedFor}, feedback ${s.feedback}, returned ${s.returned}, rejected ${s.rejected}` +
      (d
        ? `; desks verified ${d.verified}, voided ${d.voided}, dispatched ${d.dispatched} (+${d.redispatched} again after ${d.wrongDispatches} wrong), closed ${d.closed}, reworked ${d.reworked}`
        : ''),
  );
  return seen;
}

function rollupsOf(server: DispatchServer): BriefingRollups {
  const service = BriefingService.load(
    { datasetDir: ensured.dir, dataDir, db: server.db, now, log: (l) => console.log(l) },
    storeCases(server.db),
  );
  if (!service) throw new Error('no briefing rollups');
  service.advance();
  return service.rollups;
}

function report(rollups: BriefingRollups, plantedWeeks: Set<number>): void {
  const city = rollups.dims.data.city.code;
  const last = lastCompleteWeek(rollups)!;
  const first = weekOfMs(rollups.coverageStartMs) + 1;
  console.log('\nweek       reported  应结案  结案率   按期结案率  自处置率  按时派遣率  积案');
  let prev: { closure: number; onTime: number } | null = null;
  let worstSwing = 0;
  let minClosure = 1;
  let onTimeRange: [number, number] = [1, 0];
  for (let w = first; w <= weekOfMs(rollups.asOfMs - 1); w++) {
    const c = rollups.evaluationCounts(w, 1, () => 0)[0];
    const r = rates(c);
    const planted = plantedWeeks.has(w);
    const complete = w <= last;
    console.log(
      `${isoWeekLabel(w)}${planted ? '*' : ' '}${complete ? ' ' : '~'} ${String(c.reported).padStart(8)} ${String(c.dueForClosure).padStart(7)}  ${pct(r.closureRate).padStart(7)}  ${pct(r.onTimeClosureRate).padStart(9)}  ${pct(r.selfHandledRate).padStart(8)}  ${pct(r.onTimeDispatchRate).padStart(9)}  ${String(c.backlog).padStart(5)}`,
    );
    if (!complete || planted || r.closureRate === null || r.onTimeClosureRate === null) {
      prev = null;
      continue;
    }
    minClosure = Math.min(minClosure, r.closureRate);
    onTimeRange = [
      Math.min(onTimeRange[0], r.onTimeClosureRate),
      Math.max(onTimeRange[1], r.onTimeClosureRate),
    ];
    if (prev) {
      worstSwing = Math.max(
        worstSwing,
        Math.abs(r.closureRate - prev.closure),
        Math.abs(r.onTimeClosureRate - prev.onTime),
      );
    }
    prev = { closure: r.closureRate, onTime: r.onTimeClosureRate };
  }
  console.log('(* a planted week, ~ not complete)');
  console.log(
    `outside planted weeks: weekly 结案率 ≥ ${pct(minClosure)} (target ≥ 90 %: ${ok(minClosure >= 0.9)}); 按期结案率 ${pct(onTimeRange[0])}–${pct(onTimeRange[1])} (target 85–97 %: ${ok(onTimeRange[0] >= 0.85 && onTimeRange[1] <= 0.97)}); largest week-to-week swing ${(100 * worstSwing).toFixed(1)} points (target ≤ 3: ${ok(worstSwing <= 0.03)})`,
  );

  // hours of the last four weeks without a report (city-wide)
  let empty = 0;
  let hours = 0;
  const from = Math.max(rollups.asOfMs - 28 * DAY_MS, rollups.coverageStartMs);
  for (let w = weekOfMs(from); w <= weekOfMs(rollups.asOfMs - 1); w++) {
    const perSlot = new Float64Array(168);
    rollups.heat.forEachInWeek(w, (cell, v) => (perSlot[cell % 168] += v));
    for (let s = 0; s < 168; s++) {
      const t = weekStartMs(w) + s * HOUR_MS;
      if (t < from || t + HOUR_MS > rollups.asOfMs || t >= weekEndMs(w)) continue;
      hours++;
      if (perSlot[s] === 0) empty++;
    }
  }
  console.log(
    `hours of the last four weeks without a report: ${empty} of ${hours} (target 0: ${ok(empty === 0)})`,
  );

  const b = analyseWeek(rollups, { scope: city, week: last });
  const expected = b.totals.expected;
  const dev = expected ? b.totals.cases / expected - 1 : null;
  console.log(
    `last full week ${isoWeekLabel(last)}: ${b.totals.cases} cases against a baseline of ${expected?.toFixed(0) ?? '—'} (${dev === null ? '—' : `${(100 * dev).toFixed(1)} %`}; target within ±10 %: ${ok(dev !== null && Math.abs(dev) <= 0.1)})`,
  );
}

// ---- first start: import at this minute, a simulated day at speed
let server = await start('first start');
const day = await run(server, HOURS, 3);
const worstOverdue = Math.max(...day.map((w) => (w.open ? w.overdue / w.open : 0)));
console.log(
  `  overdue share of open cases, worst hour: ${pct(worstOverdue)} (target ≤ 10 %: ${ok(worstOverdue <= 0.1)})`,
);
const manifestWeeks = new Set<number>();
{
  const shift = Number(
    (server.db.prepare("SELECT value FROM meta WHERE key = 'history_shift_ms'").get() as { value: string })
      .value,
  );
  for (const p of [...ensured.manifest.plantedRises, ...(ensured.manifest.plantedLaggards ?? [])]) {
    const [y, m, d] = p.fromDay.split('-').map(Number);
    const w0 = weekOfMs(Date.UTC(y, m - 1, d) - 8 * HOUR_MS + shift);
    for (let k = 0; k < p.weeks + 1; k++) manifestWeeks.add(w0 + k); // +1: a lag's tail
  }
}
report(rollupsOf(server), manifestWeeks);
await server.close();

// ---- downtime, then a second start on the same store
clock.t += DOWNTIME_DAYS * DAY_MS;
console.log(`\n--- ${DOWNTIME_DAYS} simulated days of downtime ---`);
server = await start('second start');
await run(server, 1, 1);
report(rollupsOf(server), manifestWeeks);
await server.close();
rmSync(dataDir, { recursive: true, force: true });
