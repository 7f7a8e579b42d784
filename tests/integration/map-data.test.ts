// The situation map's data path against a real server and real SQLite files: the columnar
// snapshot matches the server's scope, another seat's changes arrive through map.cases, officer
// fixes reach main as position batches by snapshot index and are recorded as tracks, the
// managed places of a village are the dataset's (and survive going offline), and the web host
// carries all of it with the typed arrays intact.
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { consoleService } from '../../src-main/app/console-service';
import { forwardChange } from '../../src-main/app/wire-events';
import { DataClient } from '../../src-main/data/data-client';
import { DataService } from '../../src-main/data/data-service';
import { officerOrderVersion } from '../../src-main/data/map-view';
import { workerHandlers } from '../../src-main/data/handlers';
import type { SyncChange } from '../../src-main/data/sync-engine';
import { WebHost } from '../../src-main/host/web-host';
import {
  MAP_CASE_STATES,
  MAP_OFFICER_STATUSES,
  MAP_PRIORITIES,
  NO_INDEX,
  type MapPlaces,
  type MapSnapshot,
  type PositionBatch,
} from '../../src-shared/ipc/map-data';
import { decodeTypedJson } from '../../src-shared/ipc/typed-json';
import type { Command } from '../../src-shared/protocol/commands';
import type { Case, OfficerFix } from '../../src-shared/protocol/entities';
import { uuidv7 } from '../../src-shared/util/ids';
import { CASE_NUMBER_PATTERN, provisionalNumber } from '../../src-shared/domain/case-number';
import { mapCaseNumber } from '../../src-shared/map/case-label';
import { DEMO_PASSWORD } from '../../src-server/dataset/import-dataset';
import { readManifest, readPlaces, readReferenceFiles } from '../../src-server/dataset/read-dataset';
import { newConsoleDir, settled, testSecrets, type TestConsoleApp } from '../support/console-harness';
import { ensureSmallDataset } from '../support/datasets';
import { pickArea, reportPayload } from '../support/fixtures';
import { connectConsole, login, startTestServer, type TestServer } from '../support/server-client';

let t: TestServer;
let area: ReturnType<typeof pickArea>;
const services: DataService[] = [];
let client: DataClient | null = null;
let host: WebHost | null = null;
const clientChanges: SyncChange[] = [];

interface MapConsole extends TestConsoleApp {
  changes: SyncChange[];
}

async function openService(userName: string, dataDir = newConsoleDir()): Promise<MapConsole> {
  const changes: SyncChange[] = [];
  const service = new DataService({
    secrets: testSecrets,
    dataDir,
    serverUrl: t.server.url,
    requestTimeoutMs: 5_000,
    retryDelayMs: 50,
    telemetryFlushMs: 200,
    onChange: (c) => changes.push(c),
  });
  services.push(service);
  const r = userName === '' ? await service.resume() : await service.login(userName, DEMO_PASSWORD);
  if (!r.ok) throw new Error(`${userName}: ${r.error.message}`);
  return { service, dataDir, link: null, changes };
}

const rowsOf = <T>(sql: string, ...params: unknown[]): T[] => t.server.db.prepare(sql).all(...params) as T[];

beforeAll(async () => {
  t = await startTestServer();
  area = pickArea(t.server, 7);
});

afterAll(async () => {
  await host?.stop();
  await client?.close();
  for (const s of services) await s.close();
  await t?.dispose();
});

describe('map data', () => {
  it('snapshots the seat’s scope as columns: the server’s open cases, officers, cameras and grids', async () => {
    // The demo city keeps only a few thousand cases open: report a handful in the town first, so
    // the snapshot has something to compare whatever the dataset left open here.
    for (let i = 0; i < 6; i++) {
      const answer = t.server.execute('U-citizen', 'map-data-test', {
        commandId: uuidv7(),
        clientId: 'map-data-test',
        type: 'report',
        payload: reportPayload(`MD-open-${i}`, area.a.point, { source: 'citizen' }),
        baseVersion: null,
        clientTime: Date.now(),
      } as Command);
      expect(answer.status).toBe('accepted');
    }
    const app = await openService(`${area.townCode}.dispatcher`);
    await settled(app);
    const snap = app.service.map.snapshot();

    const open = rowsOf<{ json: string }>(
      "SELECT json FROM cases WHERE town_code = ? AND state NOT IN ('closed', 'voided') ORDER BY id",
      area.townCode,
    ).map((r) => JSON.parse(r.json) as Case);
    expect(open.length).toBeGreaterThan(5);
    expect(snap.cases.count).toBe(open.length);
    expect([...snap.cases.ids].sort()).toEqual(open.map((c) => c.id));
    const at = new Map(snap.cases.ids.map((id, i) => [id, i]));
    for (const c of [open[0], open[Math.floor(open.length / 2)], open[open.length - 1]]) {
      const i = at.get(c.id)!;
      expect(snap.cases.lon[i]).toBe(c.lon);
      expect(snap.cases.lat[i]).toBe(c.lat);
      expect(MAP_CASE_STATES[snap.cases.state[i]]).toBe(c.state);
      expect(MAP_PRIORITIES[snap.cases.priority[i]]).toBe(c.priority);
      expect(snap.categoryCodes[snap.cases.category[i]]).toBe(c.categoryCode);
      expect(snap.gridCodes[snap.cases.grid[i]]).toBe(c.gridCode);
      expect(snap.cases.reportedAt[i]).toBe(c.reportedAt);
      expect(snap.cases.dueAt[i]).toBe(c.dueAt ?? Number.NaN);
      expect(snap.cases.pending[i]).toBe(0);
      // The map names a case by its human number, never its id.
      expect(c.number).toMatch(CASE_NUMBER_PATTERN);
      expect(snap.cases.numbers[i]).toBe(c.number);
      expect(mapCaseNumber(snap.cases, i)).toBe(c.number);
    }
    expect(snap.scopeCode).toBe(area.townCode);
    expect(snap.gridCodes).toEqual(
      rowsOf<{ code: string }>('SELECT code FROM grids WHERE town_code = ? ORDER BY code', area.townCode).map(
        (r) => r.code,
      ),
    );
    const officerIds = rowsOf<{ id: string }>(
      'SELECT id FROM officers WHERE town_code = ? OR town_code IS NULL ORDER BY id',
      area.townCode,
    ).map((r) => r.id);
    expect(snap.officers.ids).toEqual(officerIds);
    expect(snap.version).toBe(officerOrderVersion(officerIds));
    const someone = area.a.officers[0];
    const k = snap.officers.ids.indexOf(someone.id);
    expect(snap.officers.names[k]).toBe(someone.name);
    expect(snap.gridCodes[snap.officers.homeGrid[k]]).toBe(someone.homeGridCode);
    const squad = snap.officers.ids.findIndex((id) => t.server.ref.officers.get(id)?.homeGridCode === null);
    expect(snap.officers.homeGrid[squad]).toBe(NO_INDEX);
    const cameraIds = rowsOf<{ id: string }>(
      'SELECT id FROM cameras WHERE town_code = ? ORDER BY id',
      area.townCode,
    ).map((r) => r.id);
    expect(snap.cameras.ids).toEqual(cameraIds);
    expect(snap.cameras.grid.every((g) => g !== NO_INDEX)).toBe(true);

    // A queued action shows at once, flagged pending, and is confirmed later.
    expect(app.service.cases.queue('report', reportPayload('MAP-P1', area.a.point)).ok).toBe(true);
    const withPending = app.service.map.snapshot();
    const p = withPending.cases.ids.indexOf('MAP-P1');
    expect(p).toBeGreaterThanOrEqual(0);
    expect(withPending.cases.pending[p]).toBe(1);
    expect(withPending.cases.numbers[p]).toBe('');
    // Places that hold only ids (alerts, conflicts, handover, video wall) ask `cases.numbers`.
    const numbers = workerHandlers(app.service)['cases.numbers'];
    expect(await numbers(['MAP-P1', open[0].id, 'NO-SUCH-CASE'])).toEqual({
      'MAP-P1': provisionalNumber('MAP-P1'),
      [open[0].id]: open[0].number,
    });
    expect(mapCaseNumber(withPending.cases, p)).toBe(provisionalNumber('MAP-P1'));
    expect(MAP_CASE_STATES[withPending.cases.state[p]]).toBe('reported');
    expect(withPending.cases.count).toBe(open.length + 1);
    await settled(app);
    const confirmed = app.service.map.cases(['MAP-P1']);
    expect(confirmed.cases.ids).toEqual(['MAP-P1']);
    expect(confirmed.cases.pending[0]).toBe(0);
    expect(confirmed.cases.numbers[0]).toMatch(CASE_NUMBER_PATTERN);
    expect(mapCaseNumber(confirmed.cases, 0)).toBe(confirmed.cases.numbers[0]);
    expect(await numbers(['MAP-P1'])).toEqual({ 'MAP-P1': confirmed.cases.numbers[0] });
  });

  it('delivers a case changed by another seat through map.cases, and removes it once voided', async () => {
    const observer = await openService(`${area.a.villageCode}.operator`);
    await settled(observer);
    const other = await connectConsole(t.server, await login(t.server, `${area.townCode}.dispatcher`));
    try {
      const reported = await other.command('report', reportPayload('MAP-X1', area.a.point));
      expect(reported.ok).toBe(true);
      await expect
        .poll(() => observer.changes.some((c) => c.kind === 'cases' && c.ids.includes('MAP-X1')), {
          timeout: 10_000,
        })
        .toBe(true);
      const added = observer.service.map.cases(['MAP-X1', 'NO-SUCH-CASE']);
      expect(added.cases.ids).toEqual(['MAP-X1']);
      expect(added.removed).toEqual(['NO-SUCH-CASE']);
      expect([added.cases.lon[0], added.cases.lat[0]]).toEqual(area.a.point);
      expect(MAP_CASE_STATES[added.cases.state[0]]).toBe('reported');
      expect(added.cases.pending[0]).toBe(0);

      observer.changes.length = 0;
      const voided = await other.command('void', { caseId: 'MAP-X1', reason: '重复上报' }, 1);
      expect(voided).toMatchObject({ ok: true, data: { status: 'accepted' } });
      await expect
        .poll(() => observer.changes.some((c) => c.kind === 'cases' && c.ids.includes('MAP-X1')), {
          timeout: 10_000,
        })
        .toBe(true);
      const gone = observer.service.map.cases(['MAP-X1']);
      expect(gone.cases.count).toBe(0);
      expect(gone.removed).toEqual(['MAP-X1']);
      expect(observer.service.map.snapshot().cases.ids).not.toContain('MAP-X1');
    } finally {
      other.close();
    }
  });

  it('hands fixes to main as position batches by snapshot index, and records them as tracks', async () => {
    client = new DataClient({
      dataDir: newConsoleDir(),
      serverUrl: t.server.url,
      workerFile: resolve(import.meta.dirname, '../../src-main/data/data-worker.ts'),
      sessionKey: Buffer.alloc(32, 5).toString('base64'),
      secretKind: 'test-key',
      onChange: (c) => {
        clientChanges.push(c);
        if (host) forwardChange((name, payload) => host?.emit(name, payload), c);
      },
    });
    const login = await client.call('session.login', `${area.a.villageCode}.operator`, DEMO_PASSWORD);
    expect(login.seat.scopeCode).toBe(area.a.villageCode);
    await expect
      .poll(() => clientChanges.some((c) => c.kind === 'connection' && c.state.status === 'online'), {
        timeout: 20_000,
      })
      .toBe(true);
    const snap = await client.call('map.snapshot');
    const officer = area.a.officers[1];
    const index = snap.officers.ids.indexOf(officer.id);
    expect(index).toBeGreaterThanOrEqual(0);

    const t0 = Date.now() + 1_000;
    const sent: OfficerFix[] = [];
    const batchWith = (fix: OfficerFix): PositionBatch | undefined =>
      clientChanges
        .filter((c): c is Extract<SyncChange, { kind: 'positions' }> => c.kind === 'positions')
        .map((c) => c.batch)
        .find((b) => [...b.index].some((i, k) => i === index && b.fixAt[k] === fix.at));
    // Four fixes 40 s and ~100 m apart (the default sampling keeps one per 30 s when moving).
    for (let step = 0; step < 4; step++) {
      const fix: OfficerFix = {
        officerId: officer.id,
        status: step === 3 ? 'handling' : 'patrol',
        lon: Math.round((area.a.point[0] + step * 0.001) * 1e6) / 1e6,
        lat: area.a.point[1],
        heading: step === 3 ? null : 90,
        at: t0 + step * 40_000,
      };
      expect(t.server.telemetry.report(fix)).toBe(true);
      sent.push(fix);
      // The server fans telemetry out once a second: wait for this fix's batch.
      await expect.poll(() => batchWith(fix) !== undefined, { timeout: 5_000 }).toBe(true);
    }
    const batch = batchWith(sent[3])!;
    expect(batch.version).toBe(snap.version);
    expect(batch.index).toBeInstanceOf(Uint32Array);
    const k = [...batch.index].indexOf(index);
    expect(batch.lon[k]).toBe(sent[3].lon);
    expect(batch.lat[k]).toBe(sent[3].lat);
    expect(MAP_OFFICER_STATUSES[batch.status[k]]).toBe('handling');
    expect(Number.isNaN(batch.heading[k])).toBe(true);
    // One batch per server flush, not one message per fix.
    const positionChanges = clientChanges.filter((c) => c.kind === 'positions');
    expect(positionChanges.length).toBeLessThanOrEqual(sent.length + 2);

    const tracks = await client.call('map.tracks', [officer.id, 'NOBODY'], t0 - 1, t0 + 200_000);
    expect(tracks).toHaveLength(1);
    expect(tracks[0].officerId).toBe(officer.id);
    expect([...tracks[0].at]).toEqual(sent.map((f) => f.at));
    expect([...tracks[0].lon]).toEqual(sent.map((f) => f.lon));
    expect([...tracks[0].lat]).toEqual(sent.map((f) => f.lat));
    expect(await client.call('map.tracks', null, t0 + 50_000, t0 + 100_000)).toMatchObject([
      { officerId: officer.id, at: new Float64Array([t0 + 80_000]) },
    ]);
    // The snapshot starts from the last fix.
    const again = await client.call('map.snapshot');
    expect(again.officers.lon[index]).toBe(sent[3].lon);
    expect(again.officers.fixAt[index]).toBe(sent[3].at);
  });

  it('serves a village seat exactly the dataset’s places in that village, and keeps them for offline use', async () => {
    const dir = newConsoleDir();
    const app = await openService(`${area.a.villageCode}.operator`, dir);
    await settled(app);
    const r = await app.service.map.places();
    if (!r.ok) throw new Error(r.error.message);
    const places: MapPlaces = r.data;
    expect(places.offline).toBe(false);

    const datasetDir = ensureSmallDataset();
    const manifest = readManifest(datasetDir);
    const table = readPlaces(datasetDir, manifest);
    const grids = readReferenceFiles(datasetDir).grids.grids;
    const shiftDays = Math.round(
      Number(
        (
          t.server.db.prepare("SELECT value FROM meta WHERE key = 'history_shift_ms'").get() as {
            value: string;
          }
        ).value,
      ) / 86_400_000,
    );
    const expected: number[] = [];
    for (let i = 0; i < table.rowCount; i++)
      if (grids[table.grid[i]].villageCode === area.a.villageCode) expected.push(i);
    expect(expected.length).toBeGreaterThan(100);
    expect(places.count).toBe(expected.length);
    expect([...places.id].sort((a, b) => a - b)).toEqual(expected);
    const snapGrids = app.service.map.snapshot().gridCodes;
    expect(places.gridCodes).toEqual(snapGrids);
    for (let k = 0; k < places.count; k++) {
      const i = places.id[k];
      if (
        places.lon[k] !== Math.fround(table.lon[i] / 1e6) ||
        places.lat[k] !== Math.fround(table.lat[i] / 1e6) ||
        places.kind[k] !== table.kind[i] ||
        places.tier[k] !== table.tier[i] ||
        places.subkind[k] !== table.subkind[i] ||
        places.units[k] !== table.units[i] ||
        places.lastInspectionDay[k] !== table.lastInspectionDay[i] + shiftDays ||
        snapGrids[places.grid[k]] !== grids[table.grid[i]].code
      )
        throw new Error(`place P${i} differs from the dataset`);
    }

    // A box: exactly the places inside it.
    const box: [number, number, number, number] = [
      area.a.point[0] - 0.005,
      area.a.point[1] - 0.005,
      area.a.point[0] + 0.005,
      area.a.point[1] + 0.005,
    ];
    const inBox = await app.service.map.places(box);
    if (!inBox.ok) throw new Error(inBox.error.message);
    const want = [...places.id].filter((_, k) => {
      const [lon, lat] = [places.lon[k], places.lat[k]];
      return lon >= box[0] && lon <= box[2] && lat >= box[1] && lat <= box[3];
    });
    expect(want.length).toBeGreaterThan(0);
    expect(want.length).toBeLessThan(places.count);
    expect([...inBox.data.id]).toEqual(want);
    expect(inBox.data.lastInspectionDay).toHaveLength(want.length);

    // The endpoint wants a seat's token.
    expect((await fetch(`${t.server.url}/api/places`)).status).toBe(401);

    // Next session: the server confirms the stored copy (304), nothing is downloaded again.
    const file = join(app.service.cacheStore!.file, '..', 'places.bin');
    const before = statSync(file).mtimeMs;
    await app.service.close();
    const again = await openService('', dir);
    await settled(again);
    const r2 = await again.service.map.places();
    expect(r2.ok && r2.data.offline).toBe(false);
    expect(r2.ok && r2.data.count).toBe(places.count);
    expect(statSync(file).mtimeMs).toBe(before);
    await again.service.close();

    // Offline: the stored copy, flagged as such.
    await t.stop();
    try {
      const offline = await openService('', dir);
      const r3 = await offline.service.map.places();
      expect(r3.ok && r3.data.offline).toBe(true);
      expect(r3.ok && [...r3.data.id]).toEqual([...places.id]);
      await offline.service.close();
      // Without a stored copy and without the server: a clear refusal, not an empty map.
      rmSync(file);
      const bare = await openService('', dir);
      expect(await bare.service.map.places()).toMatchObject({
        ok: false,
        error: { code: 'PLACES_UNAVAILABLE' },
      });
      await bare.service.close();
    } finally {
      await t.start();
    }
  });

  it('carries the snapshot and position batches over the web host with typed arrays intact', async () => {
    expect(client).not.toBeNull();
    const data = client!;
    await expect
      .poll(async () => (await data.call('connection.state')).status, { timeout: 30_000 })
      .toBe('online');
    const rendererDir = mkdtempSync(join(tmpdir(), 'gc-host-map-'));
    host = new WebHost({
      rendererDir,
      handlers: consoleService({ host: 'web', version: '0', platform: 'test', data }),
    });
    await host.start();
    const res = await fetch(host.url, { redirect: 'manual' });
    const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0];
    const ws = new WebSocket(`${host.origin.replace('http', 'ws')}/bridge`, {
      headers: { cookie, origin: host.origin },
    });
    await new Promise((ok, fail) => {
      ws.once('open', ok);
      ws.once('error', fail);
    });
    const frames: string[] = [];
    ws.on('message', (raw: Buffer) => frames.push(raw.toString('utf8')));
    try {
      ws.send(JSON.stringify({ t: 'call', id: 1, name: 'map.snapshot', args: [] }));
      await expect
        .poll(() => frames.some((f) => f.startsWith('{"t":"answer","id":1')), { timeout: 10_000 })
        .toBe(true);
      const text = frames.find((f) => f.startsWith('{"t":"answer","id":1'))!;
      expect(text).toContain('"$typed":"Float64Array"');
      const answer = (decodeTypedJson(JSON.parse(text)) as { answer: { ok: boolean; data: MapSnapshot } })
        .answer;
      expect(answer.ok).toBe(true);
      const viaHost = answer.data;
      const direct = await data.call('map.snapshot');
      expect(viaHost.cases.lon).toBeInstanceOf(Float64Array);
      expect(viaHost.cases.grid).toBeInstanceOf(Uint16Array);
      expect(viaHost.officers.heading).toBeInstanceOf(Float32Array);
      expect(viaHost.cameras.online).toBeInstanceOf(Uint8Array);
      expect(viaHost).toEqual(direct);

      // An event: a fix pushed by the server reaches the socket as a positions.batch.
      const officer = area.a.officers[2];
      const fix: OfficerFix = {
        officerId: officer.id,
        status: 'sos',
        lon: area.a.point[0],
        lat: area.a.point[1],
        heading: 45,
        at: Date.now() + 500_000,
      };
      t.server.telemetry.report(fix);
      await expect
        .poll(() => frames.some((f) => f.includes('"name":"positions.batch"')), { timeout: 5_000 })
        .toBe(true);
      const event = decodeTypedJson(
        JSON.parse(frames.find((f) => f.includes('"name":"positions.batch"'))!),
      ) as {
        payload: PositionBatch;
      };
      const b = event.payload;
      expect(b.index).toBeInstanceOf(Uint32Array);
      expect(b.version).toBe(direct.version);
      const k = [...b.index].indexOf(direct.officers.ids.indexOf(officer.id));
      expect(k).toBeGreaterThanOrEqual(0);
      expect(MAP_OFFICER_STATUSES[b.status[k]]).toBe('sos');
      expect(b.heading[k]).toBe(45);
      expect(b.fixAt[k]).toBe(fix.at);
    } finally {
      ws.close();
    }
  });
});
