// The case state machine's evaluation (DOMAIN.md "Work"): `decide` and `allowedActions` over the
// rule tables of case-workflow-rules.ts (the transition table, the evaluation order), with the
// jurisdiction scope and the 采办分离 separation rules. Pure: the server calls `decide` inside its
// command transaction and applies `next`; consoles call it (and `allowedActions`) to grey out
// buttons and to pre-check queued commands offline.

import {
  ASSIGNEE_KINDS,
  CASE_ACTIONS,
  CASE_SOURCES,
  FINAL_STATES,
  ROLES,
  SEAT_ROLES,
  TIME_LIMIT_UNITS,
  type AssigneeKind,
  type CaseAction,
  type CaseSource,
  type Role,
} from './case-model';
import { isAncestorOf, isValidCode, isValidGridCode, isWithin, levelOf, parentCode } from './codes';
import {
  ACTION_EVENT_TYPES,
  ACTION_FROM_STATES,
  ACTION_ROLES,
  REPORT_SOURCES,
  approvingLevelOf,
  supervisionLevelOf,
  type ActionParams,
  type Actor,
  type Assignee,
  type CaseView,
  type CurrentAssignment,
  type Decision,
  type Refusal,
  type SeparationViolation,
  type WorkflowErrorCode,
} from './case-workflow-rules';

export * from './case-workflow-rules';

// ---------------------------------------------------------------------------------------------
// Small helpers

function isSeat(role: Role): boolean {
  return (SEAT_ROLES as readonly Role[]).includes(role);
}

function refuse(code: WorkflowErrorCode, reason: string, current?: CurrentAssignment): Refusal {
  return current === undefined ? { ok: false, code, reason } : { ok: false, code, reason, current };
}

function changed(action: CaseAction, next: Partial<CaseView>): Decision {
  return { ok: true, noop: false, next, event: ACTION_EVENT_TYPES[action] };
}

const NOOP: Decision = { ok: true, noop: true, next: {}, event: null };

/**
 * The open order of the actor's level on the case, if any ('none' for an actor that issues
 * none): a second order of a level while one is open would only repeat it.
 */
function openSupervisionAt(view: CaseView, actor: Actor): string | null {
  const level = supervisionLevelOf(actor.scopeCode);
  if (level === null) return 'none';
  return (view.supervisions ?? []).find((o) => o.level === level && o.status === 'open')?.id ?? null;
}

function describeAssignee(a: Assignee | null): string {
  return a === null ? 'nobody' : `${a.kind} ${a.id}`;
}

function currentOf(view: CaseView): CurrentAssignment {
  return {
    state: view.state,
    assignee: view.assignee,
    assignedBy: view.assignedBy ?? null,
    version: view.version,
  };
}

function sameAssignee(a: Assignee | null, b: Assignee): boolean {
  return a !== null && a.kind === b.kind && a.id === b.id;
}

/** The actor is the case's assignee (for a department case: its signed handler, once there is one). */
function isCurrentAssignee(view: CaseView, actor: Actor): boolean {
  const a = view.assignee;
  if (a === null) return false;
  if (a.kind === 'officer') return actor.role === 'officer' && actor.id === a.id;
  return (
    actor.role === 'handler' &&
    actor.departmentId === a.id &&
    (view.handlerId === null || view.handlerId === actor.id)
  );
}

type Loose = Readonly<Record<string, unknown>>;

function text(p: Loose, key: string): string | null {
  const v = p[key];
  return typeof v === 'string' && v.trim().length > 0 ? v : null;
}

function assigneeParam(p: Loose): Assignee | Refusal {
  const a = p.assignee;
  if (typeof a !== 'object' || a === null) return refuse('INVALID_PARAMS', 'assignee {kind, id} is required');
  const { kind, id } = a as Loose;
  if (typeof kind !== 'string' || !(ASSIGNEE_KINDS as readonly string[]).includes(kind)) {
    return refuse(
      'INVALID_PARAMS',
      `assignee kind ${JSON.stringify(kind)} is not one of ${ASSIGNEE_KINDS.join(', ')}`,
    );
  }
  if (typeof id !== 'string' || id.trim().length === 0) {
    return refuse('INVALID_PARAMS', `assignee id ${JSON.stringify(id)} must be a non-empty string`);
  }
  return { kind: kind as AssigneeKind, id };
}

/** null = the client did not say which version it saw; it then never matches. */
function baseVersionParam(p: Loose): number | null | Refusal {
  const v = p.baseVersion;
  if (v === null) return null;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) {
    return refuse(
      'INVALID_PARAMS',
      `baseVersion ${JSON.stringify(v)} must be a non-negative integer or null`,
    );
  }
  return v;
}

function isRefusal(x: unknown): x is Refusal {
  return typeof x === 'object' && x !== null && (x as { ok?: unknown }).ok === false;
}

// ---------------------------------------------------------------------------------------------
// Separation rules 采办分离 / 巡办分离

/**
 * Who found a problem must not handle it, and whoever handled or reported it must not check and
 * close it. `target` is the assignee a dispatch or reassign would create. A self-handled case is
 * the sanctioned exception to "reporter ≠ handler" — it still needs an independent closer.
 */
export function separationCheck(
  view: CaseView,
  action: CaseAction,
  actor: Actor,
  target?: Assignee,
): SeparationViolation | null {
  switch (action) {
    case 'dispatch':
    case 'reassign':
      if (
        target !== undefined &&
        target.kind === 'officer' &&
        target.id === view.reporterId &&
        !view.selfHandled
      ) {
        return {
          code: 'SEPARATION_VIOLATION',
          reason: `officer ${target.id} reported this case and cannot be assigned to handle it (采办分离)`,
        };
      }
      return null;
    case 'signFor':
    case 'feedback':
      if (actor.id === view.reporterId && !view.selfHandled) {
        return {
          code: 'SEPARATION_VIOLATION',
          reason: `${actor.id} reported this case and cannot handle it (采办分离)`,
        };
      }
      return null;
    case 'close':
    case 'rework':
      if (view.handlerId !== null && actor.id === view.handlerId) {
        return {
          code: 'SEPARATION_VIOLATION',
          reason: `${actor.id} handled this case and cannot check it; the check must be independent`,
        };
      }
      if (actor.id === view.reporterId) {
        return { code: 'SEPARATION_VIOLATION', reason: `${actor.id} reported this case and cannot check it` };
      }
      return null;
    default:
      return null;
  }
}

// ---------------------------------------------------------------------------------------------
// Gates shared by decide and allowedActions

function actorProblem(actor: Actor): Refusal | null {
  if (typeof actor.id !== 'string' || actor.id.trim().length === 0) {
    return refuse('INVALID_ACTOR', `actor id ${JSON.stringify(actor.id)} must be a non-empty string`);
  }
  if (!(ROLES as readonly string[]).includes(actor.role)) {
    return refuse('INVALID_ACTOR', `actor role ${JSON.stringify(actor.role)} is not a known role`);
  }
  return null;
}

function roleGate(action: CaseAction, actor: Actor): Refusal | null {
  if (ACTION_ROLES[action].includes(actor.role)) return null;
  return refuse(
    'FORBIDDEN',
    `role ${actor.role} may not ${action}; allowed: ${ACTION_ROLES[action].join(', ')}`,
  );
}

function scopeGate(code: string, actor: Actor, what: string): Refusal | null {
  if (!isSeat(actor.role)) return null;
  if (!isValidCode(actor.scopeCode)) {
    return refuse(
      'OUT_OF_SCOPE',
      `seat scope ${JSON.stringify(actor.scopeCode)} is not a valid division code`,
    );
  }
  if (isWithin(code, actor.scopeCode)) return null;
  return refuse('OUT_OF_SCOPE', `${what} ${code} is outside seat scope ${actor.scopeCode}`);
}

/** Not final, role, scope. 'closeNoop' = closing a closed case, which succeeds. */
function entryGate(view: CaseView, action: CaseAction, actor: Actor): Refusal | 'closeNoop' | null {
  if (FINAL_STATES.has(view.state)) {
    if (action === 'close' && view.state === 'closed') {
      return roleGate(action, actor) ?? scopeGate(view.holderCode, actor, 'case holder') ?? 'closeNoop';
    }
    return refuse('CASE_CLOSED', `cannot ${action}: the case is ${view.state}, which is final`);
  }
  if (action === 'approveRequest' || action === 'refuseRequest') {
    return roleGate(action, actor) ?? approverGate(view, actor);
  }
  return roleGate(action, actor) ?? scopeGate(view.holderCode, actor, 'case holder');
}

const isRequestAction = (a: CaseAction): boolean =>
  a === 'requestReturn' || a === 'requestSuspend' || a === 'requestExtension';

/** Only the duty leader of exactly the approving level: not a neighbour, not a level above. */
function approverGate(view: CaseView, actor: Actor): Refusal | null {
  const level = approvingLevelOf(view.holderCode);
  if (isValidCode(actor.scopeCode) && isWithin(level, actor.scopeCode) && isWithin(actor.scopeCode, level)) {
    return null;
  }
  return refuse(
    'OUT_OF_SCOPE',
    `requests on a case held by ${view.holderCode} are decided by the duty leader of ${level}, not of ${actor.scopeCode}`,
  );
}

/** Rules that need no parameters: state, assignee/reporter identity, separation, level. */
function stateGate(view: CaseView, action: CaseAction, actor: Actor): Refusal | null {
  if (!ACTION_FROM_STATES[action].includes(view.state)) {
    if (action === 'dispatch' && view.assignee !== null) {
      return refuse(
        'ALREADY_ASSIGNED',
        `case is already assigned to ${describeAssignee(view.assignee)}; changing it takes an explicit reassign`,
        currentOf(view),
      );
    }
    return refuse(
      'INVALID_TRANSITION',
      `cannot ${action} a case in state ${view.state}; allowed from: ${ACTION_FROM_STATES[action].join(', ') || 'no existing case'}`,
    );
  }
  const pending = view.request ?? null;
  if (isRequestAction(action) && pending !== null) {
    return refuse(
      'INVALID_TRANSITION',
      `a ${pending.kind} request is already waiting for the duty leader; one request at a time`,
    );
  }
  if ((action === 'approveRequest' || action === 'refuseRequest') && pending === null) {
    return refuse(
      'INVALID_TRANSITION',
      `there is no request waiting to ${action === 'approveRequest' ? 'approve' : 'refuse'}`,
    );
  }
  const needsAssignee =
    action === 'signFor' ||
    isRequestAction(action) ||
    action === 'feedback' ||
    (action === 'resume' && !isSeat(actor.role) && actor.role !== 'duty_leader');
  if (needsAssignee && !isCurrentAssignee(view, actor)) {
    const co =
      actor.role === 'handler' && actor.departmentId ? view.coUnits?.includes(actor.departmentId) : false;
    if (co) {
      return refuse(
        'NOT_LEAD_UNIT',
        `${actor.departmentId} is a co-unit of this joint handling (联合执法): the lead unit ${view.assignee?.id ?? ''} signs for it, asks and gives the feedback`,
      );
    }
    return refuse(
      'NOT_ASSIGNEE',
      `${actor.id} is not the assignee of this case (assigned to ${describeAssignee(view.assignee)})`,
    );
  }
  if (action === 'selfHandle' && actor.id !== view.reporterId) {
    return refuse(
      'NOT_REPORTER',
      `only the reporter ${view.reporterId} may self-handle this case, not ${actor.id}`,
    );
  }
  const violation = separationCheck(view, action, actor);
  if (violation !== null) return refuse(violation.code, violation.reason);
  if (action === 'escalate') {
    const up = parentCode(view.holderCode);
    // XXXX00 → XXXX names the same area, so it is no escalation either.
    if (up === null || isWithin(up, view.holderCode)) {
      return refuse(
        'AT_TOP_LEVEL',
        `holder ${view.holderCode} is city level; there is no level above to escalate to`,
      );
    }
  }
  if (
    action === 'delegate' &&
    (levelOf(view.holderCode) === 'village' || levelOf(view.holderCode) === 'grid')
  ) {
    return refuse(
      'INVALID_TARGET',
      `holder ${view.holderCode} is village level; there is no level below that can hold a case`,
    );
  }
  return null;
}

// ---------------------------------------------------------------------------------------------
// Creation

function createCase(action: 'report' | 'selfHandle', actor: Actor, p: Loose): Decision {
  const role = roleGate(action, actor);
  if (role !== null) return role;
  const gridCode = p.gridCode;
  if (!isValidGridCode(gridCode)) {
    return refuse('INVALID_CODE', `gridCode ${JSON.stringify(gridCode)} is not a valid 15-digit grid code`);
  }
  const source = p.source ?? (action === 'selfHandle' ? 'patrol' : undefined);
  if (typeof source !== 'string' || !(CASE_SOURCES as readonly string[]).includes(source)) {
    return refuse(
      'INVALID_PARAMS',
      `source ${JSON.stringify(source)} is not one of ${CASE_SOURCES.join(', ')}`,
    );
  }
  const allowedSources = REPORT_SOURCES[actor.role] ?? [];
  if (!allowedSources.includes(source as CaseSource)) {
    return refuse('SOURCE_NOT_ALLOWED', `role ${actor.role} may not file a case with source ${source}`);
  }
  const villageCode = gridCode.slice(0, 12);
  let holderCode = villageCode;
  if (p.holderCode !== undefined) {
    if (!isValidCode(p.holderCode)) {
      return refuse(
        'INVALID_CODE',
        `holderCode ${JSON.stringify(p.holderCode)} is not a valid division code`,
      );
    }
    if (!isAncestorOf(p.holderCode, gridCode) || levelOf(p.holderCode) === 'grid') {
      return refuse('INVALID_TARGET', `holder ${p.holderCode} is not a jurisdiction above grid ${gridCode}`);
    }
    holderCode = p.holderCode;
  }
  const scope = scopeGate(gridCode, actor, 'grid') ?? scopeGate(holderCode, actor, 'holder');
  if (scope !== null) return scope;

  const base: CaseView = {
    state: 'reported',
    stateBeforeSuspend: null,
    reporterId: actor.id,
    source: source as CaseSource,
    selfHandled: false,
    assignee: null,
    assignedBy: null,
    handlerId: null,
    holderCode,
    gridCode,
    villageCode,
    townCode: gridCode.slice(0, 9),
    reworkCount: 0,
    supervised: false,
    version: 1,
  };
  if (action === 'report') return changed('report', base);
  const missing = selfHandleParamsProblem(p);
  if (missing !== null) return missing;
  return changed('selfHandle', {
    ...base,
    state: 'feedback',
    selfHandled: true,
    assignee: { kind: 'officer', id: actor.id },
    handlerId: actor.id,
  });
}

function selfHandleParamsProblem(p: Loose): Refusal | null {
  if (text(p, 'result') === null)
    return refuse('MISSING_RESULT', 'a self-handled case needs the result of the handling');
  const photos = p.afterPhotos;
  if (
    !Array.isArray(photos) ||
    photos.length === 0 ||
    !photos.every((x) => typeof x === 'string' && x.length > 0)
  ) {
    return refuse('MISSING_PHOTO', 'a self-handled case needs at least one after-photo');
  }
  return null;
}

// ---------------------------------------------------------------------------------------------

/**
 * Decides one command against the current case. Returns the changes to apply (with the new
 * version) and the event type to append, a no-op, or a refusal with a stable code and a reason.
 */
export function decide<A extends CaseAction>(
  view: CaseView | null,
  action: A,
  actor: Actor,
  params: ActionParams[A],
): Decision {
  if (!(CASE_ACTIONS as readonly string[]).includes(action)) {
    return refuse('UNKNOWN_ACTION', `unknown action ${JSON.stringify(action)}`);
  }
  const badActor = actorProblem(actor);
  if (badActor !== null) return badActor;
  const p: Loose = params ?? {};
  const act: CaseAction = action;

  if (act === 'report') {
    if (view !== null) return refuse('DUPLICATE_CASE_ID', 'report creates a case; this case already exists');
    return createCase('report', actor, p);
  }
  if (act === 'selfHandle' && view === null) return createCase('selfHandle', actor, p);

  if (view === null) return refuse('NOT_FOUND', `cannot ${act}: there is no such case`);
  const v = view;
  const entry = entryGate(v, act, actor);
  if (entry === 'closeNoop') return NOOP;
  if (entry !== null) return entry;
  const version = v.version + 1;

  if (act === 'dispatch') {
    const assignee = assigneeParam(p);
    if (isRefusal(assignee)) return assignee;
    const baseVersion = baseVersionParam(p);
    if (isRefusal(baseVersion)) return baseVersion;
    if (v.assignee !== null) {
      if (sameAssignee(v.assignee, assignee)) return NOOP;
      const why =
        baseVersion === v.version
          ? 'changing an assignment takes an explicit reassign'
          : `your view was version ${baseVersion ?? 'unknown'}, the case is at version ${v.version}`;
      return refuse(
        'ALREADY_ASSIGNED',
        `case is already assigned to ${describeAssignee(v.assignee)}${v.assignedBy ? ` by ${v.assignedBy}` : ''}; ${why}`,
        currentOf(v),
      );
    }
    const gate = stateGate(v, act, actor);
    if (gate !== null) return gate;
    const sep = separationCheck(v, act, actor, assignee);
    if (sep !== null) return refuse(sep.code, sep.reason);
    return changed(act, { state: 'dispatched', assignee, assignedBy: actor.id, handlerId: null, version });
  }

  const gate = stateGate(v, act, actor);
  if (gate !== null) return gate;

  switch (act) {
    case 'selfHandle': {
      const missing = selfHandleParamsProblem(p);
      if (missing !== null) return missing;
      return changed(act, {
        state: 'feedback',
        selfHandled: true,
        assignee: { kind: 'officer', id: actor.id },
        handlerId: actor.id,
        version,
      });
    }
    case 'verify':
      return changed(act, { state: 'registered', version });
    case 'void':
      if (text(p, 'reason') === null)
        return refuse('MISSING_REASON', 'voiding a case needs a reason (duplicate, not in scope…)');
      return changed(act, { state: 'voided', version });
    case 'reassign': {
      const assignee = assigneeParam(p);
      if (isRefusal(assignee)) return assignee;
      const baseVersion = baseVersionParam(p);
      if (isRefusal(baseVersion)) return baseVersion;
      if (sameAssignee(v.assignee, assignee)) return NOOP;
      if (baseVersion !== v.version) {
        return refuse(
          'VERSION_CONFLICT',
          `the case changed since you saw it (your version ${baseVersion ?? 'unknown'}, now ${v.version}; assigned to ${describeAssignee(v.assignee)})`,
          currentOf(v),
        );
      }
      const sep = separationCheck(v, act, actor, assignee);
      if (sep !== null) return refuse(sep.code, sep.reason);
      return changed(act, { state: 'dispatched', assignee, assignedBy: actor.id, handlerId: null, version });
    }
    case 'signFor':
      return changed(act, { state: 'handling', handlerId: actor.id, version });
    case 'requestReturn':
      if (text(p, 'reason') === null)
        return refuse('MISSING_REASON', 'asking to return a case needs a reason');
      return changed(act, { request: { kind: 'return' }, version });
    case 'requestSuspend':
      if (text(p, 'reason') === null)
        return refuse('MISSING_REASON', 'asking to suspend a case needs a reason');
      return changed(act, { request: { kind: 'suspend' }, version });
    case 'requestExtension': {
      if (text(p, 'reason') === null) return refuse('MISSING_REASON', 'asking for more time needs a reason');
      const ext = p.extension as Loose | undefined;
      if (
        typeof ext !== 'object' ||
        ext === null ||
        !(TIME_LIMIT_UNITS as readonly unknown[]).includes(ext.unit) ||
        typeof ext.value !== 'number' ||
        !Number.isFinite(ext.value) ||
        ext.value <= 0
      ) {
        return refuse(
          'INVALID_PARAMS',
          'an extension needs {unit, value > 0} in hours, working hours or working days',
        );
      }
      return changed(act, { request: { kind: 'extension' }, version });
    }
    case 'approveRequest': {
      const kind = v.request!.kind;
      if (kind === 'suspend')
        return changed(act, { state: 'suspended', stateBeforeSuspend: v.state, request: null, version });
      if (kind === 'return')
        return changed(act, {
          state: 'returned',
          assignee: null,
          assignedBy: null,
          handlerId: null,
          request: null,
          version,
        });
      return changed(act, { request: null, version });
    }
    case 'refuseRequest':
      if (text(p, 'reason') === null) return refuse('MISSING_REASON', 'refusing a request needs a reason');
      return changed(act, { request: null, version });
    case 'resume':
      return changed(act, { state: v.stateBeforeSuspend ?? 'handling', stateBeforeSuspend: null, version });
    case 'feedback':
      if (text(p, 'result') === null)
        return refuse('MISSING_RESULT', 'feedback needs the result of the handling');
      return changed(act, { state: 'feedback', version });
    case 'close':
      return changed(act, { state: 'closed', version });
    case 'rework':
      if (text(p, 'reason') === null)
        return refuse('MISSING_REASON', 'sending a case back for rework needs a reason');
      return changed(act, { state: 'handling', reworkCount: v.reworkCount + 1, version });
    case 'escalate': {
      const up = parentCode(v.holderCode);
      if (up === null) return refuse('AT_TOP_LEVEL', `holder ${v.holderCode} has no level above it`);
      return changed(act, { holderCode: up, version });
    }
    case 'delegate': {
      const to = p.toCode;
      if (!isValidCode(to))
        return refuse('INVALID_CODE', `toCode ${JSON.stringify(to)} is not a valid division code`);
      if (!isWithin(to, actor.scopeCode)) {
        return refuse('OUT_OF_SCOPE', `delegation target ${to} is outside seat scope ${actor.scopeCode}`);
      }
      if (!isAncestorOf(v.holderCode, to)) {
        return refuse(
          'INVALID_TARGET',
          `delegation target ${to} is not below the current holder ${v.holderCode}`,
        );
      }
      if (levelOf(to) === 'grid')
        return refuse('INVALID_TARGET', `delegation target ${to} is a grid, which cannot hold a case`);
      if (!isAncestorOf(to, v.gridCode)) {
        return refuse(
          'INVALID_TARGET',
          `delegation target ${to} does not contain the case's grid ${v.gridCode}`,
        );
      }
      return changed(act, { holderCode: to, version });
    }
    case 'supervise':
      // An order per level (supervision.ts): a second one while the first is open is its no-op.
      if (openSupervisionAt(v, actor) !== null) return NOOP;
      return changed(act, { supervised: true, version });
    default:
      return refuse('UNKNOWN_ACTION', `unknown action ${JSON.stringify(act)}`);
  }
}

/**
 * Actions the actor could take on the case now, for the UI. Parameter-dependent checks are left
 * to decide (a reason can always be typed; an assignee is picked in the dialog, where the
 * reporter must be left out). Idempotent no-ops (closing a closed case, supervising a supervised
 * one) are not offered. With no case: the creation actions the role may use.
 */
export function allowedActions(view: CaseView | null, actor: Actor): CaseAction[] {
  if (actorProblem(actor) !== null) return [];
  if (view === null) return (['report', 'selfHandle'] as const).filter((a) => roleGate(a, actor) === null);
  return CASE_ACTIONS.filter((action) => {
    if (action === 'report') return false;
    if (entryGate(view, action, actor) !== null) return false;
    if (stateGate(view, action, actor) !== null) return false;
    if (action === 'supervise' && openSupervisionAt(view, actor) !== null) return false;
    return true;
  });
}
