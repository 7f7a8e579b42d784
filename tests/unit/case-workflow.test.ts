import { describe, expect, it } from 'vitest';
import {
  CASE_ACTIONS,
  CASE_STATES,
  ROLES,
  type CaseAction,
  type CaseState,
  type Role,
} from '../../src-shared/domain/case-model';
import {
  ACTION_FROM_STATES,
  ACTION_ROLES,
  ACTION_EVENT_TYPES,
  PROTOCOL_REJECTION_CODE,
  allowedActions,
  decide,
  isOpen,
  separationCheck,
  type ActionParams,
  type Actor,
  type CaseView,
  type Decision,
} from '../../src-shared/domain/case-workflow';
import { CASE_EVENT_TYPES as PROTOCOL_EVENT_TYPES, type Case } from '../../src-shared/protocol/entities';
import { REJECTION_CODES } from '../../src-shared/protocol/commands';

const CITY = '4419';
const TOWN = '441900106'; // 横沥镇
const OTHER_TOWN = '441900107';
const VILLAGE = '441900106001';
const OTHER_VILLAGE = '441900106002';
const GRID = '441900106001003';

const actor = (id: string, role: Role, scopeCode = TOWN, departmentId?: string): Actor =>
  departmentId === undefined ? { id, role, scopeCode } : { id, role, scopeCode, departmentId };

const REPORTER = actor('o-rep', 'officer', GRID);
const OFFICER = actor('o-1', 'officer', GRID); // the assignee in the fixtures
const OFFICER2 = actor('o-2', 'officer', GRID);
const DISPATCHER = actor('d-town', 'dispatcher', TOWN);
const CITY_DISPATCHER = actor('d-city', 'dispatcher', CITY);
const OTHER_DISPATCHER = actor('d-other', 'dispatcher', OTHER_TOWN);
const VILLAGE_OP = actor('v-op', 'village_operator', VILLAGE);
const CHECKER = actor('c-1', 'checker', TOWN);
const LEADER = actor('dl-1', 'duty_leader', TOWN);
const ADMIN = actor('adm', 'admin', CITY);
const FIRE_1 = actor('h-1', 'handler', TOWN, 'dept-fire');
const FIRE_2 = actor('h-2', 'handler', TOWN, 'dept-fire');
const MARKET = actor('h-3', 'handler', TOWN, 'dept-market');
const CITIZEN = actor('cit-1', 'citizen', GRID);
const SYSTEM = actor('sys', 'system', CITY);

const BASE: CaseView = {
  state: 'registered',
  stateBeforeSuspend: null,
  reporterId: REPORTER.id,
  source: 'patrol',
  selfHandled: false,
  assignee: null,
  assignedBy: null,
  handlerId: null,
  holderCode: TOWN,
  gridCode: GRID,
  villageCode: VILLAGE,
  townCode: TOWN,
  reworkCount: 0,
  supervised: false,
  version: 5,
};

/** A consistent case in each state, assigned to OFFICER where that applies. */
function viewIn(state: CaseState, over: Partial<CaseView> = {}): CaseView {
  const assigned = { assignee: { kind: 'officer' as const, id: OFFICER.id }, assignedBy: DISPATCHER.id };
  const byState: Record<CaseState, Partial<CaseView>> = {
    reported: {},
    registered: {},
    dispatched: assigned,
    handling: { ...assigned, handlerId: OFFICER.id },
    suspended: { ...assigned, handlerId: OFFICER.id, stateBeforeSuspend: 'handling' },
    returned: {},
    feedback: { ...assigned, handlerId: OFFICER.id },
    closed: { ...assigned, handlerId: OFFICER.id },
    voided: {},
  };
  return { ...BASE, ...byState[state], state, ...over };
}

const apply = (view: CaseView, d: Decision): CaseView => {
  if (!d.ok) throw new Error(`${d.code}: ${d.reason}`);
  return { ...view, ...d.next };
};

function expectRefusal(d: Decision, code: string, fragment?: string): void {
  expect(d.ok, JSON.stringify(d)).toBe(false);
  if (d.ok) return;
  expect(d.code).toBe(code);
  expect(d.reason.length).toBeGreaterThan(0);
  if (fragment !== undefined) expect(d.reason).toContain(fragment);
}

// The natural actor and valid parameters for each action against the fixtures.
const NATURAL: { [A in CaseAction]: { actor: Actor; params: ActionParams[A] } } = {
  report: { actor: DISPATCHER, params: { source: 'hotline', gridCode: GRID } },
  selfHandle: { actor: REPORTER, params: { result: 'persuaded the owner; cleared', afterPhotos: ['p-9'] } },
  verify: { actor: DISPATCHER, params: {} },
  void: { actor: DISPATCHER, params: { reason: 'duplicate of case 17' } },
  dispatch: { actor: DISPATCHER, params: { assignee: { kind: 'officer', id: OFFICER2.id }, baseVersion: 5 } },
  reassign: { actor: DISPATCHER, params: { assignee: { kind: 'officer', id: OFFICER2.id }, baseVersion: 5 } },
  signFor: { actor: OFFICER, params: {} },
  requestReturn: { actor: OFFICER, params: { reason: 'not my grid' } },
  requestSuspend: { actor: OFFICER, params: { reason: 'waiting for the owner to return' } },
  requestExtension: {
    actor: OFFICER,
    params: {
      reason: 'joint handling with the market bureau',
      extension: { unit: 'working_days', value: 2 },
    },
  },
  approveRequest: { actor: LEADER, params: {} },
  refuseRequest: { actor: LEADER, params: { reason: 'handle it within the limit' } },
  resume: { actor: OFFICER, params: {} },
  feedback: { actor: OFFICER, params: { result: 'hazard removed' } },
  close: { actor: CHECKER, params: {} },
  rework: { actor: CHECKER, params: { reason: 'photo shows the gas bottles still there' } },
  escalate: { actor: DISPATCHER, params: {} },
  delegate: { actor: DISPATCHER, params: { toCode: VILLAGE } },
  supervise: { actor: LEADER, params: {} },
};

function natural<A extends CaseAction>(view: CaseView | null, action: A): Decision {
  const { actor: who, params } = NATURAL[action];
  return decide(view, action, who, params);
}

// Expected outcome of every (state × action) with the natural actor: '→state' = success with that
// new state ('→=' keeps the state), 'noop' = idempotent success, otherwise the refusal code.
type Outcome = string;
const T = 'INVALID_TRANSITION';
const X = 'CASE_CLOSED';
const E = 'DUPLICATE_CASE_ID';
const A = 'ALREADY_ASSIGNED';
// prettier-ignore
const MATRIX: Record<CaseState, Record<CaseAction, Outcome>> = {
  reported: {
    report: E, selfHandle: '→feedback', verify: '→registered', void: '→voided', dispatch: T, reassign: T,
    signFor: T, requestReturn: T, requestSuspend: T, requestExtension: T, approveRequest: T, refuseRequest: T, resume: T, feedback: T, close: T, rework: T,
    escalate: '→=', delegate: '→=', supervise: '→=',
  },
  registered: {
    report: E, selfHandle: T, verify: T, void: '→voided', dispatch: '→dispatched', reassign: T,
    signFor: T, requestReturn: T, requestSuspend: T, requestExtension: T, approveRequest: T, refuseRequest: T, resume: T, feedback: T, close: T, rework: T,
    escalate: '→=', delegate: '→=', supervise: '→=',
  },
  dispatched: {
    report: E, selfHandle: T, verify: T, void: T, dispatch: A, reassign: '→dispatched',
    signFor: '→handling', requestReturn: '→=', requestSuspend: T, requestExtension: '→=', approveRequest: T, refuseRequest: T, resume: T, feedback: T, close: T, rework: T,
    escalate: T, delegate: T, supervise: '→=',
  },
  handling: {
    report: E, selfHandle: T, verify: T, void: T, dispatch: A, reassign: '→dispatched',
    signFor: T, requestReturn: '→=', requestSuspend: '→=', requestExtension: '→=', approveRequest: T, refuseRequest: T, resume: T, feedback: '→feedback', close: T, rework: T,
    escalate: T, delegate: T, supervise: '→=',
  },
  suspended: {
    report: E, selfHandle: T, verify: T, void: T, dispatch: A, reassign: T,
    signFor: T, requestReturn: T, requestSuspend: T, requestExtension: T, approveRequest: T, refuseRequest: T, resume: '→handling', feedback: T, close: T, rework: T,
    escalate: T, delegate: T, supervise: '→=',
  },
  returned: {
    report: E, selfHandle: T, verify: T, void: '→voided', dispatch: '→dispatched', reassign: '→dispatched',
    signFor: T, requestReturn: T, requestSuspend: T, requestExtension: T, approveRequest: T, refuseRequest: T, resume: T, feedback: T, close: T, rework: T,
    escalate: '→=', delegate: '→=', supervise: '→=',
  },
  feedback: {
    report: E, selfHandle: T, verify: T, void: T, dispatch: A, reassign: T,
    signFor: T, requestReturn: T, requestSuspend: T, requestExtension: T, approveRequest: T, refuseRequest: T, resume: T, feedback: T, close: '→closed', rework: '→handling',
    escalate: T, delegate: T, supervise: '→=',
  },
  closed: {
    report: E, selfHandle: X, verify: X, void: X, dispatch: X, reassign: X,
    signFor: X, requestReturn: X, requestSuspend: X, requestExtension: X, approveRequest: X, refuseRequest: X, resume: X, feedback: X, close: 'noop', rework: X,
    escalate: X, delegate: X, supervise: X,
  },
  voided: {
    report: E, selfHandle: X, verify: X, void: X, dispatch: X, reassign: X,
    signFor: X, requestReturn: X, requestSuspend: X, requestExtension: X, approveRequest: X, refuseRequest: X, resume: X, feedback: X, close: X, rework: X,
    escalate: X, delegate: X, supervise: X,
  },
};

describe('state × action matrix (natural actor, valid parameters)', () => {
  it('covers every state and action', () => {
    expect(Object.keys(MATRIX).sort()).toEqual([...CASE_STATES].sort());
    for (const state of CASE_STATES)
      expect(Object.keys(MATRIX[state]).sort()).toEqual([...CASE_ACTIONS].sort());
  });

  for (const state of CASE_STATES) {
    for (const action of CASE_ACTIONS) {
      const expected = MATRIX[state][action];
      it(`${state} × ${action} → ${expected}`, () => {
        const view = viewIn(state);
        const d = natural(view, action);
        if (expected === 'noop') {
          expect(d).toEqual({ ok: true, noop: true, next: {}, event: null });
        } else if (expected.startsWith('→')) {
          expect(d.ok, JSON.stringify(d)).toBe(true);
          if (!d.ok || d.noop) throw new Error('expected a change');
          expect(d.event).toBe(ACTION_EVENT_TYPES[action]);
          expect(d.next.version).toBe(view.version + 1);
          const newState = expected === '→=' ? state : expected.slice(1);
          expect(apply(view, d).state).toBe(newState);
        } else {
          expectRefusal(d, expected);
        }
      });
    }
  }

  it('agrees with ACTION_FROM_STATES for every success', () => {
    for (const state of CASE_STATES) {
      for (const action of CASE_ACTIONS) {
        if (MATRIX[state][action].startsWith('→')) expect(ACTION_FROM_STATES[action]).toContain(state);
      }
    }
  });
});

describe('roles', () => {
  const everyone = [
    REPORTER,
    OFFICER,
    DISPATCHER,
    VILLAGE_OP,
    CHECKER,
    LEADER,
    ADMIN,
    FIRE_1,
    CITIZEN,
    SYSTEM,
  ];

  it('each action refuses every role outside its list with FORBIDDEN', () => {
    const stateFor: Record<CaseAction, CaseState> = {
      report: 'reported',
      selfHandle: 'reported',
      verify: 'reported',
      void: 'registered',
      dispatch: 'registered',
      reassign: 'dispatched',
      signFor: 'dispatched',
      requestReturn: 'dispatched',
      requestSuspend: 'handling',
      requestExtension: 'handling',
      approveRequest: 'handling',
      refuseRequest: 'handling',
      resume: 'suspended',
      feedback: 'handling',
      close: 'feedback',
      rework: 'feedback',
      escalate: 'registered',
      delegate: 'registered',
      supervise: 'handling',
    };
    for (const action of CASE_ACTIONS) {
      if (action === 'report') continue; // creation is tested separately
      for (const who of everyone) {
        if (ACTION_ROLES[action].includes(who.role)) continue;
        const d = decide(viewIn(stateFor[action]), action, who, NATURAL[action].params);
        expectRefusal(d, 'FORBIDDEN', who.role);
      }
    }
  });

  it('admins take no case action; duty leaders supervise, decide requests and resume', () => {
    const LEADER_ACTIONS: CaseAction[] = ['supervise', 'approveRequest', 'refuseRequest', 'resume'];
    for (const action of CASE_ACTIONS) {
      expect(ACTION_ROLES[action]).not.toContain('admin');
      if (!LEADER_ACTIONS.includes(action)) expect(ACTION_ROLES[action]).not.toContain('duty_leader');
    }
    for (const state of CASE_STATES) {
      expect(allowedActions(viewIn(state), ADMIN)).toEqual([]);
      const expected = !isOpen(state) ? [] : state === 'suspended' ? ['resume', 'supervise'] : ['supervise'];
      expect(allowedActions(viewIn(state), LEADER)).toEqual(expected);
    }
    expect(allowedActions({ ...viewIn('handling'), request: { kind: 'suspend' } }, LEADER)).toEqual([
      'approveRequest',
      'refuseRequest',
      'supervise',
    ]);
  });

  it('close and rework are for checkers and dispatch seats', () => {
    expect(ACTION_ROLES.close).toEqual(['checker', 'dispatcher', 'village_operator']);
    expect(ACTION_ROLES.rework).toEqual(ACTION_ROLES.close);
    const view = viewIn('feedback', { holderCode: VILLAGE });
    for (const who of [CHECKER, DISPATCHER, VILLAGE_OP]) expect(decide(view, 'close', who, {}).ok).toBe(true);
  });

  it('refuses malformed actors', () => {
    expectRefusal(decide(viewIn('reported'), 'verify', { ...DISPATCHER, id: '' }, {}), 'INVALID_ACTOR');
    expectRefusal(decide(viewIn('reported'), 'verify', { ...DISPATCHER, id: '  ' }, {}), 'INVALID_ACTOR');
    const bogus = { ...DISPATCHER, role: 'mayor' } as unknown as Actor;
    expectRefusal(decide(viewIn('reported'), 'verify', bogus, {}), 'INVALID_ACTOR', '"mayor"');
    expect(allowedActions(viewIn('reported'), bogus)).toEqual([]);
  });

  it('refuses an unknown action', () => {
    const d = decide(viewIn('reported'), 'approve' as unknown as CaseAction, DISPATCHER, {});
    expectRefusal(d, 'UNKNOWN_ACTION', '"approve"');
  });

  it('every role appears in the vocabulary', () => {
    for (const action of CASE_ACTIONS) for (const r of ACTION_ROLES[action]) expect(ROLES).toContain(r);
  });
});

describe('report', () => {
  it('creates a full case held by the village of its grid', () => {
    const d = decide(null, 'report', REPORTER, { source: 'patrol', gridCode: GRID });
    expect(d).toEqual({
      ok: true,
      noop: false,
      event: 'case.reported',
      next: {
        state: 'reported',
        stateBeforeSuspend: null,
        reporterId: 'o-rep',
        source: 'patrol',
        selfHandled: false,
        assignee: null,
        assignedBy: null,
        handlerId: null,
        holderCode: VILLAGE,
        gridCode: GRID,
        villageCode: VILLAGE,
        townCode: TOWN,
        reworkCount: 0,
        supervised: false,
        version: 1,
      },
    });
  });

  it('accepts every reporting role with a source it may claim', () => {
    const ok: Array<[Actor, ActionParams['report']]> = [
      [REPORTER, { source: 'inspection', gridCode: GRID }],
      [CITIZEN, { source: 'citizen', gridCode: GRID }],
      [DISPATCHER, { source: 'hotline', gridCode: GRID }],
      [VILLAGE_OP, { source: 'citizen', gridCode: GRID }],
      [SYSTEM, { source: 'video', gridCode: GRID }],
      [SYSTEM, { source: 'higher_level', gridCode: GRID, holderCode: TOWN }],
    ];
    for (const [who, params] of ok) {
      const d = decide(null, 'report', who, params);
      expect(d.ok, `${who.role} ${params.source}: ${JSON.stringify(d)}`).toBe(true);
      expect(d.ok && apply(viewIn('reported'), d).reporterId).toBe(who.id);
    }
  });

  it('refuses sources the role may not claim', () => {
    expectRefusal(
      decide(null, 'report', CITIZEN, { source: 'patrol', gridCode: GRID }),
      'SOURCE_NOT_ALLOWED',
      'citizen',
    );
    expectRefusal(
      decide(null, 'report', REPORTER, { source: 'hotline', gridCode: GRID }),
      'SOURCE_NOT_ALLOWED',
    );
    expectRefusal(decide(null, 'report', SYSTEM, { source: 'patrol', gridCode: GRID }), 'SOURCE_NOT_ALLOWED');
    const bad = { source: 'rumour', gridCode: GRID } as unknown as ActionParams['report'];
    expectRefusal(decide(null, 'report', DISPATCHER, bad), 'INVALID_PARAMS', '"rumour"');
  });

  it('refuses roles that do not report', () => {
    for (const who of [CHECKER, LEADER, ADMIN, FIRE_1]) {
      expectRefusal(decide(null, 'report', who, { source: 'department', gridCode: GRID }), 'FORBIDDEN');
    }
  });

  it('needs a valid grid code', () => {
    for (const gridCode of ['', VILLAGE, '44190010600100', '441900106001000', ' 441900106001003']) {
      expectRefusal(
        decide(null, 'report', REPORTER, { source: 'patrol', gridCode }),
        'INVALID_CODE',
        JSON.stringify(gridCode),
      );
    }
  });

  it('takes an explicit holder only if it is above the grid', () => {
    const d = decide(null, 'report', DISPATCHER, { source: 'hotline', gridCode: GRID, holderCode: TOWN });
    expect(d.ok && d.next.holderCode).toBe(TOWN);
    expectRefusal(
      decide(null, 'report', CITY_DISPATCHER, { source: 'hotline', gridCode: GRID, holderCode: OTHER_TOWN }),
      'INVALID_TARGET',
    );
    expectRefusal(
      decide(null, 'report', DISPATCHER, { source: 'hotline', gridCode: GRID, holderCode: GRID }),
      'INVALID_TARGET',
    );
    expectRefusal(
      decide(null, 'report', DISPATCHER, { source: 'hotline', gridCode: GRID, holderCode: '4419x' }),
      'INVALID_CODE',
    );
  });

  it('keeps seats inside their scope, for the grid and for the holder', () => {
    expectRefusal(
      decide(null, 'report', OTHER_DISPATCHER, { source: 'hotline', gridCode: GRID }),
      'OUT_OF_SCOPE',
      GRID,
    );
    expectRefusal(
      decide(null, 'report', VILLAGE_OP, { source: 'hotline', gridCode: GRID, holderCode: TOWN }),
      'OUT_OF_SCOPE',
      TOWN,
    );
    expect(
      decide(null, 'report', CITY_DISPATCHER, { source: 'hotline', gridCode: GRID, holderCode: CITY }).ok,
    ).toBe(true);
    // field roles report wherever they are
    expect(
      decide(null, 'report', actor('o-x', 'officer', '441900107001001'), { source: 'patrol', gridCode: GRID })
        .ok,
    ).toBe(true);
  });

  it('refuses to report onto an existing case', () => {
    for (const state of CASE_STATES) expectRefusal(natural(viewIn(state), 'report'), 'DUPLICATE_CASE_ID');
  });
});

describe('selfHandle', () => {
  const params = { result: 'persuaded the stall to move', afterPhotos: ['p-1'], gridCode: GRID };

  it('files a case already handled, waiting for an independent check', () => {
    const d = decide(null, 'selfHandle', REPORTER, params);
    expect(d.ok && d.event).toBe('case.self_handled');
    const view = apply(viewIn('reported'), d);
    expect(view).toMatchObject({
      state: 'feedback',
      selfHandled: true,
      reporterId: REPORTER.id,
      handlerId: REPORTER.id,
      assignee: { kind: 'officer', id: REPORTER.id },
      source: 'patrol',
      holderCode: VILLAGE,
      version: 1,
    });
    // the independent check closes it
    expect(decide({ ...view, version: 1 }, 'close', VILLAGE_OP, {}).ok).toBe(true);
    // ...but the officer wearing a checker hat may not
    expectRefusal(decide(view, 'close', actor(REPORTER.id, 'checker', VILLAGE), {}), 'SEPARATION_VIOLATION');
  });

  it('needs a result and at least one after-photo', () => {
    expectRefusal(decide(null, 'selfHandle', REPORTER, { ...params, result: ' ' }), 'MISSING_RESULT');
    expectRefusal(decide(null, 'selfHandle', REPORTER, { ...params, afterPhotos: [] }), 'MISSING_PHOTO');
    expectRefusal(decide(null, 'selfHandle', REPORTER, { ...params, afterPhotos: [''] }), 'MISSING_PHOTO');
    const noPhotos = { result: 'x', gridCode: GRID } as unknown as ActionParams['selfHandle'];
    expectRefusal(decide(null, 'selfHandle', REPORTER, noPhotos), 'MISSING_PHOTO');
    expectRefusal(
      decide(viewIn('reported'), 'selfHandle', REPORTER, { result: 'ok', afterPhotos: [] }),
      'MISSING_PHOTO',
    );
  });

  it('needs a grid when filing, and only officers may do it', () => {
    expectRefusal(decide(null, 'selfHandle', REPORTER, { result: 'x', afterPhotos: ['p'] }), 'INVALID_CODE');
    expectRefusal(decide(null, 'selfHandle', DISPATCHER, params), 'FORBIDDEN');
    expectRefusal(decide(null, 'selfHandle', CITIZEN, params), 'FORBIDDEN');
    expectRefusal(
      decide(null, 'selfHandle', REPORTER, { ...params, source: 'citizen' }),
      'SOURCE_NOT_ALLOWED',
    );
  });

  it('on a reported case, only its reporter may self-handle it', () => {
    const d = decide(viewIn('reported'), 'selfHandle', OFFICER, { result: 'x', afterPhotos: ['p'] });
    expectRefusal(d, 'NOT_REPORTER', 'o-rep');
  });

  it('a self-handled case sent back for rework goes back to its officer', () => {
    const filed = apply(viewIn('reported'), decide(null, 'selfHandle', REPORTER, params));
    const reworked = apply(filed, decide(filed, 'rework', VILLAGE_OP, { reason: 'still blocking the lane' }));
    expect(reworked).toMatchObject({ state: 'handling', reworkCount: 1 });
    expect(decide(reworked, 'feedback', REPORTER, { result: 'moved for good' }).ok).toBe(true);
    // reassigning it to its own reporter is fine because it is self-handled
    expect(
      decide(reworked, 'reassign', VILLAGE_OP, {
        assignee: { kind: 'officer', id: REPORTER.id },
        baseVersion: reworked.version,
      }),
    ).toMatchObject({
      ok: true,
      noop: true,
    });
  });
});

describe('dispatch and the assignment race', () => {
  const toO2 = { assignee: { kind: 'officer' as const, id: OFFICER2.id }, baseVersion: 5 };

  it('records the assignee and who assigned it', () => {
    const d = decide(viewIn('registered'), 'dispatch', DISPATCHER, toO2);
    expect(d).toEqual({
      ok: true,
      noop: false,
      event: 'case.dispatched',
      next: {
        state: 'dispatched',
        assignee: { kind: 'officer', id: 'o-2' },
        assignedBy: 'd-town',
        handlerId: null,
        version: 6,
      },
    });
  });

  it('first committed wins; the second is told who won', () => {
    const registered = viewIn('registered');
    const first = decide(registered, 'dispatch', DISPATCHER, toO2);
    const after = apply(registered, first);
    const second = decide(after, 'dispatch', CITY_DISPATCHER, {
      assignee: { kind: 'department', id: 'dept-fire' },
      baseVersion: 5,
    });
    expectRefusal(second, 'ALREADY_ASSIGNED', 'officer o-2 by d-town');
    expect(!second.ok && second.current).toEqual({
      state: 'dispatched',
      assignee: { kind: 'officer', id: 'o-2' },
      assignedBy: 'd-town',
      version: 6,
    });
    if (!second.ok) expect(second.reason).toContain('version 5');
  });

  it('repeating the current assignment is a no-op, whatever the version or state', () => {
    for (const state of ['dispatched', 'handling', 'suspended', 'feedback'] as const) {
      const view = viewIn(state, { version: 9 });
      const d = decide(view, 'dispatch', DISPATCHER, {
        assignee: { kind: 'officer', id: OFFICER.id },
        baseVersion: 3,
      });
      expect(d).toEqual({ ok: true, noop: true, next: {}, event: null });
    }
  });

  it('a null baseVersion is allowed on an unassigned case and never matches an assigned one', () => {
    expect(decide(viewIn('registered'), 'dispatch', DISPATCHER, { ...toO2, baseVersion: null }).ok).toBe(
      true,
    );
    expectRefusal(
      decide(viewIn('dispatched'), 'dispatch', DISPATCHER, { ...toO2, baseVersion: null }),
      'ALREADY_ASSIGNED',
      'unknown',
    );
    expectRefusal(
      decide(viewIn('dispatched'), 'reassign', DISPATCHER, { ...toO2, baseVersion: null }),
      'VERSION_CONFLICT',
      'unknown',
    );
  });

  it('a different assignee at the current version still needs an explicit reassign', () => {
    const d = decide(viewIn('dispatched'), 'dispatch', DISPATCHER, toO2);
    expectRefusal(d, 'ALREADY_ASSIGNED', 'reassign');
  });

  it('dispatching to the reporting officer violates 采办分离', () => {
    const d = decide(viewIn('registered'), 'dispatch', DISPATCHER, {
      assignee: { kind: 'officer', id: REPORTER.id },
      baseVersion: 5,
    });
    expectRefusal(d, 'SEPARATION_VIOLATION', 'o-rep');
    // a department is fine even if the reporter's id happens to match a department id
    const dept = decide(viewIn('registered'), 'dispatch', DISPATCHER, {
      assignee: { kind: 'department', id: REPORTER.id },
      baseVersion: 5,
    });
    expect(dept.ok).toBe(true);
  });

  it('validates its parameters', () => {
    const bad: unknown[] = [
      {},
      { assignee: null, baseVersion: 5 },
      { assignee: { kind: 'team', id: 'x' }, baseVersion: 5 },
      { assignee: { kind: 'officer', id: '' }, baseVersion: 5 },
      { assignee: { kind: 'officer', id: 7 }, baseVersion: 5 },
      { assignee: { kind: 'officer', id: 'o-2' } },
      { assignee: { kind: 'officer', id: 'o-2' }, baseVersion: -1 },
      { assignee: { kind: 'officer', id: 'o-2' }, baseVersion: 1.5 },
      { assignee: { kind: 'officer', id: 'o-2' }, baseVersion: '5' },
    ];
    for (const params of bad) {
      expectRefusal(
        decide(viewIn('registered'), 'dispatch', DISPATCHER, params as ActionParams['dispatch']),
        'INVALID_PARAMS',
      );
    }
  });

  it('a returned case has no assignee and can go back to anyone, even the one who returned it', () => {
    const handling = viewIn('handling');
    const asked = apply(
      handling,
      decide(handling, 'requestReturn', OFFICER, { reason: 'needs a specialist' }),
    );
    expect(asked).toMatchObject({ state: 'handling', request: { kind: 'return' } });
    const returned = apply(asked, decide(asked, 'approveRequest', LEADER, {}));
    expect(returned).toMatchObject({ state: 'returned', assignee: null, assignedBy: null, handlerId: null });
    const again = decide(returned, 'dispatch', DISPATCHER, {
      assignee: { kind: 'officer', id: OFFICER.id },
      baseVersion: returned.version,
    });
    expect(again.ok && !again.noop && again.next.assignee).toEqual({ kind: 'officer', id: OFFICER.id });
  });
});

describe('reassign', () => {
  it('moves the case to a new assignee and clears the handler', () => {
    const d = decide(viewIn('handling'), 'reassign', DISPATCHER, {
      assignee: { kind: 'department', id: 'dept-fire' },
      baseVersion: 5,
    });
    expect(d).toMatchObject({
      ok: true,
      event: 'case.reassigned',
      next: {
        state: 'dispatched',
        assignee: { kind: 'department', id: 'dept-fire' },
        handlerId: null,
        assignedBy: 'd-town',
      },
    });
  });

  it('refuses a stale view with VERSION_CONFLICT and the current assignment', () => {
    const d = decide(viewIn('dispatched', { version: 8 }), 'reassign', DISPATCHER, {
      assignee: { kind: 'officer', id: 'o-2' },
      baseVersion: 7,
    });
    expectRefusal(d, 'VERSION_CONFLICT', 'officer o-1');
    expect(!d.ok && d.current?.version).toBe(8);
  });

  it('is a no-op when repeating the current assignee', () => {
    const d = decide(viewIn('dispatched', { version: 8 }), 'reassign', DISPATCHER, {
      assignee: { kind: 'officer', id: 'o-1' },
      baseVersion: 2,
    });
    expect(d).toEqual({ ok: true, noop: true, next: {}, event: null });
  });

  it('refuses the reporter as the new assignee', () => {
    const d = decide(viewIn('dispatched'), 'reassign', DISPATCHER, {
      assignee: { kind: 'officer', id: REPORTER.id },
      baseVersion: 5,
    });
    expectRefusal(d, 'SEPARATION_VIOLATION');
  });

  it('validates its parameters', () => {
    const d = decide(viewIn('dispatched'), 'reassign', DISPATCHER, {
      assignee: { kind: 'officer', id: 'o-2' },
    } as unknown as ActionParams['reassign']);
    expectRefusal(d, 'INVALID_PARAMS', 'baseVersion');
    expectRefusal(
      decide(viewIn('dispatched'), 'reassign', DISPATCHER, {
        baseVersion: 5,
      } as unknown as ActionParams['reassign']),
      'INVALID_PARAMS',
    );
  });
});

describe('assignee-only actions', () => {
  it('signFor, return and feedback by anyone but the assignee are NOT_ASSIGNEE', () => {
    expectRefusal(decide(viewIn('dispatched'), 'signFor', OFFICER2, {}), 'NOT_ASSIGNEE', 'officer o-1');
    expectRefusal(decide(viewIn('dispatched'), 'requestReturn', OFFICER2, { reason: 'x' }), 'NOT_ASSIGNEE');
    expectRefusal(decide(viewIn('handling'), 'feedback', OFFICER2, { result: 'x' }), 'NOT_ASSIGNEE');
    expectRefusal(decide(viewIn('handling'), 'requestSuspend', OFFICER2, { reason: 'x' }), 'NOT_ASSIGNEE');
    expectRefusal(decide(viewIn('suspended'), 'resume', OFFICER2, {}), 'NOT_ASSIGNEE');
    // a handler whose id equals the officer's is still not the officer
    expectRefusal(
      decide(viewIn('dispatched'), 'signFor', actor(OFFICER.id, 'handler', TOWN, 'dept-fire'), {}),
      'NOT_ASSIGNEE',
    );
  });

  it('signFor records the handler', () => {
    expect(natural(viewIn('dispatched'), 'signFor')).toMatchObject({
      ok: true,
      event: 'case.signed_for',
      next: { state: 'handling', handlerId: 'o-1' },
    });
  });

  describe('department cases', () => {
    const dispatched = viewIn('dispatched', { assignee: { kind: 'department', id: 'dept-fire' } });

    it('any handler of the department may sign for it; other departments and officers may not', () => {
      expect(decide(dispatched, 'signFor', FIRE_1, {}).ok).toBe(true);
      expect(decide(dispatched, 'signFor', FIRE_2, {}).ok).toBe(true);
      expectRefusal(decide(dispatched, 'signFor', MARKET, {}), 'NOT_ASSIGNEE', 'department dept-fire');
      expectRefusal(decide(dispatched, 'signFor', actor('h-0', 'handler', TOWN), {}), 'NOT_ASSIGNEE');
      expectRefusal(decide(dispatched, 'signFor', OFFICER, {}), 'NOT_ASSIGNEE');
    });

    it('after signing, only that handler gives feedback or asks to return or suspend', () => {
      const handling = apply(dispatched, decide(dispatched, 'signFor', FIRE_1, {}));
      expect(handling.handlerId).toBe('h-1');
      expect(decide(handling, 'feedback', FIRE_1, { result: 'gas cylinders confiscated' }).ok).toBe(true);
      expectRefusal(decide(handling, 'feedback', FIRE_2, { result: 'x' }), 'NOT_ASSIGNEE');
      expectRefusal(decide(handling, 'requestReturn', FIRE_2, { reason: 'x' }), 'NOT_ASSIGNEE');
      expectRefusal(decide(handling, 'requestSuspend', FIRE_2, { reason: 'x' }), 'NOT_ASSIGNEE');
      expect(decide(handling, 'requestSuspend', FIRE_1, { reason: 'owner abroad' }).ok).toBe(true);
    });

    it('a handler who referred the case cannot sign for it', () => {
      const referred = { ...dispatched, reporterId: FIRE_1.id, source: 'department' as const };
      expectRefusal(decide(referred, 'signFor', FIRE_1, {}), 'SEPARATION_VIOLATION', 'h-1');
      expect(decide(referred, 'signFor', FIRE_2, {}).ok).toBe(true);
    });
  });

  it('a return request needs a reason', () => {
    expectRefusal(decide(viewIn('dispatched'), 'requestReturn', OFFICER, { reason: '' }), 'MISSING_REASON');
    expectRefusal(
      decide(viewIn('dispatched'), 'requestReturn', OFFICER, { reason: '   ' }),
      'MISSING_REASON',
    );
    expectRefusal(
      decide(viewIn('dispatched'), 'requestReturn', OFFICER, {} as ActionParams['requestReturn']),
      'MISSING_REASON',
    );
  });

  it('feedback needs a result', () => {
    expectRefusal(decide(viewIn('handling'), 'feedback', OFFICER, { result: '' }), 'MISSING_RESULT');
    expect(decide(viewIn('handling'), 'feedback', OFFICER, { result: 'done', afterPhotos: ['p-2'] }).ok).toBe(
      true,
    );
  });
});

describe('requests and approvals (issue 17)', () => {
  const TOWN_LEADER = LEADER; // duty leader of TOWN
  const OTHER_LEADER = actor('dl-2', 'duty_leader', OTHER_TOWN);
  const CITY_LEADER = actor('dl-city', 'duty_leader', CITY);

  it('an assignee cannot suspend on its own: it asks, the case keeps running until approved', () => {
    const asked = apply(viewIn('handling'), natural(viewIn('handling'), 'requestSuspend'));
    expect(asked).toMatchObject({ state: 'handling', request: { kind: 'suspend' } });
    // one request at a time
    expectRefusal(decide(asked, 'requestExtension', OFFICER, NATURAL.requestExtension.params), T, 'already');
    // seats cannot suspend or ask; only the leader decides
    expectRefusal(decide(asked, 'requestSuspend', DISPATCHER, { reason: 'x' }), 'FORBIDDEN');
    expectRefusal(decide(asked, 'approveRequest', DISPATCHER, {}), 'FORBIDDEN');
    const approved = decide(asked, 'approveRequest', TOWN_LEADER, {});
    expect(approved).toMatchObject({
      ok: true,
      event: 'case.request_approved',
      next: { state: 'suspended', stateBeforeSuspend: 'handling', request: null },
    });
  });

  it('only the duty leader of the approving level decides: not another town, not the city for a town case', () => {
    const asked = { ...viewIn('handling'), request: { kind: 'suspend' as const } };
    expectRefusal(decide(asked, 'approveRequest', OTHER_LEADER, {}), 'OUT_OF_SCOPE', TOWN);
    expectRefusal(decide(asked, 'approveRequest', CITY_LEADER, {}), 'OUT_OF_SCOPE', TOWN);
    expectRefusal(decide(asked, 'refuseRequest', CITY_LEADER, { reason: 'no' }), 'OUT_OF_SCOPE');
    // a village-held case is decided by its town's leader (villages have no duty leader)
    const villageHeld = { ...asked, holderCode: VILLAGE };
    expect(decide(villageHeld, 'approveRequest', TOWN_LEADER, {}).ok).toBe(true);
    // a city-held case by the city's leader
    const cityHeld = { ...asked, holderCode: CITY };
    expect(decide(cityHeld, 'approveRequest', CITY_LEADER, {}).ok).toBe(true);
    expectRefusal(decide(cityHeld, 'approveRequest', TOWN_LEADER, {}), 'OUT_OF_SCOPE');
  });

  it('a refusal needs a reason and leaves the case as it was, request cleared', () => {
    const asked = { ...viewIn('dispatched'), request: { kind: 'return' as const } };
    expectRefusal(decide(asked, 'refuseRequest', TOWN_LEADER, { reason: ' ' }), 'MISSING_REASON');
    expect(decide(asked, 'refuseRequest', TOWN_LEADER, { reason: '属本部门职责' })).toMatchObject({
      ok: true,
      event: 'case.request_refused',
      next: { request: null },
    });
    expect(apply(asked, decide(asked, 'refuseRequest', TOWN_LEADER, { reason: 'x' })).state).toBe(
      'dispatched',
    );
  });

  it('an extension needs a positive amount in a known unit; approving it keeps the state', () => {
    const h = viewIn('handling');
    expectRefusal(
      decide(h, 'requestExtension', OFFICER, { reason: 'x', extension: { unit: 'weeks', value: 1 } }),
      'INVALID_PARAMS',
    );
    expectRefusal(
      decide(h, 'requestExtension', OFFICER, { reason: 'x', extension: { unit: 'working_days', value: 0 } }),
      'INVALID_PARAMS',
    );
    const asked = apply(h, natural(h, 'requestExtension'));
    expect(apply(asked, decide(asked, 'approveRequest', TOWN_LEADER, {}))).toMatchObject({
      state: 'handling',
      request: null,
    });
  });

  it('resume: the assignee, a seat of the holder or the leader; back to the remembered state', () => {
    const suspended = viewIn('suspended');
    expect(decide(suspended, 'resume', DISPATCHER, {})).toMatchObject({
      ok: true,
      event: 'case.resumed',
      next: { state: 'handling', stateBeforeSuspend: null },
    });
    expect(decide(suspended, 'resume', TOWN_LEADER, {}).ok).toBe(true);
    expect(decide(suspended, 'resume', VILLAGE_OP, {}).ok).toBe(false); // holder is the town
    expect(decide(viewIn('suspended', { stateBeforeSuspend: null }), 'resume', OFFICER, {})).toMatchObject({
      ok: true,
      next: { state: 'handling' },
    });
  });
});

describe('close and rework', () => {
  it('closing a closed case is a no-op, but still checks role and scope', () => {
    expect(decide(viewIn('closed'), 'close', CHECKER, {})).toEqual({
      ok: true,
      noop: true,
      next: {},
      event: null,
    });
    expectRefusal(decide(viewIn('closed'), 'close', OFFICER, {}), 'FORBIDDEN');
    expectRefusal(decide(viewIn('closed'), 'close', actor('c-9', 'checker', OTHER_TOWN), {}), 'OUT_OF_SCOPE');
  });

  it('any other late action on a closed or voided case says why', () => {
    expectRefusal(decide(viewIn('closed'), 'rework', CHECKER, { reason: 'x' }), 'CASE_CLOSED', 'closed');
    expectRefusal(decide(viewIn('voided'), 'close', CHECKER, {}), 'CASE_CLOSED', 'voided');
    expectRefusal(decide(viewIn('closed'), 'feedback', OFFICER, { result: 'late' }), 'CASE_CLOSED', 'final');
  });

  it('the handler may not check their own work, whatever seat they sit in', () => {
    const d = decide(viewIn('feedback'), 'close', actor(OFFICER.id, 'dispatcher', TOWN), {});
    expectRefusal(d, 'SEPARATION_VIOLATION', 'handled');
    expectRefusal(
      decide(viewIn('feedback'), 'rework', actor(OFFICER.id, 'checker', TOWN), { reason: 'x' }),
      'SEPARATION_VIOLATION',
    );
  });

  it('the reporter may not check the case either', () => {
    const d = decide(viewIn('feedback'), 'close', actor(REPORTER.id, 'checker', TOWN), {});
    expectRefusal(d, 'SEPARATION_VIOLATION', 'reported');
  });

  it('rework counts and needs a reason', () => {
    const view = viewIn('feedback', { reworkCount: 2 });
    expect(decide(view, 'rework', CHECKER, { reason: 'not fixed' })).toMatchObject({
      ok: true,
      event: 'case.reworked',
      next: { state: 'handling', reworkCount: 3 },
    });
    expectRefusal(decide(view, 'rework', CHECKER, { reason: '' }), 'MISSING_REASON');
  });

  it('void needs a reason', () => {
    expectRefusal(decide(viewIn('reported'), 'void', DISPATCHER, { reason: '' }), 'MISSING_REASON');
  });
});

describe('escalate and delegate', () => {
  it('escalate climbs one level at a time and stops at the city', () => {
    let view = viewIn('reported', { holderCode: VILLAGE });
    view = apply(view, decide(view, 'escalate', VILLAGE_OP, {}));
    expect(view.holderCode).toBe(TOWN);
    // the village seat lost the case
    expectRefusal(decide(view, 'verify', VILLAGE_OP, {}), 'OUT_OF_SCOPE', TOWN);
    view = apply(view, decide(view, 'escalate', DISPATCHER, {}));
    expect(view.holderCode).toBe(CITY);
    expectRefusal(decide(view, 'escalate', CITY_DISPATCHER, {}), 'AT_TOP_LEVEL', CITY);
  });

  it('treats the prefecture-alias county 441900 as city level but climbs a real district', () => {
    expectRefusal(
      decide(viewIn('reported', { holderCode: '441900' }), 'escalate', CITY_DISPATCHER, {}),
      'AT_TOP_LEVEL',
    );
    const baoan = viewIn('registered', {
      holderCode: '440306',
      gridCode: '440306017001001',
      villageCode: '440306017001',
      townCode: '440306017',
    });
    const d = decide(baoan, 'escalate', actor('d-ba', 'dispatcher', '440306'), {});
    expect(d.ok && d.next.holderCode).toBe('4403');
  });

  it('delegate moves the case down to a jurisdiction containing its grid', () => {
    const atCity = viewIn('registered', { holderCode: CITY });
    expect(decide(atCity, 'delegate', CITY_DISPATCHER, { toCode: TOWN })).toMatchObject({
      ok: true,
      next: { holderCode: TOWN },
    });
    expect(decide(atCity, 'delegate', CITY_DISPATCHER, { toCode: VILLAGE })).toMatchObject({
      ok: true,
      next: { holderCode: VILLAGE },
    });
  });

  it.each([
    [CITY_DISPATCHER, CITY, '44190010', 'INVALID_CODE'],
    [CITY_DISPATCHER, CITY, '', 'INVALID_CODE'],
    [DISPATCHER, TOWN, '441900107001', 'OUT_OF_SCOPE'], // another town's village, outside the seat
    [CITY_DISPATCHER, CITY, OTHER_TOWN, 'INVALID_TARGET'], // does not contain the grid
    [CITY_DISPATCHER, CITY, OTHER_VILLAGE, 'INVALID_TARGET'],
    [CITY_DISPATCHER, TOWN, TOWN, 'INVALID_TARGET'], // not below the holder
    [CITY_DISPATCHER, TOWN, CITY, 'INVALID_TARGET'], // upwards
    [CITY_DISPATCHER, TOWN, GRID, 'INVALID_TARGET'], // a grid holds nothing
  ])('%s with holder %s to %j → %s', (who, holderCode, toCode, code) => {
    expectRefusal(decide(viewIn('registered', { holderCode }), 'delegate', who, { toCode }), code);
  });

  it('cannot delegate below a village, and village operators do not delegate', () => {
    expectRefusal(
      decide(viewIn('registered', { holderCode: VILLAGE }), 'delegate', DISPATCHER, { toCode: GRID }),
      'INVALID_TARGET',
      'village',
    );
    expectRefusal(
      decide(viewIn('registered', { holderCode: VILLAGE }), 'delegate', VILLAGE_OP, { toCode: GRID }),
      'FORBIDDEN',
    );
  });
});

describe('supervise', () => {
  it('flags the case without changing its state; a second order of the same level while one is open is a no-op', () => {
    const d = decide(viewIn('handling'), 'supervise', LEADER, {});
    expect(d).toEqual({
      ok: true,
      noop: false,
      event: 'case.supervised',
      next: { supervised: true, version: 6 },
    });
    const open = [{ id: 'S1', level: 'town' as const, status: 'open' }];
    expect(
      decide(viewIn('handling', { supervised: true, supervisions: open }), 'supervise', DISPATCHER, {}),
    ).toEqual({
      ok: true,
      noop: true,
      next: {},
      event: null,
    });
  });
});

describe('scope', () => {
  it("seats outside the holder's jurisdiction are OUT_OF_SCOPE for every action", () => {
    for (const state of CASE_STATES) {
      if (!isOpen(state)) continue;
      for (const action of CASE_ACTIONS) {
        if (action === 'report' || !ACTION_ROLES[action].includes('dispatcher')) continue;
        const d = decide(viewIn(state), action, OTHER_DISPATCHER, NATURAL[action].params as never);
        expectRefusal(d, 'OUT_OF_SCOPE', OTHER_TOWN);
      }
    }
  });

  it('a seat above the holder may act', () => {
    expect(decide(viewIn('reported', { holderCode: VILLAGE }), 'verify', CITY_DISPATCHER, {}).ok).toBe(true);
    expect(
      decide(
        viewIn('reported', { holderCode: VILLAGE }),
        'verify',
        actor('d-alias', 'dispatcher', '441900'),
        {},
      ).ok,
    ).toBe(true);
  });

  it('invalid or truncated seat scopes never match', () => {
    for (const scopeCode of ['', '44', '44190', '4419001', ' 4419']) {
      expectRefusal(
        decide(viewIn('reported'), 'verify', actor('d-bad', 'dispatcher', scopeCode), {}),
        'OUT_OF_SCOPE',
      );
    }
  });

  it('field roles are not scope-checked', () => {
    expect(
      decide(viewIn('dispatched'), 'signFor', actor(OFFICER.id, 'officer', '441900107001001'), {}).ok,
    ).toBe(true);
  });
});

describe('separationCheck', () => {
  it('reporter ≠ handler at dispatch, reassign, signFor and feedback', () => {
    const target = { kind: 'officer' as const, id: REPORTER.id };
    expect(separationCheck(viewIn('registered'), 'dispatch', DISPATCHER, target)?.code).toBe(
      'SEPARATION_VIOLATION',
    );
    expect(separationCheck(viewIn('dispatched'), 'reassign', DISPATCHER, target)?.code).toBe(
      'SEPARATION_VIOLATION',
    );
    expect(separationCheck(viewIn('dispatched'), 'signFor', REPORTER)?.code).toBe('SEPARATION_VIOLATION');
    expect(separationCheck(viewIn('handling'), 'feedback', REPORTER)?.reason).toContain('o-rep');
    expect(separationCheck(viewIn('registered'), 'dispatch', DISPATCHER)).toBeNull(); // no target yet
    expect(
      separationCheck(viewIn('registered'), 'dispatch', DISPATCHER, { kind: 'officer', id: 'o-2' }),
    ).toBeNull();
  });

  it('self-handled cases are the exception for handling, not for checking', () => {
    const self = viewIn('handling', {
      selfHandled: true,
      handlerId: REPORTER.id,
      assignee: { kind: 'officer', id: REPORTER.id },
    });
    expect(separationCheck(self, 'feedback', REPORTER)).toBeNull();
    expect(separationCheck(self, 'reassign', DISPATCHER, { kind: 'officer', id: REPORTER.id })).toBeNull();
    const fb = { ...self, state: 'feedback' as const };
    expect(separationCheck(fb, 'close', actor(REPORTER.id, 'checker'))?.code).toBe('SEPARATION_VIOLATION');
  });

  it('handler ≠ closer and reporter ≠ closer, for close and rework', () => {
    for (const action of ['close', 'rework'] as const) {
      expect(separationCheck(viewIn('feedback'), action, actor(OFFICER.id, 'checker'))?.reason).toContain(
        'handled',
      );
      expect(separationCheck(viewIn('feedback'), action, actor(REPORTER.id, 'checker'))?.reason).toContain(
        'reported',
      );
      expect(separationCheck(viewIn('feedback'), action, CHECKER)).toBeNull();
    }
  });

  it('other actions carry no separation rule', () => {
    for (const action of [
      'verify',
      'void',
      'requestReturn',
      'requestSuspend',
      'resume',
      'escalate',
      'delegate',
      'supervise',
      'selfHandle',
    ] as const) {
      expect(separationCheck(viewIn('feedback'), action, REPORTER)).toBeNull();
    }
  });
});

describe('allowedActions', () => {
  it('lists what the UI should offer', () => {
    expect(allowedActions(viewIn('registered'), DISPATCHER)).toEqual([
      'void',
      'dispatch',
      'escalate',
      'delegate',
      'supervise',
    ]);
    expect(allowedActions(viewIn('reported', { holderCode: VILLAGE }), VILLAGE_OP)).toEqual([
      'verify',
      'void',
      'escalate',
    ]);
    expect(allowedActions(viewIn('dispatched'), OFFICER)).toEqual([
      'signFor',
      'requestReturn',
      'requestExtension',
    ]);
    expect(allowedActions(viewIn('handling'), OFFICER)).toEqual([
      'requestReturn',
      'requestSuspend',
      'requestExtension',
      'feedback',
    ]);
    // with a request waiting, no second one
    expect(allowedActions({ ...viewIn('handling'), request: { kind: 'extension' } }, OFFICER)).toEqual([
      'feedback',
    ]);
    expect(allowedActions(viewIn('dispatched'), OFFICER2)).toEqual([]);
    expect(allowedActions(viewIn('feedback'), CHECKER)).toEqual(['close', 'rework']);
    expect(allowedActions(viewIn('feedback'), actor(OFFICER.id, 'checker'))).toEqual([]);
    expect(allowedActions(viewIn('reported'), REPORTER)).toEqual(['selfHandle']);
    expect(allowedActions(viewIn('closed'), CHECKER)).toEqual([]);
    expect(
      allowedActions(
        viewIn('handling', { supervised: true, supervisions: [{ id: 'S1', level: 'town', status: 'open' }] }),
        LEADER,
      ),
    ).toEqual([]);
    expect(allowedActions(viewIn('registered'), OTHER_DISPATCHER)).toEqual([]);
  });

  it('offers creation actions when there is no case', () => {
    expect(allowedActions(null, REPORTER)).toEqual(['report', 'selfHandle']);
    expect(allowedActions(null, CITIZEN)).toEqual(['report']);
    expect(allowedActions(null, CHECKER)).toEqual([]);
  });

  it('agrees with decide for every state, actor and action (valid parameters)', () => {
    const actors = [
      REPORTER,
      OFFICER,
      OFFICER2,
      DISPATCHER,
      CITY_DISPATCHER,
      OTHER_DISPATCHER,
      VILLAGE_OP,
      CHECKER,
      LEADER,
      ADMIN,
      FIRE_1,
      CITIZEN,
      SYSTEM,
    ];
    const variants: CaseView[] = CASE_STATES.flatMap((s) => [
      viewIn(s),
      viewIn(s, { holderCode: VILLAGE }),
      viewIn(s, { supervised: true }),
    ]);
    for (const view of variants) {
      for (const who of actors) {
        const allowed = new Set(allowedActions(view, who));
        for (const action of CASE_ACTIONS) {
          if (action === 'report') continue;
          const d = decide(view, action, who, NATURAL[action].params as never);
          const changes = d.ok && !d.noop;
          expect(
            allowed.has(action),
            `${view.state}/${view.holderCode} ${who.id} ${action}: ${JSON.stringify(d)}`,
          ).toBe(changes);
        }
      }
    }
  });
});

describe('the five-step loop end to end', () => {
  it('report → verify → dispatch → sign → feedback → close, with events and versions', () => {
    const events: string[] = [];
    const step = (view: CaseView | null, d: Decision): CaseView => {
      if (!d.ok || d.noop) throw new Error(JSON.stringify(d));
      events.push(d.event);
      return { ...(view ?? ({} as CaseView)), ...d.next };
    };
    let v = step(null, decide(null, 'report', REPORTER, { source: 'patrol', gridCode: GRID }));
    v = step(v, decide(v, 'verify', VILLAGE_OP, {}));
    v = step(
      v,
      decide(v, 'dispatch', VILLAGE_OP, {
        assignee: { kind: 'officer', id: OFFICER.id },
        baseVersion: v.version,
      }),
    );
    v = step(v, decide(v, 'signFor', OFFICER, {}));
    v = step(v, decide(v, 'feedback', OFFICER, { result: 'removed' }));
    v = step(v, decide(v, 'close', actor('c-v', 'checker', VILLAGE), {}));
    expect(events).toEqual([
      'case.reported',
      'case.verified',
      'case.dispatched',
      'case.signed_for',
      'case.feedback_given',
      'case.closed',
    ]);
    expect(v).toMatchObject({ state: 'closed', version: 6, handlerId: OFFICER.id, reporterId: REPORTER.id });
    expect(allowedActions(v, VILLAGE_OP)).toEqual([]);
  });
});

describe('vocabulary', () => {
  it('a protocol Case is a CaseView as it is', () => {
    const asView = (c: Case): CaseView => c; // compile-time check of the shared field names
    const record = { ...viewIn('suspended'), stateBeforeSuspend: undefined, id: 'c-1' } as unknown as Case;
    expect(decide(asView(record), 'resume', OFFICER, {})).toMatchObject({
      ok: true,
      next: { state: 'handling' },
    });
  });

  it('isOpen is false only for closed and voided', () => {
    expect(CASE_STATES.filter((s) => !isOpen(s))).toEqual(['closed', 'voided']);
  });

  it('every action has a distinct event type from the protocol (the three requests share case.requested)', () => {
    const events = CASE_ACTIONS.map((a) => ACTION_EVENT_TYPES[a]);
    expect(new Set(events).size).toBe(CASE_ACTIONS.length - 2);
    expect(ACTION_EVENT_TYPES.requestSuspend).toBe('case.requested');
    expect(ACTION_EVENT_TYPES.requestExtension).toBe('case.requested');
    for (const e of events) expect(PROTOCOL_EVENT_TYPES).toContain(e);
    expect(ACTION_EVENT_TYPES.signFor).toBe('case.signed_for');
  });

  it('every workflow refusal maps onto a protocol rejection code', () => {
    for (const [fine, coarse] of Object.entries(PROTOCOL_REJECTION_CODE)) {
      expect(REJECTION_CODES, fine).toContain(coarse);
      if ((REJECTION_CODES as readonly string[]).includes(fine)) expect(coarse).toBe(fine);
    }
  });
});
