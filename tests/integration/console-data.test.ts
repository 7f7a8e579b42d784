// The console data layer against a real server: snapshot and live sync, the outbox across an
// outage and a restart, offline start, a corrupt cache rebuilt with the outbox untouched.
import { writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Case } from '../../src-shared/protocol/entities';
import { DEMO_PASSWORD } from '../../src-server/dataset/import-dataset';
import {
  loginConsole,
  newConsoleDir,
  openConsole,
  settled,
  type TestConsoleApp,
} from '../support/console-harness';
import { pickArea, reportPayload } from '../support/fixtures';
import { startTestServer, type TestServer } from '../support/server-client';

let t: TestServer;
let area: ReturnType<typeof pickArea>;
const opened: TestConsoleApp[] = [];

function serverCasesOf(villageCode: string): Map<string, Case> {
  const rows = t.server.db.prepare('SELECT json FROM cases WHERE village_code = ?').all(villageCode) as {
    json: string;
  }[];
  return new Map(rows.map((r) => JSON.parse(r.json) as Case).map((c) => [c.id, c]));
}

beforeAll(async () => {
  t = await startTestServer();
  area = pickArea(t.server, 5);
});

afterAll(async () => {
  for (const a of opened) await a.service.close();
  await t?.dispose();
});

describe('console data layer', () => {
  it('snapshots its village, then follows live changes and confirms its own actions', async () => {
    const app = await loginConsole(t.server, `${area.a.villageCode}.operator`);
    opened.push(app);
    await settled(app);
    const cache = app.service.cacheStore!;
    const server = serverCasesOf(area.a.villageCode);
    expect(cache.counts().cases).toBe(server.size);
    expect(cache.counts().grids).toBeGreaterThan(0);
    expect(cache.watermark).toBe(t.server.events.lastSeqOf(area.a.villageCode));

    const r = app.service.cases.queue('report', reportPayload('CD-1', area.a.point));
    expect(r.ok).toBe(true);
    expect(app.service.cases.list().find((row) => row.case.id === 'CD-1')?.pending).toHaveLength(1);
    await settled(app);
    const row = app.service.cases.list().find((x) => x.case.id === 'CD-1')!;
    expect(row.pending).toEqual([]);
    expect(row.case).toEqual(t.server.commands.store.get('CD-1'));
    expect(app.service.cases.detail('CD-1').actions[0].status).toBe('confirmed');
  });

  it('refuses at once what the rules refuse on what it knows, with the reason', () => {
    const app = opened[0];
    // A village console knows only its own grids: a point elsewhere is outside its jurisdiction.
    const bad = app.service.cases.queue('report', reportPayload('CD-OUT', area.b.point));
    expect(bad).toMatchObject({
      ok: false,
      error: { code: 'BAD_REQUEST', details: { rule: 'OUTSIDE_AREA' } },
    });
    expect(!bad.ok && bad.error.message).toContain(area.a.villageCode);
    const closed = app.service.cases.queue('close', { caseId: 'CD-1' }, 1);
    expect(closed).toMatchObject({ ok: false, error: { code: 'INVALID_TRANSITION' } });
    const junk = app.service.cases.queue(
      'dispatch',
      { caseId: 'CD-1', assignee: { kind: 'robot', id: 'x' } },
      1,
    );
    expect(junk).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
  });

  it('starts offline from its cache, queues work that survives a restart, and confirms it after reconnect', async () => {
    const dir = newConsoleDir();
    const first = await loginConsole(t.server, `${area.a.villageCode}.operator`, dir);
    await settled(first);
    const gridCount = first.service.cacheStore!.counts().grids;
    await first.service.close();

    await t.stop(); // the server goes away
    const offline = openConsole(t.server, dir);
    opened.push(offline);
    const started = await offline.service.resume();
    expect(started.ok).toBe(true);
    expect(offline.service.connection()?.status).toBe('offline');
    expect(offline.service.map.grids()).toHaveLength(gridCount);
    const q = offline.service.cases.queue('report', reportPayload('CD-OFF', area.a.point));
    expect(q.ok).toBe(true);
    expect(offline.service.connection()?.queueLength).toBe(1);
    // Restart the console while still offline: the queued action is still there.
    await offline.service.close();
    const again = openConsole(t.server, dir);
    opened.push(again);
    expect((await again.service.resume()).ok).toBe(true);
    expect(again.service.connection()?.queueLength).toBe(1);
    expect(again.service.cases.list().find((r) => r.case.id === 'CD-OFF')?.pending).toHaveLength(1);
    // Offline login of the same seat with its password works; a wrong one does not.
    const other = openConsole(t.server, dir);
    expect(await other.service.login(`${area.a.villageCode}.operator`, 'wrong-password')).toMatchObject({
      ok: false,
    });

    await t.start();
    await settled(again, 30_000);
    expect(t.server.commands.store.get('CD-OFF')?.state).toBe('reported');
    expect(t.server.events.ofCase('CD-OFF')).toHaveLength(1);
    expect(again.service.cases.detail('CD-OFF').actions.map((a) => a.status)).toEqual(['confirmed']);
  });

  it('moves a corrupt cache aside and rebuilds it from the server, with the outbox untouched', async () => {
    const dir = newConsoleDir();
    const first = await loginConsole(t.server, `${area.a.villageCode}.operator`, dir);
    await settled(first);
    const cacheFile = first.service.cacheStore!.file;
    const expected = first.service.cacheStore!.counts().cases;
    await t.stop();
    first.service.cases.queue('report', reportPayload('CD-CORRUPT', area.a.point));
    await first.service.close();
    writeFileSync(cacheFile, Buffer.alloc(64 * 1024, 0x5a)); // not a database any more
    await t.start();
    const app = openConsole(t.server, dir);
    opened.push(app);
    const r = await app.service.resume();
    expect(r.ok && r.data.cacheRebuilt).toMatch(/cache\.sqlite\.corrupt-\d+$/);
    await settled(app, 30_000);
    expect(app.service.cacheStore!.counts().cases).toBe(expected + 1);
    expect(t.server.commands.store.get('CD-CORRUPT')?.state).toBe('reported');
  });

  it('logs in offline only with the right password of a seat that logged in before', async () => {
    const dir = newConsoleDir();
    const app = await loginConsole(t.server, `${area.a.villageCode}.operator`, dir);
    await app.service.close();
    await t.stop();
    const offline = openConsole(t.server, dir);
    opened.push(offline);
    expect(await offline.service.login(`${area.a.villageCode}.operator`, 'nope-nope')).toMatchObject({
      ok: false,
      error: { code: 'UNAUTHORIZED' },
    });
    expect(await offline.service.login('city.dispatcher', DEMO_PASSWORD)).toMatchObject({
      ok: false,
      error: { code: 'SERVER_UNREACHABLE' },
    });
    expect((await offline.service.login(`${area.a.villageCode}.operator`, DEMO_PASSWORD)).ok).toBe(true);
    await t.start();
  });

  it('counts the jurisdiction in the overview only once its cache holds it, never zeros that look real', async () => {
    const app = await loginConsole(t.server, `${area.b.villageCode}.operator`);
    opened.push(app);
    await settled(app);
    const cache = app.service.cacheStore!;
    expect(app.service.cases.overviewCounts()).toMatchObject({ synced: true, grids: cache.counts().grids });
    expect(app.service.cases.overviewCounts().grids).toBeGreaterThan(0);
    // A snapshot written again (a damaged cache refilled): the overview says so instead of 0.
    cache.beginSnapshot();
    expect(app.service.cases.overviewCounts()).toMatchObject({ synced: false, grids: 0 });
  });
});
