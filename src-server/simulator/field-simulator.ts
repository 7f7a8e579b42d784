// The field simulator: Dongguan's grid officers, citizens and feeds, living inside the server
// process. Officers walk their home grids and send position fixes (telemetry, straight to the
// hub — a fix is not a command); they find problems at the city's real rate and hour-of-day
// rhythm, fix most on the spot (自处置, with a photo) and report the rest; citizens, cameras and
// the 12345 hotline report too. Officers and department handlers sign for what they are
// dispatched and give feedback with a photo after a plausible handling time.
//
// Every case action goes through `server.execute` — the same command path, rules and event log
// as any console — with a fresh UUIDv7 commandId and the case's current version as baseVersion.
// A rejection is logged and the simulator carries on.
//
// Time: a simulated clock runs `speed` times faster than the injected real clock (1 = real time,
// 60 = a simulated minute per second). Behaviour (shifts, rates, durations) follows the simulated
// clock; timestamps sent to the server (fix `at`, clientTime) are real, so the server's own
// ordering and deadlines stay consistent. Work is batched: one tick a second moves the officers
// that are due a fix and queues new cases; timed actions then run in small slices (setImmediate)
// under a per-tick command budget, so consoles sharing the event loop are not starved.
//
// The parts: field-movement.ts (bodies, phones, fixes), field-cases.ts (new cases: findings,
// public reports, repeats), field-work.ts (sign-for, handling, feedback, the start's backlog);
// field-world.ts holds what they share. This class owns the clocks, the tick and the timed
// actions, the command path (exec, under the tick's budget) and the photos.
import {
  MINUTE_MS,
  defaultCalendar,
  shanghaiDayIndex,
  type WorkingCalendar,
} from '../../src-shared/domain/calendar';
import type { OfficerStatus } from '../../src-shared/domain/case-model';
import { createRng, type Rng } from '../../src-shared/domain/geo';
import type { Command, CommandAnswer, CommandPayload, CommandType } from '../../src-shared/protocol/commands';
import type { CaseEvent } from '../../src-shared/protocol/entities';
import { decodeCatalog } from '../../src-shared/dataset';
import { uuidv7 } from '../../src-shared/util/ids';
import { readFileBytes, readManifest } from '../dataset/read-dataset';
import type { DispatchServer } from '../server';
import { dutyAt, gridOfficerPlan, officePlan, type Duty } from './duty-roster';
import { CASES_PER_DAY } from './field-rates';
import { renderScenePhoto, type PhotoKind } from './png';
import { TimedQueue } from './timed-queue';
import type { SupervisionStats } from './desk-supervision';
import { catchUpSegments } from '../dataset/catch-up-segments';
import { DeskSimulator, type DeskStats } from './desk-simulator';
import type { UnitRates } from './desk-units';
import { InspectionRounds } from '../inspections';
import { FieldMovement } from './field-movement';
import { FieldCases } from './field-cases';
import { FieldWork } from './field-work';
import type {
  Action,
  Crew,
  FieldBody,
  FieldHost,
  SimulatorExec,
  SimulatorServer,
  SimulatorStats,
  Worker,
} from './field-world';

export type { SimulatorServer, SimulatorStats } from './field-world';

export interface FieldSimulatorOptions {
  /** Real clock (ms); the server's clock. Default Date.now. */
  now?: () => number;
  /** Seeded randomness for behaviour (default createRng(seed)). */
  rng?: Rng;
  seed?: string;
  /** Simulated ms per real ms (1 = real time; 60 = a simulated minute per second). */
  speed?: number;
  /** Scales every volume (1 = Dongguan's ≈ 6,850 cases a day). */
  rateFactor?: number;
  /** The simulated clock's start instant (default: now()). */
  simStart?: number;
  /** Real ms between ticks (default 1 s). */
  tickMs?: number;
  /** Real ms between two fixes of an on-duty officer's phone, jittered ±30 % (default 10 s). */
  fixIntervalMs?: number;
  /** Relative frequency per category code (the dataset's demoWeight; see readCategoryWeights). */
  categoryWeights?: ReadonlyMap<string, number>;
  /** Also work the dispatched/handling cases already open at start (default true). */
  workBacklog?: boolean;
  /** At most this many commands per tick; the rest wait for the next tick (default 200). */
  maxCommandsPerTick?: number;
  calendar?: WorkingCalendar;
  log?: (line: string) => void;
  /** Scales every handling time (tests: 0.05 turns hours into minutes; default 1). */
  handlingScale?: number;
  /**
   * Simulated desks (desk-simulator.ts): town, village and city seats verify, dispatch and check
   * the cases of every seat no person is logged into (default true; false = a quiet world where
   * only people move the queues).
   */
  desks?: boolean;
  /** Scales every desk delay (tests; default 1). */
  deskDelayScale?: number;
  /**
   * Draw photos from a pool of this many pre-rendered scenes per kind instead of rendering one per
   * case (a simulated week at speed: rendering and deflating every photo is most of the cost).
   */
  photoPool?: number;
  /** Scales ECHO_RATE, the public's repeat reports (一事多报; tests raise it to see the path). */
  echoScale?: number;
  /** Desk mistake rates (tests raise them; defaults in desk-simulator.ts). */
  deskMistakes?: { wrongDispatch?: number; rework?: number };
  /** Share of first dispatches the simulated duty leaders supervise 督办 (default SUPERVISE_RATE). */
  deskSupervisionRate?: number;
  /** Handling-unit rates of the desks (desk-units.ts; tests raise them to see the paths). */
  deskUnits?: UnitRates;
  /**
   * Grid officers walk, send fixes and find problems (default true). False: only the assigned
   * work is done (catch-up.ts replays the missed hours of the open workload this way).
   */
  field?: boolean;
  /** The officers' periodic inspection rounds (default true). */
  inspections?: boolean;
}

/** A stalled event loop must not turn into a burst: a tick covers at most 3 ticks' worth (≥ 30 min). */
const MAX_TICK_SIM_MS = 30 * MINUTE_MS;
const SLICE_MS = 8;
const LOG_LINES_PER_SEC = 10;

/** The dataset's category weights (`demoWeight`) from a dataset directory's catalog. */
export function readCategoryWeights(datasetDir: string): Map<string, number> {
  const catalog = decodeCatalog(readFileBytes(datasetDir, readManifest(datasetDir), 'catalog'));
  return new Map(catalog.minors.map((m) => [m.code, m.demoWeight]));
}

export class FieldSimulator {
  readonly stats: SimulatorStats = {
    ticks: 0,
    reported: 0,
    selfHandled: 0,
    signedFor: 0,
    returned: 0,
    requests: 0,
    feedback: 0,
    rejected: 0,
    stale: 0,
    photos: 0,
    fixes: 0,
    echoes: 0,
    pending: 0,
    lagMs: 0,
  };

  private readonly now: () => number;
  private readonly rng: Rng;
  private readonly calendar: WorkingCalendar;
  private readonly log: (line: string) => void;
  private readonly tickMs: number;
  private readonly maxCommandsPerTick: number;
  private readonly workBacklog: boolean;

  private speedFactor: number;
  private realAnchor: number;
  private simAnchor: number;
  private lastTickSim: number;
  private timer: NodeJS.Timeout | null = null;
  private running = false;
  private stopped = false;
  private initialised = false;
  private draining = false;
  private budget = 0;
  private watermark = 0;
  private logWindow = { at: 0, lines: 0, dropped: 0 };

  private readonly crew: Crew = { workers: new Map(), fieldWorkers: [], handlersByDept: new Map() };
  private readonly actions = new TimedQueue<Action>();
  private readonly movement: FieldMovement;
  private readonly cases: FieldCases;
  private readonly work: FieldWork;
  rateFactor: number;
  /** The officers' periodic inspection rounds (undefined until the first tick looks for the service). */
  private inspectionRounds: InspectionRounds | null | undefined;
  private readonly photoPool: number;
  private readonly pooledPhotos = new Map<string, Buffer>();
  /** The simulated desks; null when turned off. */
  readonly desks: DeskSimulator | null;

  constructor(
    private readonly server: SimulatorServer,
    options: FieldSimulatorOptions = {},
  ) {
    this.now = options.now ?? Date.now;
    this.rng = options.rng ?? createRng(options.seed ?? 'field-simulator');
    this.calendar = options.calendar ?? defaultCalendar();
    this.log = options.log ?? ((line: string) => console.log(`[simulator] ${line}`));
    this.tickMs = options.tickMs ?? 1_000;
    this.maxCommandsPerTick = options.maxCommandsPerTick ?? 200;
    this.workBacklog = options.workBacklog ?? true;
    const handlingScale = positive(options.handlingScale ?? 1, 'handlingScale');
    this.rateFactor = options.rateFactor ?? 1;
    this.photoPool = options.photoPool ?? 0;
    const field = options.field ?? true;
    if (options.inspections === false) this.inspectionRounds = null;
    this.speedFactor = positive(options.speed ?? 1, 'speed');
    this.realAnchor = this.now();
    this.simAnchor = options.simStart ?? this.realAnchor;
    this.lastTickSim = this.simAnchor;
    const exec: SimulatorExec = (userId, clientId, type, payload, baseVersion) =>
      this.exec(userId, clientId, type, payload, baseVersion);
    this.desks =
      options.desks === false
        ? null
        : new DeskSimulator({
            server,
            rng: this.rng,
            now: this.now,
            exec,
            delayScale: positive(options.deskDelayScale ?? 1, 'deskDelayScale'),
            wrongDispatchRate: options.deskMistakes?.wrongDispatch,
            reworkRate: options.deskMistakes?.rework,
            supervisionRate: options.deskSupervisionRate,
            unitRates: options.deskUnits,
          });

    const host: FieldHost = {
      server,
      rng: this.rng,
      calendar: this.calendar,
      stats: this.stats,
      actions: this.actions,
      crew: this.crew,
      now: this.now,
      exec,
      photo: (caseId, kind, userId) => this.photo(caseId, kind, userId),
    };
    this.movement = new FieldMovement(host, options.fixIntervalMs ?? 10_000);
    this.work = new FieldWork(host, {
      handlingScale,
      isWrongDispatch: (caseId) => this.desks?.isWrongDispatch(caseId) === true,
      log: this.log,
    });
    this.cases = new FieldCases(host, this.movement, options.categoryWeights, options.echoScale ?? 1);
    this.enlist(field);
  }

  /** One worker per officer of the reference data; grid officers get a body in their home grid. */
  private enlist(field: boolean): void {
    const { workers, fieldWorkers, handlersByDept } = this.crew;
    const officers = [...this.server.ref.officers.values()].sort((a, b) => a.id.localeCompare(b.id));
    const realNow = this.now();
    for (const o of officers) {
      const plan = o.kind === 'department' ? officePlan(this.rng) : gridOfficerPlan(this.rng);
      const w: Worker = {
        id: o.id,
        userId: `U-${o.id}`,
        clientId: `phone-${o.id}`,
        kind: o.kind,
        departmentCode: o.departmentCode,
        plan,
        capacity: o.kind === 'department' ? 6 : o.kind === 'mobile' ? 2 : 1,
        active: new Set(),
        queue: [],
        pending: 0,
        body: null,
        off: { from: 0, until: 0 },
      };
      if (o.kind === 'grid' && o.homeGridCode && field) {
        const gridIdx = this.movement.gridIndexOf(o.homeGridCode);
        const body = this.movement.placeBody(o.id, o.homeGridCode, gridIdx, realNow, this.simAnchor);
        if (body) {
          w.body = body;
          fieldWorkers.push(w);
        }
      }
      if (o.kind === 'department' && o.departmentCode) {
        const list = handlersByDept.get(o.departmentCode) ?? [];
        list.push(w);
        handlersByDept.set(o.departmentCode, list);
      }
      workers.set(o.id, w);
    }
  }

  // ---- clock and life cycle ---------------------------------------------------------------------

  get speed(): number {
    return this.speedFactor;
  }

  /** Change the pace; the simulated clock continues from where it is. */
  set speed(value: number) {
    const sim = this.simNow();
    this.speedFactor = positive(value, 'speed');
    this.realAnchor = this.now();
    this.simAnchor = sim;
  }

  simNow(): number {
    return this.simAnchor + (this.now() - this.realAnchor) * this.speedFactor;
  }

  get isRunning(): boolean {
    return this.running;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.stopped = false;
    // Re-anchor so time spent stopped is not replayed as a burst.
    const sim = this.lastTickSim;
    this.realAnchor = this.now();
    this.simAnchor = sim;
    if (!this.initialised) {
      // First start: react to what is committed from now on, and take on the open workload once.
      // A restart after stop() continues from the watermark, so nothing in between is missed.
      this.initialised = true;
      this.watermark = this.server.events.headSeq();
      if (this.workBacklog) {
        this.work.startBacklog(this.watermark);
        this.desks?.startBacklog(this.watermark);
      }
    }
    const { workers, fieldWorkers } = this.crew;
    this.log(
      `${fieldWorkers.length} grid officers, ${workers.size - fieldWorkers.length} other workers; ` +
        `speed ×${this.speedFactor}, ≈ ${Math.round(CASES_PER_DAY * this.rateFactor)} cases/simulated day`,
    );
    this.timer = setInterval(() => this.tick(), this.tickMs);
    this.timer.unref();
  }

  /** Stop ticking; call before closing the server (a slice in flight stops at its next step). */
  stop(): void {
    this.running = false;
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** One step of the simulation (start() calls it every tickMs; tests may call it directly). */
  tick(): void {
    const t = this.simNow();
    const from = Math.max(
      this.lastTickSim,
      t - Math.max(MAX_TICK_SIM_MS, 3 * this.tickMs * this.speedFactor),
    );
    this.lastTickSim = t;
    this.stats.ticks++;
    this.cases.beginTick();
    this.budget = this.maxCommandsPerTick;
    try {
      this.work.loadBacklogChunk(t);
      this.ingestEvents(t);
      this.movement.updateBodies(t);
      this.cases.generateCases(from, t, this.rateFactor, Boolean(this.inspectionRounds));
      if (this.inspectionRounds === undefined) {
        const service = this.server.inspections;
        this.inspectionRounds = service
          ? new InspectionRounds(service, this.calendar, (l) => this.say(l), caughtUpDays(this.server.db))
          : null;
      }
      if (this.inspectionRounds) this.budget -= this.inspectionRounds.tick(t, Math.max(0, this.budget));
    } catch (e) {
      this.log(`tick failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    }
    this.drain();
  }

  /**
   * Resolves once the slices started by the last tick are done (the due actions have run, or
   * the tick's command budget is spent). For callers that drive the ticks on a virtual clock.
   */
  async settled(): Promise<void> {
    while (this.draining) await new Promise((r) => setImmediate(r));
  }

  /** What the simulated desks did (null when they are off). */
  get deskStats(): DeskStats | null {
    return this.desks?.stats ?? null;
  }

  /** 督办 orders the simulated desks issued, reminded and answered (desk-supervision.ts). */
  get supervisionStats(): SupervisionStats | null {
    return this.desks?.supervisionStats ?? null;
  }

  /** Current status of a simulated grid officer (null for others or before the first fix). */
  officerStatus(officerId: string): OfficerStatus | null {
    return this.crew.workers.get(officerId)?.body?.status ?? null;
  }

  /** Grid officers the simulator moves, with their home grid and status. */
  fieldOfficers(): { id: string; gridCode: string; status: OfficerStatus | null; duty: Duty }[] {
    const t = this.simNow();
    return this.crew.fieldWorkers.map((w) => ({
      id: w.id,
      gridCode: (w.body as FieldBody).gridCode,
      status: (w.body as FieldBody).status,
      duty: dutyAt(w.plan, t, this.calendar),
    }));
  }

  // ---- events from the log ------------------------------------------------------------------

  /** Read what was committed since the last tick (any client's commands) and react to it. */
  private ingestEvents(t: number): void {
    for (let page = 0; page < 20; page++) {
      const r = this.server.events.after(this.server.ref.cityCode, this.watermark, 2_000);
      for (const e of r.events) this.onEvent(e, t);
      this.watermark = r.watermark;
      if (!r.more) break;
    }
  }

  private onEvent(e: CaseEvent, t: number): void {
    this.desks?.onEvent(e, t);
    this.work.onEvent(e, t);
  }

  // ---- timed actions ------------------------------------------------------------------------

  /** Run due actions in small slices under the tick's command budget. */
  private drain(): void {
    if (this.draining) return;
    this.draining = true;
    const step = (): void => {
      if (this.stopped) {
        this.draining = false; // stopped between slices: the server may be closing
        return;
      }
      const t0 = performance.now();
      const simT = this.simNow();
      try {
        this.desks?.step(simT, () => this.budget);
        while (this.actions.peekAt() <= simT && this.budget > 0 && performance.now() - t0 < SLICE_MS) {
          const next = this.actions.pop();
          if (next) this.run(next.item, next.at);
        }
      } catch (e) {
        this.log(`action failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
      }
      this.stats.pending = this.actions.size;
      this.stats.lagMs = Math.max(0, simT - this.actions.peekAt());
      if (!this.stopped && this.budget > 0 && this.actions.peekAt() <= simT) setImmediate(step);
      else this.draining = false;
    };
    step();
  }

  private run(a: Action, at: number): void {
    switch (a.kind) {
      case 'find':
        this.cases.find(a.source, at);
        return;
      case 'public':
        this.cases.publicReport(a.source, at);
        return;
      case 'echo':
        this.cases.echoReport(a);
        return;
      case 'signFor':
        a.worker.pending = Math.max(0, a.worker.pending - 1);
        this.work.signFor(a.worker, a.caseId, at);
        return;
      case 'return':
        a.worker.pending = Math.max(0, a.worker.pending - 1);
        this.work.giveBack(a.worker, a.caseId);
        return;
      case 'feedback':
        this.work.feedback(a.worker, a.caseId, at);
        return;
    }
  }

  // ---- photos, commands, the log ----------------------------------------------------------------

  private photo(caseId: string, kind: PhotoKind, userId: string): string | null {
    let bytes: Buffer;
    if (this.photoPool > 0) {
      const key = `${kind}/${this.rng.int(this.photoPool)}`;
      bytes = this.pooledPhotos.get(key) ?? renderScenePhoto(key, kind);
      this.pooledPhotos.set(key, bytes);
    } else bytes = renderScenePhoto(caseId, kind);
    const stored = this.server.photos.put(bytes, 'image/png', userId);
    if (!stored.ok) {
      this.say(`photo for ${caseId} refused: ${stored.error.code} ${stored.error.message}`);
      return null;
    }
    this.stats.photos++;
    return stored.data.hash;
  }

  /** Run one command through the server's command path; log a rejection and carry on. */
  private exec<T extends CommandType>(
    userId: string,
    clientId: string,
    type: T,
    payload: CommandPayload<T>,
    baseVersion: number | null,
  ): CommandAnswer | null {
    this.budget--;
    const now = this.now();
    const command = {
      commandId: uuidv7(now),
      clientId,
      type,
      payload,
      baseVersion,
      clientTime: now,
    } as Command;
    let answer: CommandAnswer;
    try {
      answer = this.server.execute(userId, clientId, command);
    } catch (e) {
      this.stats.rejected++;
      this.say(`${type} by ${userId} failed: ${e instanceof Error ? e.message : String(e)}`);
      return null;
    }
    if (answer.status === 'rejected') {
      this.stats.rejected++;
      this.say(`${type} ${payload.caseId} by ${userId} rejected: ${answer.code} ${answer.reason}`);
    }
    return answer;
  }

  /** The log, throttled: a storm of rejections must not become a storm of lines. */
  private say(line: string): void {
    const now = this.now();
    const w = this.logWindow;
    if (now - w.at >= 1_000) {
      if (w.dropped > 0) this.log(`(${w.dropped} more lines suppressed)`);
      w.at = now;
      w.lines = 0;
      w.dropped = 0;
    }
    if (w.lines++ < LOG_LINES_PER_SEC) this.log(line);
    else w.dropped++;
  }
}

// ---- pure helpers ---------------------------------------------------------------------------

function positive(v: number, name: string): number {
  if (!(Number.isFinite(v) && v > 0)) throw new RangeError(`${name} must be a positive number, got ${v}`);
  return v;
}

/** The Shanghai days a catch-up after downtime covered (its segments' spans). */
function caughtUpDays(db: DispatchServer['db']): (dayIndex: number) => boolean {
  const spans = catchUpSegments(db).map((seg) => [
    shanghaiDayIndex(seg.fromMs),
    shanghaiDayIndex(seg.toMs - 1),
  ]);
  return (day) => spans.some(([from, to]) => day >= from && day <= to);
}
