// The dispatcher's shift on a real console (real SQLite files) against a real server:
// the undo window of a one-click dispatch (#11, online and offline), logout with a handover
// record and no reopening of the seat after a restart, a seat switch on the same workstation
// (#3), and the link state the offline banner and the footer read (#8).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DataService } from '../../src-main/data/data-service';
import { DEMO_PASSWORD } from '../../src-server/dataset/import-dataset';
import { uuidv7 } from '../../src-shared/util/ids';
import type { Command } from '../../src-shared/protocol/commands';
import {
  loginConsole,
  newConsoleDir,
  openConsole,
  settled,
  testSecrets,
  type TestConsoleApp,
} from '../support/console-harness';
import type { FaultyLink } from '../support/faulty-link';
import { pickArea, reportPayload } from '../support/fixtures';
import { startTestServer, type TestServer } from '../support/server-client';

let t: TestServer;
let area: ReturnType<typeof pickArea>;

beforeAll(async () => {
  t = await startTestServer();
  area = pickArea(t.server, 5);
});

afterAll(async () => {
  await t?.dispose();
});

/** Poll a condition on real state (no fixed sleeps). */
async function until(what: string, cond: () => boolean, timeoutMs = 15_000): Promise<void> {
  const t0 = Date.now();
  while (!cond()) {
    if (Date.now() - t0 > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** A registered case in area a, ready to dispatch (reported and verified through the console). */
async function registeredCase(app: TestConsoleApp, id: string): Promise<void> {
  expect(app.service.cases.queue('report', reportPayload(id, area.a.point)).ok).toBe(true);
  await settled(app);
  expect(app.service.cases.queue('verify', { caseId: id }, 1).ok).toBe(true);
  await settled(app);
  expect(t.server.commands.store.get(id)!.state).toBe('registered');
}

describe('undo window of a one-click dispatch', () => {
  let app: TestConsoleApp;
  beforeAll(async () => {
    app = await loginConsole(t.server, `${area.townCode}.dispatcher`, newConsoleDir(), () => 1);
    await settled(app);
  });
  afterAll(async () => {
    await app?.service.close();
  });
  const officer = (): string => area.a.officers[0].id;

  it('holds a dispatch in the outbox for its window; undo takes it back and the server never sees it', async () => {
    const id = `UNDO-${uuidv7().slice(-8)}`;
    await registeredCase(app, id);
    const r = app.service.cases.queue(
      'dispatch',
      { caseId: id, assignee: { kind: 'officer', id: officer() } },
      2,
      30_000,
    );
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.data.holdUntil).toBeGreaterThan(Date.now());
    // The console predicts the dispatch at once (the queue shows it dispatched, pending).
    expect(app.service.desk.rows([id]).removed).toEqual([]);
    // A whole sync round runs and completes without sending it.
    app.service.syncEngine!.kick();
    await app.service.syncEngine!.idle();
    expect(app.service.syncEngine!.connection.status).toBe('online');
    expect(t.server.commands.store.get(id)!.state).toBe('registered');
    expect(app.service.outboxStore!.get(r.data.commandId)?.status).toBe('pending');

    expect(app.service.cases.undo(r.data.commandId)).toBe('withdrawn');
    expect(app.service.outboxStore!.get(r.data.commandId)).toBeNull();
    expect(app.service.connection()!.queueLength).toBe(0);
    const detail = app.service.cases.detail(id);
    expect(detail.case?.state).toBe('registered');
    await settled(app);
    expect(t.server.commands.store.get(id)!.state).toBe('registered');
    // Undoing twice is harmless.
    expect(app.service.cases.undo(r.data.commandId)).toBe('unknown');
  });

  it('sends the dispatch once the window is over; then it can no longer be undone', async () => {
    const id = `UNDO-${uuidv7().slice(-8)}`;
    await registeredCase(app, id);
    const r = app.service.cases.queue(
      'dispatch',
      { caseId: id, assignee: { kind: 'officer', id: officer() } },
      2,
      300,
    );
    if (!r.ok) throw new Error(r.error.message);
    await until(
      'the held dispatch to reach the server',
      () => t.server.commands.store.get(id)!.state === 'dispatched',
    );
    expect(app.service.cases.undo(r.data.commandId)).toBe('sent');
    await settled(app);
    expect(app.service.outboxStore!.get(r.data.commandId)?.status).toBe('confirmed');
  });

  it('refuses to undo an action a later queued action on the same case builds on', async () => {
    const id = `UNDO-${uuidv7().slice(-8)}`;
    await registeredCase(app, id);
    const d = app.service.cases.queue(
      'dispatch',
      { caseId: id, assignee: { kind: 'officer', id: officer() } },
      2,
      30_000,
    );
    if (!d.ok) throw new Error(d.error.message);
    const again = app.service.cases.queue(
      'reassign',
      { caseId: id, assignee: { kind: 'officer', id: area.a.officers[1].id }, reason: '就近' },
      3,
      30_000,
    );
    expect(again.ok).toBe(true);
    expect(app.service.cases.undo(d.data.commandId)).toBe('later-actions');
    if (again.ok) expect(app.service.cases.undo(again.data.commandId)).toBe('withdrawn');
    expect(app.service.cases.undo(d.data.commandId)).toBe('withdrawn');
    await settled(app);
    expect(t.server.commands.store.get(id)!.state).toBe('registered');
  });

  it('undoes offline too, and the link state says since when it is down', async () => {
    const id = `UNDO-${uuidv7().slice(-8)}`;
    await registeredCase(app, id);
    const link = app.link as FaultyLink;
    expect(app.service.connection()!.downSince ?? null).toBeNull();
    const before = Date.now();
    link.cut();
    const c = app.service.connection()!;
    expect(c.status).toBe('offline');
    expect(c.downSince).toBeGreaterThanOrEqual(before);
    const r = app.service.cases.queue(
      'dispatch',
      { caseId: id, assignee: { kind: 'officer', id: officer() } },
      2,
      5_000,
    );
    if (!r.ok) throw new Error(r.error.message);
    expect(app.service.cases.undo(r.data.commandId)).toBe('withdrawn');
    link.restore();
    await settled(app);
    expect(app.service.connection()!.downSince ?? null).toBeNull();
    expect(t.server.commands.store.get(id)!.state).toBe('registered');
  });

  it('moves the last-sync time with live updates, not only with sync rounds', async () => {
    await settled(app);
    const seen = app.service.connection()!.lastSyncAt!;
    // Another client reports a case in the seat's scope: the push arrives live.
    const id = `LIVE-${uuidv7().slice(-8)}`;
    const answer = t.server.execute('U-citizen', 'shift-test-citizen', {
      commandId: uuidv7(),
      clientId: 'shift-test-citizen',
      type: 'report',
      payload: reportPayload(id, area.a.point, { source: 'citizen' }),
      baseVersion: null,
      clientTime: Date.now(),
    } as Command);
    expect(answer.status).toBe('accepted');
    await until('the live push', () => app.service.cases.detail(id).case !== null);
    expect(app.service.connection()!.lastSyncAt!).toBeGreaterThan(seen);
  });
});

describe('logout, handover and seat switch', () => {
  it('records the shift with its note, revokes the token, and a restart shows the login form', async () => {
    const dir = newConsoleDir();
    const first = await loginConsole(t.server, `${area.townCode}.dispatcher`, dir);
    await settled(first);
    const summary = first.service.shift.summary();
    expect(summary.seat.userName).toBe(`${area.townCode}.dispatcher`);
    expect(summary.from).toBeLessThanOrEqual(Date.now());
    expect(summary.openItems.pending).toBe(0);
    expect(summary.openItems.verify + summary.openItems.dispatch + summary.openItems.check).toBeGreaterThan(
      0,
    );
    const sealed = (JSON.parse(readFileSync(join(dir, 'session.json'), 'utf8')) as { sealedToken: string })
      .sealedToken;
    // Sealed at rest: the token is only readable with the installation's key.
    const token = testSecrets.open(sealed);
    expect(sealed).not.toContain(token);
    const tokenWorks = async (): Promise<number> =>
      (await fetch(`${t.server.url}/api/places`, { headers: { authorization: `Bearer ${token}` } })).status;
    expect(await tokenWorks()).not.toBe(401);

    const record = await first.service.shift.logout('  横沥 3 件待核查，城管已到场  ');
    expect(record).toMatchObject({
      userName: `${area.townCode}.dispatcher`,
      note: '横沥 3 件待核查，城管已到场',
      from: summary.from,
    });
    expect(record.to).toBeGreaterThanOrEqual(record.from);
    expect(record.openItems.verify).toBe(summary.openItems.verify);
    expect(first.service.currentSeat).toBeNull();
    expect(await tokenWorks()).toBe(401);
    const again = await first.service.resume();
    expect(!again.ok && again.error.code).toBe('NO_SESSION');
    await first.service.close();

    // A restart of the console on this workstation: no seat reopens; the record is there.
    const restarted = openConsole(t.server, dir);
    const resumed = await restarted.service.resume();
    expect(!resumed.ok && resumed.error.code).toBe('NO_SESSION');
    expect(restarted.service.shift.log()).toEqual([record]);

    // Another seat logs in on the same workstation (seat switch), works, hands over in turn.
    const other = await restarted.service.login(`${area.townCode}.leader`, DEMO_PASSWORD);
    expect(other.ok && other.data.seat.userName).toBe(`${area.townCode}.leader`);
    await settled(restarted);
    const second = await restarted.service.shift.logout('');
    expect(restarted.service.shift.log().map((r) => r.userName)).toEqual([
      `${area.townCode}.leader`,
      `${area.townCode}.dispatcher`,
    ]);
    expect(second.note).toBe('');
    await restarted.service.close();

    // The first seat can come back (its password is checked again by the server).
    const back = new DataService({
      dataDir: dir,
      secrets: testSecrets,
      serverUrl: t.server.url,
      requestTimeoutMs: 5_000,
    });
    const wrong = await back.login(`${area.townCode}.dispatcher`, 'not-the-password');
    expect(!wrong.ok && wrong.error.code).toBe('UNAUTHORIZED');
    const ok = await back.login(`${area.townCode}.dispatcher`, DEMO_PASSWORD);
    expect(ok.ok).toBe(true);
    await back.close();
    const resumedAfterLogin = new DataService({
      dataDir: dir,
      secrets: testSecrets,
      serverUrl: t.server.url,
    });
    expect((await resumedAfterLogin.resume()).ok).toBe(true);
    await resumedAfterLogin.close();
  });
});
