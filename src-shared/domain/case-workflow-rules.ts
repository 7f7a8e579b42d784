// The case state machine's rule tables (DOMAIN.md "Work"): who may do what from which state, the
// events and refusal codes, and the shapes `decide` (case-workflow.ts) works on. Pure: the server calls `decide` inside its command transaction and applies
// `next`; consoles call it (and `allowedActions`) to grey out buttons and to pre-check queued
// commands offline. Names come from case-model.ts.
//
// Transitions ("seat" = dispatcher, village_operator; "assignee" = the officer the case is
// dispatched to, or a handler of the department it is dispatched to — once someone signed for a
// department case, only that handler):
//
// | action     | from                         | to                  | who                                              | needs                     | event               |
// |------------|------------------------------|---------------------|--------------------------------------------------|---------------------------|---------------------|
// | report     | (no case)                    | reported            | officer, citizen, seat, system                   | gridCode, source          | case.reported       |
// | selfHandle | (no case) or reported        | feedback            | officer (on an existing case: its reporter)      | result, ≥1 after-photo    | case.self_handled   |
// | verify     | reported                     | registered          | seat                                             |                           | case.verified       |
// | void       | reported, registered, returned | voided            | seat                                             | reason                    | case.voided         |
// | dispatch   | registered, returned         | dispatched          | seat                                             | assignee, baseVersion     | case.dispatched     |
// | reassign   | dispatched, handling, returned | dispatched        | seat                                             | assignee, baseVersion     | case.reassigned     |
// | signFor    | dispatched                   | handling            | assignee                                         |                           | case.signed_for     |
// | requestReturn    | dispatched, handling (no pending request) | (same; request) | assignee                          | reason                    | case.requested      |
// | requestSuspend   | handling (no pending request)             | (same; request) | assignee                          | reason                    | case.requested      |
// | requestExtension | dispatched, handling (no pending request) | (same; request) | assignee                          | reason, extension         | case.requested      |
// | approveRequest   | dispatched, handling with a request | suspend → suspended, return → returned, extension → (same) | duty_leader of the approving level |  | case.request_approved |
// | refuseRequest    | dispatched, handling with a request | (same; request cleared) | duty_leader of the approving level | reason          | case.request_refused |
// | resume     | suspended                    | state before suspend| assignee, seat, duty_leader                      |                           | case.resumed        |
// | feedback   | handling                     | feedback            | assignee                                         | result                    | case.feedback_given |
// | close      | feedback                     | closed              | checker, seat — never the handler or reporter    |                           | case.closed         |
// | rework     | feedback                     | handling            | checker, seat — never the handler or reporter    | reason                    | case.reworked       |
// | escalate   | reported, registered, returned | (same; holder ↑)  | seat                                             | holder below city level   | case.escalated      |
// | delegate   | reported, registered, returned | (same; holder ↓)  | dispatcher                                       | toCode                    | case.delegated      |
// | supervise  | any open state               | (same; 督办 order)  | duty_leader, dispatcher of city or town          | note (supervision.ts)     | case.supervised     |
//
// Decisions worth knowing
// - Close and rework are the independent check 核查结案. Checkers and dispatch seats may do it;
//   duty leaders may not (they supervise 督办 and brief, they do not verify work) and neither may
//   admins (configuration only; admins take no case action at all).
// - Closed and voided are final: any action on them is CASE_CLOSED, except `close` on a closed
//   case, which succeeds as a no-op (`noop: true`, no event) so a retried close is harmless.
// - Dispatch race (ARCHITECTURE "Conflict rules"): a dispatch on a case that already has an
//   assignee succeeds as a no-op when it names the same assignee, and is otherwise refused with
//   ALREADY_ASSIGNED and the current assignment in `current` — whether or not baseVersion
//   matches, because changing an assignment takes an explicit reassign. Reassign repeats are
//   no-ops too; a reassign from a stale baseVersion is VERSION_CONFLICT.
// - Approvals: an assignee cannot stop or hand back its own case. 缓办, 延期 and 退单
//   are requests; one may be pending at a time, and while it is the case goes on as it was (the
//   clock runs). Only the duty leader of the approving level decides it: the level holding the
//   case when that is the city or a town, the town above it when a village holds it (villages
//   have no duty leader). A leader of another town, or of the city for a town-held case, is
//   OUT_OF_SCOPE. An approved return clears the assignee and handler, so the case can be
//   dispatched afresh (and the next dispatch starts a fresh handling clock, case-commands.ts).
//   The return window and the extension's effect on the deadline need time and the calendar:
//   case-commands.ts checks and applies them.
// - 联合执法 (handling-units.ts): a dispatch may name co-units besides the assignee, the lead
//   unit. Only the lead signs, asks and gives feedback; a co-unit's handler is told so
//   (NOT_LEAD_UNIT, folded into NOT_ASSIGNEE). Which unit may be sent a case (the 权责清单 level,
//   the unit's area, the seat's jurisdiction) needs the units: case-commands.ts checks it.
// - 督办 is an order per level (supervision.ts): a city seat issues 市督, a town seat 镇督; a
//   second order of the same level while one is open is a no-op, and so is any from a seat
//   below town level (villages are supervised, they do not supervise).
// - Scope: a seat may act only when the case's holderCode (the jurisdiction now responsible for
//   it) lies within the seat's scopeCode; at report time the gridCode must. Once a village
//   escalates a case, the village seat can no longer act on it. Field roles (officer, handler,
//   citizen, system) are not scope-checked: their authority comes from being the assignee or the
//   reporter.
// - A new report is held by the village of its grid unless the reporter names a holder (an
//   ancestor of the grid), e.g. a higher-level task placed with the town.
// - Evaluation order, so the most useful refusal wins: action and actor well-formed → case
//   exists → final state → role → scope → state → assignee / reporter identity → separation →
//   level rules (escalate, delegate) → parameters → rules needing parameters (dispatch target's
//   separation, delegation target). Dispatch checks its assignee parameter and the assignment
//   race before the state, so a late dispatch learns who won rather than "invalid transition".

import {
  CASE_SOURCES,
  FINAL_STATES,
  type AssigneeKind,
  type CaseAction,
  type CaseSource,
  type CaseState,
  type RequestKind,
  type Role,
} from './case-model';
import { levelOf } from './codes';

export interface Assignee {
  kind: AssigneeKind;
  /** Officer id, or department id. */
  id: string;
}

/** The facts about a case the rules need. */
export interface CaseView {
  state: CaseState;
  /**
   * Where `resume` returns to; set while suspended. Optional so a protocol Case (which does not
   * carry it) is a CaseView as it is: suspend only happens from handling, the fallback.
   */
  stateBeforeSuspend?: CaseState | null;
  reporterId: string;
  source: CaseSource;
  selfHandled: boolean;
  assignee: Assignee | null;
  /** Who made the current assignment: told to the loser of a dispatch race. */
  assignedBy?: string | null;
  /** Who signed for it and gives feedback; for a self-handled case, the reporter. */
  handlerId: string | null;
  /** Jurisdiction currently responsible for the case (city, county, town or village code). */
  holderCode: string;
  gridCode: string;
  villageCode: string;
  townCode: string;
  reworkCount: number;
  supervised: boolean;
  /** Supervision orders 督办 (protocol SupervisionOrder): their level and status are enough here. */
  supervisions?: readonly { id: string; level: 'city' | 'town'; status: string }[];
  /** The request waiting for the duty leader; absent or null when there is none. */
  request?: { kind: RequestKind } | null;
  /** 联合执法: the co-units of a joint dispatch (department codes); the assignee leads. */
  coUnits?: readonly string[];
  version: number;
}

export interface Actor {
  id: string;
  role: Role;
  /** The jurisdiction a seat is bound to. Ignored for field roles. */
  scopeCode: string;
  /** For role 'handler': the department, matched against a department assignee's id. */
  departmentId?: string | null;
}

type NoParams = { note?: string };

export interface ActionParams {
  report: { source: CaseSource; gridCode: string; holderCode?: string };
  /** gridCode (and optionally source, holderCode) are needed when filing a new case. */
  selfHandle: {
    result: string;
    afterPhotos: readonly string[];
    gridCode?: string;
    source?: CaseSource;
    holderCode?: string;
  };
  verify: NoParams;
  void: { reason: string };
  dispatch: { assignee: Assignee; baseVersion: number | null };
  reassign: { assignee: Assignee; baseVersion: number | null; reason?: string };
  signFor: NoParams;
  return: { reason: string };
  suspend: { reason: string };
  resume: NoParams;
  feedback: { result: string; afterPhotos?: readonly string[] };
  close: NoParams;
  rework: { reason: string };
  escalate: { reason?: string };
  delegate: { toCode: string; reason?: string };
  supervise: NoParams;
  requestReturn: { reason: string };
  requestSuspend: { reason: string; untilMs?: number };
  requestExtension: { reason: string; extension: { unit: string; value: number } };
  approveRequest: NoParams;
  refuseRequest: { reason: string };
}

/** Event appended for each action; the names are those of protocol/entities.ts CASE_EVENT_TYPES. */
export const ACTION_EVENT_TYPES = {
  report: 'case.reported',
  selfHandle: 'case.self_handled',
  verify: 'case.verified',
  void: 'case.voided',
  dispatch: 'case.dispatched',
  reassign: 'case.reassigned',
  signFor: 'case.signed_for',
  requestReturn: 'case.requested',
  requestSuspend: 'case.requested',
  requestExtension: 'case.requested',
  approveRequest: 'case.request_approved',
  refuseRequest: 'case.request_refused',
  resume: 'case.resumed',
  feedback: 'case.feedback_given',
  close: 'case.closed',
  rework: 'case.reworked',
  escalate: 'case.escalated',
  delegate: 'case.delegated',
  supervise: 'case.supervised',
} as const satisfies Record<CaseAction, string>;
export type WorkflowEventType = (typeof ACTION_EVENT_TYPES)[CaseAction];

export type WorkflowErrorCode =
  | 'UNKNOWN_ACTION'
  | 'INVALID_ACTOR'
  | 'NOT_FOUND'
  | 'DUPLICATE_CASE_ID'
  | 'CASE_CLOSED'
  | 'FORBIDDEN'
  | 'OUT_OF_SCOPE'
  | 'INVALID_TRANSITION'
  | 'ALREADY_ASSIGNED'
  | 'VERSION_CONFLICT'
  | 'NOT_ASSIGNEE'
  | 'NOT_LEAD_UNIT'
  | 'NOT_REPORTER'
  | 'MISSING_REASON'
  | 'MISSING_RESULT'
  | 'MISSING_PHOTO'
  | 'INVALID_PARAMS'
  | 'INVALID_CODE'
  | 'SOURCE_NOT_ALLOWED'
  | 'AT_TOP_LEVEL'
  | 'INVALID_TARGET'
  | 'SEPARATION_VIOLATION';

/**
 * The protocol's rejection code (protocol/commands.ts REJECTION_CODES) for each workflow code.
 * Codes shared with the protocol map to themselves; the finer ones fold into BAD_REQUEST,
 * FORBIDDEN or INVALID_TRANSITION — send the fine code along in `details` so the UI can say
 * exactly what is missing.
 */
export const PROTOCOL_REJECTION_CODE = {
  UNKNOWN_ACTION: 'BAD_REQUEST',
  INVALID_ACTOR: 'FORBIDDEN',
  NOT_FOUND: 'NOT_FOUND',
  DUPLICATE_CASE_ID: 'DUPLICATE_CASE_ID',
  CASE_CLOSED: 'CASE_CLOSED',
  FORBIDDEN: 'FORBIDDEN',
  OUT_OF_SCOPE: 'OUT_OF_SCOPE',
  INVALID_TRANSITION: 'INVALID_TRANSITION',
  ALREADY_ASSIGNED: 'ALREADY_ASSIGNED',
  VERSION_CONFLICT: 'VERSION_CONFLICT',
  NOT_ASSIGNEE: 'NOT_ASSIGNEE',
  NOT_LEAD_UNIT: 'NOT_ASSIGNEE',
  NOT_REPORTER: 'FORBIDDEN',
  MISSING_REASON: 'BAD_REQUEST',
  MISSING_RESULT: 'BAD_REQUEST',
  MISSING_PHOTO: 'BAD_REQUEST',
  INVALID_PARAMS: 'BAD_REQUEST',
  INVALID_CODE: 'BAD_REQUEST',
  SOURCE_NOT_ALLOWED: 'FORBIDDEN',
  AT_TOP_LEVEL: 'INVALID_TRANSITION',
  INVALID_TARGET: 'BAD_REQUEST',
  SEPARATION_VIOLATION: 'SEPARATION_VIOLATION',
} as const satisfies Record<WorkflowErrorCode, string>;

/** The case as it stands, attached to conflict refusals so the loser can show who won. */
export interface CurrentAssignment {
  state: CaseState;
  assignee: Assignee | null;
  assignedBy: string | null;
  version: number;
}

export type Refusal = { ok: false; code: WorkflowErrorCode; reason: string; current?: CurrentAssignment };

export type Decision =
  | { ok: true; noop: false; next: Partial<CaseView>; event: WorkflowEventType }
  | { ok: true; noop: true; next: Partial<CaseView>; event: null }
  | Refusal;

export interface SeparationViolation {
  code: 'SEPARATION_VIOLATION';
  reason: string;
}

// ---------------------------------------------------------------------------------------------
// Rule tables

const SEATS = ['dispatcher', 'village_operator'] as const satisfies readonly Role[];
const ASSIGNEE_ROLES = ['officer', 'handler'] as const satisfies readonly Role[];
const CHECKERS = ['checker', 'dispatcher', 'village_operator'] as const satisfies readonly Role[];

export const ACTION_ROLES: Readonly<Record<CaseAction, readonly Role[]>> = {
  report: ['officer', 'citizen', 'dispatcher', 'village_operator', 'system'],
  selfHandle: ['officer'],
  verify: SEATS,
  void: SEATS,
  dispatch: SEATS,
  reassign: SEATS,
  signFor: ASSIGNEE_ROLES,
  requestReturn: ASSIGNEE_ROLES,
  requestSuspend: ASSIGNEE_ROLES,
  requestExtension: ASSIGNEE_ROLES,
  approveRequest: ['duty_leader'],
  refuseRequest: ['duty_leader'],
  resume: [...ASSIGNEE_ROLES, ...SEATS, 'duty_leader'],
  feedback: ASSIGNEE_ROLES,
  close: CHECKERS,
  rework: CHECKERS,
  escalate: SEATS,
  delegate: ['dispatcher'],
  supervise: ['duty_leader', 'dispatcher'],
};

const OPEN_STATES: readonly CaseState[] = [
  'reported',
  'registered',
  'dispatched',
  'handling',
  'suspended',
  'returned',
  'feedback',
];

/** States each action applies to (report: none — it creates the case). */
export const ACTION_FROM_STATES: Readonly<Record<CaseAction, readonly CaseState[]>> = {
  report: [],
  selfHandle: ['reported'],
  verify: ['reported'],
  void: ['reported', 'registered', 'returned'],
  dispatch: ['registered', 'returned'],
  reassign: ['dispatched', 'handling', 'returned'],
  signFor: ['dispatched'],
  requestReturn: ['dispatched', 'handling'],
  requestSuspend: ['handling'],
  requestExtension: ['dispatched', 'handling'],
  approveRequest: ['dispatched', 'handling'],
  refuseRequest: ['dispatched', 'handling'],
  resume: ['suspended'],
  feedback: ['handling'],
  close: ['feedback'],
  rework: ['feedback'],
  escalate: ['reported', 'registered', 'returned'],
  delegate: ['reported', 'registered', 'returned'],
  supervise: OPEN_STATES,
};

/** Which sources each reporting role may claim; seats key in anything (hotline, referrals…). */
export const REPORT_SOURCES: Readonly<Partial<Record<Role, readonly CaseSource[]>>> = {
  officer: ['patrol', 'inspection'],
  citizen: ['citizen'],
  system: ['video', 'inspection', 'hotline', 'department', 'higher_level'],
  dispatcher: CASE_SOURCES,
  village_operator: CASE_SOURCES,
};

// ---------------------------------------------------------------------------------------------
// Levels

export function isOpen(state: CaseState): boolean {
  return !FINAL_STATES.has(state);
}

/** The level of 督办 a seat of this scope issues: 市督 from the city (or county), 镇督 from a town. */
export function supervisionLevelOf(scopeCode: string): 'city' | 'town' | null {
  const level = levelOf(scopeCode);
  if (level === 'city' || level === 'county') return 'city';
  return level === 'town' ? 'town' : null;
}

/**
 * The jurisdiction whose duty leader decides a request on a case held at `holderCode`: the
 * holder itself at city or town level, the town above a village (villages have no duty leader).
 */
export function approvingLevelOf(holderCode: string): string {
  const level = levelOf(holderCode);
  return level === 'village' || level === 'grid' ? holderCode.slice(0, 9) : holderCode;
}
