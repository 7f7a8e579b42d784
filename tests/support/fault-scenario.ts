// A seeded, replayable fault-injection scenario: 3–5 consoles with real SQLite files and a real
// server; random actions (including concurrent dispatches of the same case and field officers
// acting on their phones), cut links, answers lost after the server committed, console restarts
// from the same files and server restarts. After healing, an oracle checks that nothing was
// lost or applied twice and that every console agrees with the server on its scope.
// The world it runs against is one server (`prepareWorld`, here: its fault is a restart) or a
// cluster of nodes on PostgreSQL (`cluster-fault-world.ts`: consoles placed on different nodes
// behind a front, and the server fault is a node SIGKILLed mid-command and started again; its
// consoles move to another node or wait for it). The oracle reads the truth through the world.
// Used by tests/integration/sync-faults.test.ts and cluster-faults.test.ts (≥ 200 seeds each)
// and bench/sync-soak.ts.
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { allowedActions, type Actor } from '../../src-shared/domain/case-workflow';
import { createRng, type Rng } from '../../src-shared/domain/geo';
import { closingChecklist } from '../../src-shared/domain/work-rules';
import type { Role } from '../../src-shared/domain/case-model';
import type { Command, CommandAnswer, CommandType } from '../../src-shared/protocol/commands';
import type { Case, CaseEvent } from '../../src-shared/protocol/entities';
import { uuidv7 } from '../../src-shared/util/ids';
import type { ReferenceData } from '../../src-server/reference/reference-data';
import type { OutboxEntry } from '../../src-main/data/outbox-store';
import { loginConsole, openConsole, settled, type TestConsoleApp } from './console-harness';
import { pickArea, reportPayload } from './fixtures';
import type { Front } from './front';
import type { TestServer } from './server-client';

export interface SeatTemplate {
  userName: string;
  scopeCode: string;
}

/** A stored command answer as the server holds it. */
export interface StoredAnswer {
  status: string;
  answer: string;
}

/** What the oracle reads of the server's truth (its SQLite store, or the cluster's PostgreSQL). */
export interface Truth {
  /** The stored answers of these commandIds. */
  answers(commandIds: readonly string[]): Promise<Map<string, StoredAnswer>>;
  /** A command that appended more than one event, if any. */
  doubled(): Promise<{ cid: string; n: number } | null>;
  /** The cases of a town or village, ordered by id, as stored (JSON text). */
  scopeCases(scopeCode: string): Promise<{ id: string; json: string }[]>;
  /** The seqs of a scope's events after `after`, in order. */
  scopeSeqs(scopeCode: string, after: number): Promise<number[]>;
  lastSeqOf(scopeCode: string): Promise<number>;
  /** A town's cases dispatched to or handled by an officer, ordered by id. */
  officerCases(townCode: string): Promise<Case[]>;
}

/** The phone's part of a field officer's command. */
export type PhoneCommand = Pick<Command, 'type' | 'payload' | 'baseVersion'>;

export interface ScenarioWorld {
  area: ReturnType<typeof pickArea>;
  seats: SeatTemplate[];
  /** Officers and categories (every node has the same reference data). */
  ref: Pick<ReferenceData, 'officers' | 'categories'>;
  /** Nodes a console may be placed on (1: one server, whose fault is a restart). */
  readonly nodes: number;
  /** The nodes taking connections now. */
  upNodes(): number[];
  /** A console's server address, routed to `node`. */
  front(node: number): Promise<Front>;
  /**
   * Write the seat's session (session.json) into a console's data dir, for the address `front`
   * and valid on the node it routes to. Sessions are per node until they are shared in the
   * store; then this is the same token whatever the node.
   */
  writeSession(seat: SeatTemplate, dir: string, front: Front): void;
  truth: Truth;
  /** A field officer's phone runs a command (in-process on one server; over a socket on a cluster). */
  officerActs(officerId: string, command: PhoneCommand): Promise<void>;
  /** One server: restart it. A cluster: SIGKILL `node` now and start it again in the background. */
  crash(node: number): Promise<void>;
  /** Resolves when `node` takes connections again. */
  whenUp(node: number): Promise<void>;
}

/** The seats of a scenario's consoles (world.seats in this order). */
export function seatNames(area: ReturnType<typeof pickArea>): string[] {
  return [
    `${area.townCode}.dispatcher`,
    `${area.a.villageCode}.operator`,
    `${area.b.villageCode}.operator`,
    `${area.townCode}.checker`,
    // decides the officers' 缓办 requests
    `${area.townCode}.leader`,
  ];
}

/** One server with its SQLite store; consoles talk to it directly. */
export async function prepareWorld(t: TestServer, townIndex = 7): Promise<ScenarioWorld> {
  const area = pickArea(t.server, townIndex);
  const names = seatNames(area);
  const seats: SeatTemplate[] = [];
  /** A logged-in data dir per seat whose session.json new consoles copy (no scrypt per seed). */
  const sessionDirs = new Map<string, string>();
  for (const userName of names) {
    const app = await loginConsole(t.server, userName);
    const seat = app.service.currentSeat!;
    await app.service.close();
    seats.push({ userName, scopeCode: seat.scopeCode });
    sessionDirs.set(userName, app.dataDir);
  }
  const db = () => t.server.db;
  const truth: Truth = {
    answers: (ids) =>
      Promise.resolve(
        new Map(
          (
            db()
              .prepare(
                'SELECT command_id, status, answer FROM commands WHERE command_id IN (SELECT value FROM json_each(?))',
              )
              .all(JSON.stringify(ids)) as { command_id: string; status: string; answer: string }[]
          ).map((r) => [r.command_id, r]),
        ),
      ),
    doubled: () =>
      Promise.resolve(
        (db()
          .prepare(
            "SELECT json_extract(json, '$.commandId') AS cid, count(*) AS n FROM events WHERE cid IS NOT NULL GROUP BY cid HAVING n > 1",
          )
          .get() as { cid: string; n: number } | undefined) ?? null,
      ),
    scopeCases: (scopeCode) =>
      Promise.resolve(
        db()
          .prepare(
            `SELECT id, json FROM cases WHERE ${scopeCode.length === 9 ? 'town_code' : 'village_code'} = ? ORDER BY id`,
          )
          .all(scopeCode) as { id: string; json: string }[],
      ),
    scopeSeqs: (scopeCode, after) =>
      Promise.resolve(
        t.server.events
          .after(scopeCode, after, 1_000_000, Number.MAX_SAFE_INTEGER)
          .events.map((e: CaseEvent) => e.seq),
      ),
    lastSeqOf: (scopeCode) => Promise.resolve(t.server.events.lastSeqOf(scopeCode)),
    officerCases: (townCode) =>
      Promise.resolve(
        (
          db()
            .prepare(
              "SELECT json FROM cases WHERE town_code = ? AND state IN ('dispatched', 'handling') ORDER BY id",
            )
            .all(townCode) as { json: string }[]
        )
          .map((r) => JSON.parse(r.json) as Case)
          .filter((c) => c.assignee?.kind === 'officer'),
      ),
  };
  return {
    area,
    seats,
    get ref() {
      return t.server.ref;
    },
    nodes: 1,
    upNodes: () => [0],
    front: () =>
      Promise.resolve({
        url: t.server.url, // a restart keeps the port
        node: 0,
        moveTo: () => undefined,
        close: () => Promise.resolve(),
      }),
    writeSession(seat, dir) {
      copyFileSync(join(sessionDirs.get(seat.userName)!, 'session.json'), join(dir, 'session.json'));
    },
    truth,
    officerActs(officerId, command) {
      const user = t.server.seats.byOfficerId(officerId);
      if (user)
        t.server.execute(user.id, `phone-${user.id}`, {
          commandId: uuidv7(),
          clientId: `phone-${user.id}`,
          clientTime: Date.now(),
          ...command,
        } as Command);
      return Promise.resolve();
    },
    async crash() {
      await t.restart();
    },
    whenUp: () => Promise.resolve(),
  };
}

interface Running {
  app: TestConsoleApp;
  seat: SeatTemplate;
  rng: Rng;
  /** The console's server address and the node it routes to. */
  front: Front;
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
  /** Cluster: nodes SIGKILLed (and started again). */
  nodeKills: number;
  /** … of them while a console on the node had a command unanswered. */
  killsMidCommand: number;
  /** Cluster: consoles that moved to another node after theirs was killed. */
  consoleMoves: number;
  /** Cluster: how many different nodes the seed's consoles started on. */
  nodesUsed: number;
  ms: number;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function startConsole(
  world: ScenarioWorld,
  seat: SeatTemplate,
  dir: string,
  rng: Rng,
  front: Front,
): Promise<Running> {
  const app = openConsole(front, dir, () => rng.next());
  return app.service.resume().then((r) => {
    if (!r.ok) throw new Error(`resume ${seat.userName}: ${r.error.message}`);
    return { app, seat, rng, front, queued: [] };
  });
}

export async function runScenario(world: ScenarioWorld, seed: number): Promise<ScenarioReport> {
  const t0 = Date.now();
  const rng = createRng(`faults-${seed}`);
  // The cluster's own choices (placement, kills, moves) draw from their own stream, so a seed
  // plays the same actions on one server as before the cluster world existed.
  const nodeRng = createRng(`faults-${seed}-nodes`);
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
  // Consoles round-robin over the nodes up, from a random one: the two racing desks on two nodes.
  const up = world.upNodes();
  const first = world.nodes > 1 ? nodeRng.int(up.length) : 0;
  const fronts = await Promise.all(seatsFor.map((_, i) => world.front(up[(first + i) % up.length])));
  const dirs = seatsFor.map(() => mkdtempSync(join(tmpdir(), `gc-fault-${seed}-`)));
  seatsFor.forEach((s, i) => world.writeSession(s, dirs[i], fronts[i]));
  const consoles: Running[] = [];
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
    nodeKills: 0,
    killsMidCommand: 0,
    consoleMoves: 0,
    nodesUsed: new Set(fronts.map((f) => f.node)).size,
    ms: 0,
  };
  const allQueued: { console: number; commandId: string }[] = [];

  try {
    for (let i = 0; i < n; i++)
      consoles.push(
        await startConsole(world, seatsFor[i], dirs[i], createRng(`faults-${seed}-${i}`), fronts[i]),
      );
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
        await fieldOfficerActs(world, rng);
      } else if (roll < 0.7) {
        c.app.link?.cut(rng.int(120));
        report.cuts++;
      } else if (roll < 0.78) {
        if (c.app.link) c.app.link.faults = { loseRequest: 0.1, loseAnswer: 0.5, cutOnLoss: 0.3 };
      } else if (roll < 0.84) {
        // Console restart from the same files, possibly mid-flight.
        report.lostAnswers += c.app.link?.lostAnswers.length ?? 0;
        await c.app.service.close();
        consoles[ci] = await startConsole(world, c.seat, c.app.dataDir, c.rng, c.front);
        report.consoleRestarts++;
      } else if (roll < 0.87) {
        if (world.nodes === 1) {
          await world.crash(0);
          report.serverRestarts++;
        } else {
          await killNode(world, consoles, ci, nodeRng, report, allQueued);
        }
      } else {
        await sleep(rng.int(25));
      }
    }

    // Heal: no more faults; let everything drain and catch up. A console still waiting on a
    // killed node waits for it to be back.
    for (const c of consoles) {
      if (c.app.link) {
        report.lostAnswers += c.app.link.lostAnswers.length;
        c.app.link.faults = { loseRequest: 0, loseAnswer: 0, cutOnLoss: 0 };
        c.app.link.restore();
      }
    }
    await Promise.all([...new Set(consoles.map((c) => c.front.node))].map((k) => world.whenUp(k)));
    await Promise.all(consoles.map((c) => settled(c.app, 20_000)));
    await Promise.all(consoles.map((c) => caughtUp(world, c)));
    await checkOracle(world, consoles, allQueued, report);
  } finally {
    for (const c of consoles) await c.app.service.close();
    for (const f of fronts) await f.close();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  }
  report.ms = Date.now() - t0;
  return report;
}

/**
 * The cluster's server fault: the node console `ci` is on is SIGKILLed just after that console
 * sent a command (so it is often unanswered), one node down at a time and once per seed. Each
 * console on the node then either moves to another node (a console restart from the same files,
 * behind a front that now routes elsewhere, with a session valid there) or waits for the node,
 * which starts again on its port in the background.
 */
async function killNode(
  world: ScenarioWorld,
  consoles: Running[],
  ci: number,
  rng: Rng,
  report: ScenarioReport,
  allQueued: { console: number; commandId: string }[],
): Promise<void> {
  const up = world.upNodes();
  // One node down at a time (the others carry its consoles); a restart costs seconds of CPU, so
  // at most one kill a seed and only half the chances taken (≈ one seed in six kills a node).
  if (up.length < world.nodes || report.nodeKills > 0 || rng.next() < 0.5) return;
  const c = consoles[ci];
  const k = c.front.node;
  const id = act(c, world, rng);
  if (id) {
    allQueued.push({ console: ci, commandId: id });
    // Kill once the console has sent something (unless its link is cut), a few ms later.
    const engine = c.app.service.syncEngine!;
    const sent = engine.stats.sent;
    for (let t = Date.now(); engine.stats.sent === sent && Date.now() - t < 2_000;) await sleep(2);
    await sleep(rng.int(10));
  }
  // Read in the same tick as the SIGKILL (crash kills before its first await).
  const unanswered =
    id !== null && c.app.service.outboxStore!.all().some((e) => e.commandId === id && e.status === 'pending');
  await world.crash(k);
  report.nodeKills++;
  if (unanswered) report.killsMidCommand++;
  const others = up.filter((x) => x !== k);
  for (const [i, x] of consoles.entries()) {
    if (x.front.node !== k || rng.next() < 0.25) continue; // waits: reconnects when the node is back
    report.lostAnswers += x.app.link?.lostAnswers.length ?? 0;
    await x.app.service.close();
    x.front.moveTo(others[rng.int(others.length)]);
    world.writeSession(x.seat, x.app.dataDir, x.front);
    consoles[i] = await startConsole(world, x.seat, x.app.dataDir, x.rng, x.front);
    report.consoleMoves++;
  }
}

/** Wait until the console's watermark reaches the server's last event of its scope. */
async function caughtUp(world: ScenarioWorld, c: Running): Promise<void> {
  const t0 = Date.now();
  for (;;) {
    const target = await world.truth.lastSeqOf(c.seat.scopeCode);
    const cache = c.app.service.cacheStore!;
    if (cache.watermark === target) {
      await c.app.service.syncEngine!.idle();
      if (cache.watermark === (await world.truth.lastSeqOf(c.seat.scopeCode))) return;
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
  return [...world.ref.officers.values()]
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
      const standard = world.ref.categories.get(view.categoryCode)?.closingStandard ?? '';
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

/** A field officer signs for, asks for 缓办 or gives feedback on a case dispatched to them (their phone). */
async function fieldOfficerActs(world: ScenarioWorld, rng: Rng): Promise<void> {
  const cases = await world.truth.officerCases(world.area.townCode);
  if (cases.length === 0) return;
  const c = cases[rng.int(cases.length)];
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
  await world.officerActs(c.assignee!.id, { baseVersion: c.version, ...command });
}

async function checkOracle(
  world: ScenarioWorld,
  consoles: Running[],
  allQueued: { console: number; commandId: string }[],
  report: ScenarioReport,
): Promise<void> {
  const { truth } = world;
  function fail(msg: string): never {
    throw new Error(`seed ${report.seed}: ${msg}`);
  }
  const stored = await truth.answers(
    consoles.flatMap((c) => c.app.service.outboxStore!.all().map((e) => e.commandId)),
  );
  // No event applied twice on the server: a command appends at most one event.
  const dup = await truth.doubled();
  if (dup) fail(`command ${dup.cid} produced ${dup.n} events`);

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
    const serverCases = await truth.scopeCases(c.seat.scopeCode);
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
    const serverEvents = await truth.scopeSeqs(c.seat.scopeCode, from);
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
