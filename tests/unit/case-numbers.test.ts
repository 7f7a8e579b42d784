// Human case numbers (issue 18, defect 5): the format, the provisional number of a case still in
// the outbox, and the server's allocation per town and report day inside the storing transaction.
import { describe, expect, it } from 'vitest';
import { shanghaiMs } from '../../src-shared/domain/calendar';
import {
  CASE_NUMBER_PATTERN,
  caseNumberText,
  formatCaseNumber,
  provisionalNumber,
} from '../../src-shared/domain/case-number';
import type { Case } from '../../src-shared/protocol/entities';
import { CaseStore } from '../../src-server/cases/case-store';
import { migrate, openDatabase } from '../../src-server/store/database';

describe('case number format', () => {
  it('is city · Shanghai report date · town · sequence', () => {
    const at = shanghaiMs(2026, 12, 7, 9, 30);
    expect(formatCaseNumber('4419', at, '441900106', 42)).toBe('DG20261207-106-0042');
    expect(formatCaseNumber('4419', at, '441900106', 12_345)).toBe('DG20261207-106-12345');
    expect(CASE_NUMBER_PATTERN.test('DG20261207-106-0042')).toBe(true);
    // 00:30 in Shanghai is still the previous day in UTC: the Shanghai day counts.
    expect(formatCaseNumber('4419', shanghaiMs(2026, 12, 8, 0, 30), '441900106', 1)).toBe(
      'DG20261208-106-0001',
    );
    // A city without known letters uses its code.
    expect(formatCaseNumber('4420', at, '442000101', 7)).toBe('442020261207-101-0007');
  });

  it('shows a provisional number while a case is only queued, the id for an unnumbered old case', () => {
    const id = '0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b';
    expect(provisionalNumber(id)).toBe('临-3f4a5b');
    expect(caseNumberText({ id }, true)).toBe('临-3f4a5b');
    expect(caseNumberText({ id }, false)).toBe(id);
    expect(caseNumberText({ id, number: 'DG20261207-106-0042' }, true)).toBe('DG20261207-106-0042');
  });
});

function storeWithCity(): { store: CaseStore; db: ReturnType<typeof openDatabase> } {
  const db = openDatabase({ file: ':memory:' });
  migrate(db);
  db.prepare("INSERT INTO meta (key, value) VALUES ('city_code', '4419')").run();
  return { store: new CaseStore(db), db };
}

function aCase(id: string, townCode: string, reportedAt: number): Case {
  const grid = `${townCode}001001`;
  return {
    id,
    state: 'reported',
    categoryCode: '01001',
    priority: 'normal',
    source: 'hotline',
    description: '',
    address: '',
    lon: 113.75,
    lat: 23.02,
    gridCode: grid,
    villageCode: grid.slice(0, 12),
    townCode,
    holderCode: grid.slice(0, 12),
    reporterId: 'U-system',
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
    reportedAt,
    registeredAt: null,
    dispatchedAt: null,
    dueAt: null,
    feedbackAt: null,
    closedAt: null,
    voidedAt: null,
    version: 1,
  };
}

describe('server allocation', () => {
  it('numbers cases per town and day in order, keeps a number on update, and is found by it', () => {
    const { store } = storeWithCity();
    const day1 = shanghaiMs(2026, 12, 7, 9, 0);
    const day2 = shanghaiMs(2026, 12, 8, 9, 0);
    const put = (c: Case): string => {
      store.put(c);
      return store.get(c.id)!.number!;
    };
    expect(put(aCase('a', '441900106', day1))).toBe('DG20261207-106-0001');
    expect(put(aCase('b', '441900106', day1 + 60_000))).toBe('DG20261207-106-0002');
    expect(put(aCase('c', '441900107', day1))).toBe('DG20261207-107-0001');
    expect(put(aCase('d', '441900106', day2))).toBe('DG20261208-106-0001');
    // An update keeps the number; no number is used up by it.
    const b = store.get('b')!;
    store.put({ ...b, state: 'registered', version: 2 });
    expect(store.get('b')!.number).toBe('DG20261207-106-0002');
    expect(put(aCase('e', '441900106', day1))).toBe('DG20261207-106-0003');
    expect(store.numbers.find('DG20261207-106-0003')?.id).toBe('e');
    expect(store.numbers.find('DG20261207-106-0099')).toBeNull();
  });

  it('gives the number back when the storing transaction rolls back', () => {
    const { store, db } = storeWithCity();
    const at = shanghaiMs(2026, 12, 7, 9, 0);
    expect(() =>
      db.transaction(() => {
        store.put(aCase('x', '441900106', at));
        throw new Error('command failed after storing');
      })(),
    ).toThrow();
    expect(store.get('x')).toBeNull();
    store.put(aCase('y', '441900106', at));
    expect(store.get('y')!.number).toBe('DG20261207-106-0001');
  });

  it('backfills the stored cases without a number in report order', () => {
    const { store, db } = storeWithCity();
    const at = shanghaiMs(2026, 12, 7, 9, 0);
    const raw = db.prepare(
      `INSERT INTO cases (id, state, town_code, village_code, grid_code, holder_code, version, last_seq, json)
       VALUES (?, 'reported', ?, ?, ?, ?, 1, 0, ?)`,
    );
    for (const [id, minutes] of [
      ['late', 30],
      ['early', 5],
    ] as const) {
      const c = aCase(id, '441900106', at + minutes * 60_000);
      raw.run(c.id, c.townCode, c.villageCode, c.gridCode, c.holderCode, JSON.stringify(c));
    }
    expect(store.numbers.backfill(db)).toBe(2);
    expect(store.get('early')!.number).toBe('DG20261207-106-0001');
    expect(store.get('late')!.number).toBe('DG20261207-106-0002');
    expect(store.numbers.backfill(db)).toBe(0);
  });
});
