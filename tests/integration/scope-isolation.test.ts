// Issue 14, "must show": the scope-isolation property test. Seats of every role and level send
// thousands of seeded requests — every socket event and HTTP route — naming ids drawn from other
// scopes. The oracle does not list expected codes: it tokenises the bytes of every answer and
// every push a seat receives and looks for identifiers (case ids, photo hashes, planted texts,
// camera ids, officer numbers) of entities that seat's role may never see. Identifiers the
// request itself carried are allowed back (an echo tells the sender nothing new).
import { writeFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Case, Department, Officer } from '../../src-shared/protocol/entities';
import { townUnitCode, villageCommitteeCode } from '../../src-shared/domain/handling-units';
import { SNAPSHOT_KINDS } from '../../src-shared/protocol/messages';
import { uuidv7 } from '../../src-shared/util/ids';
import { renderScenePhoto } from '../../src-server/simulator/png';
import { pickArea, reportPayload } from '../support/fixtures';
import {
  connectConsole,
  login,
  startTestServer,
  type TestConsole,
  type TestServer,
} from '../support/server-client';

const SEED = 0x1414;
const REQUESTS = Number(process.env.SCOPE_REQUESTS ?? 5_000);

/** mulberry32: small, seeded, good enough to draw test inputs. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Runs of letters, digits, '-' and '_' (case ids, hashes, uuids, camera ids, numbers). */
const tokens = (text: string): Set<string> => new Set(text.match(/[A-Za-z0-9_-]{2,}/g) ?? []);

interface SeatRef {
  name: string;
  userName: string;
  /** The test's own statement of what this seat may see (not the server's code). */
  sees(c: Case): boolean;
  seesCamera(cam: { gridCode: string; villageCode: string; townCode: string }): boolean;
  seesOfficer(o: Officer): boolean;
  /** Handling units (issue 17 §3): town departments and village committees it may see. */
  seesUnit(u: Department): boolean;
  console?: TestConsole;
  token?: string;
}

interface Observation {
  seat: SeatRef;
  what: string;
  /** Tokens of the answer that the request did not carry. */
  got: Set<string>;
}

let t: TestServer;
const observations: Observation[] = [];

afterAll(async () => {
  for (const o of seatsForCleanup) o.console?.close();
  await t?.dispose();
});
const seatsForCleanup: SeatRef[] = [];

beforeAll(async () => {
  t = await startTestServer();
});

describe('scope isolation (property)', () => {
  it(`no answer or push carries an identifier outside the seat's view (${REQUESTS} seeded requests)`, async () => {
    const started = Date.now();
    const s = t.server;
    const random = rng(SEED);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)];
    const areaA = pickArea(s, 0);
    const areaC = pickArea(s, 1);
    const officers = [...s.ref.officers.values()];
    const gridOfficer = areaA.a.officers[0];
    const handlerOfficer = officers.find((o) => o.kind === 'department')!;
    const mobileOfficer = officers.find((o) => o.kind === 'mobile')!;
    // The handler of village a's committee 村（社区）委会 (a unit made from the division tree).
    const committeeA = villageCommitteeCode(areaA.a.villageCode);
    const committeeOfficer = s.ref.officers.get(`H-${committeeA}`)!;
    const units = [...s.ref.departments.values()];
    const cityBureau = (u: Department): boolean => u.scopeCode === undefined;
    const involved = (id: string, c: Case): boolean =>
      c.reporterId === id || c.handlerId === id || (c.assignee?.kind === 'officer' && c.assignee.id === id);
    const nothing = (): boolean => false;
    const seats: SeatRef[] = [
      {
        name: 'city',
        userName: 'city.dispatcher',
        sees: () => true,
        seesCamera: () => true,
        seesOfficer: () => true,
        seesUnit: () => true,
      },
      ...[areaA.townCode, areaC.townCode].map((town) => ({
        name: `town ${town}`,
        userName: `${town}.dispatcher`,
        sees: (c: Case) => c.townCode === town,
        seesCamera: (k: { townCode: string }) => k.townCode === town,
        seesOfficer: (o: Officer) => o.townCode === town || o.townCode === null,
        seesUnit: (u: Department) => cityBureau(u) || u.scopeCode!.startsWith(town),
      })),
      {
        // the duty leader who decides 缓办/延期/退单 requests (issue 17) for town A's cases
        name: `leader ${areaA.townCode}`,
        userName: `${areaA.townCode}.leader`,
        sees: (c: Case) => c.townCode === areaA.townCode,
        seesCamera: (k: { townCode: string }) => k.townCode === areaA.townCode,
        seesOfficer: (o: Officer) => o.townCode === areaA.townCode || o.townCode === null,
        seesUnit: (u: Department) => cityBureau(u) || u.scopeCode!.startsWith(areaA.townCode),
      },
      ...[areaA.a.villageCode, areaA.b.villageCode, areaC.a.villageCode].map((village) => ({
        name: `village ${village}`,
        userName: `${village}.operator`,
        sees: (c: Case) => c.villageCode === village,
        seesCamera: (k: { villageCode: string }) => k.villageCode === village,
        seesOfficer: (o: Officer) => o.villageCode === village || o.townCode === null,
        // its own committee and its town's departments, never another village's committee
        seesUnit: (u: Department) =>
          cityBureau(u) || u.scopeCode === village || u.scopeCode === village.slice(0, 9),
      })),
      {
        name: 'grid officer',
        userName: gridOfficer.number,
        sees: (c) => c.gridCode === gridOfficer.homeGridCode || involved(gridOfficer.id, c),
        seesCamera: (k) => k.gridCode === gridOfficer.homeGridCode,
        seesOfficer: (o) => o.id === gridOfficer.id,
        seesUnit: (u) => cityBureau(u) || gridOfficer.homeGridCode!.startsWith(u.scopeCode!),
      },
      {
        name: 'department handler',
        userName: handlerOfficer.number,
        sees: (c) =>
          (c.assignee?.kind === 'department' && c.assignee.id === handlerOfficer.departmentCode) ||
          involved(handlerOfficer.id, c),
        seesCamera: nothing,
        seesOfficer: (o) => o.id === handlerOfficer.id,
        seesUnit: cityBureau,
      },
      {
        // 联合执法: a co-unit's handler sees the cases its committee leads or assists
        name: 'committee handler',
        userName: committeeOfficer.number,
        sees: (c) =>
          (c.assignee?.kind === 'department' && c.assignee.id === committeeA) ||
          (c.coUnits ?? []).includes(committeeA) ||
          involved(committeeOfficer.id, c),
        seesCamera: nothing,
        seesOfficer: (o) => o.id === committeeOfficer.id,
        seesUnit: (u) => cityBureau(u) || u.code === committeeA,
      },
      {
        name: 'mobile squad',
        userName: mobileOfficer.number,
        sees: (c) => involved(mobileOfficer.id, c),
        seesCamera: nothing,
        seesOfficer: (o) => o.id === mobileOfficer.id,
        seesUnit: cityBureau,
      },
      {
        name: 'citizen app',
        userName: 'citizen.app',
        sees: (c) => c.reporterId === 'U-citizen',
        seesCamera: nothing,
        seesOfficer: nothing,
        seesUnit: cityBureau,
      },
    ];
    seatsForCleanup.push(...seats);
    for (const seat of seats) {
      seat.token = await login(s, seat.userName);
      seat.console = await connectConsole(s, seat.token);
      const c = seat.console;
      c.socket.onAny((name: string, payload: unknown) => {
        observations.push({ seat, what: `push ${name}`, got: tokens(JSON.stringify(payload ?? null)) });
      });
    }
    const byName = (n: string): SeatRef => seats.find((x) => x.name.startsWith(n))!;

    // ---- plant: cases with a secret text and a photo in three villages, some dispatched ----
    const planted: string[] = [];
    const photos: string[] = [];
    const villages = [
      { seat: byName(`village ${areaA.a.villageCode}`), point: areaA.a.point },
      { seat: byName(`village ${areaA.b.villageCode}`), point: areaA.b.point },
      { seat: byName(`village ${areaC.a.villageCode}`), point: areaC.a.point },
    ];
    for (const [i, v] of villages.entries()) {
      for (let k = 0; k < 4; k++) {
        const id = `P${i}${k}${uuidv7().slice(-8)}`;
        const photoRes = await fetch(`${s.url}/api/photos`, {
          method: 'POST',
          headers: { authorization: `Bearer ${v.seat.token}`, 'content-type': 'image/png' },
          body: new Uint8Array(renderScenePhoto(id, 'before')),
        });
        const hash = ((await photoRes.json()) as { data: { hash: string } }).data.hash;
        photos.push(hash);
        const ack = await v.seat.console!.command(
          'report',
          reportPayload(id, v.point, {
            description: `机密-${uuidv7()}`,
            address: `地址-${uuidv7()}`,
            photos: [hash],
          }),
        );
        expect(ack.ok).toBe(true);
        planted.push(id);
      }
    }
    // One case of town C dispatched to the handler's department, one to the mobile squad, one to
    // the grid officer (outside its grid), and a citizen report.
    const townC = byName(`town ${areaC.townCode}`).console!;
    const current = (id: string): Case => s.commands.store.get(id)!;
    const dispatchTo = async (id: string, assignee: { kind: string; id: string }): Promise<void> => {
      await townC.command('verify', { caseId: id }, current(id).version);
      const ack = await townC.command('dispatch', { caseId: id, assignee }, current(id).version);
      expect(ack.ok).toBe(true);
    };
    // 一事多报 (issue 18): town A merges two of village a's reports into a third and un-merges
    // one, so merge pushes reach every seat's observer (the fuzz adds more at random).
    const townA = byName(`town ${areaA.townCode}`).console!;
    for (const dup of [planted[1], planted[2]]) {
      const m = await townA.command('merge', { caseId: dup, primaryId: planted[0], reason: '一事多报' });
      expect(JSON.stringify(m)).toContain('"accepted"');
    }
    expect(
      JSON.stringify(await townA.command('unmerge', { caseId: planted[1], reason: '不同问题' })),
    ).toContain('"accepted"');
    await dispatchTo(planted[8], { kind: 'department', id: handlerOfficer.departmentCode! });
    await dispatchTo(planted[9], { kind: 'officer', id: mobileOfficer.id });
    await dispatchTo(planted[10], { kind: 'officer', id: gridOfficer.id });
    // A town A case dispatched to the handler's department with a 缓办 request waiting, so the
    // leader's approvals and refusals in the fuzz meet a case they may decide (issue 17).
    await townA.command('verify', { caseId: planted[3] }, current(planted[3]).version);
    const toDept = { kind: 'department', id: handlerOfficer.departmentCode! };
    await townA.command('dispatch', { caseId: planted[3], assignee: toDept }, current(planted[3]).version);
    const handlerConsole = byName('department handler').console!;
    await handlerConsole.command('signFor', { caseId: planted[3] }, current(planted[3]).version);
    const asked = await handlerConsole.command(
      'requestSuspend',
      { caseId: planted[3], reason: '等待业主' },
      current(planted[3]).version,
    );
    expect(asked.ok).toBe(true);
    expect(current(planted[3]).request?.kind).toBe('suspend');
    // Issue 17 §3: town A dispatches village a's merge primary jointly (its enforcement office
    // leads, village a's committee assists) and one of village b's cases to its housing office.
    await townA.command('verify', { caseId: planted[0] }, current(planted[0]).version);
    const joint = await townA.command(
      'dispatch',
      {
        caseId: planted[0],
        assignee: { kind: 'department', id: townUnitCode(areaA.townCode, 'zf') },
        coUnits: [committeeA],
      },
      current(planted[0]).version,
    );
    expect(JSON.stringify(joint)).toContain('"accepted"');
    await townA.command('verify', { caseId: planted[5] }, current(planted[5]).version);
    const toTownUnit = { kind: 'department', id: townUnitCode(areaA.townCode, 'zj') };
    await townA.command(
      'dispatch',
      { caseId: planted[5], assignee: toTownUnit },
      current(planted[5]).version,
    );
    expect(current(planted[5]).assignee).toEqual(toTownUnit);
    const citizenId = `PC${uuidv7().slice(-10)}`;
    await byName('citizen').console!.command(
      'report',
      reportPayload(citizenId, areaA.b.point, { source: 'citizen', description: `机密-${uuidv7()}` }),
    );
    planted.push(citizenId);

    // The place slices are built once per scope and cached (the city's holds ≈ 1M places, seconds
    // on a loaded machine): build them now, so a timeout in the fuzz means a hang, not a first build.
    for (const seat of seats)
      await fetch(`${s.url}/api/places`, { headers: { authorization: `Bearer ${seat.token}` } }).then((r) =>
        r.arrayBuffer(),
      );

    // ---- fuzz ----
    const allCaseIds = (s.db.prepare('SELECT id FROM cases').all() as { id: string }[]).map((r) => r.id);
    const cameras = s.db
      .prepare(
        'SELECT id, grid_code AS gridCode, village_code AS villageCode, town_code AS townCode FROM cameras',
      )
      .all() as {
      id: string;
      gridCode: string;
      villageCode: string;
      townCode: string;
    }[];
    const unitCodes = units
      .filter((u) => u.scopeCode?.startsWith(areaA.townCode) || u.scopeCode?.startsWith(areaC.townCode))
      .map((u) => u.code);
    const decoys = officers.filter((o) => o.kind === 'mobile' && o.id !== mobileOfficer.id).map((o) => o.id);
    const caseIdFor = (): string =>
      random() < 0.6 ? pick(planted) : random() < 0.9 ? pick(allCaseIds) : `NO${Math.floor(random() * 1e6)}`;
    const commandFor = (caseId: string): [string, Record<string, unknown>] => {
      const pt = pick(villages).point;
      switch (Math.floor(random() * 22)) {
        case 0:
          return ['verify', { caseId }];
        case 1:
          return ['void', { caseId, reason: '作废' }];
        case 2: {
          const r = random();
          if (r < 0.6) {
            // units of both towns, as lead and co-unit (issue 17 §3)
            const unit = (): string => pick(unitCodes);
            return ['dispatch', { caseId, assignee: { kind: 'department', id: unit() }, coUnits: [unit()] }];
          }
          return [
            'dispatch',
            { caseId, assignee: { kind: 'officer', id: r < 0.8 ? 'O-NOBODY' : pick(decoys) } },
          ];
        }
        case 3:
          return ['close', { caseId }];
        case 4:
          return ['signFor', { caseId }];
        case 5:
          // Half the orders are due in 1.8 s, so the scheduler's lapses and escalations (ticked
          // below) are pushed during the fuzz too.
          return [
            'supervise',
            random() < 0.5
              ? { caseId, note: '督办' }
              : { caseId, note: '督办', limit: { unit: 'hours', value: 0.0005 } },
          ];
        case 6:
          return ['addNote', { caseId, text: '备注' }];
        case 7:
          return ['editFields', { caseId, fields: { priority: 'urgent' } }];
        case 8:
          return ['report', reportPayload(caseId, pt)];
        case 9:
          return ['escalate', { caseId, reason: '上报' }];
        case 10:
          return ['delegate', { caseId, toCode: pick(villages.map((v) => v.seat.name.slice(8))) }];
        case 11:
          return ['addPhoto', { caseId, photo: pick(photos) }];
        case 12:
          return ['feedback', { caseId, result: '已处理', afterPhotos: [pick(photos)] }];
        case 13:
          return ['requestSuspend', { caseId, reason: '缓办' }];
        case 14:
          return ['requestReturn', { caseId, reason: '退单' }];
        case 15:
          return [
            'requestExtension',
            { caseId, reason: '延期', extension: { unit: 'working_days', value: 1 } },
          ];
        case 16:
          return ['approveRequest', { caseId }];
        // 一事多报 (issue 18): merge into a case drawn the same way, and un-merge.
        case 17:
          return ['merge', { caseId, primaryId: caseIdFor(), reason: '一事多报' }];
        case 18:
          return ['unmerge', { caseId, reason: '撤销合并' }];
        // 督办 orders (issue 17): 催办 and the supervised unit's answer, on orders S1–S3.
        case 19:
          return ['remindSupervision', { caseId, orderId: `S${1 + Math.floor(random() * 3)}`, note: '催办' }];
        case 20:
          return [
            'answerSupervision',
            { caseId, orderId: `S${1 + Math.floor(random() * 3)}`, text: '已回复' },
          ];
        default:
          return ['refuseRequest', { caseId, reason: '驳回' }];
      }
    };
    // Counts carry no identifiers for the token oracle: each figures answer must name the
    // seat's own scope (the areas below it are summed into it, never another area's).
    const figureAnswers: { seat: SeatRef; status: number; body: string }[] = [];
    const slow = new Map<string, number>();
    const one = async (): Promise<void> => {
      const t0 = Date.now();
      const seat = pick(seats);
      const c = seat.console!;
      const roll = random();
      let request: unknown;
      let answer: string;
      if (roll < 0.55) {
        const caseId = caseIdFor();
        const [type, payload] = commandFor(caseId);
        const version =
          random() < 0.5 ? (s.commands.store.get(caseId)?.version ?? 0) : Math.floor(random() * 5);
        request = [type, payload];
        answer = JSON.stringify(await c.command(type, payload, version));
      } else if (roll < 0.67) {
        request = pick(SNAPSHOT_KINDS);
        answer = JSON.stringify(await c.request('sync.snapshot', { kind: request, cursor: null }));
      } else if (roll < 0.75) {
        request = Math.floor(random() * (s.events.headSeq() + 1));
        answer = JSON.stringify(await c.request('sync.catchUp', { after: request }));
      } else if (roll < 0.78) {
        const o = pick(officers);
        request = o.id;
        answer = JSON.stringify(
          await c.request('telemetry.report', {
            officerId: o.id,
            status: 'patrol',
            lon: 113.7,
            lat: 23.0,
            heading: null,
            at: Date.now(),
          }),
        );
      } else {
        const routes = [
          () => `/api/photos/${pick(photos)}`,
          () => '/api/places',
          () => '/api/briefing/rollups',
          // The case desk's figures (issue 16): counts of the seat's own scope only.
          () => '/api/desk/figures',
          () => '/api/inspections/settings',
          // Generating a month of inspection orders takes minutes on this dataset: the order
          // routes are sent only by roles refused before generation (inspections-server covers
          // the scope of the rest).
          () =>
            seat.name.startsWith('department') ||
            seat.name.startsWith('mobile') ||
            seat.name.startsWith('citizen')
              ? pick([
                  `/api/inspections/orders?grid=${pick(cameras).gridCode}`,
                  '/api/inspections/coverage',
                  '/api/inspections/regrades?status=pending',
                ])
              : '/api/inspections/settings',
          () => `/live/${pick(cameras).id}/index.m3u8`,
          () => '/api/health',
          // A case's whole history (issue 18) and the briefing's drill-down, for foreign ids and areas.
          () => `/api/cases/${encodeURIComponent(caseIdFor())}/history`,
          () => 'POST /api/briefing/drill',
        ];
        let path = pick(routes)();
        let body: string | undefined;
        if (path.startsWith('POST ')) {
          path = path.slice(5);
          const area = pick(villages).seat.name.slice(8);
          // The last day: the planted cases were reported just now.
          const span = { fromMs: Date.now() - 86_400_000, toMs: Date.now() + 60_000 };
          body = JSON.stringify({
            filter:
              random() < 0.5
                ? { scopeCode: area, ...span }
                : { scopeCode: area.slice(0, 9), areaCode: area, ...span },
            limit: 50,
          });
        }
        request = body ? `${path} ${body}` : path;
        const res = await fetch(`${s.url}${path}`, {
          method: body ? 'POST' : path.startsWith('/live/') ? 'HEAD' : 'GET',
          body,
          headers: {
            authorization: `Bearer ${seat.token}`,
            connection: 'close',
            ...(body ? { 'content-type': 'application/json' } : {}),
          },
          signal: AbortSignal.timeout(60_000),
        }).catch((e: unknown) => {
          throw new Error(`${seat.name} ${path}: ${String(e)}`);
        });
        let bytes = Buffer.from(await res.arrayBuffer());
        if ((res.headers.get('content-type') ?? '').includes('gzip')) bytes = gunzipSync(bytes);
        answer = `${res.status} ${bytes.toString('latin1')}`;
        if (path === '/api/desk/figures')
          figureAnswers.push({ seat, status: res.status, body: bytes.toString() });
      }
      const asked = tokens(JSON.stringify(request));
      const got = tokens(answer);
      for (const k of asked) got.delete(k);
      observations.push({ seat, what: JSON.stringify(request).slice(0, 200), got });
      const key = `${seat.name.split(' ')[0]} ${JSON.stringify(request).slice(0, 30)}`;
      slow.set(key, (slow.get(key) ?? 0) + Date.now() - t0);
    };
    const IN_FLIGHT = 8;
    let sent = 0;
    await Promise.all(
      Array.from({ length: IN_FLIGHT }, async () => {
        while (sent < REQUESTS) {
          sent++;
          if (sent % 100 === 0) s.supervision.tick();
          await one();
        }
      }),
    );

    const fuzzMs = Date.now() - started;
    // The new 督办 paths were exercised: orders issued, reminded or answered, and lapsed by the server.
    const ofType = (type: string): number =>
      (s.db.prepare('SELECT count(*) AS n FROM events WHERE type = ?').get(type) as { n: number }).n;
    s.supervision.tick();
    expect(ofType('case.supervised')).toBeGreaterThan(0);
    expect(ofType('case.supervision_lapsed')).toBeGreaterThan(0);
    // ---- oracle: what each seat may never see, by the test's own rules, over every version ----
    const everVisible = (seat: SeatRef, id: string): boolean => {
      // An imported case's early log entries (written on first ask) carry no case: skip them.
      const versions = s.events
        .ofCase(id)
        .map((e) => e.payload.case as Case | undefined)
        .filter((c): c is Case => c !== undefined);
      const now = s.commands.store.get(id);
      if (now) versions.push(now);
      return versions.some((c) => seat.sees(c));
    };
    const leaks: string[] = [];
    for (const seat of seats) {
      const foreign = new Map<string, string>();
      for (const id of allCaseIds.concat(planted)) {
        if (everVisible(seat, id)) continue;
        const c = s.commands.store.get(id)!;
        foreign.set(id, `case ${id}`);
        for (const h of [...c.photos, ...c.afterPhotos]) foreign.set(h, `photo of case ${id}`);
        for (const text of [c.description, c.address])
          for (const k of tokens(text)) if (k.length >= 20) foreign.set(k, `text of case ${id}`);
      }
      // A photo is foreign when no case the seat may see names it (the cases' final state). A
      // merge joins reports of one grid only (case-merge.ts MERGE_OTHER_GRID), so whoever sees a
      // primary sees its duplicates too, before and after an un-merge. The citizen app gets its
      // own report without the reports merged into it (auth/visibility.ts caseFor), so their
      // photos stay foreign to it.
      // The whole history of a case the seat may see is its to read (the history route, catch-up
      // of a case that became its — a co-unit of a joint dispatch 联合执法 gets the case's earlier
      // versions too), so every version's photos count, not only the final state's: a primary
      // holds a duplicate's photos between a merge and its un-merge.
      const citizenApp = seat.name.startsWith('citizen');
      for (const id of allCaseIds.concat(planted)) {
        if (!everVisible(seat, id)) continue;
        const versions = s.events
          .ofCase(id)
          .map((e) => e.payload.case as Case | undefined)
          .filter((c): c is Case => c !== undefined);
        for (const c of [...versions, s.commands.store.get(id)!]) {
          const merged = new Set(citizenApp ? (c.mergedFrom ?? []).flatMap((m) => m.photos) : []);
          for (const h of [...c.photos, ...c.afterPhotos]) if (!merged.has(h)) foreign.delete(h);
        }
      }
      for (const cam of cameras) if (!seat.seesCamera(cam)) foreign.set(cam.id, `camera ${cam.id}`);
      // Officers: those of the seat's reach, and anyone named on a case the seat may see.
      const named = new Set<string>();
      for (const id of allCaseIds.concat(planted)) {
        if (!everVisible(seat, id)) continue;
        for (const e of s.events.ofCase(id)) {
          const c = e.payload.case as Case | undefined;
          if (!c) continue;
          for (const x of [c.reporterId, c.handlerId, c.assignedBy, c.assignee?.id]) if (x) named.add(x);
        }
      }
      for (const o of officers)
        if (!seat.seesOfficer(o) && !named.has(o.id)) foreign.set(o.number, `officer ${o.number}`);
      // Units: those the seat may see, and any unit named on a case it may see (lead or co-unit).
      const namedUnits = new Set<string>();
      for (const id of allCaseIds.concat(planted)) {
        if (!everVisible(seat, id)) continue;
        for (const e of s.events.ofCase(id)) {
          const c = e.payload.case as Case | undefined;
          if (c?.assignee?.kind === 'department') namedUnits.add(c.assignee.id);
          for (const u of c?.coUnits ?? []) namedUnits.add(u);
        }
      }
      for (const u of units)
        if (!seat.seesUnit(u) && !namedUnits.has(u.code)) foreign.set(u.code, `unit ${u.code}`);
      for (const obs of observations) {
        if (obs.seat !== seat) continue;
        for (const k of obs.got) {
          const what = foreign.get(k);
          if (what) leaks.push(`${seat.name} got ${what} in ${obs.what}`);
        }
      }
    }
    const ms = Date.now() - started;
    if (process.env.SCOPE_PROFILE)
      writeFileSync(
        process.env.SCOPE_PROFILE,
        JSON.stringify([...slow].sort((a, b) => b[1] - a[1]).slice(0, 14)),
      );
    console.log(
      `[scope-isolation] ${REQUESTS} requests + ${observations.length - REQUESTS} pushes from ${seats.length} seats in ${ms} ms (requests ${fuzzMs} ms); ${leaks.length} leaks`,
    );
    if (leaks.length > 0) console.log(`[scope-isolation] leaks:\n${leaks.slice(0, 40).join('\n')}`);
    expect(leaks.slice(0, 20)).toEqual([]);
    const scopeOf = (seat: SeatRef): string | null =>
      seat.name === 'city'
        ? s.ref.cityCode
        : /^(town|leader|village) /.test(seat.name)
          ? seat.name.split(' ')[1]
          : null;
    const wrongFigures = figureAnswers.filter((a) => {
      const scope = scopeOf(a.seat);
      if (scope === null) return a.status !== 403;
      return (
        a.status !== 200 || (JSON.parse(a.body) as { data: { scopeCode: string } }).data.scopeCode !== scope
      );
    });
    expect(figureAnswers.length).toBeGreaterThan(20);
    expect(wrongFigures.map((a) => `${a.seat.name}: ${a.status} ${a.body.slice(0, 80)}`)).toEqual([]);
    // The fuzz did merge and un-merge cases (一事多报), so their events were among the pushes.
    const mergeEvents = s.db
      .prepare(
        "SELECT type, count(*) AS n FROM events WHERE type IN ('case.duplicate_merged', 'case.duplicate_unmerged') GROUP BY type",
      )
      .all() as { type: string; n: number }[];
    expect(mergeEvents.map((r) => r.type).sort()).toEqual([
      'case.duplicate_merged',
      'case.duplicate_unmerged',
    ]);
    expect(observations.length).toBeGreaterThanOrEqual(REQUESTS);
    // The joint dispatch and the unit dispatches were among what the seats received.
    expect(s.commands.store.get(planted[0])!.coUnits).toEqual([committeeA]);
    expect(ofType('case.dispatched')).toBeGreaterThan(3);
  }, 240_000);
});
