// A seeded, replayable fault-injection scenario: 3–5 consoles with real SQLite files and a real
// server; random actions (including concurrent dispatches of the same case and field officers
// acting on their phones), cut links, answers lost after the server committed, console restarts
// from the same files and server restarts. After healing, an oracle checks that nothing was
// lost or applied twice and that every console agrees with the server on its scope.
// Used by tests/integration/sync-faults.test.ts (≥ 200 seeds) and bench/sync-soak.ts.
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { allowedActions, type Actor } from '../../src-shared/domain/case-workflow';
import { createRng, type Rng } from '../../src-shared/domain/geo';
import { closingChecklist } from '../../src-shared/domain/work-rules';
import type { Role } from '../../src-shared/domain/case-model';
import type { CommandAnswer, CommandType } from '../../src-shared/protocol/commands';
import type { Case, CaseEvent } from '../../src-shared/protocol/entities';
import { uuidv7 } from '../../src-shared/util/ids';
import type { OutboxEntry } from '../../src-main/data/outbox-store';
import { loginConsole, openConsole, settled, type TestConsoleApp } from './console-harness';
import { pickArea, reportPayload } from './fixtures';
import type { TestServer } from './server-client';

export interface SeatTemplate {
  userName: string;
  scopeCode: string;
  /** A logged-in data dir whose session.json new consoles copy (no scrypt per seed). */
  sessionDir: string;
}

export interface ScenarioWorld {
  t: TestServer;
  area: ReturnType<typeof pickArea>;
  seats: SeatTemplate[];
}

export async function prepareWorld(t: TestServer, townIndex = 7): Promise<ScenarioWorld> {
  const area = pickArea(t.server, townIndex);
  const names = [
    `${area.townCode}.dispatcher`,
    `${area.a.villageCode}.operator`,
    `${area.b.villageCode}.operator`,
    `${area.townCode}.checker`,
    // decides the officers' 缓办 requests
    `${area.townCode}.leader`,
  ];
  const seats: SeatTemplate[] = [];
  for (const userName of names) {
    const app = await loginConsole(t.server, userName);
    const seat = app.service.currentSeat!;
    await app.service.close();
    seats.push({ userName, scopeCode: seat.scopeCode, sessionDir: app.dataDir });
  }
  return { t, area, seats };
}

interface Running {
  app: TestConsoleApp;
  seat: SeatTemplate;
  rng: Rng;
  queued: string[];
}

export interface ScenarioReport {
  seed: number;
  consoles: number;
  queued: number;
  confirmed: number;
  rejected: number;
  lostAnswers: number;
  consoleRestarts: number;
  serverRestarts: number;
  cuts: number;
  ms: number;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function startConsole(world: ScenarioWorld, seat: SeatTemplate, dir: string, rng: Rng): Promise<Running> {
  const app = openConsole(world.t.server, dir, () => rng.next());
  return app.service.resume().then((r) => {
    if (!r.ok) throw new Error(`resume ${seat.userName}: ${r.error.message}`);
    return { app, seat, rng, queued: [] };
  });
}

export async function runScenario(world: ScenarioWorld, seed: number): Promise<ScenarioReport> {
  const t0 = Date.now();
  const rng = createRng(`faults-${seed}`);
  const { t } = world;
  const n = 3 + rng.int(4);
  // Seat mix: always the town dispatcher twice (two desks racing) and village a's operator, then
  // the town's duty leader, village b's operator and the checker.
  const seatsFor = [
    world.seats[0],
    world.seats[0],
    world.seats[1],
    world.seats[4],
    world.seats[2],
    world.seats[3],
  ].slice(0, n);
  const dirs = seatsFor.map(() => mkdtempSync(join(tmpdir(), `gc-fault-${seed}-`)));
  seatsFor.forEach((s, i) => copyFileSync(join(s.sessionDir, 'session.json'), join(dirs[i], 'session.json')));
  const consoles: Running[] = [];
  for (let i = 0; i < n; i++)
    consoles.push(await startConsole(world, seatsFor[i], dirs[i], createRng(`faults-${seed}-${i}`)));
  const report: ScenarioReport = {
    seed,
    consoles: n,
    queued: 0,
    confirmed: 0,
    rejected: 0,
    lostAnswers: 0,
    consoleRestarts: 0,
    serverRestarts: 0,
    cuts: 0,
    ms: 0,
  };
  const allQueued: { console: number; commandId: string }[] = [];

  try {
    await Promise.all(consoles.map((c) => settled(c.app, 30_000)));
    const steps = 14 + rng.int(10);
    for (let step = 0; step < steps; step++) {
      const roll = rng.next();
      const ci = rng.int(consoles.length);
      const c = consoles[ci];
      if (roll < 0.45) {
        const id = act(c, world, rng);
        if (id) allQueued.push({ console: ci, commandId: id });
      } else if (roll < 0.55) {
        for (const id of race(consoles, world, rng)) allQueued.push(id);
      } else if (roll < 0.62) {
        fieldOfficerActs(world, rng);
      } else if (roll < 0.7) {
        c.app.link?.cut(rng.int(120));
        report.cuts++;
      } else if (roll < 0.78) {
        if (c.app.link) c.app.link.faults = { loseRequest: 0.1, loseAnswer: 0.5, cutOnLoss: 0.3 };
      } else if (roll < 0.84) {
        // Console restart from the same files, possibly mid-flight.
        report.lostAnswers += c.app.link?.lostAnswers.length ?? 0;
        await c.app.service.close();
        consoles[ci] = await startConsole(world, c.seat, c.app.dataDir, c.rng);
        report.consoleRestarts++;
      } else if (roll < 0.87) {
        await t.restart();
        report.serverRestarts++;
      } else {
        await sleep(rng.int(25));
      }
    }

    // Heal: no more faults; let everything drain and catch up.
    for (const c of consoles) {
      if (c.app.link) {
        report.lostAnswers += c.app.link.lostAnswers.length;
        c.app.link.faults = { loseRequest: 0, loseAnswer: 0, cutOnLoss: 0 };
        c.app.link.restore();
      }
    }
    await Promise.all(consoles.map((c) => settled(c.app, 20_000)));
    await Promise.all(consoles.map((c) => caughtUp(world, c)));
    checkOracle(world, consoles, allQueued, report);
  } finally {
    for (const c of consoles) await c.app.service.close();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  }
  report.ms = Date.now() - t0;
  return report;
}

/** Wait until the console's watermark reaches the server's last event of its scope. */
async function caughtUp(world: ScenarioWorld, c: Running): Promise<void> {
  const t0 = Date.now();
  for (;;) {
    const target = world.t.server.events.lastSeqOf(c.seat.scopeCode);
    const cache = c.app.service.cacheStore!;
    if (cache.watermark === target) {
      await c.app.service.syncEngine!.idle();
      if (cache.watermark === world.t.server.events.lastSeqOf(c.seat.scopeCode)) return;
    }
    if (Date.now() - t0 > 30_000)
      throw new Error(`${c.seat.userName} stuck at watermark ${cache.watermark}, server at ${target}`);
    if (Date.now() - t0 > 1_000) c.app.service.syncEngine!.kick();
    await sleep(10);
  }
}

/** A content address standing for the after-photo (feedback needs one; the store is not asked). */
const AFTER_PHOTO = 'af'.repeat(32);

function actorOf(c: Running): Actor {
  const seat = c.app.service.currentSeat!;
  return { id: seat.seatId, role: seat.role as Role, scopeCode: seat.scopeCode };
}

function officersFor(world: ScenarioWorld, c: Case): string[] {
  return [...world.t.server.ref.officers.values()]
    .filter((o) => o.homeGridCode === c.gridCode && o.id !== c.reporterId)
    .map((o) => o.id);
}

/** One operator action on a case the console can see (or a new report). Returns the commandId queued. */
function act(c: Running, world: ScenarioWorld, rng: Rng): string | null {
  const service = c.app.service;
  const point = c.seat.scopeCode === world.area.b.villageCode ? world.area.b.point : world.area.a.point;
  if (rng.next() < 0.2) {
    const r = service.cases.queue('report', reportPayload(`F${uuidv7().slice(-12)}`, point));
    return r.ok ? r.data.commandId : null;
  }
  const rows = service.cases
    .list()
    .filter((row) => row.case.state !== 'closed' && row.case.state !== 'voided');
  if (rows.length === 0) return null;
  const view = rows[rng.int(rows.length)].case;
  const actions = allowedActions(view, actorOf(c)).filter((a) => a !== 'report' && a !== 'selfHandle');
  const extra: CommandType[] = ['addNote', 'editFields'];
  const choices: CommandType[] = [...actions, ...extra];
  const type = choices[rng.int(choices.length)];
  const payload = paramsFor(type, view, world, rng);
  if (!payload) return null;
  const r = service.cases.queue(type, payload, view.version);
  // A payload the command's schema refuses is the scenario's own mistake (it once stalled every
  // verify and hid the races): fail loudly rather than act less.
  if (!r.ok && r.error.code === 'BAD_REQUEST')
    throw new Error(`scenario sent a malformed ${type}: ${r.error.message}`);
  return r.ok ? r.data.commandId : null;
}

function paramsFor(
  type: CommandType,
  view: Case,
  world: ScenarioWorld,
  rng: Rng,
): Record<string, unknown> | null {
  const caseId = view.id;
  switch (type) {
    case 'dispatch':
    case 'reassign': {
      const officers = officersFor(world, view);
      const assignee =
        officers.length > 0 && rng.next() < 0.8
          ? { kind: 'officer', id: officers[rng.int(officers.length)] }
          : { kind: 'department', id: 'urban' };
      return type === 'dispatch' ? { caseId, assignee } : { caseId, assignee, reason: '调整处置人' };
    }
    case 'void':
    case 'requestReturn':
    case 'requestSuspend':
    case 'refuseRequest':
    case 'rework':
    case 'escalate':
      return { caseId, reason: `测试原因 ${type}` };
    case 'delegate':
      return view.holderCode.length === 9 ? { caseId, toCode: view.villageCode } : null;
    case 'supervise':
      return { caseId, note: '请加快处置' };
    case 'addNote':
      return { caseId, text: `备注 ${rng.int(1000)}` };
    case 'editFields':
      return { caseId, fields: { priority: (['emergency', 'urgent', 'normal'] as const)[rng.int(3)] } };
    case 'close': {
      const standard = world.t.server.ref.categories.get(view.categoryCode)?.closingStandard ?? '';
      return { caseId, checklist: closingChecklist(standard) };
    }
    case 'verify':
    case 'resume':
    case 'signFor':
    case 'approveRequest':
      return { caseId };
    case 'requestExtension':
      return { caseId, reason: '测试延期', extension: { unit: 'working_days', value: 1 } };
    case 'feedback':
      return { caseId, result: '已处置', afterPhotos: [AFTER_PHOTO] };
    default:
      return null;
  }
}

/** Two desks dispatch the same registered case to different officers at once. */
function race(consoles: Running[], world: ScenarioWorld, rng: Rng): { console: number; commandId: string }[] {
  const desks = consoles.map((c, i) => ({ c, i })).filter(({ c }) => c.seat.userName.endsWith('.dispatcher'));
  if (desks.length < 2) return [];
  const rows = desks[0].c.app.service.cases.list({ states: ['registered', 'returned'] });
  if (rows.length === 0) return [];
  const view = rows[rng.int(rows.length)].case;
  const officers = officersFor(world, view);
  const out: { console: number; commandId: string }[] = [];
  for (const [k, { c, i }] of desks.slice(0, 2).entries()) {
    const assignee =
      officers.length > k
        ? { kind: 'officer', id: officers[k] }
        : { kind: 'department', id: k === 0 ? 'urban' : 'police' };
    const r = c.app.service.cases.queue('dispatch', { caseId: view.id, assignee }, view.version);
    if (r.ok) out.push({ console: i, commandId: r.data.commandId });
  }
  return out;
}

/** A field officer signs for, asks for 缓办 or gives feedback on a case dispatched to them (their phone, in-process). */
function fieldOfficerActs(world: ScenarioWorld, rng: Rng): void {
  const server = world.t.server;
  const rows = server.db
    .prepare("SELECT json FROM cases WHERE town_code = ? AND state IN ('dispatched', 'handling') ORDER BY id")
    .all(world.area.townCode) as { json: string }[];
  const cases = rows.map((r) => JSON.parse(r.json) as Case).filter((c) => c.assignee?.kind === 'officer');
  if (cases.length === 0) return;
  const c = cases[rng.int(cases.length)];
  const user = server.seats.byOfficerId(c.assignee!.id);
  if (!user) return;
  // Now and then the officer asks for 缓办 instead (the leader's console may decide it).
  const ask = !c.request && rng.next() < 0.3;
  const command =
    c.state === 'dispatched'
      ? { type: 'signFor' as const, payload: { caseId: c.id } }
      : ask
        ? { type: 'requestSuspend' as const, payload: { caseId: c.id, reason: '等待业主' } }
        : {
            type: 'feedback' as const,
            payload: { caseId: c.id, result: '现场已整改', afterPhotos: [AFTER_PHOTO] },
          };
  server.execute(user.id, `phone-${user.id}`, {
    commandId: uuidv7(),
    clientId: `phone-${user.id}`,
    baseVersion: c.version,
    clientTime: Date.now(),
    ...command,
  });
}

function checkOracle(
  world: ScenarioWorld,
  consoles: Running[],
  allQueued: { console: number; commandId: string }[],
  report: ScenarioReport,
): void {
  const server = world.t.server;
  function fail(msg: string): never {
    throw new Error(`seed ${report.seed}: ${msg}`);
  }
  const stored = new Map(
    (
      server.db.prepare('SELECT command_id, status, answer FROM commands').all() as {
        command_id: string;
        status: string;
        answer: string;
      }[]
    ).map((r) => [r.command_id, r]),
  );
  // No event applied twice on the server: a command appends at most one event.
  const dup = server.db
    .prepare(
      "SELECT json_extract(json, '$.commandId') AS cid, count(*) AS n FROM events WHERE cid IS NOT NULL GROUP BY cid HAVING n > 1",
    )
    .all() as { cid: string; n: number }[];
  if (dup.length > 0) fail(`command ${dup[0].cid} produced ${dup[0].n} events`);

  for (const c of consoles) {
    const outbox = c.app.service.outboxStore!;
    const entries: OutboxEntry[] = outbox.all();
    for (const e of entries) {
      if (e.status === 'pending') fail(`${c.seat.userName}: ${e.commandId} still pending`);
      const row = stored.get(e.commandId);
      // Every queued command was processed exactly once: one stored answer, the one the console holds.
      if (!row) {
        if (e.status === 'rejected' && e.answer?.status === 'rejected' && e.answer.code === 'BAD_REQUEST')
          continue; // refused at the gateway
        fail(`${c.seat.userName}: ${e.type} ${e.commandId} never reached the server`);
      }
      const answer = JSON.parse(row.answer) as CommandAnswer;
      if (JSON.stringify(answer) !== JSON.stringify(e.answer))
        fail(`${c.seat.userName}: ${e.commandId} answer differs from the server's`);
      if ((row.status === 'accepted') !== (e.status === 'confirmed'))
        fail(`${e.commandId}: status ${e.status} vs server ${row.status}`);
      if (e.status === 'rejected' && !outbox.conflicts().some((x) => x.commandId === e.commandId))
        fail(`${e.commandId} rejected but not in the conflicts list`);
      if (e.status === 'confirmed') report.confirmed++;
      else report.rejected++;
    }
    report.queued += entries.length;

    // The console's state equals the server's for its scope.
    const col = c.seat.scopeCode.length === 9 ? 'town_code' : 'village_code';
    const serverCases = server.db
      .prepare(`SELECT id, json FROM cases WHERE ${col} = ? ORDER BY id`)
      .all(c.seat.scopeCode) as { id: string; json: string }[];
    const cache = c.app.service.cacheStore!;
    const local = cache.db.prepare('SELECT id, json FROM cases ORDER BY id').all() as {
      id: string;
      json: string;
    }[];
    if (local.length !== serverCases.length)
      fail(`${c.seat.userName}: ${local.length} cases, server has ${serverCases.length} in scope`);
    for (let i = 0; i < local.length; i++) {
      if (local[i].id !== serverCases[i].id || local[i].json !== serverCases[i].json)
        fail(`${c.seat.userName}: case ${serverCases[i].id} differs`);
    }
    // No event applied twice locally, none missing since the snapshot.
    const from = Number(
      (
        cache.db.prepare("SELECT value FROM meta WHERE key = 'snapshot_watermark'").get() as
          { value: string } | undefined
      )?.value ?? '0',
    );
    const serverEvents = server.events
      .after(c.seat.scopeCode, from, 1_000_000, Number.MAX_SAFE_INTEGER)
      .events.map((e: CaseEvent) => e.seq);
    const localEvents = (
      cache.db.prepare('SELECT seq FROM events WHERE seq > ? ORDER BY seq').all(from) as { seq: number }[]
    ).map((r) => r.seq);
    if (JSON.stringify(localEvents) !== JSON.stringify(serverEvents))
      fail(
        `${c.seat.userName}: events since the snapshot differ (${localEvents.length} vs ${serverEvents.length})`,
      );
    if (c.app.service.cases.list().some((r) => r.pending.length > 0))
      fail(`${c.seat.userName}: pending overlays after healing`);
  }
  if (allQueued.length > report.queued) fail('a queued command is missing from the outboxes');
}
