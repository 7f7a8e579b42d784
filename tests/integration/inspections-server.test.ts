// Periodic inspections against a real dispatch server (issue 9): the month generated from the
// dataset's 977k places, simulated rounds whose hazards become cases in the right category and
// grid, coverage figures equal to direct SQL counts, missed visits, re-grading decisions, scope
// enforcement and stable error codes for bad input.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultCalendar, shanghaiDayIndex, shanghaiMs } from '../../src-shared/domain/calendar';
import { visitsPerMonth } from '../../src-shared/inspections/place-status';
import type {
  CoverageAnswer,
  OrdersAnswer,
  PlaceFlagsAnswer,
  RegradeRow,
  RegradesAnswer,
} from '../../src-shared/inspections/model';
import { coverageColumns, orderIdOf } from '../../src-shared/inspections/model';
import { readManifest, readPlaces } from '../../src-server/dataset/read-dataset';
import { InspectionRounds, type InspectionService } from '../../src-server/inspections';
import { ensureSmallDataset } from '../support/datasets';
import { DEMO_PASSWORD } from '../../src-server/dataset/import-dataset';
import { adminPassword, startTestServer, type TestServer } from '../support/server-client';

const calendar = defaultCalendar();
/** Wednesday 18 November 2026, 10:00 in Shanghai: a working morning. */
let clock = shanghaiMs(2026, 11, 18, 10, 0);
const MONTH = 202611;

let t: TestServer;
let service: InspectionService;

interface Envelope<T> {
  ok: boolean;
  data?: T;
  error?: { code: string; message: string };
}

// Every request on a fresh connection: a kept-alive socket the server has just timed out (5 s)
// would otherwise fail a request now and then with ECONNRESET.
async function login(_server: unknown, userName: string, password = DEMO_PASSWORD): Promise<string> {
  const res = await fetch(`${t.server.url}/api/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', connection: 'close' },
    body: JSON.stringify({ userName, password }),
  });
  const body = (await res.json()) as Envelope<{ token: string }>;
  if (!body.ok || !body.data) throw new Error(`login ${userName} failed: ${body.error?.message}`);
  return body.data.token;
}

async function get<T>(path: string, token: string | null): Promise<{ status: number; body: Envelope<T> }> {
  const res = await fetch(`${t.server.url}${path}`, {
    headers: token ? { authorization: `Bearer ${token}`, connection: 'close' } : { connection: 'close' },
  });
  return { status: res.status, body: (await res.json()) as Envelope<T> };
}

async function post<T>(
  path: string,
  token: string,
  body: unknown,
): Promise<{ status: number; body: Envelope<T> }> {
  const res = await fetch(`${t.server.url}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', connection: 'close' },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Envelope<T> };
}

/** Coverage of grids [lo, hi] counted straight from the table, with the definitions spelled out. */
function sqlFigures(where: string, params: Record<string, number | string>) {
  const today = shanghaiDayIndex(clock);
  return t.server.db
    .prepare(
      `SELECT count(*) AS planned,
         count(CASE WHEN due_day <= @today THEN 1 END) AS due,
         count(CASE WHEN due_day <= @today AND done_at IS NOT NULL THEN 1 END) AS dueDone,
         count(done_at) AS done,
         count(CASE WHEN done_at IS NOT NULL AND done_day > due_day THEN 1 END) AS late,
         count(CASE WHEN done_at IS NULL AND close_day < @today THEN 1 END) AS missed,
         count(CASE WHEN done_at IS NULL AND due_day <= @today AND close_day >= @today THEN 1 END) AS dueOpen,
         count(CASE WHEN hazard = 1 THEN 1 END) AS hazards
       FROM inspection_orders WHERE month = ${MONTH} AND ${where}`,
    )
    .get({ ...params, today }) as Record<string, number>;
}

beforeAll(async () => {
  t = await startTestServer({ now: () => clock });
  service = t.server.inspections!;
  expect(service).not.toBeNull();
  await service.ensureMonth();
});

afterAll(async () => {
  await t?.dispose();
});

describe('generation', () => {
  it('gives every one of the dataset’s places exactly its tier frequency for the month', () => {
    const dir = ensureSmallDataset();
    const places = readPlaces(dir, readManifest(dir));
    const counts = new Uint8Array(places.rowCount);
    const rows = t.server.db
      .prepare(`SELECT place, count(*) AS n FROM inspection_orders WHERE month = ${MONTH} GROUP BY place`)
      .all() as { place: number; n: number }[];
    for (const r of rows) counts[r.place] = r.n;
    let wrong = 0;
    const byTier = [0, 0, 0, 0, 0];
    for (let i = 0; i < places.rowCount; i++) {
      const want = visitsPerMonth(places.tier[i], places.subkind[i], service.settings);
      if (counts[i] !== want) wrong++;
      byTier[places.kind[i] === 0 ? places.tier[i] : 4]++;
    }
    expect(wrong).toBe(0);
    expect(places.rowCount).toBeGreaterThan(900_000);
    expect(byTier.every((n) => n > 1000)).toBe(true);
  });

  it('plans only on the month’s working days, spread evenly over them', () => {
    const days = t.server.db
      .prepare(
        `SELECT planned_day AS day, count(*) AS n FROM inspection_orders WHERE month = ${MONTH} GROUP BY planned_day`,
      )
      .all() as { day: number; n: number }[];
    for (const d of days) expect(calendar.isWorkingDayIndex(d.day), `day ${d.day}`).toBe(true);
    expect(days).toHaveLength(21); // November 2026: 21 weekdays, no holiday
    const ns = days.map((d) => d.n);
    const mean = ns.reduce((a, b) => a + b, 0) / ns.length;
    expect((Math.max(...ns) - Math.min(...ns)) / mean).toBeLessThan(0.02);
  });

  it('generates the months of history the re-grading rules read before the current one, once', async () => {
    expect(service.historyMonths(MONTH)).toEqual([202608, 202609, 202610]);
    expect(await service.ensureMonth()).toBeNull();
    await service.withHistory();
    const months = t.server.db.prepare('SELECT month, status FROM inspection_months ORDER BY month').all();
    expect(months).toEqual([202608, 202609, 202610, MONTH].map((month) => ({ month, status: 'ready' })));
    // A past month is history: every visit with an officer was done or missed, none is still open.
    const october = t.server.db
      .prepare(
        `SELECT count(*) AS planned, count(done_at) AS done, count(CASE WHEN hazard = 1 THEN 1 END) AS hazards
         FROM inspection_orders WHERE month = 202610 AND officer_id IS NOT NULL`,
      )
      .get() as { planned: number; done: number; hazards: number };
    expect(october.done / october.planned).toBeGreaterThan(0.9);
    expect(october.done).toBeLessThan(october.planned);
    expect(october.hazards).toBeGreaterThan(0);
  });
});

describe('completion by the simulated officers', () => {
  it('completes today’s visits over the working day; a reported hazard becomes a case in the right category and grid', () => {
    const rounds = new InspectionRounds(service, calendar);
    const today = shanghaiDayIndex(clock);
    const doneBefore = (
      t.server.db
        .prepare(`SELECT count(*) AS n FROM inspection_orders WHERE month = ${MONTH} AND done_day = ?`)
        .get(today) as { n: number }
    ).n;
    // Load the whole day's queue (40 grids a tick), then run the afternoon on the simulator's clock.
    for (let i = 0; i < 100; i++) rounds.tick(shanghaiMs(2026, 11, 18, 8, 0), 1_000);
    expect(rounds.waiting).toBeGreaterThan(10_000);
    expect(rounds.stats.completed).toBe(0); // before working hours
    // By 10:00 the first fifth of the working day's visits (≈ 1.5 h of 7.5 h) is done.
    const waiting = rounds.waiting;
    rounds.tick(shanghaiMs(2026, 11, 18, 10, 0), 100_000);
    expect(rounds.stats.completed).toBeGreaterThan(waiting * 0.15);
    expect(rounds.stats.completed).toBeLessThan(waiting * 0.3);
    expect(rounds.stats.refused).toBe(0);
    const rate = rounds.stats.hazards / rounds.stats.completed;
    expect(rate).toBeGreaterThan(0.085);
    expect(rate).toBeLessThan(0.107);
    // ≈ 6 % of hazards are reported as cases, the rest put right during the visit (HAZARD_CASE_SHARE)
    expect(rounds.stats.cases).toBeGreaterThan(0);
    expect(rounds.stats.cases / rounds.stats.hazards).toBeGreaterThan(0.03);
    expect(rounds.stats.cases / rounds.stats.hazards).toBeLessThan(0.1);

    const doneToday = (
      t.server.db
        .prepare(`SELECT count(*) AS n FROM inspection_orders WHERE month = ${MONTH} AND done_day = ?`)
        .get(today) as { n: number }
    ).n;
    expect(doneToday - doneBefore).toBe(rounds.stats.completed);

    const linked = t.server.db
      .prepare(
        `SELECT o.place, o.kind, o.grid_idx, o.officer_id, c.json FROM inspection_orders o JOIN cases c ON c.id = o.case_id
         WHERE o.month = ${MONTH} AND o.done_day = ? AND o.hazard = 1`,
      )
      .all(today) as { place: number; kind: number; grid_idx: number; officer_id: string; json: string }[];
    expect(linked).toHaveLength(rounds.stats.cases);
    for (const r of linked) {
      const c = JSON.parse(r.json) as {
        categoryCode: string;
        gridCode: string;
        source: string;
        reporterId?: string;
        description: string;
      };
      expect(c.categoryCode.slice(0, 2)).toBe(r.kind === 0 ? '05' : '14');
      expect(c.gridCode).toBe(t.server.ref.gridsByIndex[r.grid_idx].code);
      expect(c.source).toBe('inspection');
      expect(c.description).toContain(`P${r.place}`);
    }
    expect(new Set(linked.map((r) => r.kind)).size).toBe(2);
  });

  it('counts a visit not done by its close day as missed, and refuses to complete it', async () => {
    const today = shanghaiDayIndex(clock);
    const open = t.server.db
      .prepare(
        `SELECT place, visit, officer_id, close_day FROM inspection_orders
         WHERE month = ${MONTH} AND done_at IS NULL AND close_day = ? AND officer_id IS NOT NULL LIMIT 1`,
      )
      .get(today) as { place: number; visit: number; officer_id: string; close_day: number };
    expect(open).toBeDefined();
    const grid = t.server.ref.gridsByIndex[service.placeLocation(open.place).grid].code;
    const token = await login(t.server, 'admin', adminPassword(t));
    const before = (await get<CoverageAnswer>(`/api/inspections/coverage?scope=${grid}`, token)).body.data!;
    // The next morning the order is past its close day (and yesterday's session has expired).
    clock = shanghaiMs(2026, 11, 19, 9, 0);
    const next = await login(t.server, 'admin', adminPassword(t));
    const after = (await get<CoverageAnswer>(`/api/inspections/coverage?scope=${grid}`, next)).body.data!;
    expect(after.totals.missed).toBeGreaterThan(before.totals.missed);
    expect(after.totals.missed).toBe(
      sqlFigures('grid_idx = @g', { g: service.placeLocation(open.place).grid }).missed,
    );
    const refused = service.complete(orderIdOf(MONTH, open.place, open.visit), {
      officerId: open.officer_id,
      hazard: false,
    });
    expect(refused).toMatchObject({ ok: false, error: { code: 'ORDER_CLOSED' } });
    const orders = (
      await get<OrdersAnswer>(`/api/inspections/orders?grid=${grid}&status=missed&limit=2000`, next)
    ).body.data!;
    expect(orders.total).toBe(after.totals.missed);
    expect(orders.orders.some((o) => o.id === orderIdOf(MONTH, open.place, open.visit))).toBe(true);
    expect(orders.orders.every((o) => o.status === 'missed')).toBe(true);
  });
});

describe('coverage API', () => {
  it('per grid and per officer equals a direct SQL count, for a village seat', async () => {
    const village = t.server.ref.gridsByIndex[1200].villageCode;
    const token = await login(t.server, `${village}.operator`);
    const byGrid = await get<CoverageAnswer>(`/api/inspections/coverage?month=2026-11&by=grid`, token);
    expect(byGrid.status).toBe(200);
    const cov = byGrid.body.data!;
    expect(cov.scopeCode).toBe(village);
    expect(cov.rows.length).toBeGreaterThan(1);
    // The months the picker offers are the server's: the current one and its history, newest first.
    expect(cov.months).toEqual(['2026-11', '2026-10', '2026-09', '2026-08']);
    let planned = 0;
    for (const row of cov.rows) {
      expect(row.gridCode.startsWith(village)).toBe(true);
      const g = t.server.ref.gridsByIndex.findIndex((x) => x.code === row.gridCode);
      const sql = sqlFigures('grid_idx = @g', { g });
      expect({
        planned: row.planned,
        due: row.due,
        dueDone: row.dueDone,
        done: row.done,
        late: row.late,
        missed: row.missed,
        dueOpen: row.dueOpen,
        hazards: row.hazards,
      }).toEqual(sql);
      expect(row.onTime + row.late).toBe(row.done);
      // The columns as shown reconcile (issue 18): due = done + missed + open, completion = done ÷ due.
      const c = coverageColumns(row);
      expect(c.done + c.missed + c.open).toBe(c.due);
      expect(c.rate).toBe(c.due > 0 ? c.done / c.due : null);
      expect(c.done + c.ahead).toBe(row.done);
      expect(c.due + c.ahead).toBeLessThanOrEqual(c.planned);
      planned += row.planned;
    }
    expect(cov.totals.planned).toBe(planned);
    expect(cov.totals.done).toBeGreaterThan(0);
    expect(cov.totals.late).toBeGreaterThan(0);

    const inVillage = t.server.ref.gridsByIndex.flatMap((g, i) => (g.villageCode === village ? [i] : []));
    const [lo, hi] = [Math.min(...inVillage), Math.max(...inVillage)];
    expect(hi - lo + 1).toBe(inVillage.length);
    const byOfficer = (await get<CoverageAnswer>(`/api/inspections/coverage?by=officer`, token)).body.data!;
    for (const row of byOfficer.rows) {
      // (The village's grids are one index range: the SQL seeks it instead of scanning the month.)
      const sql = sqlFigures('grid_idx BETWEEN @lo AND @hi AND officer_id = @o', { o: row.key, lo, hi });
      expect([row.planned, row.done, row.late, row.missed]).toEqual([
        sql.planned,
        sql.done,
        sql.late,
        sql.missed,
      ]);
    }
    expect(byOfficer.totals).toEqual(cov.totals);
  });
});

describe('re-grading', () => {
  it('is proposed after repeated hazards and decided only by a leader or operator of the place’s area', async () => {
    const pending = t.server.db
      .prepare(
        "SELECT id, place, grid_code, from_tier, to_tier FROM inspection_regrades WHERE status = 'pending' ORDER BY id LIMIT 1",
      )
      .get() as { id: number; place: number; grid_code: string; from_tier: number; to_tier: number };
    expect(pending).toBeDefined();
    expect(pending.to_tier).toBe(pending.from_tier + 1);
    const hazards = service.placeHistory(pending.place, MONTH).filter((v) => v.hazard).length;
    expect(hazards).toBeGreaterThanOrEqual(2);

    const own = pending.grid_code.slice(0, 12);
    const other = t.server.ref.gridsByIndex.find((g) => g.villageCode !== own)!.villageCode;
    const ownToken = await login(t.server, `${own}.operator`);
    const otherToken = await login(t.server, `${other}.operator`);
    const dispatcher = await login(t.server, 'city.dispatcher');

    const queue = (await get<RegradesAnswer>('/api/inspections/regrades', ownToken)).body.data!;
    expect(queue.rows.some((r) => r.id === pending.id)).toBe(true);
    expect(queue.rows.every((r) => r.gridCode.startsWith(own))).toBe(true);
    const otherQueue = (await get<RegradesAnswer>('/api/inspections/regrades', otherToken)).body.data!;
    expect(otherQueue.rows.some((r) => r.id === pending.id)).toBe(false);

    const foreign = await post(`/api/inspections/regrades/${pending.id}/decision`, otherToken, {
      approve: true,
    });
    expect(foreign.status).toBe(403);
    expect(foreign.body.error?.code).toBe('OUT_OF_SCOPE');
    // Per-city plans: an admin may change them (from the next month), a dispatcher may not.
    const put = (token: string, body: unknown) =>
      fetch(`${t.server.url}/api/inspections/settings`, {
        method: 'PUT',
        headers: {
          authorization: `Bearer ${token}`,
          'content-type': 'application/json',
          connection: 'close',
        },
        body: JSON.stringify(body),
      });
    const next = { ...service.settings, smallVenueVisitsPerMonth: { shop: 1, eatery: 2, entertainment: 2 } };
    expect((await put(dispatcher, next)).status).toBe(403);
    expect((await put(await login(t.server, 'admin', adminPassword(t)), next)).status).toBe(200);
    expect(service.settings.smallVenueVisitsPerMonth.eatery).toBe(2);
    const storedSettings = t.server.db.prepare('SELECT json FROM inspection_settings').get() as {
      json: string;
    };
    expect(JSON.parse(storedSettings.json)).toEqual(next);
    const wrongRole = await post(`/api/inspections/regrades/${pending.id}/decision`, dispatcher, {
      approve: true,
    });
    expect(wrongRole.status).toBe(403);
    expect(wrongRole.body.error?.code).toBe('FORBIDDEN_ROLE');

    const approved = await post<RegradeRow>(`/api/inspections/regrades/${pending.id}/decision`, ownToken, {
      approve: true,
      note: '复查属实',
    });
    expect(approved.status).toBe(200);
    expect(approved.body.data).toMatchObject({ id: pending.id, status: 'approved', note: '复查属实' });
    expect(service.tierOf(pending.place)).toBe(pending.to_tier);
    const tierRow = t.server.db
      .prepare('SELECT tier, since_month FROM inspection_place_tiers WHERE place = ?')
      .get(pending.place);
    expect(tierRow).toEqual({ tier: pending.to_tier, since_month: 202612 });

    const again = await post(`/api/inspections/regrades/${pending.id}/decision`, ownToken, {
      approve: false,
    });
    expect(again.status).toBe(409);
    expect(again.body.error?.code).toBe('ALREADY_DECIDED');
  });
});

describe('an officer’s own visit over HTTP', () => {
  it('completes it with a hazard: a case in the place’s grid, linked; a second report is refused', async () => {
    const today = shanghaiDayIndex(clock);
    const o = t.server.db
      .prepare(
        `SELECT place, visit, officer_id, grid_idx, kind FROM inspection_orders
         WHERE month = ${MONTH} AND done_at IS NULL AND officer_id IS NOT NULL AND kind = 1
           AND planned_day <= ? AND close_day >= ? LIMIT 1`,
      )
      .get(today, today) as {
      place: number;
      visit: number;
      officer_id: string;
      grid_idx: number;
      kind: number;
    };
    const officer = t.server.ref.officers.get(o.officer_id)!;
    const token = await login(t.server, officer.number);
    const id = orderIdOf(MONTH, o.place, o.visit);
    const done = await post<{ caseId: string | null; hazard: boolean }>(
      `/api/inspections/orders/${id}/complete`,
      token,
      { hazard: true },
    );
    expect(done.status).toBe(200);
    const caseId = done.body.data!.caseId!;
    const row = t.server.db.prepare('SELECT grid_code, json FROM cases WHERE id = ?').get(caseId) as {
      grid_code: string;
      json: string;
    };
    expect(row.grid_code).toBe(t.server.ref.gridsByIndex[o.grid_idx].code);
    expect((JSON.parse(row.json) as { categoryCode: string }).categoryCode.slice(0, 2)).toBe('14');
    const stored = t.server.db
      .prepare(
        `SELECT case_id, hazard FROM inspection_orders WHERE month = ${MONTH} AND place = ? AND visit = ?`,
      )
      .get(o.place, o.visit);
    expect(stored).toEqual({ case_id: caseId, hazard: 1 });
    const again = await post(`/api/inspections/orders/${id}/complete`, token, { hazard: false });
    expect([again.status, again.body.error?.code]).toEqual([409, 'ALREADY_DONE']);
    // Another officer's order is not theirs to complete.
    const other = t.server.db
      .prepare(
        `SELECT place, visit FROM inspection_orders WHERE month = ${MONTH} AND done_at IS NULL
           AND officer_id IS NOT NULL AND officer_id <> ? LIMIT 1`,
      )
      .get(o.officer_id) as { place: number; visit: number };
    const foreign = await post(
      `/api/inspections/orders/${orderIdOf(MONTH, other.place, other.visit)}/complete`,
      token,
      {
        hazard: false,
      },
    );
    expect([foreign.status, foreign.body.error?.code]).toEqual([403, 'FORBIDDEN_ROLE']);
  });
});

describe('place flags for the map', () => {
  it('lists the seat’s places with an overdue or missed visit, as the store has them', async () => {
    const village = t.server.ref.gridsByIndex[2000].villageCode;
    const token = await login(t.server, `${village}.operator`);
    const r = await get<PlaceFlagsAnswer>('/api/inspections/place-flags', token);
    expect(r.status).toBe(200);
    const today = shanghaiDayIndex(clock);
    const ids = (sql: string): number[] =>
      (
        t.server.db
          .prepare(
            `SELECT DISTINCT o.place FROM inspection_orders o JOIN grids g ON g.idx = o.grid_idx
             WHERE o.month = ${MONTH} AND g.village_code = ? AND o.done_at IS NULL AND ${sql} ORDER BY o.place`,
          )
          .all(village, today) as { place: number }[]
      ).map((x) => x.place);
    const missed = ids('o.close_day < ?');
    expect([...r.body.data!.missed].sort((a, b) => a - b)).toEqual(missed);
    expect(missed.length).toBeGreaterThan(0);
    const overdue = ids('o.due_day < ? AND o.close_day >= ' + String(today));
    expect([...r.body.data!.overdue].sort((a, b) => a - b)).toEqual(overdue);
  });
});

describe('restart', () => {
  it('reads the month back from the store: no second generation, the same figures', async () => {
    const before = (
      await get<CoverageAnswer>('/api/inspections/coverage', await login(t.server, 'admin', adminPassword(t)))
    ).body.data!;
    await t.restart();
    service = t.server.inspections!;
    expect(service.isReady(MONTH)).toBe(true);
    const after = (
      await get<CoverageAnswer>('/api/inspections/coverage', await login(t.server, 'admin', adminPassword(t)))
    ).body.data!;
    expect(after.totals).toEqual(before.totals);
    expect(after.rows).toEqual(before.rows);
    const sql = sqlFigures('1 = 1', {});
    expect({
      planned: after.totals.planned,
      due: after.totals.due,
      dueDone: after.totals.dueDone,
      done: after.totals.done,
      late: after.totals.late,
      missed: after.totals.missed,
      dueOpen: after.totals.dueOpen,
      hazards: after.totals.hazards,
    }).toEqual(sql);
    // The city's totals reconcile too, and visits done ahead of their due day are their own
    // column instead of swelling "done" past "due" (issue 18).
    const c = coverageColumns(after.totals);
    expect(c.done + c.missed + c.open).toBe(c.due);
    expect(c.ahead).toBeGreaterThan(0);
    expect(c.done).toBeLessThanOrEqual(c.due);
    expect(t.server.db.prepare('SELECT count(*) AS n FROM inspection_months').get()).toEqual({ n: 4 });
  });
});

describe('scope and bad input', () => {
  it('a village seat cannot read another village’s coverage or work orders', async () => {
    const own = t.server.ref.gridsByIndex[100].villageCode;
    const otherGrid = t.server.ref.gridsByIndex.find((g) => g.villageCode !== own)!;
    const token = await login(t.server, `${own}.operator`);
    const cov = await get(`/api/inspections/coverage?scope=${otherGrid.villageCode}`, token);
    expect(cov.status).toBe(403);
    expect(cov.body.error?.code).toBe('OUT_OF_SCOPE');
    const orders = await get(`/api/inspections/orders?grid=${otherGrid.code}`, token);
    expect(orders.status).toBe(403);
    expect(orders.body.error?.code).toBe('OUT_OF_SCOPE');
    const officer = [...t.server.ref.officers.values()].find(
      (o) => o.kind === 'grid' && o.homeGridCode === otherGrid.code,
    )!;
    const byOfficer = await get(`/api/inspections/orders?officer=${officer.id}`, token);
    expect(byOfficer.body.error?.code).toBe('OUT_OF_SCOPE');
  });

  it('answers bad input with stable codes', async () => {
    const token = await login(t.server, 'admin', adminPassword(t));
    const cases: [string, number, string][] = [
      ['/api/inspections/coverage?month=2026-13', 400, 'BAD_REQUEST'],
      ['/api/inspections/coverage?by=town', 400, 'BAD_REQUEST'],
      ['/api/inspections/coverage?scope=abc', 400, 'BAD_REQUEST'],
      ['/api/inspections/coverage?bogus=1', 400, 'BAD_REQUEST'],
      ['/api/inspections/coverage?month=2026-05', 404, 'MONTH_NOT_GENERATED'],
      ['/api/inspections/orders', 400, 'BAD_REQUEST'],
      ['/api/inspections/orders?grid=441900003001001&officer=OF00001', 400, 'BAD_REQUEST'],
      ['/api/inspections/orders?grid=441900999999999', 404, 'NOT_FOUND'],
      ['/api/inspections/orders?grid=441900003001001&limit=99999', 400, 'BAD_REQUEST'],
      ['/api/inspections/regrades?status=maybe', 400, 'BAD_REQUEST'],
      ['/api/inspections/nothing', 404, 'NOT_FOUND'],
    ];
    for (const [path, status, code] of cases) {
      const r = await get(path, token);
      expect([path, r.status, r.body.error?.code]).toEqual([path, status, code]);
      expect(r.body.error?.message.length).toBeGreaterThan(0);
    }
    const anonymous = await get('/api/inspections/coverage', null);
    expect([anonymous.status, anonymous.body.error?.code]).toEqual([401, 'UNAUTHORIZED']);
    const settings = await fetch(`${t.server.url}/api/inspections/settings`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', connection: 'close' },
      body: JSON.stringify({ ...service.settings, graceWorkingDays: 99 }),
    });
    expect(settings.status).toBe(400);
    expect(((await settings.json()) as Envelope<unknown>).error?.message).toMatch(/graceWorkingDays/);
    const badBody = await post('/api/inspections/regrades/1/decision', token, { approve: 'yes' });
    expect([badBody.status, badBody.body.error?.code]).toEqual([400, 'BAD_REQUEST']);
    const badId = await post('/api/inspections/regrades/-4/decision', token, { approve: true });
    expect([badId.status, badId.body.error?.code]).toEqual([400, 'BAD_REQUEST']);
    const missing = await post('/api/inspections/regrades/999999/decision', token, { approve: true });
    expect([missing.status, missing.body.error?.code]).toEqual([404, 'NOT_FOUND']);
    const notOfficer = await post(`/api/inspections/orders/${orderIdOf(MONTH, 1, 1)}/complete`, token, {
      hazard: false,
    });
    expect([notOfficer.status, notOfficer.body.error?.code]).toEqual([403, 'FORBIDDEN_ROLE']);
  });
});

describe('the first working day of a month', () => {
  // Tuesday 1 December 2026, 09:00 in Shanghai: nothing of December has been visited yet.
  const firstDay = shanghaiMs(2026, 12, 1, 9, 0);
  let early: TestServer;

  beforeAll(async () => {
    early = await startTestServer({ now: () => firstDay });
  });

  afterAll(async () => {
    await early?.dispose();
  });

  it('already has re-grading proposals, from the months before', async () => {
    const insp = early.server.inspections!;
    await insp.withHistory();
    const done = early.server.db
      .prepare('SELECT count(done_at) AS n FROM inspection_orders WHERE month = 202612')
      .get() as { n: number };
    expect(done.n).toBe(0);
    const pending = early.server.db
      .prepare(
        "SELECT place, grid_code, from_tier, to_tier FROM inspection_regrades WHERE status = 'pending' ORDER BY id",
      )
      .all() as { place: number; grid_code: string; from_tier: number; to_tier: number }[];
    expect(pending.length).toBeGreaterThan(10);
    for (const p of pending.slice(0, 20)) {
      const history = insp.placeHistory(p.place, 202612);
      expect(history.filter((v) => v.hazard).length).toBeGreaterThanOrEqual(2);
      expect(history.every((v) => v.month < 202612 || v.doneDay === null)).toBe(true);
    }
    // Seen by a town leader of one of those places through the server's own route.
    const town = pending[0].grid_code.slice(0, 9);
    const login = await fetch(`${early.server.url}/api/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', connection: 'close' },
      body: JSON.stringify({ userName: `${town}.leader`, password: DEMO_PASSWORD }),
    });
    const token = ((await login.json()) as Envelope<{ token: string }>).data!.token;
    const res = await fetch(`${early.server.url}/api/inspections/regrades`, {
      headers: { authorization: `Bearer ${token}`, connection: 'close' },
    });
    const queue = ((await res.json()) as Envelope<RegradesAnswer>).data!;
    expect(queue.total).toBeGreaterThan(0);
  });
});
