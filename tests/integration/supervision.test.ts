// 督办 orders through the real server (issue 17): a town issues a 镇督 over socket.io; the
// supervised village's seat gets it as a live push and the neighbouring village does not; the
// village's 催办 and answer paths are scoped; and on the server's own (injected) clock the
// scheduler lapses the order at its deadline and escalates it to the city as a 市督 — one event,
// pushed to the seats that see the case, repeated ticks (and a restart) lapsing nothing twice.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shanghaiMs } from '../../src-shared/domain/calendar';
import type { EventPush } from '../../src-shared/protocol/messages';
import type { Case, CaseEvent } from '../../src-shared/protocol/entities';
import { uuidv7 } from '../../src-shared/util/ids';
import { pickArea, reportPayload } from '../support/fixtures';
import {
  connectConsole,
  login,
  startTestServer,
  type TestConsole,
  type TestServer,
} from '../support/server-client';

// Monday 23 Nov 2026, 10:00 Shanghai: an ordinary working day.
let clock = shanghaiMs(2026, 11, 23, 10, 0);

describe('督办 orders on the server clock', () => {
  let t: TestServer;
  let area: ReturnType<typeof pickArea>;
  const open: TestConsole[] = [];
  const seat = async (userName: string): Promise<TestConsole> => {
    const c = await connectConsole(t.server, await login(t.server, userName));
    open.push(c);
    return c;
  };
  const caseOf = (id: string): Case => t.server.commands.store.get(id)!;
  const answerEvents = (ack: { ok: boolean; data?: unknown }): CaseEvent[] => {
    const a = ack.data as { status: string; events?: CaseEvent[]; reason?: string };
    if (a.status !== 'accepted') throw new Error(`rejected: ${a.reason}`);
    return a.events!;
  };

  beforeAll(async () => {
    t = await startTestServer({ now: () => clock, supervisionEveryMs: 3_600_000 });
    area = pickArea(t.server);
  });

  afterAll(async () => {
    for (const c of open) c.close();
    await t?.dispose();
  });

  it('a 镇督 reaches the supervised village only, lapses at its deadline and escalates to the city', async () => {
    const town = await seat(`${area.townCode}.dispatcher`);
    const villageA = await seat(`${area.a.villageCode}.operator`);
    const villageB = await seat(`${area.b.villageCode}.operator`);
    const city = await seat('city.dispatcher');
    const got = { a: [] as EventPush[], b: [] as EventPush[], city: [] as EventPush[] };
    villageA.socket.on('event', (p: EventPush) => got.a.push(p));
    villageB.socket.on('event', (p: EventPush) => got.b.push(p));
    city.socket.on('event', (p: EventPush) => got.city.push(p));

    const id = `SV${uuidv7().slice(-10)}`;
    answerEvents(await villageA.command('report', reportPayload(id, area.a.point)));
    const issued = answerEvents(
      await town.command('supervise', { caseId: id, note: '请今日内处置' }, caseOf(id).version),
    );
    expect(issued[0]).toMatchObject({
      type: 'case.supervised',
      actorId: `U-${area.townCode}-dispatcher`,
      seatId: `U-${area.townCode}-dispatcher`,
    });
    const order = caseOf(id).supervisions![0];
    // 10:00 + 4 working hours = 16:00 the same day.
    expect(order).toMatchObject({
      id: 'S1',
      level: 'town',
      targetCode: area.a.villageCode,
      dueAt: shanghaiMs(2026, 11, 23, 16, 0),
    });
    await expect
      .poll(() => got.a.filter((p) => p.event.type === 'case.supervised').length, { timeout: 5000 })
      .toBe(1);

    // The village cannot send the town's 催办; the other village cannot answer; the town can remind.
    const wrongRemind = (
      await villageA.command('remindSupervision', { caseId: id, orderId: 'S1', note: '催' })
    ).data as { status: string; code: string };
    expect(wrongRemind).toMatchObject({ status: 'rejected', code: 'FORBIDDEN' });
    const foreign = (await villageB.command('answerSupervision', { caseId: id, orderId: 'S1', text: '已办' }))
      .data as { status: string; code: string };
    // A case outside the seat's view is answered like a missing one.
    expect(foreign).toMatchObject({ status: 'rejected', code: 'NOT_FOUND' });
    clock = shanghaiMs(2026, 11, 23, 15, 0);
    answerEvents(await town.command('remindSupervision', { caseId: id, orderId: 'S1', note: '请加快' }));
    await expect
      .poll(() => got.a.some((p) => p.event.type === 'case.supervision_reminded'), { timeout: 5000 })
      .toBe(true);

    // 15:59 nothing is due; 16:00 the scheduler lapses S1 and issues the 市督 S2 to the town.
    clock = shanghaiMs(2026, 11, 23, 15, 59);
    expect(t.server.supervision.tick()).toBe(0);
    clock = shanghaiMs(2026, 11, 23, 16, 0);
    expect(t.server.supervision.tick()).toBe(1);
    expect(t.server.supervision.tick()).toBe(0);
    const [s1, s2] = caseOf(id).supervisions!;
    expect(s1).toMatchObject({ status: 'lapsed', escalatedTo: 'city', escalatedOrderId: 'S2' });
    expect(s2).toMatchObject({
      level: 'city',
      targetCode: area.townCode,
      issuedBy: 'U-system',
      dueAt: shanghaiMs(2026, 11, 24, 16, 0),
    });
    await expect
      .poll(() => got.city.some((p) => p.event.type === 'case.supervision_lapsed'), { timeout: 5000 })
      .toBe(true);
    await expect
      .poll(() => got.a.some((p) => p.event.type === 'case.supervision_lapsed'), { timeout: 5000 })
      .toBe(true);
    expect(got.b).toEqual([]);

    // The village answers late; the town answers the city's order.
    answerEvents(
      await villageA.command('answerSupervision', { caseId: id, orderId: 'S1', text: '已清理通道' }),
    );
    answerEvents(
      await town.command('answerSupervision', { caseId: id, orderId: 'S2', text: '已督促村整改' }),
    );
    expect(caseOf(id).supervisions!.map((o) => o.status)).toEqual(['answered', 'answered']);
    const lapses = t.server.events.ofCase(id).filter((e) => e.type === 'case.supervision_lapsed');
    expect(lapses).toHaveLength(1);
    expect(lapses[0]).toMatchObject({ actorRole: 'system', serverTime: shanghaiMs(2026, 11, 23, 16, 0) });
  });

  it('a lapsed 市督 is flagged to the city leader, once, across a restart', async () => {
    clock = shanghaiMs(2026, 11, 24, 9, 0);
    const city = await seat('city.dispatcher');
    const village = await seat(`${area.a.villageCode}.operator`);
    const id = `SV${uuidv7().slice(-10)}`;
    answerEvents(await village.command('report', reportPayload(id, area.a.point)));
    answerEvents(
      await city.command(
        'supervise',
        { caseId: id, note: '市督：限时办结', limit: { unit: 'working_hours', value: 1 } },
        caseOf(id).version,
      ),
    );
    expect(caseOf(id).supervisions![0]).toMatchObject({
      level: 'city',
      targetCode: area.townCode,
      dueAt: shanghaiMs(2026, 11, 24, 10, 0),
    });
    for (const c of open.splice(0)) c.close();
    clock = shanghaiMs(2026, 11, 24, 10, 5);
    await t.restart();
    expect(t.server.supervision.tick()).toBe(1);
    expect(caseOf(id).supervisions).toEqual([
      expect.objectContaining({ status: 'lapsed', escalatedTo: 'city_leader', lapsedAt: clock }),
    ]);
    expect(t.server.supervision.tick()).toBe(0);
  });
});
