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
import type { AssigneeKind, OfficerStatus, Priority } from '../../src-shared/domain/case-model';
import {
  DAY_MS,
  HOUR_MS,
  MINUTE_MS,
  defaultCalendar,
  shanghaiDayIndex,
  type WorkingCalendar,
} from '../../src-shared/domain/calendar';
import {
  bboxOf,
  createRng,
  fromGeometry,
  randomPointInMultiPolygon,
  type BBox,
  type MultiPolygon,
  type Rng,
} from '../../src-shared/domain/geo';
import type { Command, CommandAnswer, CommandPayload, CommandType } from '../../src-shared/protocol/commands';
import type {
  Case,
  CaseEvent,
  Category,
  Grid,
  OfficerFix,
  TimeLimit,
} from '../../src-shared/protocol/entities';
import { decodeCatalog } from '../../src-shared/dataset';
import { uuidv7 } from '../../src-shared/util/ids';
import { readFileBytes, readManifest } from '../dataset/read-dataset';
import type { DispatchServer } from '../server';
import { dutyAt, gridOfficerPlan, nextOnDuty, officePlan, type Duty, type ShiftPlan } from './duty-roster';
import {
  CASES_PER_DAY,
  LIVE_SOURCE_MIX,
  SELF_HANDLE_INSPECTION,
  WeightedPicker,
  calibrateSelfHandle,
  caseRatePerMs,
  poisson,
  selfHandleProbability,
} from './field-rates';
import { renderScenePhoto, type PhotoKind } from './png';
import { selfHandleRefusal } from '../../src-shared/domain/work-rules';
import { TimedQueue } from './timed-queue';
import type { SupervisionStats } from './desk-supervision';
import { catchUpSegments } from '../dataset/catch-up-segments';
import { DeskSimulator, type DeskStats } from './desk-simulator';
import { InspectionRounds } from '../inspections';

/** What the simulator needs of the server: reference data, the log, telemetry, photos, the command path. */
export type SimulatorServer = Pick<
  DispatchServer,
  'ref' | 'db' | 'events' | 'telemetry' | 'photos' | 'execute' | 'inspections'
>;

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
  /**
   * Grid officers walk, send fixes and find problems (default true). False: only the assigned
   * work is done (catch-up.ts replays the missed hours of the open workload this way).
   */
  field?: boolean;
  /** The officers' periodic inspection rounds (default true). */
  inspections?: boolean;
}

export interface SimulatorStats {
  ticks: number;
  reported: number;
  selfHandled: number;
  signedFor: number;
  returned: number;
  /** 缓办 / 延期 requests sent to the duty leaders. */
  requests: number;
  feedback: number;
  rejected: number;
  /** Actions dropped because the case had moved on (closed, reassigned, suspended…). */
  stale: number;
  photos: number;
  fixes: number;
  /** Repeat reports of a problem already reported (一事多报), included in `reported`. */
  echoes: number;
  /** Timed actions waiting (future work and any backlog beyond the tick budget). */
  pending: number;
  /** How far the due actions lag behind the simulated clock (ms of simulated time). */
  lagMs: number;
}

/** A grid officer's phone and body: where, heading where, doing what. */
interface FieldBody {
  gridCode: string;
  gridIdx: number;
  lon: number;
  lat: number;
  toLon: number;
  toLat: number;
  /** Walking/e-bike speed in m/s. */
  pace: number;
  /** Degrees from north of the last movement, null when standing still. */
  heading: number | null;
  /** Stationary until (sim ms): filing a report, fixing a finding on the spot. */
  busyUntil: number;
  /** The phone has no signal until (sim ms). */
  darkUntil: number;
  offlineSent: boolean;
  sosUntil: number;
  /** Sim ms of the last fix actually sent (for the offline threshold). */
  lastFixSim: number;
  lastMoveSim: number;
  /** Real ms of the next fix. */
  nextFixAt: number;
  status: OfficerStatus | null;
}

/** Anyone who signs for and handles cases: grid officers, the mobile squad, department handlers. */
interface Worker {
  id: string;
  userId: string;
  clientId: string;
  kind: 'grid' | 'mobile' | 'department';
  departmentCode: string | null;
  plan: ShiftPlan;
  capacity: number;
  active: Set<string>;
  queue: string[];
  /** Sign-fors scheduled but not yet run (counts toward load when picking a handler). */
  pending: number;
  body: FieldBody | null;
  /** Cache of the last off-duty stretch found: [from, until) is off, `until` is back on duty. */
  off: { from: number; until: number };
}

type Action =
  | { kind: 'find'; source: 'patrol' | 'inspection' }
  | { kind: 'public'; source: 'citizen' | 'video' | 'hotline' | 'department' | 'higher_level' }
  | { kind: 'echo'; source: EchoSource; categoryCode: string; gridCode: string; lon: number; lat: number }
  | { kind: 'signFor'; worker: Worker; caseId: string }
  | { kind: 'return'; worker: Worker; caseId: string }
  | { kind: 'feedback'; worker: Worker; caseId: string };

/**
 * 一事多报 (issue 18): a visible problem reported by the public is often reported again by others
 * (a second passer-by, a repeat 12345 call, the camera's next pass) within minutes to an hour or
 * two, a few metres away. Chance that a public report draws such repeats, by source, chosen so
 * duplicates make up the share of reports the history's desks voided as "重复上报" (≈ 60 % of the
 * voids: citizen 12 % → 7 %, hotline 8 % → 5 %, video 6 % → 3.6 %) with 1.3 repeats on average.
 */
export const ECHO_RATE: Readonly<Record<EchoSource, number>> = { citizen: 0.06, hotline: 0.04, video: 0.03 };
type EchoSource = 'citizen' | 'hotline' | 'video';
/** How far from the first report a repeat lands (m) and how much later (min). */
const ECHO_RADIUS_M = 35;
const ECHO_DELAY_MIN: [number, number] = [3, 90];

const OFFLINE_AFTER_MS = 10 * MINUTE_MS;
/** Chance per on-duty hour that a phone loses its signal for a while. */
const DARK_PER_HOUR = 0.01;
/** Chance per on-duty hour of an SOS (rare: a handful a day across the city). */
const SOS_PER_HOUR = 1 / 15_000;
/** Department handlers give back this share of what they are sent (退单: not our remit). */
const RETURN_RATE = 0.02;
/** Department assignments on which the handler asks for 缓办 / 延期: a few a day per town. */
const SUSPEND_REQUEST_RATE = 0.015;
const EXTENSION_REQUEST_RATE = 0.03;
const SUSPEND_REASONS = [
  '当事人不在场，需约定时间复查',
  '需产权单位配合整改，等待答复',
  '需办理审批手续后处置',
];
const M_PER_DEG_LAT = 111_320;
/** A stalled event loop must not turn into a burst: a tick covers at most 3 ticks' worth (≥ 30 min). */
const MAX_TICK_SIM_MS = 30 * MINUTE_MS;
const SLICE_MS = 8;
const BACKLOG_CHUNK = 2_000;
const LOG_LINES_PER_SEC = 10;

const SOURCE_TEXT: Record<string, (name: string) => string> = {
  patrol: (n) => `巡查发现：${n}`,
  inspection: (n) => `定期巡检发现隐患：${n}`,
  citizen: (n) => `群众通过“智网人人拍”反映：${n}，请尽快处理`,
  video: (n) => `视频巡查发现疑似${n}`,
  hotline: (n) => `12345热线转办：市民来电反映${n}`,
  department: (n) => `部门移交：${n}`,
  higher_level: (n) => `上级交办：${n}，请核实处置`,
};
const SELF_RESULTS = [
  '已现场劝导，当事人当场整改完毕',
  '已现场处置，问题已消除',
  '已责令当场整改并复查，符合要求',
];

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
  private readonly fixIntervalMs: number;
  private readonly maxCommandsPerTick: number;
  private readonly workBacklog: boolean;
  private readonly handlingScale: number;

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

  private readonly workers = new Map<string, Worker>();
  private readonly fieldWorkers: Worker[] = [];
  private readonly handlersByDept = new Map<string, Worker[]>();
  private readonly actions = new TimedQueue<Action>();
  private readonly categoryPicker: WeightedPicker<Category>;
  private readonly gridPicker: WeightedPicker<Grid>;
  private readonly selfHandleK: number;
  private readonly gridShapes = new Map<string, { mp: MultiPolygon; bbox: BBox }>();
  /** Grid code → its position in the point index (ReferenceData builds the index in gridsByIndex order). */
  private readonly gridIndex = new Map<string, number>();
  private readonly caseStmt: ReturnType<SimulatorServer['db']['prepare']>;
  private readonly backlogStmt: ReturnType<SimulatorServer['db']['prepare']>;
  private backlog: { after: string; upTo: number; picked: number } | null = null;
  private patrolling: Worker[] | null = null;
  rateFactor: number;
  // ---- inspections ----
  /** The officers' periodic inspection rounds (undefined until the first tick looks for the service). */
  private inspectionRounds: InspectionRounds | null | undefined;
  private readonly photoPool: number;
  private readonly field: boolean;
  private readonly pooledPhotos = new Map<string, Buffer>();
  /** The simulated desks; null when turned off. */
  readonly desks: DeskSimulator | null;
  private readonly echoScale: number;

  constructor(
    private readonly server: SimulatorServer,
    options: FieldSimulatorOptions = {},
  ) {
    this.now = options.now ?? Date.now;
    this.rng = options.rng ?? createRng(options.seed ?? 'field-simulator');
    this.calendar = options.calendar ?? defaultCalendar();
    this.log = options.log ?? ((line: string) => console.log(`[simulator] ${line}`));
    this.tickMs = options.tickMs ?? 1_000;
    this.echoScale = options.echoScale ?? 1;
    this.fixIntervalMs = options.fixIntervalMs ?? 10_000;
    this.maxCommandsPerTick = options.maxCommandsPerTick ?? 200;
    this.workBacklog = options.workBacklog ?? true;
    this.handlingScale = positive(options.handlingScale ?? 1, 'handlingScale');
    this.rateFactor = options.rateFactor ?? 1;
    this.photoPool = options.photoPool ?? 0;
    this.field = options.field ?? true;
    if (options.inspections === false) this.inspectionRounds = null;
    this.speedFactor = positive(options.speed ?? 1, 'speed');
    this.realAnchor = this.now();
    this.simAnchor = options.simStart ?? this.realAnchor;
    this.lastTickSim = this.simAnchor;
    this.desks =
      options.desks === false
        ? null
        : new DeskSimulator({
            server,
            rng: this.rng,
            now: this.now,
            exec: (userId, clientId, type, payload, baseVersion) =>
              this.exec(userId, clientId, type, payload, baseVersion),
            delayScale: positive(options.deskDelayScale ?? 1, 'deskDelayScale'),
            wrongDispatchRate: options.deskMistakes?.wrongDispatch,
            reworkRate: options.deskMistakes?.rework,
            supervisionRate: options.deskSupervisionRate,
          });

    const { ref } = server;
    ref.gridsByIndex.forEach((g, i) => this.gridIndex.set(g.code, i));
    this.caseStmt = server.db.prepare('SELECT json FROM cases WHERE id = ?');
    // Fields extracted by SQLite, and only for the states that matter: no JSON parsing in JS.
    this.backlogStmt = server.db.prepare(
      `SELECT id, state, last_seq AS lastSeq,
         CASE WHEN state IN ('dispatched', 'handling') THEN json_extract(json, '$.assignee.kind') END AS kind,
         CASE WHEN state IN ('dispatched', 'handling') THEN json_extract(json, '$.assignee.id') END AS assignee,
         CASE WHEN state = 'dispatched' THEN json_extract(json, '$.priority') END AS priority,
         CASE WHEN state IN ('dispatched', 'handling', 'suspended') THEN json_extract(json, '$.handlerId') END AS handler
       FROM cases WHERE id > @after ORDER BY id LIMIT @limit`,
    );
    const categories = [...ref.categories.values()].sort((a, b) => a.code.localeCompare(b.code));
    const weightOf = (c: Category): number =>
      options.categoryWeights?.get(c.code) ?? { emergency: 1, urgent: 2, normal: 3 }[c.defaultPriority];
    this.categoryPicker = new WeightedPicker(categories, categories.map(weightOf));
    this.selfHandleK = calibrateSelfHandle(
      categories.map((c) => ({ priority: c.defaultPriority, weight: weightOf(c) })),
    );
    const grids = [...ref.grids.values()].sort((a, b) => a.code.localeCompare(b.code));
    // Citizens and cameras report where people live and rent: weight grids by residents and units.
    this.gridPicker = new WeightedPicker(
      grids,
      grids.map((g) => 1 + g.residents + g.rentalUnits),
    );

    const officers = [...ref.officers.values()].sort((a, b) => a.id.localeCompare(b.id));
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
      if (o.kind === 'grid' && o.homeGridCode && this.field) {
        const gridIdx = this.gridIndex.get(o.homeGridCode) ?? -1;
        const body = this.placeBody(o.id, o.homeGridCode, gridIdx, realNow);
        if (body) {
          w.body = body;
          this.fieldWorkers.push(w);
        }
      }
      if (o.kind === 'department' && o.departmentCode) {
        const list = this.handlersByDept.get(o.departmentCode) ?? [];
        list.push(w);
        this.handlersByDept.set(o.departmentCode, list);
      }
      this.workers.set(o.id, w);
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
        this.backlog = { after: '', upTo: this.watermark, picked: 0 };
        this.desks?.startBacklog(this.watermark);
      }
    }
    this.log(
      `${this.fieldWorkers.length} grid officers, ${this.workers.size - this.fieldWorkers.length} other workers; ` +
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
    this.patrolling = null;
    this.budget = this.maxCommandsPerTick;
    try {
      this.loadBacklogChunk(t);
      this.ingestEvents(t);
      this.updateBodies(t);
      this.generateCases(from, t);
      // ---- inspections ----
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
    return this.workers.get(officerId)?.body?.status ?? null;
  }

  /** Grid officers the simulator moves, with their home grid and status. */
  fieldOfficers(): { id: string; gridCode: string; status: OfficerStatus | null; duty: Duty }[] {
    const t = this.simNow();
    return this.fieldWorkers.map((w) => ({
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
    const c = e.payload.case as Case | undefined;
    if (!c) return;
    switch (e.type) {
      case 'case.dispatched':
      case 'case.reassigned':
        this.onAssigned(c, t, 0);
        break;
      case 'case.request_refused':
        // A refused return: the department keeps the case and signs for it after all.
        if (
          c.state === 'dispatched' &&
          (e.payload.request as { kind?: string } | undefined)?.kind === 'return'
        )
          this.onAssigned(c, t, 0, false);
        break;
      case 'case.reworked':
      case 'case.resumed':
        if (c.state === 'handling' && c.handlerId) {
          const w = this.workers.get(c.handlerId);
          if (w && !w.active.has(c.id)) this.enqueueWork(w, c.id, t);
        }
        break;
      default:
        break;
    }
  }

  /**
   * The dispatched and in-hand cases open at start — the desk's existing workload — read a chunk
   * a tick (reading ~60k case rows at once would hold the event loop for a third of a second).
   * Only cases whose last event precedes the start: anything later reaches us through the log.
   */
  private loadBacklogChunk(t: number): void {
    const b = this.backlog;
    if (!b) return;
    const rows = this.backlogStmt.all({ after: b.after, limit: BACKLOG_CHUNK }) as {
      id: string;
      state: string;
      lastSeq: number;
      kind: string | null;
      assignee: string | null;
      priority: Priority | null;
      handler: string | null;
    }[];
    const touched = new Set<Worker>();
    for (const r of rows) {
      if (r.lastSeq > b.upTo) continue;
      if (r.state === 'dispatched') {
        if ((r.kind !== 'officer' && r.kind !== 'department') || r.assignee === null) continue;
        const kind: AssigneeKind = r.kind;
        // Spread the morning's sign-for over a few hours instead of one burst.
        if (
          this.onAssigned(
            { id: r.id, assignee: { kind, id: r.assignee }, priority: r.priority ?? 'normal' },
            t,
            // urgent work first; the morning's routine sign-for spread over a few hours
            r.priority === 'normal' ? this.rng.range(0, 4 * HOUR_MS) : 0,
          )
        ) {
          b.picked++;
        }
      } else if (r.state === 'handling' && r.handler) {
        const w = this.workers.get(r.handler);
        if (w) {
          w.queue.push(r.id);
          touched.add(w);
          b.picked++;
        }
      } else if (r.state === 'suspended' && r.handler) {
        // 缓办 approved before the start (imported from the history): its cause clears within
        // two days, then the handler resumes and finishes it (feedback resumes a suspended case).
        const w = this.workers.get(r.handler);
        if (w) {
          this.actions.push(t + this.rng.range(2 * HOUR_MS, 2 * DAY_MS), {
            kind: 'feedback',
            worker: w,
            caseId: r.id,
          });
          b.picked++;
        }
      }
    }
    for (const w of touched) this.startWork(w, t);
    if (rows.length > 0) b.after = rows[rows.length - 1].id;
    if (rows.length < BACKLOG_CHUNK) {
      this.backlog = null;
      if (b.picked > 0) this.log(`picked up ${b.picked} dispatched or in-hand cases that were open at start`);
    }
  }

  private onAssigned(
    c: Pick<Case, 'id' | 'assignee' | 'priority'>,
    t: number,
    extraDelay: number,
    mayGiveBack = true,
  ): boolean {
    if (!c.assignee) return false;
    let w: Worker | undefined;
    if (c.assignee.kind === 'officer') {
      w = this.workers.get(c.assignee.id);
      if (!w || w.kind === 'department') return false; // a handler cannot sign for an officer assignment
    } else {
      const handlers = this.handlersByDept.get(c.assignee.id);
      if (!handlers || handlers.length === 0) return false;
      // The least loaded handler of the department takes it.
      w = handlers.reduce((best, h) => (load(h) < load(best) ? h : best));
    }
    w.pending++;
    const at = this.reactionTime(w, t + extraDelay, c.priority !== 'normal');
    const giveBack =
      mayGiveBack &&
      w.kind === 'department' &&
      (this.desks?.isWrongDispatch(c.id) === true || this.rng.next() < RETURN_RATE);
    this.actions.push(at, { kind: giveBack ? 'return' : 'signFor', worker: w, caseId: c.id });
    return true;
  }

  /**
   * When the worker gets round to a new assignment: minutes on duty, the next shift otherwise —
   * except emergencies and urgent cases, which the on-call handler takes at once.
   */
  private reactionTime(w: Worker, t: number, urgent = false): number {
    if (urgent)
      return t + (w.kind === 'department' ? this.rng.range(5, 20) : this.rng.range(1, 5)) * MINUTE_MS;
    let start = t;
    if (t >= w.off.from && t < w.off.until) start = w.off.until;
    else if (dutyAt(w.plan, t, this.calendar) === 'off') {
      // The scan is up to a few hundred roster look-ups; a night's backlog asks it thousands of times.
      start = nextOnDuty(w.plan, t, this.calendar);
      w.off = { from: t, until: start };
    }
    const delay = w.kind === 'department' ? this.rng.range(5, 45) : this.rng.range(1, 8);
    return start + delay * MINUTE_MS;
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
        this.find(a.source, at);
        return;
      case 'public':
        this.publicReport(a.source, at);
        return;
      case 'echo':
        this.echoReport(a);
        return;
      case 'signFor':
        a.worker.pending = Math.max(0, a.worker.pending - 1);
        this.signFor(a.worker, a.caseId, at);
        return;
      case 'return':
        a.worker.pending = Math.max(0, a.worker.pending - 1);
        this.giveBack(a.worker, a.caseId);
        return;
      case 'feedback':
        this.feedback(a.worker, a.caseId, at);
        return;
    }
  }

  // ---- new cases ----------------------------------------------------------------------------

  private generateCases(from: number, to: number): void {
    if (!(to > from) || !(this.rateFactor > 0)) return;
    const mid = (from + to) / 2;
    const expected = caseRatePerMs(mid, this.calendar, CASES_PER_DAY * this.rateFactor) * (to - from);
    const n = poisson(this.rng, expected);
    const mix = LIVE_SOURCE_MIX;
    const total = Object.values(mix).reduce((a, b) => a + b, 0);
    for (let i = 0; i < n; i++) {
      const at = from + this.rng.next() * (to - from);
      let u = this.rng.next() * total;
      let source: keyof typeof mix = 'patrol';
      for (const [s, w] of Object.entries(mix) as [keyof typeof mix, number][]) {
        if (u < w) {
          source = s;
          break;
        }
        u -= w;
      }
      // the inspection rounds report their own hazards (inspection-rounds.ts)
      if (source === 'inspection' && this.inspectionRounds) continue;
      if (source === 'patrol' || source === 'inspection') this.actions.push(at, { kind: 'find', source });
      else this.actions.push(at, { kind: 'public', source });
    }
  }

  /** An officer on patrol finds a problem where they stand: fix it on the spot, or report it. */
  private find(source: 'patrol' | 'inspection', at: number): void {
    const w = this.pickPatrolling();
    if (!w || !w.body) return; // nobody on patrol right now (deep night): the finding does not happen
    const body = w.body;
    const category = this.categoryPicker.pick(this.rng);
    const p =
      source === 'inspection'
        ? SELF_HANDLE_INSPECTION
        : selfHandleProbability(category.defaultPriority, this.selfHandleK);
    const caseId = newCaseId(this.now());
    const before = this.photo(caseId, 'before', w.userId);
    if (!before) return;
    const common = {
      caseId,
      categoryCode: category.code,
      description: SOURCE_TEXT[source](category.name),
      address: this.addressOf(body.gridCode),
      lon: round6(body.lon),
      lat: round6(body.lat),
      photos: [before],
    };
    // 前置处理 is never allowed for emergencies, gas and hazardous chemicals (work-rules.ts).
    if (selfHandleRefusal(category.code, category.defaultPriority) === null && this.rng.next() < p) {
      const after = this.photo(caseId, 'after', w.userId);
      if (!after) return;
      const answer = this.exec(
        w.userId,
        w.clientId,
        'selfHandle',
        { ...common, result: this.rng.pick(SELF_RESULTS), afterPhotos: [after] },
        null,
      );
      if (answer?.status === 'accepted') this.stats.selfHandled++;
      body.busyUntil = at + this.rng.range(5, 25) * MINUTE_MS;
    } else {
      const answer = this.exec(w.userId, w.clientId, 'report', { ...common, source }, null);
      if (answer?.status === 'accepted') this.stats.reported++;
      body.busyUntil = at + this.rng.range(2, 6) * MINUTE_MS;
    }
    this.patrolling = this.patrolling?.filter((x) => x !== w) ?? null;
  }

  /** Citizens (智网人人拍), cameras and the hotline: anywhere people live, weighted by grid. */
  private publicReport(
    source: 'citizen' | 'video' | 'hotline' | 'department' | 'higher_level',
    at: number,
  ): void {
    const grid = this.gridPicker.pick(this.rng);
    const point = this.randomPointIn(grid.code, this.gridIndex.get(grid.code) ?? -1);
    if (!point) return;
    const category = this.categoryPicker.pick(this.rng);
    if (this.publicCase(source, category.code, grid.code, point) && source in ECHO_RATE) {
      const s = source as EchoSource;
      if (this.rng.next() < ECHO_RATE[s] * this.echoScale) {
        // 1 repeat (75 %), 2 (20 %) or 3 (5 %).
        const u = this.rng.next();
        const n = u < 0.75 ? 1 : u < 0.95 ? 2 : 3;
        for (let i = 0; i < n; i++) {
          const d = this.rng.range(0, ECHO_RADIUS_M);
          const angle = this.rng.range(0, 2 * Math.PI);
          const lat = point[1] + (d * Math.sin(angle)) / M_PER_DEG_LAT;
          const lon =
            point[0] + (d * Math.cos(angle)) / (M_PER_DEG_LAT * Math.cos((point[1] * Math.PI) / 180));
          this.actions.push(at + this.rng.range(...ECHO_DELAY_MIN) * MINUTE_MS, {
            kind: 'echo',
            source: s,
            categoryCode: category.code,
            gridCode: grid.code,
            lon,
            lat,
          });
        }
      }
    }
  }

  /** Another member of the public reports a problem already reported (一事多报). */
  private echoReport(a: Action & { kind: 'echo' }): void {
    // A repeat that falls across a grid line is located by the server like any report.
    if (this.publicCase(a.source, a.categoryCode, a.gridCode, [a.lon, a.lat])) this.stats.echoes++;
  }

  private publicCase(
    source: 'citizen' | 'video' | 'hotline' | 'department' | 'higher_level',
    categoryCode: string,
    gridCode: string,
    point: [number, number],
  ): boolean {
    const category = this.server.ref.categories.get(categoryCode);
    if (!category) return false;
    const caseId = newCaseId(this.now());
    const userId = source === 'citizen' ? 'U-citizen' : 'U-system';
    const clientId = source === 'citizen' ? 'citizen-app' : `feed-${source}`;
    const photos: string[] = [];
    if (source === 'citizen' || source === 'video') {
      const p = this.photo(caseId, 'before', userId);
      if (p) photos.push(p);
    }
    const answer = this.exec(
      userId,
      clientId,
      'report',
      {
        caseId,
        categoryCode: category.code,
        source,
        description: SOURCE_TEXT[source](category.name),
        address: this.addressOf(gridCode),
        lon: round6(point[0]),
        lat: round6(point[1]),
        photos,
      },
      null,
    );
    if (answer?.status !== 'accepted') return false;
    this.stats.reported++;
    return true;
  }

  /** Who finds it: an officer on patrol, or at night (nobody walking) one keeping watch (在岗). */
  private pickPatrolling(): Worker | null {
    if (this.patrolling === null) {
      this.patrolling = this.fieldWorkers.filter((w) => w.body?.status === 'patrol');
      if (this.patrolling.length === 0)
        this.patrolling = this.fieldWorkers.filter((w) => w.body?.status === 'on_duty');
    }
    return this.patrolling.length > 0 ? this.rng.pick(this.patrolling) : null;
  }

  // ---- assigned work ------------------------------------------------------------------------

  private signFor(w: Worker, caseId: string, at: number): void {
    const c = this.caseOf(caseId);
    if (!c || c.state !== 'dispatched' || !assignedTo(c, w)) {
      this.stats.stale++;
      return;
    }
    if (c.priority === 'normal' && dutyAt(w.plan, at, this.calendar) === 'off') {
      // Went off duty before getting to it: first thing next shift (urgent work: on call).
      w.pending++;
      this.actions.push(this.reactionTime(w, at), { kind: 'signFor', worker: w, caseId });
      return;
    }
    const answer = this.exec(w.userId, w.clientId, 'signFor', { caseId }, c.version);
    if (answer?.status !== 'accepted') return;
    this.stats.signedFor++;
    this.enqueueWork(w, caseId, at);
  }

  private giveBack(w: Worker, caseId: string): void {
    const c = this.caseOf(caseId);
    if (!c || c.state !== 'dispatched' || !assignedTo(c, w)) {
      this.stats.stale++;
      return;
    }
    const dept = w.departmentCode
      ? (this.server.ref.departments.get(w.departmentCode)?.name ?? w.departmentCode)
      : '本部门';
    // A request: the case goes back only when the duty leader approves it (desk-simulator.ts).
    const answer = this.exec(
      w.userId,
      w.clientId,
      'requestReturn',
      { caseId, reason: `经核实不属于${dept}职责范围，请重新派遣` },
      c.version,
    );
    if (answer?.status === 'accepted') this.stats.returned++;
  }

  private enqueueWork(w: Worker, caseId: string, t: number): void {
    if (w.active.has(caseId) || w.queue.includes(caseId)) return;
    w.queue.push(caseId);
    this.startWork(w, t);
  }

  /** Take cases from the worker's queue up to its capacity and schedule their feedback. */
  private startWork(w: Worker, t: number): void {
    while (w.active.size < w.capacity && w.queue.length > 0) {
      const caseId = w.queue.shift() as string;
      const c = this.caseOf(caseId);
      if (!c || c.state !== 'handling' || c.handlerId !== w.id) {
        this.stats.stale++;
        continue;
      }
      w.active.add(caseId);
      let travel = 0;
      if (w.body) {
        // Walk to the spot when it is in the home grid; otherwise handle it from where they are
        // (phone calls, coordinating) — a grid officer's fixes never leave the home grid.
        if (this.server.ref.pointIndex.lookupIndex(c.lon, c.lat) === w.body.gridIdx) {
          w.body.toLon = c.lon;
          w.body.toLat = c.lat;
          travel = (distanceM(w.body.lon, w.body.lat, c.lon, c.lat) / w.body.pace) * 1000;
        }
      }
      this.actions.push(t + travel + this.handlingMs(c, w), { kind: 'feedback', worker: w, caseId });
      if (w.kind === 'department') this.maybeAsk(w, c);
    }
  }

  /**
   * Now and then a department asks the duty leader for 缓办 (waiting on an owner, a permit) or
   * 延期 (joint handling takes longer): low rates, so the leaders' queues see a few a day.
   */
  private maybeAsk(w: Worker, c: Case): void {
    const u = this.rng.next();
    if (u < SUSPEND_REQUEST_RATE) {
      const answer = this.exec(
        w.userId,
        w.clientId,
        'requestSuspend',
        { caseId: c.id, reason: this.rng.pick(SUSPEND_REASONS) },
        c.version,
      );
      if (answer?.status === 'accepted') this.stats.requests++;
    } else if (u < SUSPEND_REQUEST_RATE + EXTENSION_REQUEST_RATE) {
      const limit = this.server.ref.categories.get(c.categoryCode)?.timeLimit;
      const extension =
        limit?.unit === 'hours'
          ? { unit: 'hours' as const, value: 2 }
          : { unit: 'working_days' as const, value: 1 };
      const answer = this.exec(
        w.userId,
        w.clientId,
        'requestExtension',
        { caseId: c.id, reason: '需协调相关部门联合处置，申请延期', extension },
        c.version,
      );
      if (answer?.status === 'accepted') this.stats.requests++;
    }
  }

  private feedback(w: Worker, caseId: string, at: number): void {
    let c = this.caseOf(caseId);
    if (c && c.state === 'suspended' && c.handlerId === w.id) {
      // The suspension was approved meanwhile: the cause is gone by now, resume and finish.
      this.exec(w.userId, w.clientId, 'resume', { caseId }, c.version);
      c = this.caseOf(caseId);
    }
    if (!c || c.state !== 'handling' || c.handlerId !== w.id) {
      w.active.delete(caseId);
      this.stats.stale++;
      this.startWork(w, at);
      return;
    }
    if (w.kind === 'department' && c.priority === 'normal' && dutyAt(w.plan, at, this.calendar) === 'off') {
      // Offices report routine results in office hours (urgent work: at once).
      this.actions.push(this.reactionTime(w, at), { kind: 'feedback', worker: w, caseId });
      return;
    }
    w.active.delete(caseId);
    const after = this.photo(caseId, 'after', w.userId);
    if (after) {
      const category = this.server.ref.categories.get(c.categoryCode);
      const result = `已处置完毕：${category?.closingStandard ?? '问题已整改'}`.slice(0, 2000);
      const answer = this.exec(
        w.userId,
        w.clientId,
        'feedback',
        { caseId, result, afterPhotos: [after] },
        c.version,
      );
      if (answer?.status === 'accepted') this.stats.feedback++;
    }
    this.startWork(w, at);
  }

  /** A plausible handling time from the category's time limit: most finish well inside it. */
  private handlingMs(c: Case, w: Worker): number {
    const limit = this.server.ref.categories.get(c.categoryCode)?.timeLimit;
    const nominal = limit ? nominalMs(limit) : 8 * HOUR_MS;
    const factor = Math.exp(
      Math.log(w.kind === 'department' ? 0.35 : 0.25) +
        (w.kind === 'department' ? 0.8 : 0.7) * this.rng.normal(),
    );
    const [lo, hi] = w.kind === 'department' ? [20 * MINUTE_MS, 3 * DAY_MS] : [10 * MINUTE_MS, 6 * HOUR_MS];
    // emergencies and urgent cases are worked inside their limit (a centre chases them)
    const cap = c.priority === 'normal' ? hi : Math.min(hi, 0.7 * nominal);
    return Math.min(cap, Math.max(Math.min(lo, cap), nominal * factor)) * this.handlingScale;
  }

  // ---- bodies: movement, status, telemetry ---------------------------------------------------

  private placeBody(officerId: string, gridCode: string, gridIdx: number, realNow: number): FieldBody | null {
    if (gridIdx < 0) return null;
    const held = this.server.telemetry.get(officerId);
    const index = this.server.ref.pointIndex;
    const start: [number, number] | null =
      held && index.lookupIndex(held.lon, held.lat) === gridIdx
        ? [held.lon, held.lat]
        : this.randomPointIn(gridCode, gridIdx);
    if (!start) return null;
    const to = this.randomPointIn(gridCode, gridIdx) ?? start;
    return {
      gridCode,
      gridIdx,
      lon: start[0],
      lat: start[1],
      toLon: to[0],
      toLat: to[1],
      // Mostly on foot (≈ 1.2 m/s), a third on e-bikes between stops (≈ 3 m/s on average).
      pace: this.rng.next() < 0.67 ? this.rng.range(1.0, 1.5) : this.rng.range(2.5, 3.5),
      heading: null,
      busyUntil: 0,
      darkUntil: 0,
      offlineSent: false,
      sosUntil: 0,
      lastFixSim: this.simAnchor,
      lastMoveSim: this.simAnchor,
      // Spread the first fixes over one interval so they do not all land in the first tick.
      nextFixAt: realNow + this.rng.next() * this.fixIntervalMs,
      status: null,
    };
  }

  private updateBodies(t: number): void {
    const realNow = this.now();
    for (const w of this.fieldWorkers) {
      const body = w.body as FieldBody;
      if (body.nextFixAt > realNow) continue;
      this.stepBody(w, body, t, realNow);
    }
  }

  private stepBody(w: Worker, body: FieldBody, t: number, realNow: number): void {
    const dt = Math.max(0, t - body.lastMoveSim);
    body.lastMoveSim = t;
    const duty = dutyAt(w.plan, t, this.calendar);
    const onDuty = duty !== 'off' || w.active.size > 0;
    let interval = this.fixIntervalMs * this.rng.range(0.7, 1.3);

    if (onDuty && body.sosUntil <= t && this.rng.next() < (SOS_PER_HOUR * dt) / HOUR_MS) {
      body.sosUntil = t + this.rng.range(10, 30) * MINUTE_MS;
    }
    if (
      onDuty &&
      body.darkUntil <= t &&
      body.sosUntil <= t &&
      this.rng.next() < (DARK_PER_HOUR * dt) / HOUR_MS
    ) {
      body.darkUntil =
        t + Math.min(2 * HOUR_MS, Math.exp(Math.log(15) + 0.8 * this.rng.normal()) * MINUTE_MS);
    }

    let status: OfficerStatus;
    if (body.sosUntil > t) {
      status = 'sos';
      interval = Math.min(interval, 5_000); // an SOS phone reports as often as it can
    } else if (!onDuty) status = 'off_duty';
    else if (body.busyUntil > t || w.active.size > 0) status = 'handling';
    else if (duty === 'station') status = 'on_duty';
    else status = 'patrol';

    if (status === 'patrol' || (status === 'handling' && w.active.size > 0 && body.busyUntil <= t)) {
      this.walk(body, (body.pace * dt) / 1000, status === 'patrol');
    } else body.heading = null;
    body.nextFixAt = realNow + interval;

    if (status === 'off_duty') {
      // Off duty the app stops tracking: one last fix saying so, then silence.
      if (body.status !== 'off_duty') this.sendFix(w, body, 'off_duty', null, t, realNow);
      return;
    }
    if (body.darkUntil > t && status !== 'sos') {
      // No signal: nothing reaches the server. After OFFLINE_AFTER_MS the platform shows the
      // officer offline; TelemetryHub has no presence watchdog, so the simulator stands in for it.
      if (!body.offlineSent && t - body.lastFixSim > OFFLINE_AFTER_MS) {
        this.sendFix(w, body, 'offline', null, t, realNow);
        body.offlineSent = true;
      }
      return;
    }
    body.offlineSent = false;
    this.sendFix(w, body, status, body.heading, t, realNow);
  }

  private sendFix(
    w: Worker,
    body: FieldBody,
    status: OfficerStatus,
    heading: number | null,
    t: number,
    realNow: number,
  ): void {
    const fix: OfficerFix = {
      officerId: w.id,
      status,
      lon: round6(body.lon),
      lat: round6(body.lat),
      heading,
      at: realNow,
    };
    this.server.telemetry.report(fix);
    body.status = status;
    body.lastFixSim = t;
    this.stats.fixes++;
  }

  /**
   * Move `meters` towards the waypoint, choosing new waypoints inside the home grid as they are
   * reached (patrol) or stopping there (going to a task). A position is only taken if the point
   * index puts it in the home grid — a straight line between two inside points can cut a
   * concave corner — otherwise the officer stays at the last inside point and turns.
   */
  private walk(body: FieldBody, meters: number, wander: boolean): void {
    const index = this.server.ref.pointIndex;
    let left = meters;
    let heading: number | null = null;
    for (let leg = 0; leg < 8 && left > 0.5; leg++) {
      const d = distanceM(body.lon, body.lat, body.toLon, body.toLat);
      if (d < 1) {
        if (!wander) break;
        const next = this.randomPointIn(body.gridCode, body.gridIdx);
        if (!next) break;
        body.toLon = next[0];
        body.toLat = next[1];
        continue;
      }
      const f = Math.min(1, left / d);
      const lon = body.lon + (body.toLon - body.lon) * f;
      const lat = body.lat + (body.toLat - body.lat) * f;
      heading = bearing(body.lon, body.lat, body.toLon, body.toLat);
      if (
        index.lookupIndex(lon, lat) !== body.gridIdx ||
        index.lookupIndex(round6(lon), round6(lat)) !== body.gridIdx
      ) {
        // Cut a corner: turn towards a fresh waypoint from here.
        const next = wander ? this.randomPointIn(body.gridCode, body.gridIdx) : null;
        if (next) {
          body.toLon = next[0];
          body.toLat = next[1];
        } else {
          body.toLon = body.lon;
          body.toLat = body.lat;
        }
        left -= Math.min(left, d * f);
        continue;
      }
      body.lon = lon;
      body.lat = lat;
      left -= d * f;
    }
    body.heading = heading;
  }

  private randomPointIn(gridCode: string, gridIdx: number): [number, number] | null {
    let shape = this.gridShapes.get(gridCode);
    if (!shape) {
      const g = this.server.ref.grids.get(gridCode);
      if (!g?.geometry) return null;
      const mp = fromGeometry(g.geometry);
      shape = { mp, bbox: bboxOf(mp) };
      this.gridShapes.set(gridCode, shape);
    }
    const index = this.server.ref.pointIndex;
    const p = randomPointInMultiPolygon(this.rng, shape.mp, {
      bbox: shape.bbox,
      maxTries: 500,
      // Positions go out rounded to 1e-6°, so the rounded point must be in the grid too.
      accept: (x, y) =>
        index.lookupIndex(x, y) === gridIdx && index.lookupIndex(round6(x), round6(y)) === gridIdx,
    });
    return p ? [p[0], p[1]] : null;
  }

  // ---- helpers ------------------------------------------------------------------------------

  private caseOf(caseId: string): Case | null {
    const row = this.caseStmt.get(caseId) as { json: string } | undefined;
    return row ? (JSON.parse(row.json) as Case) : null;
  }

  private addressOf(gridCode: string): string {
    const names = this.server.ref.divisionNames;
    const town = names.get(gridCode.slice(0, 9)) ?? '';
    const village = (names.get(gridCode.slice(0, 12)) ?? '').replace(/(居民委员会|村民委员会)$/, '');
    return `${town}${village}第${Number(gridCode.slice(12))}网格`;
  }

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

function load(w: Worker): number {
  return w.active.size + w.queue.length + w.pending;
}

function assignedTo(c: Case, w: Worker): boolean {
  if (!c.assignee) return false;
  if (c.assignee.kind === 'officer') return c.assignee.id === w.id;
  return c.assignee.id === w.departmentCode && (c.handlerId === null || c.handlerId === w.id);
}

function newCaseId(now: number): string {
  return `C-${uuidv7(now)}`;
}

function round6(v: number): number {
  return Math.round(v * 1e6) / 1e6;
}

/** Wall-clock length of a time limit, roughly: working days count as 7.5 h of office time. */
function nominalMs(limit: TimeLimit): number {
  return limit.unit === 'working_days' ? limit.value * 7.5 * HOUR_MS : limit.value * HOUR_MS;
}

/** The Shanghai days a catch-up after downtime covered (its segments' spans). */
function caughtUpDays(db: DispatchServer['db']): (dayIndex: number) => boolean {
  const spans = catchUpSegments(db).map((seg) => [
    shanghaiDayIndex(seg.fromMs),
    shanghaiDayIndex(seg.toMs - 1),
  ]);
  return (day) => spans.some(([from, to]) => day >= from && day <= to);
}

function distanceM(lon1: number, lat1: number, lon2: number, lat2: number): number {
  const dy = (lat2 - lat1) * M_PER_DEG_LAT;
  const dx = (lon2 - lon1) * M_PER_DEG_LAT * Math.cos(((lat1 + lat2) / 2) * (Math.PI / 180));
  return Math.hypot(dx, dy);
}

function bearing(lon1: number, lat1: number, lon2: number, lat2: number): number {
  const dy = lat2 - lat1;
  const dx = (lon2 - lon1) * Math.cos(lat1 * (Math.PI / 180));
  const deg = (Math.atan2(dx, dy) * 180) / Math.PI;
  return Math.round(((deg % 360) + 360) % 360);
}
