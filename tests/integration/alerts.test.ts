// The alert feed against a real server: an emergency (特急) case raises one alert for
// its area; seats outside the area neither see nor acknowledge it; the first acknowledgement is
// kept with who and when and every seat of the area sees it; unacknowledged alerts escalate
// village → town → city; an officer's SOS fix raises one alert per emergency; deadlines that lapse
// while the server runs raise alerts, the history's old lapses do not. Time is the server's
// injected clock.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Command } from '../../src-shared/protocol/commands';
import { uuidv7 } from '../../src-shared/util/ids';
import type { Alert } from '../../src-server/alerts/alert-service';
import { loginConsole, settled, type TestConsoleApp } from '../support/console-harness';
import { pickArea, reportPayload } from '../support/fixtures';
import { login, startTestServer, type TestServer } from '../support/server-client';

let t: TestServer;
let area: ReturnType<typeof pickArea>;
let clock = Date.now();
const now = (): number => clock;

beforeAll(async () => {
  t = await startTestServer({ now, alertEscalateAfterMs: 60_000 });
  area = pickArea(t.server, 4);
});
afterAll(async () => {
  await t?.dispose();
});

const report = (id: string, priority: 'emergency' | 'normal') =>
  t.server.execute('U-citizen', 'alerts-test', {
    commandId: uuidv7(),
    clientId: 'alerts-test',
    type: 'report',
    payload: reportPayload(id, area.a.point, { source: 'citizen', priority }),
    baseVersion: null,
    clientTime: clock,
  } as Command);

async function api<T>(token: string, path: string, body?: unknown): Promise<{ status: number; data: T }> {
  const res = await fetch(`${t.server.url}${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = (await res.json()) as { data: T };
  return { status: res.status, data: json.data };
}
const listOf = async (token: string): Promise<Alert[]> =>
  (await api<{ alerts: Alert[] }>(token, '/api/alerts')).data.alerts;

describe('alert feed', () => {
  it('raises one alert for an emergency case, none for a normal one; only its area sees it', async () => {
    const id = `AL-${uuidv7().slice(-8)}`;
    expect(report(id, 'emergency').status).toBe('accepted');
    expect(report(`AL-N-${uuidv7().slice(-8)}`, 'normal').status).toBe('accepted');
    const town = await login(t.server, `${area.townCode}.dispatcher`);
    const village = await login(t.server, `${area.a.villageCode}.operator`);
    const otherVillage = await login(t.server, `${area.b.villageCode}.operator`);
    const forTown = (await listOf(town)).filter((a) => a.caseId === id);
    expect(forTown).toHaveLength(1);
    expect(forTown[0]).toMatchObject({
      kind: 'emergency',
      level: 'village',
      ackAt: null,
      villageCode: area.a.villageCode,
    });
    expect((await listOf(village)).map((a) => a.id)).toContain(forTown[0].id);
    expect((await listOf(otherVillage)).map((a) => a.id)).not.toContain(forTown[0].id);
    // Outside the area: refused; no token: refused.
    expect((await api(otherVillage, '/api/alerts/ack', { id: forTown[0].id })).status).toBe(403);
    expect((await fetch(`${t.server.url}/api/alerts`)).status).toBe(401);
  });

  it('keeps the first acknowledgement (who, when) and shows it to every seat of the area', async () => {
    const id = `AL-${uuidv7().slice(-8)}`;
    report(id, 'emergency');
    const village = await login(t.server, `${area.a.villageCode}.operator`);
    const town = await login(t.server, `${area.townCode}.dispatcher`);
    const alertId = (await listOf(town)).find((a) => a.caseId === id)!.id;
    clock += 5_000;
    const first = await api<{ alert: Alert; first: boolean }>(village, '/api/alerts/ack', { id: alertId });
    expect(first.status).toBe(200);
    expect(first.data.first).toBe(true);
    const operator = t.server.seats.byUserName(`${area.a.villageCode}.operator`)!;
    expect(first.data.alert).toMatchObject({
      ackBy: operator.id,
      ackByName: operator.displayName,
      ackAt: clock,
    });
    const second = await api<{ alert: Alert; first: boolean }>(town, '/api/alerts/ack', { id: alertId });
    expect(second.data.first).toBe(false);
    expect(second.data.alert.ackBy).toBe(operator.id);
    expect((await listOf(town)).find((a) => a.id === alertId)).toMatchObject({ ackBy: operator.id });
    expect((await api(town, '/api/alerts/ack', { id: 'no-such-alert' })).status).toBe(404);
  });

  it('escalates an unacknowledged alert village → town → city, one step per period; an acknowledged one stays', async () => {
    const open = `AL-${uuidv7().slice(-8)}`;
    const acked = `AL-${uuidv7().slice(-8)}`;
    report(open, 'emergency');
    report(acked, 'emergency');
    const town = await login(t.server, `${area.townCode}.dispatcher`);
    const level = async (caseId: string) => (await listOf(town)).find((a) => a.caseId === caseId)!;
    await api(town, '/api/alerts/ack', { id: (await level(acked)).id });
    clock += 59_000;
    t.server.alerts.escalate();
    expect((await level(open)).level).toBe('village');
    clock += 2_000;
    t.server.alerts.escalate();
    expect(await level(open)).toMatchObject({ level: 'town', escalatedAt: clock });
    expect((await level(acked)).level).toBe('village');
    t.server.alerts.escalate(); // no time passed: no second step
    expect((await level(open)).level).toBe('town');
    clock += 61_000;
    t.server.alerts.escalate();
    expect((await level(open)).level).toBe('city');
    clock += 61_000;
    t.server.alerts.escalate();
    expect((await level(open)).level).toBe('city');
  });

  it('raises one alert per SOS emergency from officer telemetry', async () => {
    const officer = area.a.officers[0];
    const fix = (status: 'sos' | 'patrol', at: number) => ({
      officerId: officer.id,
      status,
      lon: area.a.point[0],
      lat: area.a.point[1],
      heading: null,
      at,
    });
    const town = await login(t.server, `${area.townCode}.dispatcher`);
    const sosAlerts = async () =>
      (await listOf(town)).filter((a) => a.kind === 'sos' && a.officerId === officer.id);
    const before = (await sosAlerts()).length;
    t.server.telemetry.report(fix('sos', clock));
    t.server.telemetry.report(fix('sos', clock + 1_000)); // the same emergency
    t.server.telemetry.report(fix('patrol', clock + 2_000));
    expect((await sosAlerts()).length).toBe(before + 1);
    expect((await sosAlerts())[0]).toMatchObject({ subject: officer.name, detail: officer.number });
  });

  it('raises deadline alerts for lapses while the server runs, not for the history’s', async () => {
    const town = await login(t.server, `${area.townCode}.dispatcher`);
    // An open case of the town whose deadline lapsed ten days ago (as imported histories have).
    const anyOpen = t.server.db
      .prepare(
        "SELECT id FROM cases WHERE town_code = ? AND state NOT IN ('closed','voided','suspended') LIMIT 1",
      )
      .get(area.townCode) as { id: string };
    t.server.db
      .prepare("UPDATE cases SET json = json_set(json, '$.dueAt', ?) WHERE id = ?")
      .run(clock - 10 * 86_400_000, anyOpen.id);
    t.server.alerts.scanDeadlines();
    // Imported open cases lapsed long ago: no alert for them.
    const old = (await listOf(town)).filter((a) => a.kind === 'lapsed' || a.kind === 'due_soon');
    const lapsedLongAgo = (
      t.server.db
        .prepare("SELECT json FROM cases WHERE town_code = ? AND state NOT IN ('closed','voided')")
        .all(area.townCode) as { json: string }[]
    )
      .map((r) => JSON.parse(r.json) as { id: string; dueAt: number | null })
      .filter((c) => c.dueAt !== null && c.dueAt < clock - 86_400_000);
    expect(lapsedLongAgo.length).toBeGreaterThan(0);
    expect(old.filter((a) => lapsedLongAgo.some((c) => c.id === a.caseId))).toEqual([]);

    // A case dispatched now: due soon within the hour before its deadline, lapsed after it.
    const id = `AL-D-${uuidv7().slice(-8)}`;
    report(id, 'normal');
    const dispatcher = t.server.seats.byUserName(`${area.townCode}.dispatcher`)!.id;
    const run = (type: Command['type'], payload: Record<string, unknown>, baseVersion: number) =>
      t.server.execute(dispatcher, 'alerts-test-d', {
        commandId: uuidv7(),
        clientId: 'alerts-test-d',
        type,
        payload: { caseId: id, ...payload },
        baseVersion,
        clientTime: clock,
      } as Command);
    expect(run('verify', {}, 1).status).toBe('accepted');
    expect(run('dispatch', { assignee: { kind: 'officer', id: area.a.officers[0].id } }, 2).status).toBe(
      'accepted',
    );
    const dueAt = t.server.commands.store.get(id)!.dueAt!;
    expect(dueAt).toBeGreaterThan(clock);
    // The clock moves up to a deadline days away: sessions expire after 12 h, so the seat logs in
    // again at each look, as a dispatcher on the next shift would.
    const mine = async () =>
      (await listOf(await login(t.server, `${area.townCode}.dispatcher`)))
        .filter((a) => a.caseId === id)
        .map((a) => a.kind)
        .sort();
    t.server.alerts.scanDeadlines();
    expect(await mine()).toEqual([]);
    clock = dueAt - 30 * 60_000;
    t.server.alerts.scanDeadlines();
    t.server.alerts.scanDeadlines(); // once per deadline
    expect(await mine()).toEqual(['due_soon']);
    clock = dueAt + 60_000;
    t.server.alerts.scanDeadlines();
    expect(await mine()).toEqual(['due_soon', 'lapsed']);
  });
});

describe('alert feed through the console', () => {
  let a: TestConsoleApp;
  let b: TestConsoleApp;
  beforeAll(async () => {
    a = await loginConsole(t.server, `${area.townCode}.dispatcher`);
    b = await loginConsole(t.server, `${area.a.villageCode}.operator`);
    await settled(a);
    await settled(b);
  });
  afterAll(async () => {
    await a?.service.close();
    await b?.service.close();
  });

  it('one seat acknowledges, the other sees who did; offline the last list is kept and marked stale', async () => {
    const id = `AL-${uuidv7().slice(-8)}`;
    report(id, 'emergency');
    const feedA = await a.service.shift.alerts();
    expect(feedA.stale).toBe(false);
    const alert = feedA.alerts.find((x) => x.caseId === id)!;
    const acked = await a.service.shift.ackAlert(alert.id);
    expect(acked.ok && acked.data.ackByName).toBe(a.service.currentSeat!.displayName);
    const seenByB = (await b.service.shift.alerts()).alerts.find((x) => x.id === alert.id)!;
    expect(seenByB.ackBy).toBe(a.service.currentSeat!.seatId);
    await t.stop();
    const offline = await b.service.shift.alerts();
    expect(offline.stale).toBe(true);
    expect(offline.alerts.find((x) => x.id === alert.id)?.ackBy).toBe(a.service.currentSeat!.seatId);
    const refused = await b.service.shift.ackAlert(alert.id);
    expect(!refused.ok && refused.error.code).toBe('SERVER_UNREACHABLE');
    await t.start();
  });
});
