// Simulated desks (issue 16) inside a real server (random loopback port, temp data dir, the small
// demo dataset) at high speed: village, town and city seats nobody is logged into verify,
// dispatch and check the cases through the command path — with wrong dispatches returned and
// re-dispatched, and reworks — while a seat a person is logged into is left to that person.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shanghaiMs } from '../../src-shared/domain/calendar';
import type { Case, CaseEvent, SupervisionOrder } from '../../src-shared/protocol/entities';
import { answeringSeat } from '../../src-server/simulator/desk-supervision';
import { uuidv7 } from '../../src-shared/util/ids';
import { distanceM } from '../../src-shared/desk/recommend';
import { levelAllows } from '../../src-shared/domain/handling-units';
import { FieldSimulator, readCategoryWeights } from '../../src-server/simulator/field-simulator';
import { SMALL_DATASET_DIR } from '../support/datasets';
import { pointInGrid } from '../support/fixtures';
import { login, startTestServer, type TestServer } from '../support/server-client';

describe('simulated desks', () => {
  let t: TestServer;
  let sim: FieldSimulator;
  let heldVillage: string;
  let heldCaseId: string;
  let freeCaseId: string;
  let startSeq = 0;

  const caseOf = (id: string): Case | null => {
    const row = t.server.db.prepare('SELECT json FROM cases WHERE id = ?').get(id) as
      { json: string } | undefined;
    return row ? (JSON.parse(row.json) as Case) : null;
  };
  const eventsSinceStart = (): CaseEvent[] => {
    const out: CaseEvent[] = [];
    let after = startSeq;
    for (;;) {
      const r = t.server.events.after(t.server.ref.cityCode, after, 5_000);
      out.push(...r.events);
      after = r.watermark;
      if (!r.more) return out;
    }
  };
  /** A citizen report in `gridCode`, through the command path. */
  const report = (gridCode: string): string => {
    const [lon, lat] = pointInGrid(t.server, gridCode);
    const category = [...t.server.ref.categories.values()].find((c) => c.departmentCode !== 'grid')!;
    const caseId = `C-${uuidv7(Date.now())}`;
    const answer = t.server.execute('U-citizen', 'test-citizen', {
      commandId: uuidv7(Date.now()),
      clientId: 'test-citizen',
      type: 'report',
      payload: {
        caseId,
        categoryCode: category.code,
        source: 'citizen',
        description: '群众反映：测试',
        address: '测试地址',
        lon,
        lat,
        photos: [],
      },
      baseVersion: null,
      clientTime: Date.now(),
    });
    expect(answer.status).toBe('accepted');
    return caseId;
  };

  beforeAll(async () => {
    t = await startTestServer();
    const grids = [...t.server.ref.grids.values()].sort((a, b) => a.code.localeCompare(b.code));
    const held = grids[0];
    const free = grids.find((g) => g.villageCode !== held.villageCode)!;
    heldVillage = held.villageCode;
    // A person sits at the held village's seat.
    await login(t.server, `${heldVillage}.operator`);
    startSeq = t.server.events.headSeq();
    sim = new FieldSimulator(t.server, {
      seed: 'desk-test',
      speed: 600, // ten simulated minutes a second
      rateFactor: 0.05,
      simStart: shanghaiMs(2026, 3, 4, 9, 0), // a Wednesday morning
      tickMs: 200,
      fixIntervalMs: 2_000,
      handlingScale: 0.05,
      deskDelayScale: 0.2,
      deskMistakes: { wrongDispatch: 0.5, rework: 0.3 },
      deskSupervisionRate: 0.5, // 督办 on half the dispatches, to see orders issued and answered
      deskUnits: { passUp: 0.5, joint: 0.5 }, // town matters passed up and joint dispatches, to see them

      echoScale: 8, // the public's repeat reports (一事多报), raised to see them merged in a minute
      workBacklog: false,
      categoryWeights: readCategoryWeights(SMALL_DATASET_DIR),
      log: () => undefined,
    });
    sim.start(); // reacts to what is committed from now on (workBacklog off)
    heldCaseId = report(held.code);
    freeCaseId = report(free.code);
  }, 120_000);

  afterAll(async () => {
    sim?.stop();
    await t?.dispose();
  });

  it('verifies and dispatches a report of a seat nobody holds, as that seat', async () => {
    // The seat's desk settles the report: verified and dispatched — or, now and then, voided
    // (VOID_RATE) or merged into an earlier report nearby (一事多报); either way as that seat.
    try {
      await expect
        .poll(
          () => {
            const c = caseOf(freeCaseId);
            return c !== undefined && c !== null && (c.dispatchedAt !== null || c.state === 'voided');
          },
          { timeout: 90_000, interval: 200 },
        )
        .toBe(true);
    } catch (e) {
      // Say where the report stands, so a failure names the step that did not come.
      const c = caseOf(freeCaseId);
      console.log(
        `report ${freeCaseId}: ${c?.state} holder ${c?.holderCode} category ${c?.categoryCode}; events`,
        eventsSinceStart()
          .filter((x) => x.caseId === freeCaseId)
          .map((x) => `${x.type} by ${x.actorId}`),
        'desk stats',
        sim.deskStats,
      );
      throw e;
    }
    const mine = eventsSinceStart().filter((e) => e.caseId === freeCaseId && e.type !== 'case.reported');
    const holder = caseOf(freeCaseId)!.villageCode;
    expect(mine.length).toBeGreaterThan(0);
    expect(mine[0].actorId).toBe(`U-${holder}-operator`);
    if (caseOf(freeCaseId)!.state !== 'voided') {
      const verified = mine.find((e) => e.type === 'case.verified');
      const dispatched = mine.find((e) => e.type === 'case.dispatched');
      expect(verified?.actorId).toBe(`U-${holder}-operator`);
      // a town matter the village passed up (权责清单) is dispatched by the town's desk
      const passedUp = mine.find((e) => e.type === 'case.escalated');
      if (passedUp) expect(passedUp.actorId).toBe(`U-${holder}-operator`);
      expect(dispatched?.actorId).toBe(
        passedUp ? `U-${holder.slice(0, 9)}-dispatcher` : `U-${holder}-operator`,
      );
    }
  });

  it('sends village committees and town departments what the 权责清单 gives them, jointly now and then', async () => {
    await expect
      .poll(() => sim.deskStats!.jointDispatches, { timeout: 150_000, interval: 500 })
      .toBeGreaterThan(0);
    const units = t.server.ref.departments;
    const dispatches = eventsSinceStart().filter((e) => e.type === 'case.dispatched');
    const toUnits = dispatches.filter((e) => units.get((e.payload.case as Case).assignee!.id)?.level);
    expect(toUnits.length).toBeGreaterThan(0);
    for (const e of toUnits) {
      const c = e.payload.case as Case;
      const unit = units.get(c.assignee!.id)!;
      // the unit's area holds the case, and the level is one the list allows
      expect(c.gridCode.startsWith(unit.scopeCode!)).toBe(true);
      expect(levelAllows(c.categoryCode, unit.level!)).toBe(true);
    }
    const joint = dispatches.filter((e) => (e.payload.coUnits as string[] | undefined)?.length);
    expect(joint.length).toBeGreaterThan(0);
    for (const e of joint) {
      const c = e.payload.case as Case;
      // led by a town department, dispatched by the town's desk, the village's committee assisting
      expect(units.get(c.assignee!.id)!.level).toBe('town');
      expect(e.actorId).toBe(`U-${c.townCode}-dispatcher`);
      expect(c.coUnits).toContain(`v${c.villageCode}`);
    }
  });

  it('issues 督办 orders from the duty leaders and answers them as the supervised unit', async () => {
    await expect
      .poll(() => sim.supervisionStats!.answered, { timeout: 150_000, interval: 500 })
      .toBeGreaterThan(0);
    const events = eventsSinceStart();
    const issued = events.filter((e) => e.type === 'case.supervised');
    expect(issued.length).toBeGreaterThan(0);
    for (const e of issued) {
      const order = e.payload.order as SupervisionOrder;
      expect(e.actorId).toBe(order.level === 'city' ? 'U-city-leader' : `U-${order.issuerCode}-leader`);
      expect(order.targetCode).toBe(
        order.level === 'city' ? (e.payload.case as Case).townCode : (e.payload.case as Case).villageCode,
      );
    }
    for (const e of events.filter((x) => x.type === 'case.supervision_answered')) {
      const order = (e.payload.case as Case).supervisions!.find((o) => o.id === e.payload.orderId)!;
      expect(e.actorId).toBe(answeringSeat(order));
      // the village a person holds answers nothing through the simulator
      expect(e.actorId).not.toBe(`U-${heldVillage}-operator`);
    }
  });

  it('merges the public’s repeat reports (一事多报) into the earlier case: same category, ≤ 100 m', async () => {
    await expect.poll(() => sim.deskStats!.merged, { timeout: 120_000, interval: 500 }).toBeGreaterThan(0);
    expect(sim.stats.echoes).toBeGreaterThan(0);
    const merges = eventsSinceStart().filter((e) => e.type === 'case.merged');
    expect(merges.length).toBeGreaterThan(0);
    for (const e of merges) {
      const dup = e.payload.case as Case;
      const primary = t.server.commands.store.numbers.find(dup.mergedInto!)!;
      expect(dup.state).toBe('voided');
      expect(primary.categoryCode).toBe(dup.categoryCode);
      expect(primary.reportedAt).toBeLessThanOrEqual(dup.reportedAt);
      expect(distanceM(dup.lon, dup.lat, primary.lon, primary.lat)).toBeLessThanOrEqual(100);
      // Merged as the seat holding the report, which is not the seat a person holds.
      expect(e.actorId).toMatch(/^U-(\d{9}|\d{12}|city)-(operator|dispatcher)$/);
      expect(e.actorId).not.toBe(`U-${heldVillage}-operator`);
      expect(primary.mergedFrom?.some((m) => m.number === dup.number)).toBe(true);
    }
  });

  it('leaves the seat a person is logged into to that person', async () => {
    await expect
      .poll(() => sim.deskStats!.leftToPerson, { timeout: 60_000, interval: 200 })
      .toBeGreaterThan(0);
    const c = caseOf(heldCaseId)!;
    expect(c.state).toBe('reported');
    const byHeldSeat = eventsSinceStart().filter((e) => e.actorId === `U-${heldVillage}-operator`);
    expect(byHeldSeat).toEqual([]);
  });

  it('checks and closes handled cases as the town checker, with reworks, and re-dispatches wrong dispatches returned', async () => {
    await expect
      .poll(
        () => {
          const s = sim.deskStats!;
          return s.closed > 0 && s.reworked > 0 && s.redispatched > 0;
        },
        { timeout: 120_000, interval: 500 },
      )
      .toBe(true);
    const events = eventsSinceStart();
    const closed = events.filter((e) => e.type === 'case.closed');
    expect(closed.length).toBeGreaterThan(0);
    for (const e of closed) {
      expect(e.actorId).toMatch(/^U-(\d{9}|city)-checker$/);
      const c = caseOf(e.caseId)!;
      expect(e.actorId).toBe(c.holderCode.length >= 9 ? `U-${c.townCode}-checker` : 'U-city-checker');
    }
    // a wrong dispatch came back (退单: the handler asked, the town's duty leader approved, issue
    // 17) and went out again, to the category's department
    const isReturn = (e: CaseEvent): boolean =>
      e.type === 'case.request_approved' && (e.payload.request as { kind: string }).kind === 'return';
    const approvals = events.filter(isReturn);
    expect(approvals.length).toBeGreaterThan(0);
    for (const e of approvals) {
      const c = caseOf(e.caseId)!;
      expect(e.actorId).toBe(c.holderCode.length >= 9 ? `U-${c.townCode}-leader` : 'U-city-leader');
      expect(e.seatId).toBe(e.actorId);
      const asked = events.find((r) => r.type === 'case.requested' && r.caseId === e.caseId && r.seq < e.seq);
      expect(asked?.actorRole).toBe('handler');
    }
    const returned = approvals.map((e) => e.caseId);
    const again = events.filter(
      (e) =>
        e.type === 'case.dispatched' &&
        returned.includes(e.caseId) &&
        e.seq > events.find((r) => isReturn(r) && r.caseId === e.caseId)!.seq,
    );
    expect(again.length).toBeGreaterThan(0);
    // A re-dispatch goes to the category's bureau, or to the local unit the 权责清单 allows
    // (village committee, town department) — unless the desk errs again (a wrong dispatch can
    // happen on any dispatch, WRONG_DISPATCH_RATE): most of them, not every one.
    const right = again.filter((e) => {
      const c = e.payload.case as Case;
      const dep = t.server.ref.categories.get(c.categoryCode)!.departmentCode;
      const a = c.assignee;
      if (a?.kind !== 'department') return false;
      const unit = t.server.ref.departments.get(a.id);
      return (
        a.id === dep ||
        (unit?.level !== undefined &&
          c.gridCode.startsWith(unit.scopeCode!) &&
          levelAllows(c.categoryCode, unit.level))
      );
    });
    expect(right.length / again.length).toBeGreaterThanOrEqual(0.5);
    expect(events.some((e) => e.type === 'case.reworked' && /^U-.*-checker$/.test(e.actorId))).toBe(true);
  });
});

describe('simulated desks turned off', () => {
  it('leaves every report where it is', async () => {
    const t = await startTestServer();
    try {
      const sim = new FieldSimulator(t.server, {
        seed: 'desk-off',
        speed: 600,
        rateFactor: 0.05,
        simStart: shanghaiMs(2026, 3, 4, 9, 0),
        tickMs: 200,
        desks: false,
        workBacklog: false,
        log: () => undefined,
      });
      const start = t.server.events.headSeq();
      sim.start();
      // wait until the field has reported a few cases and a simulated hour has passed
      await expect.poll(() => sim.stats.reported, { timeout: 60_000, interval: 200 }).toBeGreaterThan(2);
      await expect.poll(() => sim.stats.ticks, { timeout: 60_000, interval: 200 }).toBeGreaterThan(40);
      sim.stop();
      expect(sim.deskStats).toBeNull();
      const desk = t.server.events
        .after(t.server.ref.cityCode, start, 5_000)
        .events.filter((e) =>
          ['case.verified', 'case.dispatched', 'case.closed', 'case.voided'].includes(e.type),
        );
      expect(desk).toEqual([]);
    } finally {
      await t.dispose();
    }
  }, 120_000);
});
