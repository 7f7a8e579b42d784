// The pure command → next-case function shared by the server and the consoles.
import { describe, expect, it } from 'vitest';
import { evaluateCommand, type CommandActor, type CommandEnv } from '../../src-shared/domain/case-commands';
import type { Command } from '../../src-shared/protocol/commands';
import type { Case } from '../../src-shared/protocol/entities';
import { uuidv7 } from '../../src-shared/util/ids';

const T0 = Date.UTC(2026, 10, 23, 2, 0); // Monday 10:00 in Shanghai
const GRID = { gridCode: '441900106001003', villageCode: '441900106001', townCode: '441900106' };
const env = (now = T0): CommandEnv => ({
  now,
  locate: (lon) => (lon > 113 && lon < 115 ? GRID : null),
  category: (code) => (code === '01001' ? { code, defaultPriority: 'urgent' } : undefined),
  dueOf: (c) =>
    c.dispatchedAt === null
      ? null
      : c.dispatchedAt +
        4 * 3_600_000 +
        c.suspensions.reduce((s, x) => s + ((x.toMs ?? c.dispatchedAt!) - x.fromMs), 0),
  workingMsBetween: (a, b) => b - a,
  dueFrom: (startMs) => startMs + 4 * 3_600_000,
  areaName: '东莞市',
});
const village: CommandActor = { id: 'U-v', role: 'village_operator', scopeCode: GRID.villageCode };
const town: CommandActor = { id: 'U-t', role: 'dispatcher', scopeCode: GRID.townCode };
const officer: CommandActor = { id: 'OF1', role: 'officer', scopeCode: GRID.gridCode };

function cmd<T extends Command['type']>(
  type: T,
  payload: Record<string, unknown>,
  baseVersion: number | null = null,
): Command {
  return { commandId: uuidv7(T0), clientId: 'c', type, payload, baseVersion, clientTime: T0 } as Command;
}

function ok(current: Case | null, c: Command, actor: CommandActor, e = env()): Case {
  const r = evaluateCommand(current, c, actor, e);
  if (!r.ok || r.noop) throw new Error(JSON.stringify(r));
  return r.next;
}

const report = cmd('report', {
  caseId: 'C1',
  categoryCode: '01001',
  source: 'hotline',
  description: '通道堵塞',
  address: 'x',
  lon: 114,
  lat: 23,
  photos: [],
});

describe('evaluateCommand', () => {
  it('creates a case located by the point, held by its village, with the category priority', () => {
    const c = ok(null, report, village);
    expect(c).toMatchObject({
      ...GRID,
      holderCode: GRID.villageCode,
      state: 'reported',
      priority: 'urgent',
      reporterId: 'U-v',
      version: 1,
      reportedAt: T0,
    });
  });

  it('refuses a point outside the city and an unknown category, naming them', () => {
    const outside = evaluateCommand(
      null,
      cmd('report', { ...(report.payload as object), lon: 10 }),
      village,
      env(),
    );
    expect(outside).toMatchObject({ ok: false, code: 'BAD_REQUEST', rule: 'OUTSIDE_AREA' });
    expect(!outside.ok && outside.reason).toMatch(/outside 东莞市/);
    const unknown = evaluateCommand(
      null,
      cmd('report', { ...(report.payload as object), categoryCode: '99999' }),
      village,
      env(),
    );
    expect(unknown).toMatchObject({ ok: false, code: 'NOT_FOUND' });
  });

  it('starts the clock at the first dispatch, not at a reassignment, and pauses it while suspended', () => {
    const reg = ok(ok(null, report, village), cmd('verify', { caseId: 'C1' }, 1), village);
    const d = ok(
      reg,
      cmd('dispatch', { caseId: 'C1', assignee: { kind: 'officer', id: 'OF2' } }, reg.version),
      town,
      env(T0 + 60_000),
    );
    expect(d).toMatchObject({
      state: 'dispatched',
      dispatchedAt: T0 + 60_000,
      assignedBy: 'U-t',
      assignedAt: T0 + 60_000,
    });
    expect(d.dueAt).toBe(T0 + 60_000 + 4 * 3_600_000);
    const r = ok(
      d,
      cmd('reassign', { caseId: 'C1', assignee: { kind: 'officer', id: 'OF3' }, reason: '调整' }, d.version),
      town,
      env(T0 + 120_000),
    );
    expect(r.dispatchedAt).toBe(d.dispatchedAt);
    expect(r.assignedAt).toBe(T0 + 120_000);
    const signed = ok(r, cmd('signFor', { caseId: 'C1' }, r.version), { ...officer, id: 'OF3' });
    const asked = ok(
      signed,
      cmd('requestSuspend', { caseId: 'C1', reason: '等待协调' }, signed.version),
      { ...officer, id: 'OF3' },
      env(T0 + 300_000),
    );
    expect(asked).toMatchObject({
      state: 'handling',
      request: { kind: 'suspend', byId: 'OF3', at: T0 + 300_000 },
    });
    const leader: CommandActor = { id: 'U-l', role: 'duty_leader', scopeCode: GRID.townCode };
    const susp = ok(asked, cmd('approveRequest', { caseId: 'C1' }, asked.version), leader, env(T0 + 600_000));
    expect(susp).toMatchObject({ state: 'suspended', stateBeforeSuspend: 'handling', dueAt: null });
    const res = ok(susp, cmd('resume', { caseId: 'C1' }, susp.version), town, env(T0 + 1_200_000));
    expect(res.state).toBe('handling');
    expect(res.dueAt).toBe((d.dueAt ?? 0) + 600_000);
  });

  it('appends notes and photos, refuses them on closed cases and outside the scope', () => {
    const c = ok(null, report, village);
    const noted = ok(c, cmd('addNote', { caseId: 'C1', text: '已电话联系' }), town);
    expect(noted.version).toBe(2);
    const photo = 'a'.repeat(64);
    const p1 = ok(noted, cmd('addPhoto', { caseId: 'C1', photo }), village);
    const p2 = ok(p1, cmd('addPhoto', { caseId: 'C1', photo }), village);
    expect(p2.photos).toEqual([photo]);
    const other: CommandActor = { id: 'U-w', role: 'village_operator', scopeCode: '441900106002' };
    expect(evaluateCommand(c, cmd('addNote', { caseId: 'C1', text: 'x' }), other, env())).toMatchObject({
      ok: false,
      code: 'OUT_OF_SCOPE',
    });
    expect(
      evaluateCommand({ ...c, state: 'closed' }, cmd('addNote', { caseId: 'C1', text: 'x' }), town, env()),
    ).toMatchObject({ ok: false, code: 'CASE_CLOSED' });
  });

  it('edits fields in server order and records what it overwrote', () => {
    const c = ok(ok(null, report, village), cmd('addNote', { caseId: 'C1', text: 'n' }), town);
    const r = evaluateCommand(
      c,
      cmd('editFields', { caseId: 'C1', fields: { priority: 'emergency' } }, 1),
      town,
      env(),
    );
    expect(r).toMatchObject({
      ok: true,
      noop: false,
      eventType: 'case.fields_edited',
      facts: { previous: { priority: 'urgent' }, overwroteNewerVersion: true },
    });
    expect(
      evaluateCommand(
        c,
        cmd('editFields', { caseId: 'C1', fields: { priority: 'normal' } }, 2),
        officer,
        env(),
      ),
    ).toMatchObject({ ok: false, code: 'FORBIDDEN' });
  });
});
