// bench/desk-queue: the case desk's queue for a city seat with 80,000 open cases. Measures the
// worker's `desk.queue` read (indexed columns + one json_extract per row, encoded as columns)
// and its size over the web host, against the naive baseline of shipping every case's JSON
// (`cases.list`); then the renderer's decode, tab counts and filter+sort over the rows, and how
// many rows the windowed list keeps in the DOM for a 30,000-row queue.
// Run: npx tsx bench/desk-queue.ts [--cases 80000]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { CacheStore } from '../src-main/data/cache-store';
import { DeskView } from '../src-main/data/desk-view';
import { defaultCalendar, HOUR_MS } from '../src-shared/domain/calendar';
import { decodeDeskRows } from '../src-shared/desk/queue-data';
import { CASE_STATES, FINAL_STATES } from '../src-shared/domain/case-model';
import { selectRows, tabCounts } from '../src-shared/desk/queue';
import { encodeTypedJson } from '../src-shared/ipc/typed-json';
import type { Case } from '../src-shared/protocol/entities';

const { values } = parseArgs({ options: { cases: { type: 'string', default: '80000' } } });
const N = Number(values.cases);
// the open states, as the desk holds them
const STATES = CASE_STATES.filter((st) => !FINAL_STATES.has(st));
const now = Date.now();
const b64 = (bytes: Uint8Array): string =>
  Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');

function makeCase(i: number): Case {
  const town = 441900100 + (i % 33);
  const grid = `${town}${String(1 + (i % 17)).padStart(3, '0')}${String(1 + (i % 5)).padStart(3, '0')}`;
  const state = STATES[i % STATES.length];
  const dispatched = state !== 'reported' && state !== 'registered';
  return {
    id: `C${String(i).padStart(8, '0')}`,
    state,
    categoryCode: `0${1 + (i % 9)}${String(1 + (i % 7)).padStart(3, '0')}`,
    priority: i % 50 === 0 ? 'emergency' : i % 7 === 0 ? 'urgent' : 'normal',
    source: 'patrol',
    description: '巡查发现：消防通道被杂物堵塞，请尽快处理，现场已拍照取证',
    address: '东莞市某镇某村某路某号',
    lon: 113.7 + (i % 1000) / 3000,
    lat: 22.9 + (i % 997) / 3000,
    gridCode: grid,
    villageCode: grid.slice(0, 12),
    townCode: grid.slice(0, 9),
    holderCode: grid.slice(0, 12),
    reporterId: `O${i % 9000}`,
    assignee: dispatched ? { kind: 'officer', id: `O${(i * 7) % 9000}` } : null,
    assignedBy: dispatched ? 'U-seat' : null,
    assignedAt: dispatched ? now - 3 * HOUR_MS : null,
    handlerId: state === 'handling' ? `O${(i * 7) % 9000}` : null,
    selfHandled: false,
    supervised: i % 40 === 0,
    reworkCount: i % 30 === 0 ? 1 : 0,
    photos: ['a'.repeat(64)],
    afterPhotos: [],
    suspensions: [],
    stateBeforeSuspend: state === 'suspended' ? 'handling' : null,
    reportedAt: now - (i % 500) * HOUR_MS,
    registeredAt: now - (i % 500) * HOUR_MS + 600_000,
    dispatchedAt: dispatched ? now - 3 * HOUR_MS : null,
    dueAt: dispatched && state !== 'suspended' ? now + ((i % 97) - 40) * HOUR_MS : null,
    feedbackAt: null,
    closedAt: null,
    voidedAt: null,
    version: 3,
  };
}

function time<T>(label: string, fn: () => T, runs = 3): { value: T; ms: number } {
  let best = Number.POSITIVE_INFINITY;
  let value!: T;
  for (let r = 0; r < runs; r++) {
    const t0 = performance.now();
    value = fn();
    best = Math.min(best, performance.now() - t0);
  }
  console.log(`${label.padEnd(52)} ${best.toFixed(1).padStart(8)} ms`);
  return { value, ms: best };
}

const dir = mkdtempSync(join(tmpdir(), 'gc-bench-desk-'));
try {
  const cache = CacheStore.open(join(dir, 'cache.sqlite'));
  const cases = Array.from({ length: N }, (_, i) => makeCase(i));
  for (let i = 0; i < N; i += 10_000) cache.putSnapshotPage('cases', cases.slice(i, i + 10_000));
  console.log(`${N} open cases in the cache`);
  const view = new DeskView(cache);

  const first = time(
    'desk.queue, first of the session (worker)',
    () => new DeskView(cache).queue(new Map()),
    1,
  );
  view.queue(new Map());
  // 200 cases changed since: only those are read again.
  for (const c of cases.slice(0, 200))
    cache.putCaseIfNewer({ ...c, version: c.version + 1, state: 'handling' });
  const desk = time('desk.queue, again after 200 changes (worker)', () => view.queue(new Map()), 1);
  console.log(`  (first read ${first.ms.toFixed(0)} ms: one json_extract per row)`);
  const deskWire = time('  … as the web host sends it (typed JSON)', () =>
    JSON.stringify(encodeTypedJson({ rows: desk.value }, b64)),
  );
  const naive = time('naive cases.list: every case JSON parsed (worker)', () => cache.listCases({}));
  const naiveWire = time('  … as the web host sends it (JSON)', () =>
    JSON.stringify(naive.value.map((c) => ({ case: c, pending: [] }))),
  );
  const mb = (s: string): string => `${(s.length / 1e6).toFixed(1)} MB`;
  console.log(`answer size: desk.queue ${mb(deskWire.value)}  vs  cases.list ${mb(naiveWire.value)}`);
  console.log(
    `ratio (naive / desk): time ${((naive.ms + naiveWire.ms) / (desk.ms + deskWire.ms)).toFixed(1)}×, size ${(naiveWire.value.length / deskWire.value.length).toFixed(1)}×`,
  );

  time('desk.recommend: officers’ loads from the held rows', () => view.loads());
  const rows = time('renderer: decode columns into rows', () => decodeDeskRows(desk.value)).value;
  const calendar = defaultCalendar();
  const limits = new Map<string, { unit: 'working_hours'; value: number }>();
  const ctx = {
    now,
    calendar,
    limitOf: (code: string) => limits.get(code) ?? { unit: 'working_hours' as const, value: 8 },
  };
  time('renderer: tab counts', () => tabCounts(rows, now));
  time('renderer: filter + sort by deadline (all tab)', () =>
    selectRows(rows, { tab: 'all' }, 'deadline', ctx),
  );
  time('renderer: filter by red deadline + sort newest', () =>
    selectRows(rows, { tab: 'all', deadline: 'red' }, 'newest', ctx),
  );
  // The windowed list renders only the rows in view: 860 px of 46 px rows plus 6 either side.
  const inView = Math.ceil(860 / 46) + 2 * 6;
  console.log(`virtual list for 30,000 rows: ${inView} row elements in the DOM (vs 30,000 unwindowed)`);
  cache.close();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
