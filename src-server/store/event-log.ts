// The append-only event log: audit trail and sync feed at once (ARCHITECTURE.md "Sync").
// Besides appending, it tracks the last sequence number of every scope (city, each town, each
// village) so a live push can carry "the previous event of the receiver's scope" and a console
// that sees a mismatch knows it missed something.
import type { CaseEvent } from '../../src-shared/protocol/entities';
import { MAX_PAGE_BYTES } from '../../src-shared/protocol/messages';
import type { Db } from './database';

export type NewEvent = Omit<CaseEvent, 'seq'>;

export interface ScopeFilter {
  /** '4419' (city), a 9-digit town, 12-digit village or 15-digit grid code. */
  scopeCode: string;
}

export interface CatchUpResult {
  events: CaseEvent[];
  watermark: number;
  more: boolean;
}

/** The SQL column a scope code filters on, by its length. */
export function scopeColumn(scopeCode: string): 'town_code' | 'village_code' | 'grid_code' | null {
  switch (scopeCode.length) {
    case 9:
      return 'town_code';
    case 12:
      return 'village_code';
    case 15:
      return 'grid_code';
    default:
      return null; // city: everything
  }
}

export class EventLog {
  private readonly insert;
  private readonly lastByScope = new Map<string, number>();
  private head = 0;
  private nextSeqStmt: { get(): unknown } | null = null;
  readonly cityCode: string;

  constructor(
    private readonly db: Db,
    cityCode: string,
  ) {
    this.cityCode = cityCode;
    this.insert = db.prepare(
      `INSERT INTO events (seq, case_id, type, town_code, village_code, grid_code, server_time, json)
       VALUES (@seq, @caseId, @type, @town, @village, @grid, @serverTime, @json)`,
    );
    this.reloadHeads();
  }

  /** Rebuild the in-memory scope heads from the table (start-up, or after a rolled-back transaction). */
  reloadHeads(): void {
    this.lastByScope.clear();
    const head = this.db.prepare('SELECT coalesce(max(seq), 0) AS seq FROM events').get() as { seq: number };
    this.head = head.seq;
    this.lastByScope.set(this.cityCode, head.seq);
    for (const col of ['town_code', 'village_code'] as const) {
      const rows = this.db
        .prepare(`SELECT ${col} AS code, max(seq) AS seq FROM events GROUP BY ${col}`)
        .all() as {
        code: string;
        seq: number;
      }[];
      for (const r of rows) this.lastByScope.set(r.code, r.seq);
    }
  }

  /** Highest sequence number in the whole log. */
  headSeq(): number {
    return this.head;
  }

  /** Last event seq of a scope (0 when the scope has none). */
  lastSeqOf(scopeCode: string): number {
    if (scopeColumn(scopeCode) === null) return this.head;
    if (scopeCode.length === 15) {
      const r = this.db
        .prepare('SELECT coalesce(max(seq), 0) AS seq FROM events WHERE grid_code = ?')
        .get(scopeCode) as {
        seq: number;
      };
      return r.seq;
    }
    return this.lastByScope.get(scopeCode) ?? 0;
  }

  /**
   * Append inside the caller's transaction. The sequence number is assigned here; scope heads
   * move only in `committed`, after the transaction is durable.
   */
  append(event: NewEvent, seq: number): CaseEvent {
    const full: CaseEvent = { ...event, seq };
    this.insert.run({
      seq,
      caseId: event.caseId,
      type: event.type,
      town: event.scope.townCode,
      village: event.scope.villageCode,
      grid: event.scope.gridCode,
      serverTime: event.serverTime,
      json: JSON.stringify(full),
    });
    return full;
  }

  /** Next free sequence number (call inside the transaction that appends). */
  nextSeq(): number {
    this.nextSeqStmt ??= this.db.prepare('SELECT coalesce(max(seq), 0) + 1 AS seq FROM events');
    const r = this.nextSeqStmt.get() as { seq: number };
    return r.seq;
  }

  /**
   * After commit: advance the scope heads and return, per event, the previous seq of each scope
   * it touches (city, town, village) for the live pushes.
   */
  committed(events: readonly CaseEvent[]): { event: CaseEvent; prev: Map<string, number> }[] {
    return events.map((event) => {
      const prev = new Map<string, number>();
      for (const code of [this.cityCode, event.scope.townCode, event.scope.villageCode]) {
        prev.set(code, this.lastByScope.get(code) ?? 0);
        this.lastByScope.set(code, event.seq);
      }
      this.head = Math.max(this.head, event.seq);
      return { event, prev };
    });
  }

  /** Events of a scope after a watermark, paged by count and by bytes (≤ 1 MB a page). */
  after(scopeCode: string, afterSeq: number, limit = 5_000, maxBytes = MAX_PAGE_BYTES): CatchUpResult {
    const col = scopeColumn(scopeCode);
    const sql = col
      ? `SELECT seq, json FROM events WHERE ${col} = ? AND seq > ? ORDER BY seq LIMIT ?`
      : 'SELECT seq, json FROM events WHERE seq > ? ORDER BY seq LIMIT ?';
    const params = col ? [scopeCode, afterSeq, limit + 1] : [afterSeq, limit + 1];
    const rows = this.db.prepare(sql).all(...params) as { seq: number; json: string }[];
    const events: CaseEvent[] = [];
    let bytes = 0;
    let more = rows.length > limit;
    for (const row of rows.slice(0, limit)) {
      bytes += Buffer.byteLength(row.json);
      if (bytes > maxBytes && events.length > 0) {
        more = true;
        break;
      }
      events.push(JSON.parse(row.json) as CaseEvent);
    }
    const watermark = events.length > 0 ? events[events.length - 1].seq : afterSeq;
    return { events, watermark, more };
  }

  /** The full history of one case, oldest first. */
  ofCase(caseId: string): CaseEvent[] {
    return (
      this.db.prepare('SELECT json FROM events WHERE case_id = ? ORDER BY seq').all(caseId) as {
        json: string;
      }[]
    ).map((r) => JSON.parse(r.json) as CaseEvent);
  }
}
