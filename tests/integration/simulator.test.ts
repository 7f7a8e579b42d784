// The field simulator inside a real server (random loopback port, temp data dir, the small demo
// dataset) at high speed: officers report and self-handle cases through the command path, walk
// inside their home grids, sign for a case a console dispatches to one of them, and give
// feedback with a real PNG the server serves back.
import { crc32, inflateSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shanghaiMs } from '../../src-shared/domain/calendar';
import type { Case, CaseEvent, OfficerFix } from '../../src-shared/protocol/entities';
import { uuidv7 } from '../../src-shared/util/ids';
import {
  FieldSimulator,
  readCategoryWeights,
  type SimulatorServer,
} from '../../src-server/simulator/field-simulator';
import { SMALL_DATASET_DIR } from '../support/datasets';
import { pointInGrid } from '../support/fixtures';
import {
  connectConsole,
  login,
  startTestServer,
  type TestConsole,
  type TestServer,
} from '../support/server-client';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitFor<T>(what: string, probe: () => T | null | undefined, timeoutMs = 60_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = probe();
    if (v !== null && v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

/** Checks a PNG the way a decoder would: signature, chunk CRCs, IHDR, and the inflated size. */
function parsePng(bytes: Buffer): { width: number; height: number } {
  expect(bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))).toBe(
    true,
  );
  let off = 8;
  let width = 0;
  let height = 0;
  const idat: Buffer[] = [];
  let ended = false;
  while (off < bytes.length) {
    const len = bytes.readUInt32BE(off);
    const type = bytes.toString('latin1', off + 4, off + 8);
    expect(bytes.readUInt32BE(off + 8 + len), `CRC of ${type}`).toBe(
      crc32(bytes.subarray(off + 4, off + 8 + len)),
    );
    const data = bytes.subarray(off + 8, off + 8 + len);
    if (type === 'IHDR') {
      width = data.readUInt32BE(0);
      height = data.readUInt32BE(4);
      expect([data[8], data[9]]).toEqual([8, 2]); // 8-bit truecolour
    } else if (type === 'IDAT') idat.push(data);
    else if (type === 'IEND') ended = true;
    off += 12 + len;
  }
  expect(ended).toBe(true);
  expect(inflateSync(Buffer.concat(idat)).length).toBe((width * 3 + 1) * height);
  return { width, height };
}

describe('field simulator', () => {
  let t: TestServer;
  let sim: FieldSimulator;
  let townConsole: TestConsole;
  let townToken: string;
  let townCode: string;
  const startSeq = { value: 0 };
  const fixes: OfficerFix[] = [];
  const initial = new Map<string, { lon: number; lat: number }>();
  const logLines: string[] = [];

  beforeAll(async () => {
    t = await startTestServer();
    const { server } = t;
    for (const f of server.telemetry.all()) initial.set(f.officerId, { lon: f.lon, lat: f.lat });
    // The simulator's handle on the server, with one report sent under an unknown category so the
    // real command path rejects it: the simulator must log that and carry on.
    let tampered = false;
    const handle: SimulatorServer = {
      ref: server.ref,
      db: server.db,
      events: server.events,
      telemetry: server.telemetry,
      photos: server.photos,
      inspections: server.inspections,
      execute: (userId, clientId, command) => {
        if (command.type === 'report' && !tampered) {
          tampered = true;
          return server.execute(userId, clientId, {
            ...command,
            payload: { ...command.payload, categoryCode: '99999' },
          });
        }
        return server.execute(userId, clientId, command);
      },
    };
    // A Wednesday morning, so the day shift is out on patrol; ×600 = ten simulated minutes a second.
    sim = new FieldSimulator(handle, {
      seed: 'simulator-test',
      speed: 600,
      rateFactor: 0.1,
      simStart: shanghaiMs(2026, 3, 4, 9, 0),
      tickMs: 200,
      fixIntervalMs: 500,
      categoryWeights: readCategoryWeights(SMALL_DATASET_DIR),
      log: (line) => logLines.push(line),
      desks: false, // a quiet world: this test drives the desk itself (desk-simulator.test.ts has them on)
    });
    townCode = [...server.ref.grids.values()][0].townCode;
    townToken = await login(server, `${townCode}.dispatcher`);
    townConsole = await connectConsole(server, townToken);
    townConsole.socket.on('telemetry.batch', (batch: { fixes: OfficerFix[] }) => fixes.push(...batch.fixes));
    startSeq.value = server.events.headSeq();
    sim.start();
    // Running: officers moving (fixes pushed to the town console) and the first tick done.
    await waitFor('the first telemetry push', () => (fixes.length > 0 ? true : null));
  });

  afterAll(async () => {
    sim?.stop();
    townConsole?.close();
    await t?.dispose();
  });

  it('reports and self-handles cases through the command path at the configured rate', async () => {
    // Ticks run late on a loaded machine (the first also plans the month's inspections): wait
    // for the cases rather than trusting a fixed sleep.
    // Hazards found on the inspection rounds' work orders are reported by the rounds, counted
    // apart (the order keeps the case it raised); the simulator's own 'inspection' finds count.
    const roundCases = (): Set<string> =>
      new Set(
        (
          t.server.db.prepare('SELECT case_id FROM inspection_orders WHERE case_id IS NOT NULL').all() as {
            case_id: string;
          }[]
        ).map((r) => r.case_id),
      );
    const createdNow = (): CaseEvent[] => {
      const fromRounds = roundCases();
      return t.server.events
        .after(t.server.ref.cityCode, startSeq.value, 100_000)
        .events.filter((e) => e.type === 'case.reported' || e.type === 'case.self_handled')
        .filter((e) => !fromRounds.has(e.caseId));
    };
    await expect
      .poll(() => createdNow().filter((e) => e.type === 'case.self_handled').length, { timeout: 60_000 })
      .toBeGreaterThan(0);
    await expect.poll(() => createdNow().length, { timeout: 60_000 }).toBeGreaterThan(5);
    const before = sim.stats.reported + sim.stats.selfHandled;
    const created = createdNow();
    const after = sim.stats.reported + sim.stats.selfHandled;
    // Every case the simulator counts went through the command path (and nothing else did).
    expect(created.length).toBeGreaterThanOrEqual(before);
    expect(created.length).toBeLessThanOrEqual(after);
    const selfHandled = created.filter((e) => e.type === 'case.self_handled');
    expect(selfHandled.length).toBeGreaterThan(0);
    for (const e of selfHandled) {
      const c = e.payload.case as Case;
      expect(e.actorRole).toBe('officer');
      expect(c.state).toBe('feedback');
      expect(c.afterPhotos).toHaveLength(1);
      expect(t.server.ref.officers.get(e.actorId)?.homeGridCode).toBe(c.gridCode); // found in their own grid
    }
    expect(new Set(created.map((e) => e.actorRole)).has('officer')).toBe(true);
    // Every command carried a real UUIDv7 and went through the same log as a console's.
    for (const e of created) expect(e.commandId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7/);
  });

  it('moves officers, and every fix stays inside the officer’s home grid', () => {
    const { ref, telemetry } = t.server;
    expect(fixes.length).toBeGreaterThan(100); // pushed live to the town console
    const check = (f: OfficerFix): void => {
      const home = ref.officers.get(f.officerId)?.homeGridCode;
      if (!home) return;
      expect(ref.pointIndex.lookup(f.lon, f.lat)?.gridCode, `${f.officerId} at ${f.lon},${f.lat}`).toBe(home);
    };
    fixes.forEach(check);
    telemetry.all().forEach(check);
    let moved = 0;
    for (const f of telemetry.all()) {
      const before = initial.get(f.officerId);
      if (before && (before.lon !== f.lon || before.lat !== f.lat)) moved++;
    }
    expect(moved).toBeGreaterThan(1_000);
    const statuses = new Set(telemetry.all().map((f) => f.status));
    expect(statuses.has('patrol')).toBe(true);
  });

  it('signs for a case dispatched to one of its officers and gives feedback with a PNG the server serves', async () => {
    const { server } = t;
    // An officer of this town on patrol, in a grid the dispatcher can see. The simulated clock
    // runs at ×600 whatever the machine's load, so this test may start in the squads' lunch hour
    // (12:00–13:30, nine real seconds): wait for one rather than expect one now.
    const officer = await waitFor('an officer of the town on patrol', () =>
      sim
        .fieldOfficers()
        .find((o) => o.gridCode.startsWith(townCode) && o.status === 'patrol' && o.duty === 'patrol'),
    );
    const officerId = officer.id;
    // The category with the shortest time limit keeps the simulated handling short.
    const category = [...server.ref.categories.values()].sort(
      (a, b) =>
        a.timeLimit.value * (a.timeLimit.unit === 'working_days' ? 7.5 : 1) -
        b.timeLimit.value * (b.timeLimit.unit === 'working_days' ? 7.5 : 1),
    )[0];
    const caseId = `T-${uuidv7()}`;
    const point = pointInGrid(server, officer.gridCode);
    const report = await townConsole.command('report', {
      caseId,
      categoryCode: category.code,
      source: 'hotline',
      description: '12345热线转办：测试派遣',
      address: '测试地址',
      lon: point[0],
      lat: point[1],
      photos: [],
    });
    expect(report.ok && (report.data as { status: string }).status).toBe('accepted');
    const verify = await townConsole.command('verify', { caseId }, 1);
    expect((verify.data as { status: string }).status).toBe('accepted');
    const dispatch = await townConsole.command(
      'dispatch',
      { caseId, assignee: { kind: 'officer', id: officerId } },
      2,
    );
    expect((dispatch.data as { status: string }).status).toBe('accepted');

    const history = (): CaseEvent[] => server.events.ofCase(caseId);
    const signed = await waitFor('the officer to sign for the case', () =>
      history().find((e) => e.type === 'case.signed_for'),
    );
    expect(signed.actorId).toBe(officerId);
    expect(signed.actorRole).toBe('officer');
    expect(signed.commandId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7/);
    const feedback = await waitFor('feedback on the case', () =>
      history().find((e) => e.type === 'case.feedback_given'),
    );
    expect(feedback.actorId).toBe(officerId);
    const after = (feedback.payload.case as Case).afterPhotos;
    expect(after).toHaveLength(1);
    // The handling took simulated time after the signature. (Not a lower bound in minutes: the
    // actions run on ticks, and at ×600 one tick late under a loaded CPU is ten simulated minutes.)
    expect(feedback.seq).toBeGreaterThan(signed.seq);
    expect(feedback.serverTime).toBeGreaterThan(signed.serverTime);

    const res = await fetch(`${server.url}/api/photos/${after[0]}`, {
      headers: { authorization: `Bearer ${townToken}` },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/png');
    const png = Buffer.from(await res.arrayBuffer());
    expect(parsePng(png)).toEqual({ width: 64, height: 48 });
    const { createHash } = await import('node:crypto');
    expect(createHash('sha256').update(png).digest('hex')).toBe(after[0]);
  });

  it('logs a rejected command and carries on', () => {
    expect(sim.stats.rejected).toBe(1);
    expect(logLines.filter((l) => l.includes('rejected'))).toEqual([
      expect.stringMatching(/^report C-\S+ by U-\S+ rejected: NOT_FOUND unknown category 99999/),
    ]);
    const later = t.server.events.after(t.server.ref.cityCode, startSeq.value, 5_000).events;
    expect(
      later.filter((e) => e.type === 'case.reported' || e.type === 'case.self_handled').length,
    ).toBeGreaterThan(5);
    expect(sim.isRunning).toBe(true);
  });
});
