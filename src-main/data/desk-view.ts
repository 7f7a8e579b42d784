// The case desk's view of the cache, in the data worker: compact queue rows for the open cases
// (src-shared/desk/queue-data.ts) read from the indexed columns plus one json_extract per row
// for the few fields without a column, overlaid with this console's pending predictions; the
// officers' current loads. (The seat's figures come from the server: desk/desk-figures.ts.)
import { FINAL_STATES, type CaseState } from '../../src-shared/domain/case-model';
import { encodeDeskRows, type DeskColumns, type DeskRow } from '../../src-shared/desk/queue-data';
import type { Case } from '../../src-shared/protocol/entities';
import type { CacheStore } from './cache-store';
import { predictionShown, type PendingOverlay } from './optimistic-view';

// One json_extract with several paths parses the case JSON once and answers a JSON array.
const ROW_SELECT = `SELECT id, state, priority, category, grid_code, holder_code, reported_at, due_at, version,
  lon, lat, json_extract(json, '$.source', '$.dispatchedAt', '$.assignee.kind', '$.assignee.id', '$.supervised', '$.reworkCount', '$.number', '$.request.kind')
  FROM cases`;

type RawRow = [
  id: string,
  state: string,
  priority: string,
  category: string,
  gridCode: string,
  holderCode: string,
  reportedAt: number,
  dueAt: number | null,
  version: number,
  lon: number | null,
  lat: number | null,
  extra: string,
];

function fromRaw(r: RawRow, pending: boolean): DeskRow {
  const [source, dispatchedAt, kind, assigneeId, supervised, reworkCount, number, request] = JSON.parse(
    r[11],
  ) as [
    string,
    number | null,
    string | null,
    string | null,
    number | boolean | null,
    number | null,
    string | null,
    DeskRow['request'],
  ];
  return {
    id: r[0],
    number: number ?? null,
    state: r[1] as DeskRow['state'],
    priority: r[2] as DeskRow['priority'],
    categoryCode: r[3],
    gridCode: r[4],
    holderCode: r[5],
    reportedAt: r[6],
    dueAt: r[7],
    version: r[8],
    lon: r[9] ?? 0,
    lat: r[10] ?? 0,
    source: source as DeskRow['source'],
    dispatchedAt,
    assignee: kind && assigneeId ? `${kind}:${assigneeId}` : null,
    supervised: supervised === 1 || supervised === true,
    reworkCount: reworkCount ?? 0,
    request: request ?? null,
    pending,
  };
}

export function deskRowOf(c: Case, pending: boolean): DeskRow {
  return {
    id: c.id,
    number: c.number ?? null,
    state: c.state,
    priority: c.priority,
    source: c.source,
    categoryCode: c.categoryCode,
    gridCode: c.gridCode,
    holderCode: c.holderCode,
    reportedAt: c.reportedAt,
    dispatchedAt: c.dispatchedAt,
    dueAt: c.dueAt,
    lon: c.lon,
    lat: c.lat,
    assignee: c.assignee ? `${c.assignee.kind}:${c.assignee.id}` : null,
    supervised: c.supervised,
    reworkCount: c.reworkCount,
    request: c.request?.kind ?? null,
    pending,
    version: c.version,
  };
}

/** Ids of the cached cases that carry 督办 orders (src-shared/desk/supervision-list.ts). */
export function supervisedCaseIds(db: CacheStore['db']): string[] {
  return (
    db.prepare("SELECT id FROM cases WHERE json_extract(json, '$.supervisions') IS NOT NULL").all() as {
      id: string;
    }[]
  ).map((r) => r.id);
}

interface DispatchedCase {
  townCode: string;
  villageCode: string;
  dispatchedAt: number;
  returnCount: number;
  state: string;
}

/** The cached cases first dispatched in [fromMs, toMs), with what 准确派遣率 needs (work-rules.ts). */
export function dispatchedBetween(db: CacheStore['db'], fromMs: number, toMs: number): DispatchedCase[] {
  return db
    .prepare(
      `SELECT town_code AS townCode, village_code AS villageCode, state, json_extract(json, '$.dispatchedAt') AS dispatchedAt,
           coalesce(json_extract(json, '$.returnCount'), 0) AS returnCount
         FROM cases WHERE json_extract(json, '$.dispatchedAt') >= ? AND json_extract(json, '$.dispatchedAt') < ?`,
    )
    .all(fromMs, toMs) as DispatchedCase[];
}

const isOpen = (state: string): boolean => !FINAL_STATES.has(state as CaseState);
const HOLDING: ReadonlySet<string> = new Set(['dispatched', 'handling', 'suspended']);

export class DeskView {
  private readonly stmts;
  /**
   * The open cases' rows as last read, by id. Every later queue read asks only for (id, version)
   * off the indexed columns and re-reads the rows whose version moved: a city seat's 80k rows
   * are parsed once per session, not every time the desk opens.
   */
  private held: Map<string, DeskRow> | null = null;

  constructor(cache: CacheStore) {
    const db = cache.db;
    this.stmts = {
      open: db.prepare(`${ROW_SELECT} WHERE state NOT IN ('closed', 'voided')`).raw(true),
      versions: db.prepare("SELECT id, version FROM cases WHERE state NOT IN ('closed', 'voided')").raw(true),
      of: db.prepare(`${ROW_SELECT} WHERE id IN (SELECT value FROM json_each(?))`).raw(true),
    };
  }

  /** Every open case of the cache as the operator sees it (pending predictions win when newer). */
  queue(overlay: PendingOverlay): DeskColumns {
    const rows: DeskRow[] = [];
    for (const r of this.openRows()) if (!overlay.has(r.id)) rows.push(r);
    if (overlay.size > 0) rows.push(...this.shown([...overlay.keys()], overlay).rows);
    return encodeDeskRows(rows);
  }

  private openRows(): Iterable<DeskRow> {
    if (!this.held) {
      this.held = new Map();
      for (const r of this.stmts.open.all() as RawRow[]) this.held.set(r[0], fromRaw(r, false));
      return this.held.values();
    }
    const next = new Map<string, DeskRow>();
    const stale: string[] = [];
    for (const [id, version] of this.stmts.versions.all() as [string, number][]) {
      const held = this.held.get(id);
      if (held && held.version === version) next.set(id, held);
      else stale.push(id);
    }
    for (let i = 0; i < stale.length; i += 10_000) {
      for (const r of this.stmts.of.all(JSON.stringify(stale.slice(i, i + 10_000))) as RawRow[])
        if (isOpen(r[1])) next.set(r[0], fromRaw(r, false));
    }
    this.held = next;
    return next.values();
  }

  /** Rows of the changed ids still open; the others in `removed`. */
  rows(ids: readonly string[], overlay: PendingOverlay): { rows: DeskColumns; removed: string[] } {
    const { rows, removed } = this.shown([...new Set(ids)], overlay);
    return { rows: encodeDeskRows(rows), removed };
  }

  private shown(ids: string[], overlay: PendingOverlay): { rows: DeskRow[]; removed: string[] } {
    const base = new Map((this.stmts.of.all(JSON.stringify(ids)) as RawRow[]).map((r) => [r[0], r]));
    const rows: DeskRow[] = [];
    const removed: string[] = [];
    for (const id of ids) {
      const r = base.get(id);
      const predicted = overlay.get(id);
      const pending = overlay.has(id);
      if (predictionShown(predicted, r?.[8])) {
        if (isOpen(predicted.state)) rows.push(deskRowOf(predicted, pending));
        else removed.push(id);
      } else if (r && isOpen(r[1])) rows.push(fromRaw(r, pending));
      else removed.push(id);
    }
    return { rows, removed };
  }

  /** Open cases held per officer (dispatched, handling, suspended), from the held rows. */
  loads(): Map<string, number> {
    const out = new Map<string, number>();
    for (const r of this.openRows()) {
      if (!r.assignee?.startsWith('officer:') || !HOLDING.has(r.state)) continue;
      const id = r.assignee.slice(8);
      out.set(id, (out.get(id) ?? 0) + 1);
    }
    return out;
  }
}
