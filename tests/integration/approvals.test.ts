// Approvals through the whole command path: a department handler asks for 缓办 on the
// phone path; the town's duty leader approves it from a real console (DataService, SQLite cache
// and outbox) while its link is down — the outbox predicts the suspension with the shared rules —
// and the server confirms it after the link comes back, with the leader as actor and seat. The
// leader of another town is refused, by the console already and by the server.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Command } from '../../src-shared/protocol/commands';
import type { Case } from '../../src-shared/protocol/entities';
import { uuidv7 } from '../../src-shared/util/ids';
import { loginConsole, settled, type TestConsoleApp } from '../support/console-harness';
import { execAs, pickArea, reportPayload } from '../support/fixtures';
import { startTestServer, type TestServer } from '../support/server-client';

describe('a 缓办 request approved from a console offline', () => {
  let t: TestServer;
  let leader: TestConsoleApp;
  let area: ReturnType<typeof pickArea>;
  const consoles: TestConsoleApp[] = [];

  const caseOf = (id: string): Case => t.server.commands.store.get(id)!;
  const exec = (userId: string, type: Command['type'], payload: Record<string, unknown>) =>
    execAs(t.server, userId, type, payload);
  const user = (userName: string): string => t.server.seats.byUserName(userName)!.id;

  beforeAll(async () => {
    t = await startTestServer();
    area = pickArea(t.server);
    leader = await loginConsole(t.server, `${area.townCode}.leader`, undefined, () => 1);
    consoles.push(leader);
    await settled(leader);
  });

  afterAll(async () => {
    for (const c of consoles) await c.service.close();
    await t?.dispose();
  });

  /** A case of village A dispatched by the town to a department, signed for by one of its handlers. */
  function handledByDepartment(): { id: string; handlerUser: string } {
    const handler = [...t.server.ref.officers.values()].find((o) => o.kind === 'department')!;
    const handlerUser = t.server.seats.byOfficerId(handler.id)!.id;
    const id = `AP${uuidv7().slice(-10)}`;
    const town = user(`${area.townCode}.dispatcher`);
    expect(exec(town, 'report', reportPayload(id, area.a.point)).status).toBe('accepted');
    expect(exec(town, 'verify', { caseId: id }).status).toBe('accepted');
    const assignee = { kind: 'department', id: handler.departmentCode! };
    expect(exec(town, 'dispatch', { caseId: id, assignee }).status).toBe('accepted');
    expect(exec(handlerUser, 'signFor', { caseId: id }).status).toBe('accepted');
    return { id, handlerUser };
  }

  it('predicts the approval offline, confirms it online, with the leader as actor and seat', async () => {
    const { id, handlerUser } = handledByDepartment();
    expect(exec(handlerUser, 'requestSuspend', { caseId: id, reason: '等待业主' }).status).toBe('accepted');
    const dueBefore = caseOf(id).dueAt;
    expect(dueBefore).not.toBeNull();
    await expect
      .poll(() => leader.service.cases.detail(id).case?.request?.kind ?? null, { timeout: 15_000 })
      .toBe('suspend');

    leader.link!.cut();
    const version = leader.service.cases.detail(id).case!.version;
    const queued = leader.service.cases.queue('approveRequest', { caseId: id }, version);
    expect(queued.ok).toBe(true);
    // the outbox's prediction: suspended, no deadline while paused; the server has not heard of it
    expect(leader.service.cases.detail(id).case).toMatchObject({
      state: 'suspended',
      dueAt: null,
      request: null,
    });
    expect(caseOf(id).state).toBe('handling');

    leader.link!.restore();
    await settled(leader);
    const server = caseOf(id);
    expect(server).toMatchObject({ state: 'suspended', request: null });
    const approval = t.server.events.ofCase(id).find((e) => e.type === 'case.request_approved')!;
    expect(approval).toMatchObject({
      actorId: user(`${area.townCode}.leader`),
      actorRole: 'duty_leader',
      seatId: user(`${area.townCode}.leader`),
    });
    expect(approval.clientTime).not.toBeNull();
    expect(approval.payload.request).toMatchObject({ kind: 'suspend', reason: '等待业主' });

    // the handler resumes: the deadline comes back, moved by the time it was suspended
    expect(exec(handlerUser, 'resume', { caseId: id }).status).toBe('accepted');
    const resumed = caseOf(id);
    const s = resumed.suspensions[0];
    expect(resumed.state).toBe('handling');
    expect(resumed.dueAt).not.toBeNull();
    expect(resumed.dueAt!).toBeGreaterThanOrEqual(dueBefore!);
    expect(s.toMs! - s.fromMs).toBeGreaterThanOrEqual(0);
    await expect
      .poll(() => leader.service.cases.detail(id).case?.state, { timeout: 15_000 })
      .toBe('handling');
  });

  it("refuses another town's leader: at once on its console, and on the server", async () => {
    const { id, handlerUser } = handledByDepartment();
    expect(exec(handlerUser, 'requestReturn', { caseId: id, reason: '不属本部门' }).status).toBe('accepted');
    const other = pickArea(t.server, 1).townCode;
    expect(other).not.toBe(area.townCode);
    const answer = exec(user(`${other}.leader`), 'approveRequest', { caseId: id });
    // a case outside the seat's view is answered as if it did not exist
    expect(answer).toMatchObject({ status: 'rejected', code: 'NOT_FOUND', current: null });
    const city = exec(user('city.leader'), 'approveRequest', { caseId: id });
    expect(city).toMatchObject({ status: 'rejected', code: 'OUT_OF_SCOPE' });
    expect(caseOf(id)).toMatchObject({ state: 'handling', request: { kind: 'return' } });
    const foreign = await loginConsole(t.server, `${other}.leader`);
    consoles.push(foreign);
    await settled(foreign);
    const r = foreign.service.cases.queue('approveRequest', { caseId: id }, caseOf(id).version);
    expect(r.ok).toBe(false);
  });
});
