// The case desk's queue on the wire: one compact row per open case, sent as columns (typed
// arrays plus small string dictionaries) so a city seat's ~80k open cases never cross the
// boundary as case JSON. The worker encodes, the renderer decodes into DeskRow objects.
import {
  CASE_SOURCES,
  CASE_STATES,
  PRIORITIES,
  REQUEST_KINDS,
  type CaseSource,
  type CaseState,
  type Priority,
  type RequestKind,
} from '../domain/case-model';

/** What the queue needs of a case (no description, photos or history). */
export interface DeskRow {
  id: string;
  /** Human case number (src-shared/domain/case-number.ts); null until the server allocated it. */
  number: string | null;
  state: CaseState;
  priority: Priority;
  source: CaseSource;
  categoryCode: string;
  gridCode: string;
  /** Jurisdiction now responsible: "who holds the clock". */
  holderCode: string;
  reportedAt: number;
  dispatchedAt: number | null;
  dueAt: number | null;
  /** Where it was reported (for the duplicate proposals, src-shared/desk/duplicates.ts). */
  lon: number;
  lat: number;
  /** `officer:<id>` or `department:<code>`, null when nobody is assigned. */
  assignee: string | null;
  supervised: boolean;
  reworkCount: number;
  /** A 缓办 / 延期 / 退单 request waiting for the duty leader (issue 17). */
  request: RequestKind | null;
  /** This console has an action on the case the server has not answered yet. */
  pending: boolean;
  version: number;
}

export interface DeskColumns {
  count: number;
  ids: string[];
  /** '' = no number yet. */
  numbers: string[];
  state: Uint8Array;
  priority: Uint8Array;
  source: Uint8Array;
  /** Indices into the dictionaries of the same answer. */
  category: Uint16Array;
  grid: Uint16Array;
  holder: Uint16Array;
  reportedAt: Float64Array;
  /** NaN = none. */
  dispatchedAt: Float64Array;
  dueAt: Float64Array;
  lon: Float64Array;
  lat: Float64Array;
  /** '' = nobody. */
  assignee: string[];
  /** bit 0 supervised, bit 1 pending, bits 2–3 the waiting request (1 + REQUEST_KINDS index). */
  flags: Uint8Array;
  reworkCount: Uint8Array;
  version: Uint32Array;
  categoryCodes: string[];
  gridCodes: string[];
  holderCodes: string[];
}

/** `desk.queue`: the open cases of the seat's scope. */
export interface DeskQueue {
  scopeCode: string;
  /** Worker time of the read (epoch ms). */
  at: number;
  rows: DeskColumns;
}

/** `desk.rows`: changed cases still open in `rows`, the ids to take off the queue in `removed`. */
export interface DeskRowChanges {
  rows: DeskColumns;
  removed: string[];
}

const index = <T extends string>(list: readonly T[]): Map<string, number> =>
  new Map(list.map((v, i) => [v, i]));
const STATE = index(CASE_STATES);
const PRIORITY = index(PRIORITIES);
const SOURCE = index(CASE_SOURCES);

class Dict {
  readonly list: string[] = [];
  private readonly map = new Map<string, number>();
  of(v: string): number {
    let i = this.map.get(v);
    if (i === undefined) {
      i = this.list.length;
      this.list.push(v);
      this.map.set(v, i);
    }
    return i;
  }
}

export function encodeDeskRows(rows: readonly DeskRow[]): DeskColumns {
  const n = rows.length;
  const cats = new Dict();
  const grids = new Dict();
  const holders = new Dict();
  const c: DeskColumns = {
    count: n,
    ids: new Array<string>(n),
    numbers: new Array<string>(n),
    state: new Uint8Array(n),
    priority: new Uint8Array(n),
    source: new Uint8Array(n),
    category: new Uint16Array(n),
    grid: new Uint16Array(n),
    holder: new Uint16Array(n),
    reportedAt: new Float64Array(n),
    dispatchedAt: new Float64Array(n),
    dueAt: new Float64Array(n),
    lon: new Float64Array(n),
    lat: new Float64Array(n),
    assignee: new Array<string>(n),
    flags: new Uint8Array(n),
    reworkCount: new Uint8Array(n),
    version: new Uint32Array(n),
    categoryCodes: cats.list,
    gridCodes: grids.list,
    holderCodes: holders.list,
  };
  rows.forEach((r, i) => {
    c.ids[i] = r.id;
    c.numbers[i] = r.number ?? '';
    c.state[i] = STATE.get(r.state) ?? 0;
    c.priority[i] = PRIORITY.get(r.priority) ?? PRIORITY.get('normal')!;
    c.source[i] = SOURCE.get(r.source) ?? 0;
    c.category[i] = cats.of(r.categoryCode);
    c.grid[i] = grids.of(r.gridCode);
    c.holder[i] = holders.of(r.holderCode);
    c.reportedAt[i] = r.reportedAt;
    c.dispatchedAt[i] = r.dispatchedAt ?? Number.NaN;
    c.dueAt[i] = r.dueAt ?? Number.NaN;
    c.lon[i] = r.lon;
    c.lat[i] = r.lat;
    c.assignee[i] = r.assignee ?? '';
    const request = r.request === null ? 0 : REQUEST_KINDS.indexOf(r.request) + 1;
    c.flags[i] = (r.supervised ? 1 : 0) | (r.pending ? 2 : 0) | (request << 2);
    c.reworkCount[i] = Math.min(255, r.reworkCount);
    c.version[i] = r.version;
  });
  return c;
}

const orNull = (v: number): number | null => (Number.isNaN(v) ? null : v);

export function decodeDeskRows(c: DeskColumns): DeskRow[] {
  const out = new Array<DeskRow>(c.count);
  for (let i = 0; i < c.count; i++) {
    out[i] = {
      id: c.ids[i],
      number: c.numbers[i] === '' ? null : c.numbers[i],
      state: CASE_STATES[c.state[i]],
      priority: PRIORITIES[c.priority[i]],
      source: CASE_SOURCES[c.source[i]],
      categoryCode: c.categoryCodes[c.category[i]],
      gridCode: c.gridCodes[c.grid[i]],
      holderCode: c.holderCodes[c.holder[i]],
      reportedAt: c.reportedAt[i],
      dispatchedAt: orNull(c.dispatchedAt[i]),
      dueAt: orNull(c.dueAt[i]),
      lon: c.lon[i],
      lat: c.lat[i],
      assignee: c.assignee[i] === '' ? null : c.assignee[i],
      supervised: (c.flags[i] & 1) !== 0,
      reworkCount: c.reworkCount[i],
      pending: (c.flags[i] & 2) !== 0,
      request: REQUEST_KINDS[((c.flags[i] >> 2) & 3) - 1] ?? null,
      version: c.version[i],
    };
  }
  return out;
}
