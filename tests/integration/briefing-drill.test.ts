// The cases behind a briefing figure come from the server (issue 18, defect 9): the history's
// closed cases included, as many as the figure counts, inside the seat's scope only; offline the
// console says it shows only what its cache holds.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isWithin } from '../../src-shared/domain/codes';
import { loginConsole, settled, type TestConsoleApp } from '../support/console-harness';
import { pickArea } from '../support/fixtures';
import { login, startTestServer, type TestServer } from '../support/server-client';

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
    await app.service.briefingStatus(true);
    const report = app.service.briefingAnalyse(null, null);
    expect(report.totals.cases).toBeGreaterThan(0);
    const week = { scopeCode: town, fromMs: report.fromMs, toMs: report.toMs };

    // The console's cache alone holds only the open cases: fewer than the figure (the old answer).
    const cached = app.service.briefingDrill(week);
    expect(cached.total).toBeLessThan(report.totals.cases);

    const drill = await app.service.briefingDrillFromServer(week, 500);
    expect(drill.source).toBe('server');
    expect(drill.total).toBe(report.totals.cases);
    expect(drill.cases.length).toBe(Math.min(500, drill.total));
    for (const c of drill.cases) {
      expect(isWithin(c.gridCode, town)).toBe(true);
      expect(c.reportedAt).toBeGreaterThanOrEqual(report.fromMs);
      expect(c.reportedAt).toBeLessThan(report.toMs);
    }
    expect(drill.cases.some((c) => c.state === 'closed')).toBe(true);
    // Newest first.
    const times = drill.cases.map((c) => c.reportedAt);
    expect([...times].sort((a, b) => b - a)).toEqual(times);

    // A category figure opens as many as it counts.
    const major = report.totals.byMajor.find((m) => m.count > 0)!;
    const byMajor = await app.service.briefingDrillFromServer({ ...week, majorCode: major.code }, 500);
    expect(byMajor.total).toBe(major.count);
    expect(byMajor.cases.every((c) => c.categoryCode.startsWith(major.code))).toBe(true);
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
    const report = app.service.briefingAnalyse(null, null);
    await t.stop();
    const drill = await app.service.briefingDrillFromServer({
      scopeCode: area.townCode,
      fromMs: report.fromMs,
      toMs: report.toMs,
    });
    expect(drill.source).toBe('cache');
    await t.start();
  });
});
