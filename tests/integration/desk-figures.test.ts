// The case desk's 今日/本周 figures. A console's cache holds only the open cases and
// what moved since its snapshot, so rates counted there read 结案率 0.0 % over a store whose
// period closures are history rows. The server counts them over its records (history, catch-up
// segments, store cases: src-server/briefing/desk-figures.ts) for the seat's scope; the console
// keeps the last answer for offline use.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { weekOfMs } from '../../src-shared/briefing/weeks';
import { rollupScopeOf } from '../../src-shared/briefing/slice';
import { addCounts, emptyCounts, type EvaluationCounts } from '../../src-shared/domain/evaluation';
import { DAY_MS, dayOfWeek, shanghaiDayIndex, startOfDayShanghai } from '../../src-shared/domain/calendar';
import type { ScopeFigures } from '../../src-shared/desk/figures';
import type { Command } from '../../src-shared/protocol/commands';
import { accurateDispatchRate } from '../../src-shared/domain/work-rules';
import { uuidv7 } from '../../src-shared/util/ids';
import { loginConsole, settled, type TestConsoleApp } from '../support/console-harness';
import { execAs, pickArea, reportPayload } from '../support/fixtures';
import { login, startTestServer, type TestServer } from '../support/server-client';

/** The last Friday 15:00 Shanghai before now: the week holds Monday to Friday afternoon. */
function lastFridayAfternoon(): number {
  let day = startOfDayShanghai(Date.now()) - DAY_MS;
  while (dayOfWeek(shanghaiDayIndex(day)) !== 5) day -= DAY_MS;
  return day + 15 * 3_600_000;
}

const PINNED = lastFridayAfternoon();
let t: TestServer;
let city: TestConsoleApp;

beforeAll(async () => {
  // The server's clock pinned: the history is cut there, so this week has four and a half days.
  t = await startTestServer({ now: () => PINNED });
  city = await loginConsole(t.server, 'city.dispatcher');
  await settled(city);
}, 120_000);

afterAll(async () => {
  await city?.service.close();
  await t?.dispose();
});

async function figuresOf(userName: string): Promise<{ status: number; data?: ScopeFigures }> {
  const token = await login(t.server, userName);
  const res = await fetch(`${t.server.url}/api/desk/figures`, {
    headers: { authorization: `Bearer ${token}` },
  });
  const body = (await res.json()) as { data?: ScopeFigures };
  return { status: res.status, data: body.data };
}

describe('desk figures from the server', () => {
  it("counts the week's closures of the history: the rates a dispatcher would believe", async () => {
    const view = await city.service.desk.figures();
    expect(view.stale).toBe(false);
    const f = view.figures!;
    expect(f.scopeCode).toBe(t.server.ref.cityCode);
    expect(f.at).toBe(PINNED);
    const c = f.week.counts;
    // the console's cache holds only the open cases: there this week's 结案率 was 0.0 %
    expect(c.dueForClosure).toBeGreaterThanOrEqual(30);
    expect(c.closed).toBeGreaterThan(c.overdueOpen);
    expect(f.week.rates.closureRate!).toBeGreaterThanOrEqual(0.85);
    expect(f.week.rates.onTimeClosureRate!).toBeGreaterThan(0.7);
    expect(f.week.rates.onTimeClosureRate!).toBeLessThan(1);
    expect(f.week.rates.reworkRate!).toBeLessThan(0.15);
    expect(f.week.rates.onTimeDispatchRate!).toBeGreaterThan(0.6);
    // today (Friday until 15:00) is inside the week
    for (const k of Object.keys(c) as Array<keyof EvaluationCounts>) {
      if (k !== 'backlog') expect(f.today.counts[k], k).toBeLessThanOrEqual(c[k]);
    }
    expect(f.today.fromMs).toBe(startOfDayShanghai(PINNED));
  });

  it("this week's counts are the briefing's counts of the same week and scope", async () => {
    const briefing = t.server.briefing!;
    briefing.advance();
    expect(briefing.rollups.asOfMs).toBe(PINNED);
    const town = pickArea(t.server, 2).townCode;
    for (const [userName, code] of [
      ['city.dispatcher', t.server.ref.cityCode],
      [`${town}.dispatcher`, town],
    ]) {
      const answer = await figuresOf(userName);
      expect(answer.status).toBe(200);
      expect(answer.data!.scopeCode).toBe(code);
      const scope = rollupScopeOf(briefing.rollups, code)!;
      const [rollup] = briefing.rollups.evaluationCounts(weekOfMs(PINNED), 1, (v) =>
        scope.inScope[v] === 1 ? 0 : -1,
      );
      expect(answer.data!.week.counts).toEqual(rollup);
    }
  });

  it('answers each seat its own scope only, and nothing to seats that read no figures', async () => {
    const area = pickArea(t.server, 0);
    const all = await figuresOf('city.dispatcher');
    const towns = [...new Set([...t.server.ref.grids.values()].map((g) => g.townCode))].sort();
    let sum = emptyCounts();
    for (const town of towns) {
      const answer = await figuresOf(`${town}.dispatcher`);
      expect(answer.data!.scopeCode).toBe(town);
      sum = addCounts(sum, answer.data!.week.counts);
    }
    // the towns partition the city: their counts add up to the city's, none counted twice
    expect(sum).toEqual(all.data!.week.counts);
    const village = await figuresOf(`${area.a.villageCode}.operator`);
    expect(village.data!.scopeCode).toBe(area.a.villageCode);
    expect(village.data!.week.counts.reported).toBeLessThan(all.data!.week.counts.reported);
    const officer = area.a.officers[0];
    expect((await figuresOf(officer.number)).status).toBe(403);
    expect((await figuresOf('citizen.app')).status).toBe(403);
    const anonymous = await fetch(`${t.server.url}/api/desk/figures`);
    expect(anonymous.status).toBe(401);
  });

  it('counts 准确派遣率 over the scope on the server, a 退单 included; the console shows that number', async () => {
    // A case of village B (a scope no test has asked yet: answers are kept FRESH_MS per scope)
    // dispatched to a department, returned by its handler, the return approved by the town.
    const area = pickArea(t.server, 0);
    const store = t.server.commands.store;
    const user = (userName: string): string => t.server.seats.byUserName(userName)!.id;
    const exec = (userId: string, type: Command['type'], payload: Record<string, unknown>) =>
      execAs(t.server, userId, type, payload, PINNED).status;
    const handler = [...t.server.ref.officers.values()].find((o) => o.kind === 'department')!;
    const handlerUser = t.server.seats.byOfficerId(handler.id)!.id;
    const town = user(`${area.townCode}.dispatcher`);
    const id = `DF${uuidv7().slice(-10)}`;
    expect(exec(town, 'report', reportPayload(id, area.b.point))).toBe('accepted');
    expect(exec(town, 'verify', { caseId: id })).toBe('accepted');
    const assignee = { kind: 'department', id: handler.departmentCode! };
    expect(exec(town, 'dispatch', { caseId: id, assignee })).toBe('accepted');
    expect(exec(handlerUser, 'signFor', { caseId: id })).toBe('accepted');
    expect(exec(handlerUser, 'requestReturn', { caseId: id, reason: '不属本部门' })).toBe('accepted');
    expect(exec(user(`${area.townCode}.leader`), 'approveRequest', { caseId: id })).toBe('accepted');
    expect(store.get(id)).toMatchObject({ state: 'returned', returnCount: 1 });

    const answer = await figuresOf(`${area.b.villageCode}.operator`);
    expect(answer.status).toBe(200);
    const f = answer.data!;
    // the oracle: the store's cases of the village first dispatched this week (the history
    // records no returns); the returned case counts one return and no assignment waiting
    const dispatched = store
      .page(area.b.villageCode, null, 1_000_000)
      .filter((c) => c.dispatchedAt !== null && c.dispatchedAt >= f.week.fromMs);
    expect(dispatched.map((c) => c.id)).toContain(id);
    const returned = dispatched.reduce((n, c) => n + (c.returnCount ?? 0), 0);
    expect(returned).toBeGreaterThanOrEqual(1);
    expect(f.accurateDispatch!.week.returned).toBe(returned);
    const today = dispatched.filter((c) => c.dispatchedAt! >= f.today.fromMs);
    expect(f.accurateDispatch!.today.returned).toBe(today.reduce((n, c) => n + (c.returnCount ?? 0), 0));
    const week = f.accurateDispatch!.week;
    expect(week.assignments).toBeGreaterThanOrEqual(returned);
    expect(week.rate).toBeCloseTo((week.assignments - returned) / week.assignments, 12);
    expect(week.rate!).toBeLessThan(1);
    // the store's cases alone: a return awaiting re-dispatch adds no assignment
    expect(accurateDispatchRate(dispatched).returned).toBe(returned);

    // the city console shows the server's figure for its scope, not one of its own cache
    const server = await figuresOf('city.dispatcher');
    const shown = await city.service.desk.figures();
    expect(server.data!.accurateDispatch).toBeDefined();
    expect(shown.figures!.accurateDispatch).toEqual(server.data!.accurateDispatch);
  });

  it('keeps the last answer for offline use, marked stale with when it was computed', async () => {
    const online = await city.service.desk.figures();
    await t.stop();
    try {
      const deadline = Date.now() + 15_000;
      while (city.service.connection()?.status !== 'offline' && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 20));
      const offline = await city.service.desk.figures();
      expect(offline.stale).toBe(true);
      expect(offline.figures).toEqual(online.figures);
      expect(offline.fetchedAt).toBe(online.fetchedAt);
    } finally {
      await t.start();
    }
  });
});
