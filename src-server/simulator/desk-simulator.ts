// Simulated desks: the town, village and city seats that verify 核实, dispatch 派遣 and
// check 核查结案 the cases the field produces, for every seat no person is logged into. A seat with
// a live session is left to its person: its cases wait (and go overdue if ignored), and the desk
// looks again later in case the person logs out.
//
// Who acts (the seat of the case's holder, as the workflow's scope rules want):
//   verify / void / dispatch / re-dispatch  holder village → its 工作站 (village_operator);
//                                            holder town → the town dispatcher; city → the city's
//   close / rework                          the checker of the case's town (city-held: the city's)
// Delays (simulated clock, from the event that put the case in the desk's hands): minutes for
// emergencies and urgent cases at any hour; normal cases at night wait for the morning shift
// (07:30–08:30). Checks take from half an hour to a few hours, in the check limit mostly.
// Handling units (desk-units.ts): village committees and town departments take the matters the
// 权责清单 gives their level, some town matters are passed up from the village, and some town
// dispatches are joint 联合执法.
// Mistakes, at realistic rates: a wrong department now and then (its handler returns it and the
// desk re-dispatches to the right one), a rework at the check (the handler does it again), and
// voids of duplicates and out-of-scope reports (mostly from the public).
//
// Duty leaders: the leader of the approving level (the holder's town, or the city)
// decides each 缓办 / 延期 / 退单 request within an hour or so: most are approved, some refused
// with a reason (a return of a case that was dispatched right is refused more often than not).
// Checkers close with the category's 结案条件 confirmed item by item.
//
// 督办 orders: desk-supervision.ts (issued a few hours after a dispatch now and then, 催办,
// answered by the supervised unit mostly in time).
//
// Every action goes through the same command path as a console (the FieldSimulator's exec), with
// the case's current version as baseVersion; a case that moved on meanwhile is left alone.
import type { Priority } from '../../src-shared/domain/case-model';
import { approvingLevelOf } from '../../src-shared/domain/case-workflow';
import { closingChecklist } from '../../src-shared/domain/work-rules';
import { HOUR_MS, MINUTE_MS, startOfDayShanghai } from '../../src-shared/domain/calendar';
import type { Rng } from '../../src-shared/domain/geo';
import type { CommandAnswer } from '../../src-shared/protocol/commands';
import type { Case, CaseEvent } from '../../src-shared/protocol/entities';
import type { SimulatorExec, SimulatorServer } from './field-world';
import { TimedQueue } from './timed-queue';
import { StartBacklog } from './start-backlog';
import { proposeDuplicates } from '../../src-shared/desk/duplicates';
import { ECHO_RATE } from './field-cases';
import { SimulatedSupervision, type SupervisionStats } from './desk-supervision';
import { unitPlan, type UnitRates } from './desk-units';

/** The states in which a case waits for a desk. */
const DESK_STATES = new Set(['reported', 'registered', 'returned', 'feedback']);
/** Share of reports voided at verification (duplicates, not in scope), by source: as the history's. */
const VOID_RATE: Readonly<Record<string, number>> = {
  patrol: 0.015,
  inspection: 0.02,
  citizen: 0.12,
  hotline: 0.08,
  video: 0.06,
  department: 0.03,
  higher_level: 0.01,
};
/** A request is waiting for the duty leader. */
function awaitsLeader(c: Case): boolean {
  return (c.request ?? null) !== null && (c.state === 'dispatched' || c.state === 'handling');
}

const REFUSAL_REASONS = {
  return: '经核实属于本部门职责，请签收办理',
  suspend: '不符合缓办条件，请按时限办理',
  extension: '时限内可完成，请抓紧办理',
} as const;

/**
 * Of those voids, the share that were duplicates (重复上报). Sources whose repeats the field
 * simulator now reports for real (ECHO_RATE: 一事多报) are merged by the desks instead, so only
 * the rest of their voids (not in scope) remain.
 */
const DUPLICATE_SHARE_OF_VOIDS = 0.6;
/** Dispatches to a wrong department (returned by its handler, then re-dispatched). */
export const WRONG_DISPATCH_RATE = 0.03;
/** Checks that send the work back 返工. */
export const REWORK_RATE = 0.06;
/** How often a desk a person holds is looked at again (the person may have logged out). */
const RECHECK_MS = 15 * MINUTE_MS;

export interface DeskStats {
  verified: number;
  voided: number;
  dispatched: number;
  wrongDispatches: number;
  redispatched: number;
  closed: number;
  reworked: number;
  /** Requests decided by the duty leaders. */
  approved: number;
  refused: number;
  /** Looks skipped because a person holds the seat. */
  leftToPerson: number;
  stale: number;
  /** Looks whose action was refused, looked at again later (nothing is left where it stood). */
  retried: number;
  /** Reports merged into an earlier case as duplicates (一事多报). */
  merged: number;
  /** Dispatches to a village committee or town department; of them joint 联合执法. */
  unitDispatches: number;
  jointDispatches: number;
  /** Town matters a village desk passed up to the town's 分拨. */
  passedUp: number;
}

export interface DeskSimulatorHost {
  server: SimulatorServer;
  rng: Rng;
  /** Real clock (session expiry is in real time). */
  now: () => number;
  /** The field simulator's command path (its exec: the tick's budget counts desk commands too). */
  exec: SimulatorExec;
  /** Scales every desk delay (tests: 0.05 turns hours into minutes; default 1). */
  delayScale: number;
  /** Mistake rates (tests raise them to see the paths; default WRONG_DISPATCH_RATE, REWORK_RATE). */
  wrongDispatchRate?: number;
  reworkRate?: number;
  /** Share of first dispatches supervised 督办 (desk-supervision.ts; default SUPERVISE_RATE). */
  supervisionRate?: number;
  /** Handling-unit rates (desk-units.ts; default COMMITTEE_RATE, PASS_UP_RATE, JOINT_RATE). */
  unitRates?: UnitRates;
}

interface Look {
  caseId: string;
  /** The case version the look was scheduled for; a later version has its own look. */
  version: number;
}

export class DeskSimulator {
  readonly stats: DeskStats = {
    verified: 0,
    voided: 0,
    dispatched: 0,
    wrongDispatches: 0,
    redispatched: 0,
    closed: 0,
    reworked: 0,
    approved: 0,
    refused: 0,
    leftToPerson: 0,
    stale: 0,
    retried: 0,
    merged: 0,
    unitDispatches: 0,
    jointDispatches: 0,
    passedUp: 0,
  };
  private readonly looks = new TimedQueue<Look>();
  /** Cases dispatched to a wrong department, to the department it should have gone to. */
  private readonly wrong = new Map<string, string>();
  private readonly sessionStmt;
  private readonly caseStmt;
  private readonly openInGridStmt;
  private readonly backlogStmt;
  private readonly gridTeams = new Map<string, string[]>();
  private readonly departmentCodes: string[];
  private backlog: StartBacklog<{ id: string; lastSeq: number }> | null = null;
  /** 督办: orders issued, reminded and answered by the simulated seats. */
  private readonly supervision: SimulatedSupervision;

  constructor(private readonly host: DeskSimulatorHost) {
    const { db, ref } = host.server;
    this.supervision = new SimulatedSupervision({
      rng: host.rng,
      delayScale: host.delayScale,
      rate: host.supervisionRate,
      caseOf: (id) => this.caseOf(id),
      personHolds: (userId) => this.personHolds(userId),
      exec: (userId, clientId, type, payload, baseVersion) =>
        host.exec(userId, clientId, type, payload, baseVersion),
    });
    this.sessionStmt = db.prepare('SELECT 1 FROM sessions WHERE user_id = ? AND expires_at > ? LIMIT 1');
    this.caseStmt = db.prepare('SELECT json FROM cases WHERE id = ?');
    this.openInGridStmt = db.prepare(
      "SELECT json FROM cases WHERE grid_code = ? AND state NOT IN ('closed', 'voided') LIMIT 500",
    );
    this.backlogStmt = db.prepare(
      `SELECT id, state, version, last_seq AS lastSeq FROM cases
       WHERE id > @after AND state IN ('reported', 'registered', 'returned', 'feedback')
       ORDER BY id LIMIT @limit`,
    );
    for (const o of ref.officers.values()) {
      if (o.kind !== 'grid') continue;
      for (const g of o.gridCodes) {
        const list = this.gridTeams.get(g) ?? [];
        list.push(o.id);
        this.gridTeams.set(g, list);
      }
    }
    // A wrong dispatch goes to another city bureau (units of a level are the 权责清单's, desk-units.ts).
    this.departmentCodes = [...ref.departments.values()]
      .filter((d) => d.code !== 'grid' && d.level === undefined)
      .map((d) => d.code)
      .sort();
  }

  /** Take on the cases waiting for a desk at start (those whose last event is ≤ upToSeq). */
  startBacklog(upToSeq: number): void {
    this.backlog = new StartBacklog(this.backlogStmt, upToSeq);
  }

  get pending(): number {
    return this.looks.size;
  }

  /** A case the desk dispatched to the wrong department: its handler should give it back. */
  isWrongDispatch(caseId: string): boolean {
    return this.wrong.has(caseId);
  }

  get supervisionStats(): SupervisionStats {
    return this.supervision.stats;
  }

  onEvent(e: CaseEvent, t: number): void {
    this.supervision.onEvent(e, t);
    const c = e.payload.case as Case | undefined;
    if (c && awaitsLeader(c)) {
      this.looks.push(t + this.host.rng.range(10, 90) * MINUTE_MS * this.host.delayScale, {
        caseId: c.id,
        version: c.version,
      });
      return;
    }
    if (!c || !DESK_STATES.has(c.state)) return;
    if (c.state === 'reported' && c.selfHandled) return;
    this.schedule(c, t, 0);
  }

  /** Load a chunk of the start backlog, then run the looks due by `simT` within `budget` commands. */
  step(simT: number, budget: () => number): void {
    this.loadBacklogChunk(simT);
    while (this.looks.peekAt() <= simT && budget() > 0) {
      const next = this.looks.pop();
      if (next) this.look(next.item, next.at);
    }
    this.supervision.step(simT, budget);
  }

  private loadBacklogChunk(t: number): void {
    const b = this.backlog;
    if (!b) return;
    for (const r of b.next()) {
      const c = this.caseOf(r.id);
      // the morning's desk work is spread over a couple of hours, not one burst
      if (c) this.schedule(c, t, this.host.rng.range(0, 2 * HOUR_MS));
    }
    if (b.finished) this.backlog = null;
  }

  private schedule(c: Case, t: number, extra: number): void {
    const at = t + extra + this.delayMs(c, t);
    this.looks.push(at, { caseId: c.id, version: c.version });
  }

  /** How long the desk takes to get to a case in its current state. */
  private delayMs(c: Case, t: number): number {
    const rng = this.host.rng;
    const scale = this.host.delayScale;
    const minutes = (lo: number, hi: number): number => rng.range(lo, hi) * MINUTE_MS * scale;
    const pri: Priority = c.priority;
    let d: number;
    switch (c.state) {
      // verify and dispatch inside the dispatch limit mostly (10 min emergency, 30 min otherwise)
      case 'reported':
        d = pri === 'emergency' ? minutes(1, 4) : pri === 'urgent' ? minutes(2, 12) : minutes(3, 24);
        break;
      case 'registered':
        d = pri === 'emergency' ? minutes(1, 3) : minutes(1, 8);
        break;
      case 'returned':
        d = minutes(10, 40);
        break;
      default: // feedback: the check
        d = pri === 'normal' ? minutes(30, 360) : minutes(15, 90);
    }
    // normal cases reported at night wait for the morning shift
    if (pri === 'normal' && c.state !== 'feedback') {
      const at = t + d;
      const day = startOfDayShanghai(at);
      const hour = (at - day) / HOUR_MS;
      if (hour < 7.5) d += day + 7.5 * HOUR_MS - at + minutes(0, 60);
      else if (hour >= 22) d += day + 31.5 * HOUR_MS - at + minutes(0, 60);
    }
    return d;
  }

  private look(l: Look, at: number): void {
    const c = this.caseOf(l.caseId);
    if (!c || c.version !== l.version || !(DESK_STATES.has(c.state) || awaitsLeader(c))) {
      this.stats.stale++;
      return;
    }
    const seat = awaitsLeader(c)
      ? this.leaderOf(c)
      : c.state === 'feedback'
        ? this.checkerOf(c)
        : this.deskOf(c);
    if (this.personHolds(seat)) {
      this.stats.leftToPerson++;
      this.looks.push(at + RECHECK_MS, l);
      return;
    }
    this.act(c, seat, `desk-${seat}`);
    // A refused action (the case changed meanwhile, a rule said no) leaves no event to look at
    // the case again by: look again later rather than leave it where it is for good.
    const after = this.caseOf(c.id);
    if (after && after.version === c.version) {
      this.stats.retried++;
      this.looks.push(at + RECHECK_MS * this.host.delayScale, { caseId: c.id, version: c.version });
    }
  }

  /** The seat's action on the case: the leader's decision, verify/void/merge, dispatch, check. */
  private act(c: Case, seat: string, clientId: string): void {
    const rng = this.host.rng;
    if (awaitsLeader(c)) {
      this.decide(c, seat, clientId);
      return;
    }
    switch (c.state) {
      case 'reported': {
        // 一事多报: a report proposed as a repeat of an earlier open case is merged into it.
        const primary = this.duplicateOf(c);
        if (primary) {
          const reason = `一事多报：与 ${primary.number ?? primary.id} 同类同地，合并处理`;
          const merged = this.host.exec(
            seat,
            clientId,
            'merge',
            { caseId: c.id, primaryId: primary.id, reason },
            c.version,
          );
          if (this.ok(merged)) {
            this.stats.merged++;
            return;
          }
        }
        const echoes = c.source in ECHO_RATE;
        const voidRate = (VOID_RATE[c.source] ?? 0.01) * (echoes ? 1 - DUPLICATE_SHARE_OF_VOIDS : 1);
        if (rng.next() < voidRate) {
          const reason =
            !echoes && rng.next() < DUPLICATE_SHARE_OF_VOIDS
              ? '重复上报，已合并处理'
              : '经核实不属于受理范围';
          if (this.ok(this.host.exec(seat, clientId, 'void', { caseId: c.id, reason }, c.version)))
            this.stats.voided++;
          return;
        }
        if (this.ok(this.host.exec(seat, clientId, 'verify', { caseId: c.id }, c.version)))
          this.stats.verified++;
        return;
      }
      case 'registered':
      case 'returned': {
        const right = this.wrong.get(c.id);
        const again = right !== undefined;
        if (!again && this.unitWork(c, seat, clientId)) return;
        const assignee = again ? { kind: 'department' as const, id: right } : this.assigneeFor(c);
        let target = assignee;
        let mistaken = false;
        const wrongRate = this.host.wrongDispatchRate ?? WRONG_DISPATCH_RATE;
        if (!again && assignee.kind === 'department' && rng.next() < wrongRate) {
          const others = this.departmentCodes.filter((d) => d !== assignee.id);
          if (others.length > 0) {
            target = { kind: 'department', id: rng.pick(others) };
            mistaken = true;
          }
        }
        const answer = this.host.exec(
          seat,
          clientId,
          'dispatch',
          { caseId: c.id, assignee: target },
          c.version,
        );
        if (!this.ok(answer)) return;
        if (mistaken) {
          this.wrong.set(c.id, assignee.id);
          this.stats.wrongDispatches++;
        } else this.wrong.delete(c.id);
        if (again || c.state === 'returned') this.stats.redispatched++;
        else this.stats.dispatched++;
        return;
      }
      default: {
        if (rng.next() < (this.host.reworkRate ?? REWORK_RATE)) {
          const reason = '现场复核未达结案标准，请返工整改';
          if (this.ok(this.host.exec(seat, clientId, 'rework', { caseId: c.id, reason }, c.version)))
            this.stats.reworked++;
          return;
        }
        const standard = this.host.server.ref.categories.get(c.categoryCode)?.closingStandard ?? '';
        const checklist = closingChecklist(standard);
        if (this.ok(this.host.exec(seat, clientId, 'close', { caseId: c.id, checklist }, c.version)))
          this.stats.closed++;
      }
    }
  }

  /**
   * The handling units' share of the desk's work (desk-units.ts): a dispatch to a village
   * committee or town department (jointly now and then), or a town matter passed up to the town.
   * False when the plan is none or was refused, so the desk dispatches as before.
   */
  private unitWork(c: Case, seat: string, clientId: string): boolean {
    const ref = this.host.server.ref;
    const bureau = ref.categories.get(c.categoryCode)?.departmentCode ?? null;
    const plan = unitPlan(c, ref.departments, bureau, this.host.rng, this.host.unitRates);
    if (plan === null) return false;
    if (plan.kind === 'escalate') {
      const ok = this.ok(
        this.host.exec(seat, clientId, 'escalate', { caseId: c.id, reason: plan.reason }, c.version),
      );
      if (ok) this.stats.passedUp++;
      return ok;
    }
    const payload = {
      caseId: c.id,
      assignee: plan.assignee,
      ...(plan.coUnits ? { coUnits: plan.coUnits } : {}),
    };
    if (!this.ok(this.host.exec(seat, clientId, 'dispatch', payload, c.version))) return false;
    if (c.state === 'returned') this.stats.redispatched++;
    else this.stats.dispatched++;
    this.stats.unitDispatches++;
    if (plan.coUnits?.length) this.stats.jointDispatches++;
    return true;
  }

  /** The duty leader approves or refuses the pending request. */
  private decide(c: Case, seat: string, clientId: string): void {
    const kind = c.request!.kind;
    const rate = kind === 'return' ? (this.wrong.has(c.id) ? 0.95 : 0.4) : kind === 'suspend' ? 0.8 : 0.85;
    if (this.host.rng.next() < rate) {
      if (this.ok(this.host.exec(seat, clientId, 'approveRequest', { caseId: c.id }, c.version)))
        this.stats.approved++;
      return;
    }
    const reason = REFUSAL_REASONS[kind];
    if (this.ok(this.host.exec(seat, clientId, 'refuseRequest', { caseId: c.id, reason }, c.version)))
      this.stats.refused++;
  }

  /** The duty leader of the approving level: the holder's town, or the city. */
  private leaderOf(c: Case): string {
    const level = approvingLevelOf(c.holderCode);
    return level.length === 9 ? `U-${level}-leader` : 'U-city-leader';
  }

  private ok(answer: CommandAnswer | null): boolean {
    return answer?.status === 'accepted';
  }

  /** The verifying and dispatching seat of the case's holder. */
  private deskOf(c: Case): string {
    const h = c.holderCode;
    if (h.length === 12) return `U-${h}-operator`;
    if (h.length === 9) return `U-${h}-dispatcher`;
    return 'U-city-dispatcher';
  }

  /** The checking seat: the checker of the case's town (city-held cases: the city's). */
  private checkerOf(c: Case): string {
    return c.holderCode.length >= 9 ? `U-${c.townCode}-checker` : 'U-city-checker';
  }

  private personHolds(userId: string): boolean {
    return this.sessionStmt.get(userId, this.host.now()) !== undefined;
  }

  /** The category's department, or for grid matters an officer of the grid who did not report it. */
  private assigneeFor(c: Case): { kind: 'officer' | 'department'; id: string } {
    const dep = this.host.server.ref.categories.get(c.categoryCode)?.departmentCode ?? 'urban';
    if (dep !== 'grid') return { kind: 'department', id: dep };
    const team = (this.gridTeams.get(c.gridCode) ?? []).filter(
      (id) => `U-${id}` !== c.reporterId && id !== c.reporterId,
    );
    if (team.length > 0) return { kind: 'officer', id: this.host.rng.pick(team) };
    return { kind: 'department', id: 'urban' };
  }

  /** The earlier open case of the same grid this report repeats (src-shared/desk/duplicates.ts). */
  private duplicateOf(c: Case): Case | null {
    const open = (this.openInGridStmt.all(c.gridCode) as { json: string }[])
      .map((r) => JSON.parse(r.json) as Case)
      .filter((o) => o.categoryCode === c.categoryCode);
    if (open.length < 2) return null;
    const p = proposeDuplicates(open).get(c.id);
    return p ? (open.find((o) => o.id === p.primaryId) ?? null) : null;
  }

  private caseOf(id: string): Case | null {
    const row = this.caseStmt.get(id) as { json: string } | undefined;
    return row ? (JSON.parse(row.json) as Case) : null;
  }
}
