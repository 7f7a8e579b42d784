// One rule for the optimistic view (optimistic-view.ts): a case with an action queued on this
// console, while someone else moved the case on the server past the prediction, reads the same in
// the case-detail pane, the desk queue row, the cases list and the map: the server's newer copy,
// still marked pending. (On 0330816 the detail pane showed the stale prediction while the row and
// the map showed the server's copy.)
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeDeskRows } from '../../src-shared/desk/queue-data';
import { MAP_CASE_STATES } from '../../src-shared/ipc/map-data';
import type { Command } from '../../src-shared/protocol/commands';
import type { Case } from '../../src-shared/protocol/entities';
import { uuidv7 } from '../../src-shared/util/ids';
import { loginConsole, settled, type TestConsoleApp } from '../support/console-harness';
import { pickArea, reportPayload } from '../support/fixtures';
import { startTestServer, type TestServer } from '../support/server-client';

let t: TestServer;
let app: TestConsoleApp;
let area: ReturnType<typeof pickArea>;

beforeAll(async () => {
  t = await startTestServer();
  area = pickArea(t.server, 4);
  // A console behind a FaultyLink (no random faults) so its commands can be held back.
  app = await loginConsole(t.server, `${area.townCode}.dispatcher`, undefined, () => 1);
  await settled(app);
});

afterAll(async () => {
  await app?.service.close();
  await t?.dispose();
});

const serverCase = (id: string): Case =>
  JSON.parse(
    (t.server.db.prepare('SELECT json FROM cases WHERE id = ?').get(id) as { json: string }).json,
  ) as Case;

function exec(
  userName: string,
  type: Command['type'],
  payload: Record<string, unknown>,
  baseVersion: number | null,
) {
  const userId = t.server.seats.byUserName(userName)!.id;
  return t.server.execute(userId, `test-${userName}`, {
    commandId: uuidv7(),
    clientId: `test-${userName}`,
    type,
    payload,
    baseVersion,
    clientTime: Date.now(),
  } as Command);
}

async function until(cond: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 750; i++) {
    if (cond()) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('the optimistic view', () => {
  it('shows the server’s newer copy in every pane while an older prediction is pending', async () => {
    const id = `OV-${uuidv7().slice(-12)}`;
    expect(
      exec(`${area.a.villageCode}.operator`, 'report', reportPayload(id, area.a.point), null).status,
    ).toBe('accepted');
    expect(exec(`${area.a.villageCode}.operator`, 'verify', { caseId: id }, 1).status).toBe('accepted');
    await until(
      () => app.service.cases.detail(id).case?.state === 'registered',
      'the console to hold the case',
    );
    const seen = app.service.cases.detail(id).case!;

    // This console's dispatcher supervises (督办) the case; the command is held back.
    app.link!.holdCommands = true;
    const queued = app.service.cases.queue('supervise', { caseId: id, note: '请尽快处置' });
    expect(queued.ok).toBe(true);
    const predicted = app.service.cases.detail(id).case!;
    expect(predicted).toMatchObject({ supervised: true, version: seen.version + 1 });

    // Meanwhile, on the server, the town leader supervises it and another dispatcher's console
    // dispatches it: two versions past what the prediction was made on.
    const officer = area.a.officers[0];
    expect(exec(`${area.townCode}.leader`, 'supervise', { caseId: id }, seen.version).status).toBe(
      'accepted',
    );
    expect(
      exec(
        `${area.townCode}.dispatcher`,
        'dispatch',
        { caseId: id, assignee: { kind: 'officer', id: officer.id } },
        seen.version + 1,
      ).status,
    ).toBe('accepted');
    const server = serverCase(id);
    expect(server.version).toBe(seen.version + 2);
    await until(
      () => app.service.cases.list().some((r) => r.case.id === id && r.case.version === server.version),
      'the push',
    );

    // Every pane shows the server's copy (dispatched to the officer), still marked pending.
    const detail = app.service.cases.detail(id);
    expect(detail.case).toEqual(server);
    expect(detail.actions.filter((a) => a.status === 'pending')).toHaveLength(1);
    const row = app.service.cases.list().find((r) => r.case.id === id)!;
    expect(row.case).toEqual(server);
    expect(row.pending).toHaveLength(1);
    const [deskRow] = decodeDeskRows(app.service.desk.rows([id]).rows);
    expect(deskRow).toMatchObject({ id, state: 'dispatched', version: server.version, pending: true });
    const map = app.service.map.cases([id]);
    expect(map.removed).toEqual([]);
    expect(map.cases.count).toBe(1);
    expect(map.cases.pending[0]).toBe(1);
    expect(MAP_CASE_STATES[map.cases.state[0]]).toBe('dispatched');
    expect(Number.isFinite(map.cases.dueAt[0])).toBe(true);

    // Released, the command reaches the server and the console settles on one truth.
    app.link!.holdCommands = false;
    await settled(app);
    const final = serverCase(id);
    expect(app.service.cases.detail(id).case).toEqual(final);
    expect(decodeDeskRows(app.service.desk.rows([id]).rows)[0]).toMatchObject({
      version: final.version,
      pending: false,
    });
  });
});
