import { describe, expect, it } from 'vitest';
import {
  CLIENT_REQUESTS,
  COMMAND_TYPES,
  Case,
  CaseEvent,
  Command,
  CommandAnswer,
  Handshake,
  PROTOCOL_VERSION,
  TelemetryReport,
} from '../../src-shared/protocol';
import { parseWith } from '../../src-shared/protocol/validate';
import { UUID_V7_RE, uuidv7, uuidv7Time } from '../../src-shared/util/ids';

const T0 = Date.UTC(2026, 10, 21, 2, 0, 0);

function dispatchCommand(overrides: Record<string, unknown> = {}) {
  return {
    commandId: uuidv7(T0),
    clientId: 'console-1',
    type: 'dispatch',
    baseVersion: 3,
    clientTime: T0,
    payload: { caseId: 'C-1', assignee: { kind: 'officer', id: 'O-12' } },
    ...overrides,
  };
}

function sampleCase() {
  return {
    id: 'C-1',
    state: 'registered',
    categoryCode: '01001',
    priority: 'normal',
    source: 'patrol',
    description: '消防通道堵塞',
    address: '横沥镇田饶步村',
    lon: 114.03,
    lat: 23.03,
    gridCode: '441900106001003',
    villageCode: '441900106001',
    townCode: '441900106',
    holderCode: '441900106',
    reporterId: 'O-7',
    assignee: null,
    assignedBy: null,
    assignedAt: null,
    handlerId: null,
    selfHandled: false,
    supervised: false,
    reworkCount: 0,
    photos: [],
    afterPhotos: [],
    suspensions: [],
    stateBeforeSuspend: null,
    reportedAt: T0,
    registeredAt: T0 + 60_000,
    dispatchedAt: null,
    dueAt: null,
    feedbackAt: null,
    closedAt: null,
    voidedAt: null,
    version: 2,
  };
}

describe('uuidv7', () => {
  it('encodes the time, the version and the variant', () => {
    const id = uuidv7(T0, new Uint8Array(10).fill(0xff));
    expect(id).toMatch(UUID_V7_RE);
    expect(uuidv7Time(id)).toBe(T0);
    expect(id[14]).toBe('7');
    expect(['8', '9', 'a', 'b']).toContain(id[19]);
  });

  it('sorts by creation time and is unique', () => {
    const ids = Array.from({ length: 1000 }, (_, i) => uuidv7(T0 + i));
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(Array.from({ length: 1000 }, () => uuidv7(T0))).size).toBe(1000);
  });

  it('refuses impossible timestamps', () => {
    expect(() => uuidv7(-1)).toThrow(RangeError);
    expect(() => uuidv7(1.5)).toThrow(RangeError);
    expect(() => uuidv7(2 ** 48)).toThrow(RangeError);
  });
});

describe('commands', () => {
  it('accepts a well-formed command of every type family', () => {
    const r = Command.safeParse(dispatchCommand());
    expect(r.success).toBe(true);
    expect(COMMAND_TYPES).toEqual(
      expect.arrayContaining([
        'report',
        'verify',
        'dispatch',
        'signFor',
        'close',
        'rework',
        'escalate',
        'delegate',
        'supervise',
        'selfHandle',
        'requestSuspend',
        'requestExtension',
        'requestReturn',
        'approveRequest',
        'refuseRequest',
        'resume',
        'void',
        'feedback',
      ]),
    );
  });

  it.each([
    ['a v4 commandId', { commandId: '3b241101-e2bb-4255-8caf-4136c566a962' }, 'commandId'],
    ['an uppercase commandId', { commandId: uuidv7(T0).toUpperCase() }, 'commandId'],
    ['an unknown type', { type: 'teleport' }, 'type'],
    ['a negative baseVersion', { baseVersion: -1 }, 'baseVersion'],
    ['a float clientTime', { clientTime: 1.5 }, 'clientTime'],
    ['an unknown top-level key', { extra: 1 }, ''],
    ['a payload of another type', { payload: { caseId: 'C-1', reason: 'x' } }, 'payload'],
    [
      'an assignee of unknown kind',
      { payload: { caseId: 'C-1', assignee: { kind: 'robot', id: 'R1' } } },
      'payload.assignee.kind',
    ],
    [
      'an id with spaces',
      { payload: { caseId: 'C 1', assignee: { kind: 'officer', id: 'O-1' } } },
      'payload.caseId',
    ],
    ['a missing payload', { payload: undefined }, 'payload'],
  ])('refuses %s with the offending path', (_name, overrides, path) => {
    const r = parseWith(Command, dispatchCommand(overrides), 'command');
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe('BAD_REQUEST');
      expect(r.error.message).toMatch(/^invalid command: /);
      if (path) expect(r.error.message).toContain(path);
    }
  });

  it('requires reasons where the workflow demands one', () => {
    const base = { commandId: uuidv7(T0), clientId: 'c', baseVersion: 1, clientTime: T0 };
    for (const type of [
      'void',
      'requestReturn',
      'rework',
      'escalate',
      'requestSuspend',
      'refuseRequest',
    ] as const) {
      expect(Command.safeParse({ ...base, type, payload: { caseId: 'C-1', reason: '' } }).success, type).toBe(
        false,
      );
      expect(
        Command.safeParse({ ...base, type, payload: { caseId: 'C-1', reason: '重复上报' } }).success,
        type,
      ).toBe(true);
    }
  });

  it('requires an after-photo for a self-handled report', () => {
    const payload = {
      caseId: 'C-9',
      categoryCode: '08001',
      description: '占道经营，已劝离',
      address: '东城街道',
      lon: 113.78,
      lat: 23.02,
      photos: ['a'.repeat(64)],
      result: '已劝导整改',
      afterPhotos: [] as string[],
    };
    const base = {
      commandId: uuidv7(T0),
      clientId: 'app',
      baseVersion: null,
      clientTime: T0,
      type: 'selfHandle',
    };
    expect(Command.safeParse({ ...base, payload }).success).toBe(false);
    expect(
      Command.safeParse({ ...base, payload: { ...payload, afterPhotos: ['b'.repeat(64)] } }).success,
    ).toBe(true);
  });

  it('caps oversized text', () => {
    const cmd = dispatchCommand({ type: 'addNote', payload: { caseId: 'C-1', text: '字'.repeat(2001) } });
    expect(Command.safeParse(cmd).success).toBe(false);
  });
});

describe('entities and answers', () => {
  it('parses a case and refuses a wrong grid code', () => {
    expect(Case.safeParse(sampleCase()).success).toBe(true);
    expect(Case.safeParse({ ...sampleCase(), gridCode: '44190010600100' }).success).toBe(false);
    expect(Case.safeParse({ ...sampleCase(), state: 'lost' }).success).toBe(false);
    expect(Case.safeParse({ ...sampleCase(), lon: 200 }).success).toBe(false);
  });

  it('parses accepted and rejected answers', () => {
    const event = {
      seq: 42,
      type: 'case.dispatched',
      caseId: 'C-1',
      actorId: 'U-1',
      actorRole: 'dispatcher',
      seatId: 'S-1',
      serverTime: T0,
      clientTime: T0,
      commandId: uuidv7(T0),
      scope: { gridCode: '441900106001003', villageCode: '441900106001', townCode: '441900106' },
      payload: { assignee: { kind: 'officer', id: 'O-12' } },
      version: 3,
    };
    expect(CaseEvent.safeParse(event).success).toBe(true);
    expect(
      CommandAnswer.safeParse({
        commandId: 'x',
        status: 'accepted',
        noop: false,
        events: [event],
        serverTime: T0,
      }).success,
    ).toBe(true);
    const rejected = {
      commandId: 'x',
      status: 'rejected',
      code: 'ALREADY_ASSIGNED',
      reason: 'dispatched by 张伟 at 10:02',
      details: { by: 'U-2', at: T0 },
      current: sampleCase(),
      serverTime: T0,
    };
    expect(CommandAnswer.safeParse(rejected).success).toBe(true);
    expect(CommandAnswer.safeParse({ ...rejected, code: 'MADE_UP' }).success).toBe(false);
  });

  it('checks the handshake and telemetry', () => {
    expect(
      Handshake.safeParse({ token: 't'.repeat(32), clientId: 'c1', protocolVersion: PROTOCOL_VERSION })
        .success,
    ).toBe(true);
    expect(Handshake.safeParse({ token: 'short', clientId: 'c1', protocolVersion: 1 }).success).toBe(false);
    const fix = { officerId: 'O-1', status: 'patrol', lon: 113.7, lat: 23.0, heading: 90, at: T0 };
    expect(TelemetryReport.safeParse(fix).success).toBe(true);
    expect(TelemetryReport.safeParse({ ...fix, status: 'napping' }).success).toBe(false);
    expect(TelemetryReport.safeParse({ ...fix, heading: 361 }).success).toBe(false);
  });

  it('has a schema for every client request', () => {
    expect(Object.keys(CLIENT_REQUESTS).sort()).toEqual([
      'command',
      'sync.catchUp',
      'sync.snapshot',
      'telemetry.report',
    ]);
  });
});
