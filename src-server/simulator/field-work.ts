// Assigned work (part of the field simulator): officers and department handlers sign for what
// they are dispatched (a department now and then gives back what is not its remit 退单), work it
// up to their capacity — walking to the spot when it is in the home grid — and give feedback with
// a photo after a plausible handling time; departments now and then ask for 缓办 / 延期. The
// dispatched and in-hand cases open at start are taken on too.
import type { AssigneeKind, Priority } from '../../src-shared/domain/case-model';
import { DAY_MS, HOUR_MS, MINUTE_MS } from '../../src-shared/domain/calendar';
import type { Case, CaseEvent, TimeLimit } from '../../src-shared/protocol/entities';
import { suspendRefusal } from '../../src-shared/domain/work-rules';
import { dutyAt, nextOnDuty } from './duty-roster';
import { distanceM, type FieldHost, type Worker } from './field-world';
import { StartBacklog } from './start-backlog';

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

interface BacklogRow {
  id: string;
  state: string;
  lastSeq: number;
  kind: string | null;
  assignee: string | null;
  priority: Priority | null;
  handler: string | null;
}

export interface FieldWorkOptions {
  /** Scales every handling time (tests: 0.05 turns hours into minutes). */
  handlingScale: number;
  /** Whether the simulated desks dispatched this case to a wrong department on purpose. */
  isWrongDispatch: (caseId: string) => boolean;
  log: (line: string) => void;
}

export class FieldWork {
  private readonly caseStmt: ReturnType<FieldHost['server']['db']['prepare']>;
  private readonly backlogStmt: ReturnType<FieldHost['server']['db']['prepare']>;
  private backlog: StartBacklog<BacklogRow> | null = null;
  /** Backlog cases taken on so far (logged once the backlog is read). */
  private picked = 0;

  constructor(
    private readonly host: FieldHost,
    private readonly options: FieldWorkOptions,
  ) {
    const { db } = host.server;
    this.caseStmt = db.prepare('SELECT json FROM cases WHERE id = ?');
    // Fields extracted by SQLite, and only for the states that matter: no JSON parsing in JS.
    this.backlogStmt = db.prepare(
      `SELECT id, state, last_seq AS lastSeq,
         CASE WHEN state IN ('dispatched', 'handling') THEN json_extract(json, '$.assignee.kind') END AS kind,
         CASE WHEN state IN ('dispatched', 'handling') THEN json_extract(json, '$.assignee.id') END AS assignee,
         CASE WHEN state = 'dispatched' THEN json_extract(json, '$.priority') END AS priority,
         CASE WHEN state IN ('dispatched', 'handling', 'suspended') THEN json_extract(json, '$.handlerId') END AS handler
       FROM cases WHERE id > @after ORDER BY id LIMIT @limit`,
    );
  }

  /** Take on the open workload whose last event is at or before `upTo`, a chunk a tick. */
  startBacklog(upTo: number): void {
    this.backlog = new StartBacklog(this.backlogStmt, upTo);
  }

  /** React to a committed event: a new assignment, a refused return, work sent back or resumed. */
  onEvent(e: CaseEvent, t: number): void {
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
          const w = this.host.crew.workers.get(c.handlerId);
          if (w && !w.active.has(c.id)) this.enqueueWork(w, c.id, t);
        }
        break;
      default:
        break;
    }
  }

  /**
   * The dispatched and in-hand cases open at start — the desk's existing workload — a chunk a
   * tick (start-backlog.ts).
   */
  loadBacklogChunk(t: number): void {
    const b = this.backlog;
    if (!b) return;
    const { rng, crew } = this.host;
    const touched = new Set<Worker>();
    for (const r of b.next()) {
      if (r.state === 'dispatched') {
        if ((r.kind !== 'officer' && r.kind !== 'department') || r.assignee === null) continue;
        const kind: AssigneeKind = r.kind;
        // Spread the morning's sign-for over a few hours instead of one burst.
        if (
          this.onAssigned(
            { id: r.id, assignee: { kind, id: r.assignee }, priority: r.priority ?? 'normal' },
            t,
            // urgent work first; the morning's routine sign-for spread over a few hours
            r.priority === 'normal' ? rng.range(0, 4 * HOUR_MS) : 0,
          )
        ) {
          this.picked++;
        }
      } else if (r.state === 'handling' && r.handler) {
        const w = crew.workers.get(r.handler);
        if (w) {
          w.queue.push(r.id);
          touched.add(w);
          this.picked++;
        }
      } else if (r.state === 'suspended' && r.handler) {
        // 缓办 approved before the start (imported from the history): its cause clears within
        // two days, then the handler resumes and finishes it (feedback resumes a suspended case).
        const w = crew.workers.get(r.handler);
        if (w) {
          this.host.actions.push(t + rng.range(2 * HOUR_MS, 2 * DAY_MS), {
            kind: 'feedback',
            worker: w,
            caseId: r.id,
          });
          this.picked++;
        }
      }
    }
    for (const w of touched) this.startWork(w, t);
    if (b.finished) {
      this.backlog = null;
      if (this.picked > 0)
        this.options.log(`picked up ${this.picked} dispatched or in-hand cases that were open at start`);
    }
  }

  private onAssigned(
    c: Pick<Case, 'id' | 'assignee' | 'priority'>,
    t: number,
    extraDelay: number,
    mayGiveBack = true,
  ): boolean {
    if (!c.assignee) return false;
    const { crew } = this.host;
    let w: Worker | undefined;
    if (c.assignee.kind === 'officer') {
      w = crew.workers.get(c.assignee.id);
      if (!w || w.kind === 'department') return false; // a handler cannot sign for an officer assignment
    } else {
      const handlers = crew.handlersByDept.get(c.assignee.id);
      if (!handlers || handlers.length === 0) return false;
      // The least loaded handler of the department takes it.
      w = handlers.reduce((best, h) => (load(h) < load(best) ? h : best));
    }
    w.pending++;
    const at = this.reactionTime(w, t + extraDelay, c.priority !== 'normal');
    const giveBack =
      mayGiveBack &&
      w.kind === 'department' &&
      (this.options.isWrongDispatch(c.id) || this.host.rng.next() < RETURN_RATE);
    this.host.actions.push(at, { kind: giveBack ? 'return' : 'signFor', worker: w, caseId: c.id });
    return true;
  }

  /**
   * When the worker gets round to a new assignment: minutes on duty, the next shift otherwise —
   * except emergencies and urgent cases, which the on-call handler takes at once.
   */
  private reactionTime(w: Worker, t: number, urgent = false): number {
    const { rng, calendar } = this.host;
    if (urgent) return t + (w.kind === 'department' ? rng.range(5, 20) : rng.range(1, 5)) * MINUTE_MS;
    let start = t;
    if (t >= w.off.from && t < w.off.until) start = w.off.until;
    else if (dutyAt(w.plan, t, calendar) === 'off') {
      // The scan is up to a few hundred roster look-ups; a night's backlog asks it thousands of times.
      start = nextOnDuty(w.plan, t, calendar);
      w.off = { from: t, until: start };
    }
    const delay = w.kind === 'department' ? rng.range(5, 45) : rng.range(1, 8);
    return start + delay * MINUTE_MS;
  }

  signFor(w: Worker, caseId: string, at: number): void {
    const c = this.caseOf(caseId);
    if (!c || c.state !== 'dispatched' || !assignedTo(c, w)) {
      this.host.stats.stale++;
      return;
    }
    if (c.priority === 'normal' && dutyAt(w.plan, at, this.host.calendar) === 'off') {
      // Went off duty before getting to it: first thing next shift (urgent work: on call).
      w.pending++;
      this.host.actions.push(this.reactionTime(w, at), { kind: 'signFor', worker: w, caseId });
      return;
    }
    const answer = this.host.exec(w.userId, w.clientId, 'signFor', { caseId }, c.version);
    if (answer?.status !== 'accepted') return;
    this.host.stats.signedFor++;
    this.enqueueWork(w, caseId, at);
  }

  giveBack(w: Worker, caseId: string): void {
    const c = this.caseOf(caseId);
    if (!c || c.state !== 'dispatched' || !assignedTo(c, w)) {
      this.host.stats.stale++;
      return;
    }
    const dept = w.departmentCode
      ? (this.host.server.ref.departments.get(w.departmentCode)?.name ?? w.departmentCode)
      : '本部门';
    // A request: the case goes back only when the duty leader approves it (desk-simulator.ts).
    const answer = this.host.exec(
      w.userId,
      w.clientId,
      'requestReturn',
      { caseId, reason: `经核实不属于${dept}职责范围，请重新派遣` },
      c.version,
    );
    if (answer?.status === 'accepted') this.host.stats.returned++;
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
        this.host.stats.stale++;
        continue;
      }
      w.active.add(caseId);
      let travel = 0;
      if (w.body) {
        // Walk to the spot when it is in the home grid; otherwise handle it from where they are
        // (phone calls, coordinating) — a grid officer's fixes never leave the home grid.
        if (this.host.server.ref.pointIndex.lookupIndex(c.lon, c.lat) === w.body.gridIdx) {
          w.body.toLon = c.lon;
          w.body.toLat = c.lat;
          travel = (distanceM(w.body.lon, w.body.lat, c.lon, c.lat) / w.body.pace) * 1000;
        }
      }
      this.host.actions.push(t + travel + this.handlingMs(c, w), { kind: 'feedback', worker: w, caseId });
      if (w.kind === 'department') this.maybeAsk(w, c);
    }
  }

  /**
   * Now and then a department asks the duty leader for 缓办 (waiting on an owner, a permit) or
   * 延期 (joint handling takes longer): low rates, so the leaders' queues see a few a day. Never
   * 缓办 for a 特急 case: the rules refuse it (work-rules.ts suspendRefusal).
   */
  private maybeAsk(w: Worker, c: Case): void {
    const { rng, stats } = this.host;
    const u = rng.next();
    if (u < SUSPEND_REQUEST_RATE && suspendRefusal(c.priority) === null) {
      const answer = this.host.exec(
        w.userId,
        w.clientId,
        'requestSuspend',
        { caseId: c.id, reason: rng.pick(SUSPEND_REASONS) },
        c.version,
      );
      if (answer?.status === 'accepted') stats.requests++;
    } else if (u < SUSPEND_REQUEST_RATE + EXTENSION_REQUEST_RATE) {
      const limit = this.host.server.ref.categories.get(c.categoryCode)?.timeLimit;
      const extension =
        limit?.unit === 'hours'
          ? { unit: 'hours' as const, value: 2 }
          : { unit: 'working_days' as const, value: 1 };
      const answer = this.host.exec(
        w.userId,
        w.clientId,
        'requestExtension',
        { caseId: c.id, reason: '需协调相关部门联合处置，申请延期', extension },
        c.version,
      );
      if (answer?.status === 'accepted') stats.requests++;
    }
  }

  feedback(w: Worker, caseId: string, at: number): void {
    const { stats } = this.host;
    let c = this.caseOf(caseId);
    if (c && c.state === 'suspended' && c.handlerId === w.id) {
      // The suspension was approved meanwhile: the cause is gone by now, resume and finish.
      this.host.exec(w.userId, w.clientId, 'resume', { caseId }, c.version);
      c = this.caseOf(caseId);
    }
    if (!c || c.state !== 'handling' || c.handlerId !== w.id) {
      w.active.delete(caseId);
      stats.stale++;
      this.startWork(w, at);
      return;
    }
    if (
      w.kind === 'department' &&
      c.priority === 'normal' &&
      dutyAt(w.plan, at, this.host.calendar) === 'off'
    ) {
      // Offices report routine results in office hours (urgent work: at once).
      this.host.actions.push(this.reactionTime(w, at), { kind: 'feedback', worker: w, caseId });
      return;
    }
    w.active.delete(caseId);
    const after = this.host.photo(caseId, 'after', w.userId);
    if (after) {
      const category = this.host.server.ref.categories.get(c.categoryCode);
      const result = `已处置完毕：${category?.closingStandard ?? '问题已整改'}`.slice(0, 2000);
      const answer = this.host.exec(
        w.userId,
        w.clientId,
        'feedback',
        { caseId, result, afterPhotos: [after] },
        c.version,
      );
      if (answer?.status === 'accepted') stats.feedback++;
    }
    this.startWork(w, at);
  }

  /** A plausible handling time from the category's time limit: most finish well inside it. */
  private handlingMs(c: Case, w: Worker): number {
    const limit = this.host.server.ref.categories.get(c.categoryCode)?.timeLimit;
    const nominal = limit ? nominalMs(limit) : 8 * HOUR_MS;
    const factor = Math.exp(
      Math.log(w.kind === 'department' ? 0.35 : 0.25) +
        (w.kind === 'department' ? 0.8 : 0.7) * this.host.rng.normal(),
    );
    const [lo, hi] = w.kind === 'department' ? [20 * MINUTE_MS, 3 * DAY_MS] : [10 * MINUTE_MS, 6 * HOUR_MS];
    // emergencies and urgent cases are worked inside their limit (a centre chases them)
    const cap = c.priority === 'normal' ? hi : Math.min(hi, 0.7 * nominal);
    return Math.min(cap, Math.max(Math.min(lo, cap), nominal * factor)) * this.options.handlingScale;
  }

  private caseOf(caseId: string): Case | null {
    const row = this.caseStmt.get(caseId) as { json: string } | undefined;
    return row ? (JSON.parse(row.json) as Case) : null;
  }
}

function load(w: Worker): number {
  return w.active.size + w.queue.length + w.pending;
}

function assignedTo(c: Case, w: Worker): boolean {
  if (!c.assignee) return false;
  if (c.assignee.kind === 'officer') return c.assignee.id === w.id;
  return c.assignee.id === w.departmentCode && (c.handlerId === null || c.handlerId === w.id);
}

/** Wall-clock length of a time limit, roughly: working days count as 7.5 h of office time. */
function nominalMs(limit: TimeLimit): number {
  return limit.unit === 'working_days' ? limit.value * 7.5 * HOUR_MS : limit.value * HOUR_MS;
}
