// What a command does to a case, as a pure function: the server runs it inside its command
// transaction (and stores the result), a console runs the very same function to show the
// optimistic result of a queued action and to refuse obviously impossible ones while offline.
// The rules themselves live in case-workflow.ts; this module turns a decision into the next
// Case (timestamps, deadlines, suspensions, notes, edits).
import type { Command, CommandOf, RejectionCode } from '../protocol/commands';
import type { Case, CaseEventType, Department } from '../protocol/entities';
import type { Priority, Role } from './case-model';
import { FINAL_STATES, SEAT_ROLES } from './case-model';
import {
  PROTOCOL_REJECTION_CODE,
  decide,
  type ActionParams,
  type Actor,
  type CaseView,
  type Decision,
} from './case-workflow';
import { evaluateMerge } from './case-merge';
import { evaluateSupervision, settleOrders } from './supervision';
import { isWithin } from './codes';
import type { TimeLimit } from './deadline';
import { RETURN_WINDOW_WORKING_MS, selfHandleRefusal, suspendRefusal, unconfirmedItems } from './work-rules';
import { MAX_CO_UNITS, unitTargetProblem } from './handling-units';

export interface CommandActor extends Actor {
  /** The department of a department handler (matched against a department assignee). */
  departmentId?: string | null;
}

export interface CommandEnv {
  now: number;
  /** Point → grid, village, town; null outside the city. */
  locate(lon: number, lat: number): { gridCode: string; villageCode: string; townCode: string } | null;
  /** closingStandard, when known, is enforced as the close checklist (work-rules.ts). */
  category(code: string): { code: string; defaultPriority: Priority; closingStandard?: string } | undefined;
  /**
   * Due time of the current handler's clock on the working calendar (work-rules.ts
   * handlingDueAt: fresh after a return, paused by approved suspensions, plus extensions).
   */
  dueOf(c: Case): number | null;
  /** `limit` after `startMs` on the working calendar (a supervision order's deadline). */
  dueFrom(startMs: number, limit: TimeLimit): number;
  /** Working ms between two instants (the return window). */
  workingMsBetween(aMs: number, bMs: number): number;
  /**
   * A handling unit by code (handling-units.ts: city bureau, town department, village
   * committee); absent where the units are not known, which skips the 权责清单 checks.
   */
  department?(code: string): Department | undefined;
  /** For messages: the name of the area a point must lie in. */
  areaName: string;
  /** The other case of a merge / un-merge (case-merge.ts); absent where it cannot be looked up. */
  caseById?(id: string): Case | null;
  caseByNumber?(number: string): Case | null;
}

/** A further case the same command changes (the primary of a merge), with its own event. */
export interface AlsoChanged {
  eventType: CaseEventType;
  next: Case;
  facts: Record<string, unknown>;
}

export type Evaluation =
  | { ok: true; noop: true }
  | {
      ok: true;
      noop: false;
      eventType: CaseEventType;
      next: Case;
      facts: Record<string, unknown>;
      also?: AlsoChanged[];
    }
  | { ok: false; code: RejectionCode; rule: string; reason: string; current: Case | null };

const isSeat = (role: Role): boolean => (SEAT_ROLES as readonly Role[]).includes(role);

function refuse(code: RejectionCode, reason: string, current: Case | null, rule: string = code): Evaluation {
  return { ok: false, code, rule, reason, current };
}

export function evaluateCommand(
  current: Case | null,
  command: Command,
  actor: CommandActor,
  env: CommandEnv,
): Evaluation {
  switch (command.type) {
    case 'report':
    case 'selfHandle':
      if (current === null) return create(command, actor, env);
      break;
    case 'addNote':
    case 'addPhoto':
    case 'editFields':
      return annotate(command, current, actor, env);
    case 'merge':
    case 'unmerge':
      return evaluateMerge(current, command, actor, env);
    case 'supervise':
    case 'remindSupervision':
    case 'answerSupervision':
    case 'lapseSupervision': {
      if (current === null) return refuse('NOT_FOUND', `no case ${command.payload.caseId}`, null);
      const r = evaluateSupervision(current, command, actor, env);
      return r.ok ? r : refuse(r.code, r.reason, current, r.rule);
    }
    default:
      break;
  }
  if (current === null) return refuse('NOT_FOUND', `no case ${command.payload.caseId}`, null);
  const decision = decide(current as CaseView, command.type, actor, paramsOf(command) as never);
  if (!decision.ok) return fromRefusal(decision, current);
  if (decision.noop) return { ok: true, noop: true };
  const broken = workRuleProblem(current, command, actor, env);
  if (broken !== null) return broken;
  const facts = factsOf(command);
  const next = applyDecision(current, decision, command, actor, env);
  // Requests and decisions record the request itself (a decision: the one it settles, which the
  // case after it no longer carries), so the timeline can name it.
  if (command.type === 'approveRequest' || command.type === 'refuseRequest') facts.request = current.request;
  if (decision.event === 'case.requested') facts.request = next.request;
  return { ok: true, noop: false, eventType: decision.event, next, facts };
}

/** Issue 17's rules that need the category, the time or the calendar (work-rules.ts). */
function workRuleProblem(
  current: Case,
  command: Command,
  actor: CommandActor,
  env: CommandEnv,
): Evaluation | null {
  switch (command.type) {
    case 'dispatch':
    case 'reassign':
      return targetProblem(current, command, actor, env);
    case 'selfHandle': {
      const why = selfHandleRefusal(current.categoryCode, current.priority);
      return why === null ? null : refuse('FORBIDDEN', why, current, 'SELF_HANDLE_NOT_ALLOWED');
    }
    case 'requestSuspend':
    case 'approveRequest': {
      if (command.type === 'approveRequest' && current.request?.kind !== 'suspend') return null;
      const why = suspendRefusal(current.priority);
      return why === null ? null : refuse('FORBIDDEN', why, current, 'SUSPEND_NOT_ALLOWED');
    }
    case 'feedback':
      return command.payload.afterPhotos.length === 0
        ? refuse(
            'BAD_REQUEST',
            'feedback needs at least one after-photo (一查一拍)',
            current,
            'MISSING_PHOTO',
          )
        : null;
    case 'close': {
      if (current.afterPhotos.length === 0)
        return refuse(
          'BAD_REQUEST',
          'the case has no after-photo: send it back for rework rather than close it',
          current,
          'MISSING_PHOTO',
        );
      const standard = env.category(current.categoryCode)?.closingStandard;
      const missing = standard ? unconfirmedItems(standard, command.payload.checklist) : [];
      return missing.length === 0
        ? null
        : refuse(
            'BAD_REQUEST',
            `the closing standard is not confirmed: ${missing.join('；')}`,
            current,
            'CHECKLIST_INCOMPLETE',
          );
    }
    case 'requestReturn': {
      const since = current.assignedAt ?? current.dispatchedAt;
      if (since === null || env.workingMsBetween(since, env.now) <= RETURN_WINDOW_WORKING_MS) return null;
      return refuse(
        'INVALID_TRANSITION',
        `a return must be asked within ${RETURN_WINDOW_WORKING_MS / 3_600_000} working hours of the dispatch; ask for an extension or give feedback instead`,
        current,
        'RETURN_WINDOW_PASSED',
      );
    }
    default:
      return null;
  }
}

/**
 * The 权责清单 and jurisdiction of the units a dispatch names (handling-units.ts), and the shape
 * of a joint dispatch 联合执法: co-units are units, distinct, not the lead, at most MAX_CO_UNITS.
 */
function targetProblem(
  current: Case,
  command: CommandOf<'dispatch'> | CommandOf<'reassign'>,
  actor: CommandActor,
  env: CommandEnv,
): Evaluation | null {
  const lead = command.payload.assignee;
  const co = command.type === 'dispatch' ? (command.payload.coUnits ?? []) : [];
  if (co.length > 0) {
    const why =
      lead.kind !== 'department'
        ? 'a joint dispatch (联合执法) is led by a unit, not by an officer'
        : co.includes(lead.id)
          ? `${lead.id} cannot lead and assist the same joint dispatch`
          : new Set(co).size !== co.length
            ? 'a co-unit is named twice'
            : co.length > MAX_CO_UNITS
              ? `at most ${MAX_CO_UNITS} co-units`
              : null;
    if (why !== null) return refuse('BAD_REQUEST', why, current, 'JOINT_UNITS');
  }
  if (!env.department) return null;
  const seatScope = isSeat(actor.role) ? actor.scopeCode : null;
  const named = [...(lead.kind === 'department' ? [lead.id] : []), ...co];
  for (const code of named) {
    const unit = env.department(code);
    if (!unit) continue; // the server refuses unknown codes before this (NOT_FOUND)
    // The lead answers for the finding (its level must do); a co-unit assists (area and scope only).
    const p = unitTargetProblem(current, unit, seatScope, code !== named[0] || lead.kind !== 'department');
    if (p !== null) return refuse(p.code, p.reason, current, p.rule);
  }
  return null;
}

function fromRefusal(decision: Decision & { ok: false }, current: Case | null): Evaluation {
  return refuse(PROTOCOL_REJECTION_CODE[decision.code], decision.reason, current, decision.code);
}

/** report / selfHandle of a new case: locate it, check the category, run the rules, create. */
function create(
  command: CommandOf<'report'> | CommandOf<'selfHandle'>,
  actor: CommandActor,
  env: CommandEnv,
): Evaluation {
  const p = command.payload;
  const where = env.locate(p.lon, p.lat);
  if (!where) {
    return refuse(
      'BAD_REQUEST',
      `the location ${p.lon.toFixed(6)},${p.lat.toFixed(6)} is outside ${env.areaName}`,
      null,
      'OUTSIDE_AREA',
    );
  }
  const category = env.category(p.categoryCode);
  if (!category) return refuse('NOT_FOUND', `unknown category ${p.categoryCode}`, null);
  if (command.type === 'selfHandle') {
    const why = selfHandleRefusal(category.code, p.priority ?? category.defaultPriority);
    if (why !== null) return refuse('FORBIDDEN', why, null, 'SELF_HANDLE_NOT_ALLOWED');
  }
  const source = command.type === 'report' ? command.payload.source : 'patrol';
  const decision =
    command.type === 'report'
      ? decide(null, 'report', actor, { source, gridCode: where.gridCode })
      : decide(null, 'selfHandle', actor, {
          result: command.payload.result,
          afterPhotos: command.payload.afterPhotos,
          gridCode: where.gridCode,
          source,
        });
  if (!decision.ok) return fromRefusal(decision, null);
  if (decision.noop) return { ok: true, noop: true };
  const created: Case = {
    id: p.caseId,
    state: 'reported',
    categoryCode: category.code,
    priority: p.priority ?? category.defaultPriority,
    source,
    description: p.description,
    address: p.address,
    lon: p.lon,
    lat: p.lat,
    gridCode: where.gridCode,
    villageCode: where.villageCode,
    townCode: where.townCode,
    holderCode: where.villageCode,
    reporterId: actor.id,
    assignee: null,
    assignedBy: null,
    assignedAt: null,
    handlerId: null,
    selfHandled: false,
    supervised: false,
    reworkCount: 0,
    photos: p.photos,
    afterPhotos: command.type === 'selfHandle' ? command.payload.afterPhotos : [],
    suspensions: [],
    stateBeforeSuspend: null,
    reportedAt: env.now,
    registeredAt: null,
    dispatchedAt: null,
    dueAt: null,
    feedbackAt: command.type === 'selfHandle' ? env.now : null,
    closedAt: null,
    voidedAt: null,
    version: 0,
  };
  return {
    ok: true,
    noop: false,
    eventType: decision.event,
    next: { ...created, ...pickCaseFields(decision.next), version: 1 },
    facts: factsOf(command),
  };
}

/** Append-only notes and photos, and field edits (server order wins; the editor is told). */
function annotate(
  command: CommandOf<'addNote'> | CommandOf<'addPhoto'> | CommandOf<'editFields'>,
  current: Case | null,
  actor: CommandActor,
  env: CommandEnv,
): Evaluation {
  if (!current) return refuse('NOT_FOUND', `no case ${command.payload.caseId}`, null);
  if (FINAL_STATES.has(current.state)) {
    return refuse('CASE_CLOSED', `case ${current.id} is ${current.state}: its record is final`, current);
  }
  if (command.type === 'editFields') {
    if (actor.role !== 'dispatcher' && actor.role !== 'village_operator') {
      return refuse('FORBIDDEN', `a ${actor.role} may not edit case fields`, current);
    }
    if (!isWithin(current.holderCode, actor.scopeCode)) {
      return refuse(
        'OUT_OF_SCOPE',
        `case ${current.id} is held by ${current.holderCode}, outside ${actor.scopeCode}`,
        current,
      );
    }
    const f = command.payload.fields;
    if (f.categoryCode !== undefined && !env.category(f.categoryCode)) {
      return refuse('NOT_FOUND', `unknown category ${f.categoryCode}`, current);
    }
    const previous: Record<string, unknown> = {};
    for (const k of Object.keys(f) as (keyof typeof f)[]) previous[k] = current[k];
    const stale = command.baseVersion !== null && command.baseVersion < current.version;
    const next: Case = { ...current, ...stripUndefined(f), version: current.version + 1 };
    const facts: Record<string, unknown> = { fields: f, previous, overwroteNewerVersion: stale };
    if (
      f.categoryCode !== undefined &&
      f.categoryCode !== current.categoryCode &&
      current.dispatchedAt !== null
    ) {
      // The deadline follows the new category's limit, from the same clock start.
      next.dueAt = env.dueOf(next);
      facts.dueRecomputed = { from: current.dueAt, to: next.dueAt };
    }
    return { ok: true, noop: false, eventType: 'case.fields_edited', next, facts };
  }
  const involved =
    actor.id === current.reporterId ||
    actor.id === current.handlerId ||
    (current.assignee?.kind === 'officer' && current.assignee.id === actor.id) ||
    (current.assignee?.kind === 'department' && current.assignee.id === actor.departmentId) ||
    (!!actor.departmentId && (current.coUnits ?? []).includes(actor.departmentId));
  const seatCanSee = isSeat(actor.role) && isWithin(current.gridCode, actor.scopeCode);
  if (!seatCanSee && !involved)
    return refuse('OUT_OF_SCOPE', `case ${current.id} is outside your jurisdiction`, current);
  if (command.type === 'addNote') {
    return {
      ok: true,
      noop: false,
      eventType: 'case.note_added',
      next: { ...current, version: current.version + 1 },
      facts: { text: command.payload.text },
    };
  }
  const photos = current.photos.includes(command.payload.photo)
    ? current.photos
    : [...current.photos, command.payload.photo];
  if (photos.length > 32) return refuse('BAD_REQUEST', 'a case holds at most 32 photos', current);
  return {
    ok: true,
    noop: false,
    eventType: 'case.photo_added',
    next: { ...current, photos, version: current.version + 1 },
    facts: { photo: command.payload.photo, caption: command.payload.caption ?? null },
  };
}

function paramsOf(command: Command): ActionParams[keyof ActionParams] {
  const p = command.payload as Record<string, unknown>;
  switch (command.type) {
    case 'dispatch':
    case 'reassign':
      return { ...p, baseVersion: command.baseVersion } as ActionParams['dispatch'];
    case 'selfHandle':
      return { result: command.payload.result, afterPhotos: command.payload.afterPhotos };
    default:
      return p;
  }
}

function applyDecision(
  current: Case,
  decision: Decision & { ok: true },
  command: Command,
  actor: Actor,
  env: CommandEnv,
): Case {
  const now = env.now;
  const next: Case = { ...current, ...pickCaseFields(decision.next), version: current.version + 1 };
  switch (command.type) {
    case 'verify':
      next.registeredAt = now;
      if (command.payload.categoryCode && env.category(command.payload.categoryCode)) {
        next.categoryCode = command.payload.categoryCode;
      }
      if (command.payload.priority) next.priority = command.payload.priority;
      break;
    case 'void':
      next.voidedAt = now;
      if (current.supervisions) next.supervisions = settleOrders(current, now);
      break;
    case 'dispatch':
    case 'reassign':
      if (command.type === 'dispatch') {
        if (command.payload.coUnits?.length) next.coUnits = command.payload.coUnits;
        else delete next.coUnits;
      } else if (current.coUnits) {
        // A new lead keeps the other co-units; a co-unit made lead is no longer a co-unit.
        const lead = command.payload.assignee.id;
        next.coUnits = current.coUnits.filter((u) => u !== lead);
      }
      next.assignedBy = actor.id;
      next.assignedAt = now;
      next.request = null; // a request of the previous assignee is moot
      if (next.dispatchedAt === null || current.state === 'returned') {
        // The handling clock starts at the first dispatch; a reassignment does not restart it,
        // but the dispatch after an approved return starts a fresh clock for the new handler.
        if (next.dispatchedAt === null) next.dispatchedAt = now;
        next.clockStartMs = now;
        next.extensions = [];
        next.dueAt = env.dueOf(next);
      }
      break;
    case 'requestReturn':
    case 'requestSuspend':
    case 'requestExtension':
      next.request = {
        kind: REQUEST_KIND[command.type],
        byId: actor.id,
        at: now,
        reason: command.payload.reason,
        ...(command.type === 'requestExtension' ? { extension: command.payload.extension } : {}),
        ...(command.type === 'requestSuspend' && command.payload.untilMs !== undefined
          ? { untilMs: command.payload.untilMs }
          : {}),
      };
      break;
    case 'approveRequest':
      approve(current, next, actor, env);
      break;
    case 'refuseRequest':
      next.request = null;
      break;
    case 'resume':
      next.suspensions = current.suspensions.map((s) => (s.toMs === null ? { ...s, toMs: now } : s));
      next.stateBeforeSuspend = null;
      next.dueAt = env.dueOf(next);
      break;
    case 'feedback':
    case 'selfHandle':
      // Done: a request still waiting (more time, a return) is moot.
      next.request = null;
      next.feedbackAt = now;
      next.afterPhotos = command.payload.afterPhotos;
      break;
    case 'close':
      next.closedAt = now;
      if (current.supervisions) next.supervisions = settleOrders(current, now);
      break;
    case 'rework':
      next.feedbackAt = null;
      break;
    default:
      break;
  }
  return next;
}

const REQUEST_KIND = {
  requestReturn: 'return',
  requestSuspend: 'suspend',
  requestExtension: 'extension',
} as const;

/**
 * What the duty leader's approval does: a suspension starts now (the clock stops from the
 * approval, not from the request); an extension moves the due time on the case's clock; a
 * return gives the case back to the dispatcher, counts against 准确派遣率 and stops the clock.
 */
function approve(current: Case, next: Case, actor: Actor, env: CommandEnv): void {
  const req = current.request;
  next.request = null;
  if (!req) return;
  switch (req.kind) {
    case 'suspend':
      next.suspensions = [...current.suspensions, { fromMs: env.now, toMs: null, reason: req.reason }];
      next.stateBeforeSuspend = current.state;
      next.dueAt = null;
      break;
    case 'extension': {
      const ext: TimeLimit = req.extension ?? { unit: 'working_days', value: 1 };
      next.extensions = [
        ...(current.extensions ?? []),
        { ...ext, at: env.now, approvedBy: actor.id, reason: req.reason },
      ];
      next.dueAt = env.dueOf(next);
      break;
    }
    case 'return':
      delete next.coUnits; // the joint handling ends with its lead's return
      next.assignedBy = null;
      next.assignedAt = null;
      next.returnCount = (current.returnCount ?? 0) + 1;
      next.dueAt = null;
      break;
  }
}

const CASE_VIEW_FIELDS = [
  'state',
  'stateBeforeSuspend',
  'assignee',
  'handlerId',
  'holderCode',
  'reworkCount',
  'supervised',
  'selfHandled',
  'reporterId',
] as const;

/** The workflow's `next` may only touch the fields it owns. */
function pickCaseFields(next: Partial<CaseView>): Partial<Case> {
  const out: Record<string, unknown> = {};
  for (const k of CASE_VIEW_FIELDS) if (k in next) out[k] = next[k];
  if ('assignedBy' in next) out.assignedBy = next.assignedBy ?? null;
  return out;
}

/** What the event records besides the resulting case: the command's own facts (reasons, notes…). */
function factsOf(command: Command): Record<string, unknown> {
  const { caseId: _caseId, ...rest } = command.payload as Record<string, unknown> & { caseId: string };
  return rest;
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
