// The reference dispatch server over a real socket.io connection on a random loopback port:
// dedupe, the dispatch race, separation rules, jurisdiction, restart durability.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Case, CaseEvent } from '../../src-shared/protocol/entities';
import type { CommandAnswer } from '../../src-shared/protocol/commands';
import type { CatchUpPage, EventPush, SnapshotPage } from '../../src-shared/protocol/messages';
import { uuidv7 } from '../../src-shared/util/ids';
import { closingChecklist } from '../../src-shared/domain/work-rules';
import {
  connectConsole,
  login,
  startTestServer,
  type TestConsole,
  type TestServer,
} from '../support/server-client';
import { pickArea, reportPayload } from '../support/fixtures';

let t: TestServer;
let area: ReturnType<typeof pickArea>;
let town: TestConsole; // town dispatcher
let city: TestConsole; // city dispatcher
let villageA: TestConsole; // operator of village a
let villageB: TestConsole; // operator of village b
let checker: TestConsole; // town checker
let seq = 0;
const newCaseId = (): string => `T${Date.now().toString(36)}${(seq++).toString(36)}`;

function answerOf(ack: { ok: boolean; data?: unknown; error?: unknown }): CommandAnswer {
  expect(ack.ok, JSON.stringify(ack.error)).toBe(true);
  return ack.data as CommandAnswer;
}

function caseOf(answer: CommandAnswer): Case {
  expect(answer.status, JSON.stringify(answer)).toBe('accepted');
  if (answer.status !== 'accepted') throw new Error('rejected');
  return answer.events[answer.events.length - 1].payload.case as Case;
}

async function officerConsole(officerNumber: string): Promise<TestConsole> {
  return connectConsole(t.server, await login(t.server, officerNumber));
}

/** A registered case in village a, reported by the village operator. */
async function registeredCase(): Promise<Case> {
  const reported = caseOf(
    answerOf(await villageA.command('report', reportPayload(newCaseId(), area.a.point))),
  );
  return caseOf(answerOf(await villageA.command('verify', { caseId: reported.id }, reported.version)));
}

beforeAll(async () => {
  t = await startTestServer();
  area = pickArea(t.server);
  const s = t.server;
  [town, city, villageA, villageB, checker] = await Promise.all([
    login(s, `${area.townCode}.dispatcher`).then((tok) => connectConsole(s, tok)),
    login(s, 'city.dispatcher').then((tok) => connectConsole(s, tok)),
    login(s, `${area.a.villageCode}.operator`).then((tok) => connectConsole(s, tok)),
    login(s, `${area.b.villageCode}.operator`).then((tok) => connectConsole(s, tok)),
    login(s, `${area.townCode}.checker`).then((tok) => connectConsole(s, tok)),
  ]);
});

afterAll(async () => {
  for (const c of [town, city, villageA, villageB, checker]) c?.close();
  await t?.dispose();
});

describe('commands are idempotent by commandId', () => {
  it('the same command sent twice has one effect and both answers are equal', async () => {
    const caseId = newCaseId();
    const commandId = uuidv7();
    const headBefore = t.server.events.headSeq();
    const first = answerOf(
      await villageA.command('report', reportPayload(caseId, area.a.point), null, commandId),
    );
    const second = answerOf(
      await villageA.command('report', reportPayload(caseId, area.a.point), null, commandId),
    );
    expect(second).toEqual(first);
    expect(first.status).toBe('accepted');
    expect(t.server.events.headSeq()).toBe(headBefore + 1);
    expect(t.server.events.ofCase(caseId)).toHaveLength(1);
  });

  it('a repeated rejected command gets the same rejection', async () => {
    const commandId = uuidv7();
    const a = answerOf(await villageA.command('verify', { caseId: 'NO-SUCH-CASE' }, 0, commandId));
    const b = answerOf(await villageA.command('verify', { caseId: 'NO-SUCH-CASE' }, 0, commandId));
    expect(a).toMatchObject({ status: 'rejected', code: 'NOT_FOUND' });
    expect(b).toEqual(a);
  });

  it("a commandId reused by another client is refused, not answered with someone else's answer", async () => {
    const commandId = uuidv7();
    answerOf(await villageA.command('verify', { caseId: 'NO-SUCH-CASE' }, 0, commandId));
    const other = answerOf(await town.command('verify', { caseId: 'NO-SUCH-CASE' }, 0, commandId));
    expect(other).toMatchObject({ status: 'rejected', code: 'COMMAND_ID_REUSED', current: null });
  });
});

describe('two dispatchers race to dispatch one case', () => {
  it('exactly one wins; the other gets ALREADY_ASSIGNED naming the winner', async () => {
    for (let round = 0; round < 5; round++) {
      const c = await registeredCase();
      const [o1, o2] = area.a.officers;
      const [ra, rb] = await Promise.all([
        town.command('dispatch', { caseId: c.id, assignee: { kind: 'officer', id: o1.id } }, c.version),
        city.command('dispatch', { caseId: c.id, assignee: { kind: 'officer', id: o2.id } }, c.version),
      ]);
      const answers = [answerOf(ra), answerOf(rb)];
      const winners = answers.filter((a) => a.status === 'accepted');
      const losers = answers.filter((a) => a.status === 'rejected');
      expect(winners).toHaveLength(1);
      expect(losers).toHaveLength(1);
      const won = caseOf(winners[0]);
      const lost = losers[0];
      if (lost.status !== 'rejected') throw new Error('unreachable');
      expect(lost.code).toBe('ALREADY_ASSIGNED');
      const winnerName =
        won.assignedBy === t.server.seats.byUserName('city.dispatcher')?.id
          ? '东莞市指挥中心调度员'
          : t.server.seats.byUserName(`${area.townCode}.dispatcher`)?.displayName;
      expect(lost.details?.byName).toBe(winnerName);
      expect(lost.reason).toContain(winnerName);
      expect(lost.details?.at).toBe(won.assignedAt);
      expect(lost.current?.assignee).toEqual(won.assignee);
      expect(t.server.events.ofCase(c.id).filter((e) => e.type === 'case.dispatched')).toHaveLength(1);
    }
  });

  it('repeating the current assignment is a no-op success; changing it needs reassign', async () => {
    const c = await registeredCase();
    const [o1, o2] = area.a.officers;
    const won = caseOf(
      answerOf(
        await town.command('dispatch', { caseId: c.id, assignee: { kind: 'officer', id: o1.id } }, c.version),
      ),
    );
    const again = answerOf(
      await city.command('dispatch', { caseId: c.id, assignee: { kind: 'officer', id: o1.id } }, c.version),
    );
    expect(again).toMatchObject({ status: 'accepted', noop: true, events: [] });
    const re = answerOf(
      await city.command(
        'reassign',
        { caseId: c.id, assignee: { kind: 'officer', id: o2.id }, reason: '原网格员请假' },
        won.version,
      ),
    );
    expect(caseOf(re).assignee).toEqual({ kind: 'officer', id: o2.id });
  });
});

describe('separation rules 采办分离 are enforced by the server', () => {
  it('refuses to dispatch a case to the officer who reported it', async () => {
    const [reporter, other] = area.a.officers;
    const phone = await officerConsole(reporter.number);
    try {
      const reported = caseOf(
        answerOf(
          await phone.command('report', reportPayload(newCaseId(), area.a.point, { source: 'patrol' })),
        ),
      );
      expect(reported.reporterId).toBe(reporter.id);
      const verified = caseOf(
        answerOf(await town.command('verify', { caseId: reported.id }, reported.version)),
      );
      const refused = answerOf(
        await town.command(
          'dispatch',
          { caseId: reported.id, assignee: { kind: 'officer', id: reporter.id } },
          verified.version,
        ),
      );
      expect(refused).toMatchObject({ status: 'rejected', code: 'SEPARATION_VIOLATION' });
      const ok = answerOf(
        await town.command(
          'dispatch',
          { caseId: reported.id, assignee: { kind: 'officer', id: other.id } },
          verified.version,
        ),
      );
      expect(ok.status).toBe('accepted');
    } finally {
      phone.close();
    }
  });

  it('refuses a close by the reporter, and by anyone while the handler has not given feedback', async () => {
    const c = await registeredCase(); // reported by the village operator
    const handler = area.a.officers[2];
    const dispatched = caseOf(
      answerOf(
        await town.command(
          'dispatch',
          { caseId: c.id, assignee: { kind: 'officer', id: handler.id } },
          c.version,
        ),
      ),
    );
    const early = answerOf(await checker.command('close', { caseId: c.id }, dispatched.version));
    expect(early).toMatchObject({ status: 'rejected', code: 'INVALID_TRANSITION' });
    const phone = await officerConsole(handler.number);
    try {
      const signed = caseOf(answerOf(await phone.command('signFor', { caseId: c.id }, dispatched.version)));
      // 一查一拍: feedback without an after-photo is refused (issue 17)
      const noPhoto = answerOf(
        await phone.command(
          'feedback',
          { caseId: c.id, result: '已清理通道', afterPhotos: [] },
          signed.version,
        ),
      );
      expect(noPhoto).toMatchObject({ status: 'rejected', details: { rule: 'MISSING_PHOTO' } });
      const fed = caseOf(
        answerOf(
          await phone.command(
            'feedback',
            { caseId: c.id, result: '已清理通道', afterPhotos: ['af'.repeat(32)] },
            signed.version,
          ),
        ),
      );
      const checklist = closingChecklist(t.server.ref.categories.get(c.categoryCode)!.closingStandard);
      const byReporter = answerOf(await villageA.command('close', { caseId: c.id, checklist }, fed.version));
      expect(byReporter).toMatchObject({ status: 'rejected', code: 'SEPARATION_VIOLATION' });
      const byHandler = answerOf(await phone.command('close', { caseId: c.id, checklist }, fed.version));
      expect(byHandler.status).toBe('rejected');
      // the 结案条件 checklist, every item confirmed, or no close (issue 17)
      const unchecked = answerOf(
        await checker.command('close', { caseId: c.id, checklist: checklist.slice(1) }, fed.version),
      );
      expect(unchecked).toMatchObject({ status: 'rejected', details: { rule: 'CHECKLIST_INCOMPLETE' } });
      const closed = caseOf(
        answerOf(await checker.command('close', { caseId: c.id, checklist }, fed.version)),
      );
      expect(closed.state).toBe('closed');
      // Closed is final: a late action is refused with a reason; closing again is a no-op.
      const late = answerOf(await town.command('supervise', { caseId: c.id, note: '督办' }, closed.version));
      expect(late).toMatchObject({ status: 'rejected', code: 'CASE_CLOSED' });
      expect(answerOf(await checker.command('close', { caseId: c.id }, closed.version))).toMatchObject({
        status: 'accepted',
        noop: true,
      });
    } finally {
      phone.close();
    }
  });

  it('only the current assignee may sign for a case', async () => {
    const c = await registeredCase();
    const [o1, o2] = area.a.officers;
    const d = caseOf(
      answerOf(
        await town.command('dispatch', { caseId: c.id, assignee: { kind: 'officer', id: o1.id } }, c.version),
      ),
    );
    const phone = await officerConsole(o2.number);
    try {
      expect(answerOf(await phone.command('signFor', { caseId: c.id }, d.version))).toMatchObject({
        status: 'rejected',
        code: 'NOT_ASSIGNEE',
      });
    } finally {
      phone.close();
    }
  });
});

describe('a village seat sees and acts only within its village', () => {
  it('cannot act on a case of another village, nor report outside its village', async () => {
    const inB = caseOf(answerOf(await villageB.command('report', reportPayload(newCaseId(), area.b.point))));
    const refused = answerOf(await villageA.command('verify', { caseId: inB.id }, inB.version));
    // A case outside the seat's view is answered like a missing one (issue 14): no current.
    expect(refused).toMatchObject({ status: 'rejected', code: 'NOT_FOUND', current: null });
    const outside = answerOf(await villageA.command('report', reportPayload(newCaseId(), area.b.point)));
    expect(outside).toMatchObject({ status: 'rejected', code: 'OUT_OF_SCOPE' });
    // The town above both may act.
    expect(answerOf(await town.command('verify', { caseId: inB.id }, inB.version)).status).toBe('accepted');
  });

  it('snapshots and catch-up return only its own village', async () => {
    const snap = await villageA.request<SnapshotPage>('sync.snapshot', { kind: 'cases', cursor: null });
    expect(snap.ok).toBe(true);
    const cases = snap.data!.items as Case[];
    expect(cases.length).toBeGreaterThan(0);
    expect(cases.every((c) => c.villageCode === area.a.villageCode)).toBe(true);
    const grids = await villageA.request<SnapshotPage>('sync.snapshot', { kind: 'grids', cursor: null });
    expect(
      (grids.data!.items as { villageCode: string }[]).every((g) => g.villageCode === area.a.villageCode),
    ).toBe(true);
    const cameras = await villageA.request<SnapshotPage>('sync.snapshot', { kind: 'cameras', cursor: null });
    expect(
      (cameras.data!.items as { gridCode: string }[]).every((c) => c.gridCode.startsWith(area.a.villageCode)),
    ).toBe(true);
    const events = await villageA.request<CatchUpPage>('sync.catchUp', { after: 0 });
    expect(events.data!.events.length).toBeGreaterThan(0);
    expect(events.data!.events.every((e) => e.scope.villageCode === area.a.villageCode)).toBe(true);
    const all = await city.request<CatchUpPage>('sync.catchUp', { after: 0 });
    expect(all.data!.events.some((e) => e.scope.villageCode === area.b.villageCode)).toBe(true);
  });

  it('receives live pushes of its own village only, each carrying the previous seq of its scope', async () => {
    const gotA: EventPush[] = [];
    const gotTown: EventPush[] = [];
    villageA.socket.on('event', (p: EventPush) => gotA.push(p));
    town.socket.on('event', (p: EventPush) => gotTown.push(p));
    const lastA = (await villageA.request<CatchUpPage>('sync.catchUp', { after: 0, limit: 50_000 })).data!
      .watermark;
    const inB = caseOf(answerOf(await villageB.command('report', reportPayload(newCaseId(), area.b.point))));
    const inA = caseOf(answerOf(await villageA.command('report', reportPayload(newCaseId(), area.a.point))));
    await expect.poll(() => gotTown.length, { timeout: 5000 }).toBe(2);
    await expect.poll(() => gotA.length, { timeout: 5000 }).toBe(1);
    expect(gotA[0].event.caseId).toBe(inA.id);
    expect(gotA[0].prevSeq).toBe(lastA);
    expect(gotTown.map((p) => p.event.caseId)).toEqual([inB.id, inA.id]);
    expect(gotTown[1].prevSeq).toBe(gotTown[0].event.seq);
  });
});

describe('durability', () => {
  it('a restart keeps the log and the state intact', async () => {
    const c = await registeredCase();
    const before = {
      head: t.server.events.headSeq(),
      events: t.server.db.prepare('SELECT seq, json FROM events ORDER BY seq').all(),
      cases: t.server.db.prepare('SELECT id, json FROM cases ORDER BY id').all(),
    };
    const commandId = uuidv7();
    const first = answerOf(
      await town.command(
        'dispatch',
        { caseId: c.id, assignee: { kind: 'officer', id: area.a.officers[0].id } },
        c.version,
        commandId,
      ),
    );
    const afterFirst = t.server.events.headSeq();
    for (const k of [town, city, villageA, villageB, checker]) k.close();
    const s = await t.restart();
    expect(s.events.headSeq()).toBe(afterFirst);
    expect(s.db.prepare('SELECT seq, json FROM events WHERE seq <= ? ORDER BY seq').all(before.head)).toEqual(
      before.events,
    );
    expect(s.commands.store.get(c.id)).toEqual(caseOf(first));
    // The stored answer survives too: a retry after the restart is answered, not re-applied.
    const dispatcher = await connectConsole(s, await login(s, `${area.townCode}.dispatcher`), town.clientId);
    const retry = answerOf(
      await dispatcher.command(
        'dispatch',
        { caseId: c.id, assignee: { kind: 'officer', id: area.a.officers[0].id } },
        c.version,
        commandId,
      ),
    );
    expect(retry).toEqual(first);
    expect(s.events.headSeq()).toBe(afterFirst);
    // Sessions survive a restart, and new events continue the sequence.
    const next = answerOf(
      await dispatcher.command('supervise', { caseId: c.id, note: '请加快处置' }, caseOf(first).version),
    );
    expect((next as { events: CaseEvent[] }).events[0].seq).toBe(afterFirst + 1);
    dispatcher.close();
    expect(before.cases.length).toBeGreaterThan(0);
  });

  it('the event log is append-only in the database itself', () => {
    expect(() => t.server.db.prepare('UPDATE events SET type = ? WHERE seq = 1').run('x')).toThrow(
      /append-only/,
    );
    expect(() => t.server.db.prepare('DELETE FROM events WHERE seq = 1').run()).toThrow(/append-only/);
  });
});
