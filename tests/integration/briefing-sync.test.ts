// The briefing's data path against a real server and real files: the server builds its
// rollups from the dataset's history + its store and caches the history beside server.sqlite; a
// village seat receives only its village's cells; the console's briefing matches the dataset
// counted row by row; a case reported through a console shows up in the next briefing; the
// stored copy serves the briefing offline; CSV/XLSX exports carry the figures.
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync, inflateRawSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DataService } from '../../src-main/data/data-service';
import type { BriefingRollups } from '../../src-shared/briefing/rollups';
import { CUBE_NAMES, NB, NF, NI } from '../../src-shared/briefing/rollups';
import { decodeBriefingSlice } from '../../src-shared/briefing/slice';
import { weekOfMs } from '../../src-shared/briefing/weeks';
import { readCaseHistory, readReferenceFiles } from '../../src-server/dataset/read-dataset';
import { DEMO_PASSWORD } from '../../src-server/dataset/import-dataset';
import {
  loginConsole,
  newConsoleDir,
  settled,
  testSecrets,
  type TestConsoleApp,
} from '../support/console-harness';
import { ensureSmallDataset } from '../support/datasets';
import { pickArea, reportPayload } from '../support/fixtures';
import { login, startTestServer, type TestServer } from '../support/server-client';

let t: TestServer;
let area: ReturnType<typeof pickArea>;
const apps: TestConsoleApp[] = [];
const services: DataService[] = [];

const serverLog: string[] = [];

beforeAll(async () => {
  t = await startTestServer({ log: (line) => serverLog.push(line) });
  area = pickArea(t.server, 3);
});

afterAll(async () => {
  for (const a of apps) await a.service.close();
  for (const s of services) await s.close();
  await t?.dispose();
});

/**
 * Non-voided history rows per village code (the dataset counted row by row, no rollups), those
 * reported before the import's cut (the history reaches the minute the server started; what the
 * dataset holds after it never happened).
 */
function datasetCasesByVillage(): Map<string, number> {
  const dir = ensureSmallDataset();
  const files = readReferenceFiles(dir);
  const cases = readCaseHistory(dir, files.manifest);
  const meta = (key: string): number =>
    Number((t.server.db.prepare('SELECT value FROM meta WHERE key = ?').get(key) as { value: string }).value);
  const cutMinute = Math.floor((meta('history_cut_ms') - meta('history_shift_ms')) / 60_000);
  const out = new Map<string, number>();
  for (let i = 0; i < cases.rowCount; i++) {
    if (cases.outcome[i] === 1 || cases.reportedAt[i] >= cutMinute) continue;
    const v = files.grids.grids[cases.grid[i]].villageCode;
    out.set(v, (out.get(v) ?? 0) + 1);
  }
  return out;
}

/** Villages holding any non-zero cell of any cube (catSource: towns). */
function villagesIn(r: BriefingRollups): { villages: Set<number>; sourceTowns: Set<number> } {
  const d = r.dims;
  const villages = new Set<number>();
  const sourceTowns = new Set<number>();
  const nDs = d.nDeptSlots;
  const villageOf: Record<string, (cell: number) => number> = {
    catVillage: (c) => c % d.nVillages,
    heat: (c) => Math.floor(c / 168),
    intake: (c) => Math.floor(c / NI),
    flow: (c) => Math.floor(c / (nDs * NF)),
    backlog: (c) => Math.floor(c / (nDs * NB)),
  };
  for (const name of CUBE_NAMES) {
    const cube = r[name];
    const range = cube.weekRange();
    if (range === null) continue;
    for (let w = range.first; w <= range.last; w++) {
      cube.forEachInWeek(w, (cell) => {
        if (name === 'catSource') sourceTowns.add(cell % d.nTowns);
        else villages.add(villageOf[name](cell));
      });
    }
  }
  return { villages, sourceTowns };
}

function totalCases(r: BriefingRollups): number {
  const range = r.catVillage.weekRange();
  let n = 0;
  if (range) for (let w = range.first; w <= range.last; w++) n += r.catVillage.weekTotal(w);
  return n;
}

describe('briefing rollups: server → console', () => {
  it('caches the history beside server.sqlite and serves a seat only its scope', async () => {
    expect(existsSync(join(t.dataDir, 'briefing-history.bin.gz'))).toBe(true);
    const token = await login(t.server, `${area.a.villageCode}.operator`);
    const res = await fetch(`${t.server.url}/api/briefing/rollups`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(res.status).toBe(200);
    const etag = res.headers.get('etag');
    expect(etag).toMatch(/^"briefing-/);
    const slice = decodeBriefingSlice(new Uint8Array(gunzipSync(new Uint8Array(await res.arrayBuffer()))));
    expect(slice.header.scopeCode).toBe(area.a.villageCode);
    const own = slice.rollups.dims.village(area.a.villageCode);
    const seen = villagesIn(slice.rollups);
    // The village's own cells, nobody else's; no per-town source counts (they would show neighbours).
    expect([...seen.villages]).toEqual([own]);
    expect(seen.sourceTowns.size).toBe(0);
    // The same cells as counted straight from the dataset: every non-voided row of the village
    // (closed history rows plus the open ones that became live cases).
    expect(totalCases(slice.rollups)).toBe(datasetCasesByVillage().get(area.a.villageCode));
    // The city's weekly totals come along for the level trend; they are aggregates.
    expect(slice.header.cityWeekTotals.length).toBeGreaterThan(4);

    const again = await fetch(`${t.server.url}/api/briefing/rollups`, {
      headers: { authorization: `Bearer ${token}`, 'if-none-match': etag! },
    });
    expect(again.status).toBe(304);
    const anonymous = await fetch(`${t.server.url}/api/briefing/rollups`);
    expect(anonymous.status).toBe(401);
  });

  it('a restarted server reads the history from its cache and serves the same rollups', async () => {
    const cache = join(t.dataDir, 'briefing-history.bin.gz');
    const before = statSync(cache).mtimeMs;
    expect(serverLog.some((l) => /briefing: rollups of \d+ history rows \(ingested\)/.test(l))).toBe(true);
    const token = await login(t.server, `${area.b.villageCode}.operator`);
    const get = async () => {
      const ask = () =>
        fetch(`${t.server.url}/api/briefing/rollups`, { headers: { authorization: `Bearer ${token}` } });
      // After a restart on the same port the first request may land on a stale keep-alive socket.
      const res = await ask().catch(ask);
      return decodeBriefingSlice(new Uint8Array(gunzipSync(new Uint8Array(await res.arrayBuffer()))));
    };
    const first = await get();
    serverLog.length = 0;
    await t.restart();
    expect(serverLog.some((l) => /briefing: rollups of \d+ history rows \(cache\)/.test(l))).toBe(true);
    expect(statSync(cache).mtimeMs).toBe(before);
    const second = await get();
    expect(totalCases(second.rollups)).toBe(totalCases(first.rollups));
    expect(second.header.cityWeekTotals).toEqual(first.header.cityWeekTotals);
  });

  it('a town seat gets its villages and its own source counts; the city total matches the dataset', async () => {
    const token = await login(t.server, `${area.townCode}.leader`);
    const res = await fetch(`${t.server.url}/api/briefing/rollups`, {
      headers: { authorization: `Bearer ${token}` },
    });
    const slice = decodeBriefingSlice(new Uint8Array(gunzipSync(new Uint8Array(await res.arrayBuffer()))));
    const d = slice.rollups.dims;
    const seen = villagesIn(slice.rollups);
    for (const v of seen.villages) expect(d.data.towns[d.villageTown[v]].code).toBe(area.townCode);
    expect([...seen.sourceTowns]).toEqual([d.town(area.townCode)]);
    const byVillage = datasetCasesByVillage();
    let expected = 0;
    for (const [code, n] of byVillage) if (code.startsWith(area.townCode)) expected += n;
    expect(totalCases(slice.rollups)).toBe(expected);
    const cityTotal = slice.header.cityWeekTotals.reduce((s, [, n]) => s + n, 0);
    expect(cityTotal).toBe([...byVillage.values()].reduce((s, n) => s + n, 0));
  });

  it('the console analyses its copy, sees a newly reported case, and works offline from disk', async () => {
    const dir = newConsoleDir();
    const app = await loginConsole(t.server, `${area.a.villageCode}.operator`, dir);
    apps.push(app);
    await settled(app);
    const status = await app.service.briefing.status();
    expect(status).toMatchObject({
      available: true,
      fresh: true,
      scopeCode: area.a.villageCode,
      level: 'village',
    });
    expect(status.weeks.length).toBeGreaterThan(4);
    expect(existsSync(join(dir, 'seats'))).toBe(true);

    const thisWeek = weekOfMs(Date.now());
    const before = app.service.briefing.analyse(thisWeek, null);
    expect(before.scope.code).toBe(area.a.villageCode);
    const last = app.service.briefing.analyse(null, null);
    expect(last.week).toBe(status.defaultWeek);
    expect(last.trend.length).toBeLessThanOrEqual(1000);

    // A new case in the village, through the console's own outbox and the real server.
    const q = app.service.cases.queue('report', reportPayload('BR-LIVE-1', area.a.point));
    expect(q.ok).toBe(true);
    await settled(app);
    const refreshed = await app.service.briefing.status(true);
    expect(refreshed.fresh).toBe(true);
    const after = app.service.briefing.analyse(thisWeek, null);
    expect(after.totals.cases).toBe(before.totals.cases + 1);
    const major = after.totals.byMajor.find((m) => m.code === '01')!;
    expect(major.count).toBe(before.totals.byMajor.find((m) => m.code === '01')!.count + 1);
    // Drill-down from the category figure finds the case in the console's cache.
    const drill = app.service.briefing.drill({
      scopeCode: area.a.villageCode,
      majorCode: '01',
      fromMs: after.fromMs,
      toMs: after.toMs,
    });
    expect(drill.cases.map((c) => c.id)).toContain('BR-LIVE-1');

    // Exports: CSV with a BOM and Chinese headings; XLSX a zip whose sheet holds the figures.
    const csv = Buffer.from(app.service.briefing.export('csv', thisWeek, null, 'zh-CN').base64, 'base64');
    expect([...csv.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const csvText = csv.toString('utf8');
    expect(csvText).toContain('# 概况');
    expect(csvText).toContain(`本周事件,${after.totals.cases}`);
    const xlsx = Buffer.from(app.service.briefing.export('xlsx', thisWeek, null, 'zh-CN').base64, 'base64');
    const sheet1 = unzipEntry(xlsx, 'xl/worksheets/sheet1.xml');
    expect(sheet1).toContain('本周事件');
    expect(sheet1).toContain(`<v>${after.totals.cases}</v>`);
    expect(unzipEntry(xlsx, 'xl/workbook.xml')).toContain('约谈名单');

    // Offline: the server is gone; a fresh start of the same seat reads the stored copy.
    await app.service.close();
    await t.stop();
    const offline = new DataService({
      secrets: testSecrets,
      dataDir: dir,
      serverUrl: t.server.url,
      requestTimeoutMs: 2_000,
      retryDelayMs: 50,
    });
    services.push(offline);
    const resumed = await offline.login(`${area.a.villageCode}.operator`, DEMO_PASSWORD);
    expect(resumed.ok).toBe(true);
    const offStatus = await offline.briefing.status(true);
    expect(offStatus).toMatchObject({ available: true, fresh: false, scopeCode: area.a.villageCode });
    expect(offStatus.reason).not.toBeNull();
    expect(offline.briefing.analyse(thisWeek, null).totals.cases).toBe(after.totals.cases);
    await t.start();
  });
});

/** One entry of a zip (local headers walked from the start; deflate or stored). */
function unzipEntry(zip: Buffer, name: string): string {
  let p = 0;
  while (zip.readUInt32LE(p) === 0x04034b50) {
    const method = zip.readUInt16LE(p + 8);
    const size = zip.readUInt32LE(p + 18);
    const nameLen = zip.readUInt16LE(p + 26);
    const extra = zip.readUInt16LE(p + 28);
    const entry = zip.subarray(p + 30, p + 30 + nameLen).toString('utf8');
    const data = zip.subarray(p + 30 + nameLen + extra, p + 30 + nameLen + extra + size);
    if (entry === name) return (method === 8 ? inflateRawSync(data) : data).toString('utf8');
    p += 30 + nameLen + extra + size;
  }
  throw new Error(`no ${name} in the zip`);
}
