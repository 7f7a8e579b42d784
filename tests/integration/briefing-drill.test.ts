// The cases behind a briefing figure come from the server: the history's
// closed cases included, as many as the figure counts, inside the seat's scope only; offline the
// console says it shows only what its cache holds.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isWithin } from '../../src-shared/domain/codes';
import { loginConsole, settled, type TestConsoleApp } from '../support/console-harness';
import { pickArea, reportPayload } from '../support/fixtures';
import { connectConsole, login, startTestServer, type TestServer } from '../support/server-client';
import type { DrillFilter } from '../../src-shared/briefing/briefing';
import { CASE_NUMBER_PATTERN, numberDay } from '../../src-shared/domain/case-number';

let t: TestServer;
let area: ReturnType<typeof pickArea>;
const apps: TestConsoleApp[] = [];

beforeAll(async () => {
  t = await startTestServer();
  area = pickArea(t.server, 2);
});

afterAll(async () => {
  for (const a of apps) await a.service.close();
  await t?.dispose();
});

describe('briefing drill-down from the server', () => {
  it('opens as many cases as the figure counts, history included, all in the area', async () => {
    // A town: the small test history has a few cases a week per village, dozens per town.
    const town = area.townCode;
    const app = await loginConsole(t.server, `${town}.dispatcher`);
    apps.push(app);
    await settled(app);
    await app.service.briefing.status(true);
    const report = app.service.briefing.analyse(null, null);
    expect(report.totals.cases).toBeGreaterThan(0);
    const week = { scopeCode: town, fromMs: report.fromMs, toMs: report.toMs };

    // The console's cache alone holds only the open cases: fewer than the figure (the old answer).
    const cached = app.service.briefing.drill(week);
    expect(cached.total).toBeLessThan(report.totals.cases);

    const drill = await app.service.briefing.drillFromServer(week, 500);
    expect(drill.source).toBe('server');
    expect(drill.total).toBe(report.totals.cases);
    expect(drill.cases.length).toBe(Math.min(500, drill.total));
    for (const c of drill.cases) {
      expect(isWithin(c.gridCode, town)).toBe(true);
      expect(c.reportedAt).toBeGreaterThanOrEqual(report.fromMs);
      expect(c.reportedAt).toBeLessThan(report.toMs);
    }
    expect(drill.cases.some((c) => c.state === 'closed')).toBe(true);
    // Every case is named by a number, never its id: live cases by the server's, the record's
    // (history) cases by their own series, H before the day's sequence of their town.
    for (const c of drill.cases) {
      const history = t.server.commands.store.get(c.id) === null;
      expect(c.number).toMatch(history ? /^DG\d{8}-\d{3}-H\d{4,}$/ : CASE_NUMBER_PATTERN);
      expect(c.number!.slice(2, 10)).toBe(numberDay(c.reportedAt));
      expect(c.number!.slice(11, 14)).toBe(c.townCode.slice(-3));
    }
    expect(new Set(drill.cases.map((c) => c.number)).size).toBe(drill.cases.length);
    // Newest first.
    const times = drill.cases.map((c) => c.reportedAt);
    expect([...times].sort((a, b) => b - a)).toEqual(times);

    // A category figure opens as many as it counts.
    const major = report.totals.byMajor.find((m) => m.count > 0)!;
    const byMajor = await app.service.briefing.drillFromServer({ ...week, majorCode: major.code }, 500);
    expect(byMajor.total).toBe(major.count);
    expect(byMajor.cases.every((c) => c.categoryCode.startsWith(major.code))).toBe(true);
  });

  it('opens exactly the cases every figure of a week counts (voided reports are not cases)', async () => {
    const town = area.townCode;
    // Live reports of this week in the town, one of them voided: the week's figures must not
    // count it, and its drill-down must not open it.
    const other = await connectConsole(t.server, await login(t.server, `${town}.dispatcher`));
    try {
      for (const id of ['DRILL-A', 'DRILL-B', 'DRILL-V'])
        expect((await other.command('report', reportPayload(id, area.a.point))).ok).toBe(true);
      expect(await other.command('void', { caseId: 'DRILL-V', reason: '误报' }, 1)).toMatchObject({
        ok: true,
        data: { status: 'accepted' },
      });
    } finally {
      other.close();
    }
    const app = await loginConsole(t.server, `${town}.dispatcher`);
    apps.push(app);
    await settled(app);
    const status = await app.service.briefing.status(true);
    const weeks = [status.defaultWeek!, status.weeks[0].week];
    expect(new Set(weeks).size).toBe(2); // the last complete week and this one
    let voidedSeen = 0;
    for (const week of weeks) {
      const report = app.service.briefing.analyse(week, null);
      const base = { scopeCode: town, fromMs: report.fromMs, toMs: report.toMs, asOfMs: report.asOfMs };
      const figures: { what: string; count: number; filter: DrillFilter }[] = [
        { what: 'total', count: report.totals.cases, filter: base },
        ...report.totals.byMajor.map((m) => ({
          what: `major ${m.code}`,
          count: m.count,
          filter: { ...base, majorCode: m.code },
        })),
        ...Object.values(report.rising).flatMap((f) =>
          f.items.map((it) => ({
            what: `rising ${JSON.stringify(it.drill)}`,
            count: it.count,
            filter: it.drill,
          })),
        ),
        // the heat grid's cells (the busy ones, and an empty one)
        ...report.heat.counts
          .map((count, k) => ({ count, k }))
          .filter(({ count }, i, all) => count > 0 || i === all.findIndex((x) => x.count === 0))
          .map(({ count, k }) => ({
            what: `heat ${k}`,
            count,
            filter: { ...base, weekday: Math.floor(k / 24), hour: k % 24 },
          })),
      ];
      expect(figures.length).toBeGreaterThan(10);
      for (const f of figures) {
        const drill = await app.service.briefing.drillFromServer(f.filter, 500);
        expect(drill.source).toBe('server');
        expect({ what: f.what, total: drill.total }).toEqual({ what: f.what, total: f.count });
        expect(drill.cases.every((c) => c.state !== 'voided')).toBe(true);
      }
      // the raw rows of the week include voided reports: the rule above is not vacuous
      const weekRows = t.server.db
        .prepare(
          "SELECT count(*) AS n FROM cases WHERE state = 'voided' AND json_extract(json, '$.reportedAt') >= ? AND json_extract(json, '$.reportedAt') < ?",
        )
        .get(report.fromMs, report.toMs) as { n: number };
      voidedSeen += weekRows.n;
    }
    expect(voidedSeen).toBeGreaterThan(0);
  });

  it('refuses a scope or area outside the seat’s jurisdiction', async () => {
    const token = await login(t.server, `${area.a.villageCode}.operator`);
    const ask = (filter: Record<string, unknown>) =>
      fetch(`${t.server.url}/api/briefing/drill`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ filter: { fromMs: 0, toMs: Date.now(), ...filter } }),
      });
    expect((await ask({ scopeCode: area.b.villageCode })).status).toBe(403);
    expect((await ask({ scopeCode: area.townCode })).status).toBe(403);
    expect((await ask({ scopeCode: area.a.villageCode, areaCode: area.b.villageCode })).status).toBe(403);
    expect((await ask({ scopeCode: area.a.villageCode })).status).toBe(200);
    const anonymous = await fetch(`${t.server.url}/api/briefing/drill`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ filter: { scopeCode: area.a.villageCode, fromMs: 0, toMs: 1 } }),
    });
    expect(anonymous.status).toBe(401);
  });

  it('falls back to the cache, and says so, when the server cannot be asked', async () => {
    const app = apps[0];
    const report = app.service.briefing.analyse(null, null);
    await t.stop();
    const drill = await app.service.briefing.drillFromServer({
      scopeCode: area.townCode,
      fromMs: report.fromMs,
      toMs: report.toMs,
    });
    expect(drill.source).toBe('cache');
    await t.start();
  });
});
