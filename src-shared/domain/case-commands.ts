// What a command does to a case, as a pure function: the server runs it inside its command
// transaction (and stores the result), a console runs the very same function to show the
// optimistic result of a queued action and to refuse obviously impossible ones while offline.
// The rules themselves live in case-workflow.ts; this module turns a decision into the next
// Case (timestamps, deadlines, suspensions, notes, edits).
import type { Command, CommandOf, RejectionCode } from '../protocol/commands';
import type { Case, CaseEventType } from '../protocol/entities';
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
import { isWithin } from './codes';

export interface CommandActor extends Actor {
  /** The department of a department handler (matched against a department assignee). */
  departmentId?: string | null;
}

export interface CommandEnv {
  now: number;
  /** Point → grid, village, town; null outside the city. */
  locate(lon: number, lat: number): { gridCode: string; villageCode: string; townCode: string } | null;
  category(code: string): { code: string; defaultPriority: Priority } | undefined;
  /** Due time of a dispatched case on the working calendar (pauses while suspended). */
  dueOf(c: Case): number | null;
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
    default:
      break;
  }
  if (current === null) return refuse('NOT_FOUND', `no case ${command.payload.caseId}`, null);
  const decision = decide(current as CaseView, command.type, actor, paramsOf(command) as never);
  if (!decision.ok) return fromRefusal(decision, current);
  if (decision.noop) return { ok: true, noop: true };
  return {
    ok: true,
    noop: false,
    eventType: decision.event,
    next: applyDecision(current, decision, command, actor, env),
    facts: factsOf(command),
  };
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
    return {
      ok: true,
      noop: false,
      eventType: 'case.fields_edited',
      next: { ...current, ...stripUndefined(f), version: current.version + 1 },
      facts: { fields: f, previous, overwroteNewerVersion: stale },
    };
  }
  const involved =
    actor.id === current.reporterId ||
    actor.id === current.handlerId ||
    (current.assignee?.kind === 'officer' && current.assignee.id === actor.id) ||
    (current.assignee?.kind === 'department' && current.assignee.id === actor.departmentId);
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
      break;
    case 'dispatch':
    case 'reassign':
      next.assignedBy = actor.id;
      next.assignedAt = now;
      if (next.dispatchedAt === null) {
        // The handling clock starts at the first dispatch; a reassignment does not restart it.
        next.dispatchedAt = now;
        next.dueAt = env.dueOf(next);
      }
      break;
    case 'suspend':
      next.suspensions = [
        ...current.suspensions,
        { fromMs: now, toMs: null, reason: command.payload.reason },
      ];
      next.stateBeforeSuspend = current.state;
      next.dueAt = null;
      break;
    case 'resume':
      next.suspensions = current.suspensions.map((s) => (s.toMs === null ? { ...s, toMs: now } : s));
      next.stateBeforeSuspend = null;
      next.dueAt = env.dueOf(next);
      break;
    case 'feedback':
    case 'selfHandle':
      next.feedbackAt = now;
      next.afterPhotos = command.payload.afterPhotos;
      break;
    case 'close':
      next.closedAt = now;
      break;
    case 'rework':
      next.feedbackAt = null;
      break;
    case 'return':
      next.assignedBy = null;
      next.assignedAt = null;
      break;
    default:
      break;
  }
  return next;
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
