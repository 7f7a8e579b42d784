// The console's local copy of its jurisdiction: reference data, live cases, the events it has
// seen (for timelines) and the watermark of the log, all in one SQLite file (WAL). Everything
// here is the server's truth; the console's own unconfirmed actions live in the outbox file.
// Events are applied idempotently: by seq for the log, by version for the case they carry, and
// the watermark moves in the same transaction as the events it covers.
import { existsSync, renameSync } from 'node:fs';
import type {
  Camera,
  Case,
  CaseEvent,
  Category,
  Department,
  Division,
  Grid,
  Officer,
  OfficerFix,
} from '../../src-shared/protocol/entities';
import type { SnapshotKind } from '../../src-shared/protocol/messages';
import { CACHE_MIGRATIONS } from './migrations';
import { CorruptDatabaseError, checkIntegrity, openSqlite, runMigrations, type Db } from './sqlite';
import { startMark } from '../app/start-marks';

type KindItem = {
  divisions: Division;
  grids: Grid;
  officers: Officer;
  cameras: Camera;
  categories: Category;
  departments: Department;
  cases: Case;
};

// Cases keep their protocol JSON plus the columns that scope them and that the map reads
// (migration 2), so the map snapshot never parses case JSON.
const CASE_COLUMNS =
  'id, state, grid_code, village_code, town_code, holder_code, version, json, lon, lat, priority, category, reported_at, due_at';
const CASE_VALUES =
  '@id, @state, @gridCode, @villageCode, @townCode, @holderCode, @version, @json, @lon, @lat, @priority, @categoryCode, @reportedAt, @dueAt';
const CASE_UPDATES = `state = excluded.state, holder_code = excluded.holder_code, version = excluded.version,
  json = excluded.json, lon = excluded.lon, lat = excluded.lat, priority = excluded.priority,
  category = excluded.category, reported_at = excluded.reported_at, due_at = excluded.due_at`;

const caseRow = (c: Case): Record<string, unknown> => ({
  id: c.id,
  state: c.state,
  gridCode: c.gridCode,
  villageCode: c.villageCode,
  townCode: c.townCode,
  holderCode: c.holderCode,
  version: c.version,
  json: JSON.stringify(c),
  lon: c.lon,
  lat: c.lat,
  priority: c.priority,
  categoryCode: c.categoryCode,
  reportedAt: c.reportedAt,
  dueAt: c.dueAt,
});

/** The map's columns of a case row, in this order (better-sqlite3 raw rows). */
export type MapCaseRow = [
  id: string,
  state: string,
  lon: number,
  lat: number,
  priority: string,
  category: string,
  gridCode: string,
  reportedAt: number,
  dueAt: number | null,
  version: number,
  number: string | null,
];
const MAP_CASE_SELECT =
  "SELECT id, state, lon, lat, priority, category, grid_code, reported_at, due_at, version, json_extract(json, '$.number') FROM cases";

/** A stored track point as better-sqlite3 returns it raw. */
export type TrackRow = [officerId: string, at: number, lon: number, lat: number];

/** A sampled point of an officer's track. */
export interface TrackPoint {
  officerId: string;
  at: number;
  lon: number;
  lat: number;
}

export interface SeatInfo {
  serverUrl: string;
  seatId: string;
  userName: string;
  displayName: string;
  role: string;
  scopeCode: string;
}

export interface ApplyResult {
  inserted: number;
  casesChanged: string[];
}

export class CacheStore {
  private readonly stmts;

  private constructor(
    readonly db: Db,
    readonly file: string,
  ) {
    this.stmts = {
      getMeta: db.prepare('SELECT value FROM meta WHERE key = ?'),
      setMeta: db.prepare(
        'INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value',
      ),
      insertEvent: db.prepare(
        'INSERT INTO events (seq, case_id, type, server_time, json) VALUES (?, ?, ?, ?, ?) ON CONFLICT(seq) DO NOTHING',
      ),
      putNewerCase: db.prepare(
        `INSERT INTO cases (${CASE_COLUMNS}) VALUES (${CASE_VALUES})
         ON CONFLICT(id) DO UPDATE SET ${CASE_UPDATES} WHERE excluded.version > cases.version`,
      ),
      putCase: db.prepare(
        `INSERT INTO cases (${CASE_COLUMNS}) VALUES (${CASE_VALUES})
         ON CONFLICT(id) DO UPDATE SET ${CASE_UPDATES}`,
      ),
      getCase: db.prepare('SELECT json FROM cases WHERE id = ?'),
      caseEvents: db.prepare('SELECT json FROM events WHERE case_id = ? ORDER BY seq'),
      mapOpenCases: db.prepare(`${MAP_CASE_SELECT} WHERE state NOT IN ('closed', 'voided')`),
      mapCasesOf: db.prepare(`${MAP_CASE_SELECT} WHERE id IN (SELECT value FROM json_each(?))`),
      officerIds: db.prepare('SELECT id FROM officers ORDER BY id'),
      putTrack: db.prepare(
        'INSERT INTO tracks (officer_id, at, lon, lat) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING',
      ),
      // The officers that have a track, one primary-key seek each (a skip scan, not a full scan).
      trackOfficers: db.prepare(
        `WITH RECURSIVE ids(id) AS (
           SELECT (SELECT min(officer_id) FROM tracks)
           UNION ALL SELECT (SELECT min(officer_id) FROM tracks WHERE officer_id > ids.id) FROM ids WHERE ids.id IS NOT NULL
         ) SELECT id FROM ids WHERE id IS NOT NULL`,
      ),
      pruneTrack: db.prepare('DELETE FROM tracks WHERE officer_id = ? AND at < ?'),
      tracksAll: db.prepare(
        `WITH RECURSIVE ids(id) AS (
           SELECT (SELECT min(officer_id) FROM tracks)
           UNION ALL SELECT (SELECT min(officer_id) FROM tracks WHERE officer_id > ids.id) FROM ids WHERE ids.id IS NOT NULL
         ) SELECT t.officer_id, t.at, t.lon, t.lat FROM ids JOIN tracks t ON t.officer_id = ids.id
           WHERE t.at BETWEEN ? AND ?`,
      ),
      tracksOf: db.prepare(
        `SELECT officer_id, at, lon, lat FROM tracks
         WHERE officer_id IN (SELECT value FROM json_each(?)) AND at BETWEEN ? AND ?`,
      ),
      putPosition: db.prepare(
        `INSERT INTO positions (officer_id, json, at) VALUES (?, ?, ?)
         ON CONFLICT(officer_id) DO UPDATE SET json = excluded.json, at = excluded.at WHERE excluded.at >= positions.at`,
      ),
    };
  }

  /**
   * Open (creating when missing), check integrity, migrate. Throws CorruptDatabaseError. With
   * `check: 'later'` the full check (PRAGMA quick_check, a read of every page) is left to the
   * caller (`checkIntegrity()` after the start); a file that is not a database still fails here.
   */
  static open(file: string, check: 'now' | 'later' = 'now'): CacheStore {
    const db = openSqlite(file, { synchronous: 'NORMAL' });
    startMark('cache:opened');
    try {
      if (check === 'now') checkIntegrity(db, file);
      startMark('cache:checked');
      runMigrations(db, CACHE_MIGRATIONS, file);
      // Later: the small meta table is read now (the start reads it), the rest by the check.
      if (check === 'later') db.prepare('SELECT count(*) FROM meta').pluck().get();
      startMark('cache:migrated');
      return new CacheStore(db, file);
    } catch (e) {
      db.close();
      if (e instanceof CorruptDatabaseError) throw e;
      // Not a database, or a schema that makes no sense: treat as damage too.
      throw new CorruptDatabaseError(file, e instanceof Error ? e.message : String(e));
    }
  }

  /**
   * Open, or — when the file is damaged — move it (and its WAL) aside and start an empty cache
   * that the sync engine refills from the server. The outbox is a separate file and untouched.
   */
  static openOrRebuild(
    file: string,
    now: number,
    check: 'now' | 'later' = 'now',
  ): { store: CacheStore; movedAside: string | null; problem: string | null } {
    try {
      return { store: CacheStore.open(file, check), movedAside: null, problem: null };
    } catch (e) {
      if (!(e instanceof CorruptDatabaseError)) throw e;
      const aside = `${file}.corrupt-${now}`;
      for (const suffix of ['', '-wal', '-shm']) {
        if (existsSync(file + suffix)) renameSync(file + suffix, aside + suffix);
      }
      return { store: CacheStore.open(file), movedAside: aside, problem: e.message };
    }
  }

  close(): void {
    this.db.close();
  }

  /** PRAGMA quick_check of the open file (see `open`'s `check`). Throws CorruptDatabaseError. */
  checkIntegrity(): void {
    checkIntegrity(this.db, this.file);
  }

  // ---- meta ----
  private meta(key: string): string | null {
    return (this.stmts.getMeta.get(key) as { value: string } | undefined)?.value ?? null;
  }

  private setMeta(key: string, value: string): void {
    this.stmts.setMeta.run(key, value);
  }

  get watermark(): number {
    return Number(this.meta('watermark') ?? '0');
  }

  get snapshotComplete(): boolean {
    return this.meta('snapshot_complete') === '1';
  }

  /**
   * Take the token of the map start file (map-start-file.ts) written at the last clean close:
   * returned once, and cleared in the same step, so a later start after this one (which may
   * change the cache) never trusts that file again.
   */
  takeMapStartToken(): string | null {
    const token = this.meta('map_start_token');
    if (token) this.setMeta('map_start_token', '');
    return token || null;
  }

  /** Bind the map start file just written to the cache as it is now (at close). */
  setMapStartToken(token: string): void {
    this.setMeta('map_start_token', token);
  }

  get lastSyncAt(): number | null {
    const v = this.meta('last_sync_at');
    return v === null ? null : Number(v);
  }

  markSynced(at: number): void {
    this.setMeta('last_sync_at', String(at));
  }

  get seat(): SeatInfo | null {
    const v = this.meta('seat');
    return v === null ? null : (JSON.parse(v) as SeatInfo);
  }

  /** Bind the cache to a seat of a server; a different seat or server starts from scratch. */
  bindSeat(seat: SeatInfo): boolean {
    const current = this.seat;
    if (current && current.serverUrl === seat.serverUrl && current.seatId === seat.seatId) {
      this.setMeta('seat', JSON.stringify(seat));
      return false;
    }
    this.db.transaction(() => {
      this.clearAll();
      // Another seat's track history is not this seat's business.
      this.db.exec('DELETE FROM tracks');
      this.setMeta('seat', JSON.stringify(seat));
    })();
    return true;
  }

  // ---- snapshot ----
  private clearAll(): void {
    for (const t of [
      'divisions',
      'grids',
      'officers',
      'cameras',
      'categories',
      'departments',
      'cases',
      'events',
      'positions',
    ]) {
      this.db.exec(`DELETE FROM ${t}`);
    }
    this.setMeta('watermark', '0');
    this.setMeta('snapshot_complete', '0');
    this.setMeta('map_start_token', '');
  }

  beginSnapshot(): void {
    this.db.transaction(() => this.clearAll())();
  }

  putSnapshotPage<K extends SnapshotKind>(kind: K, items: readonly KindItem[K][]): void {
    this.db.transaction(() => {
      if (kind === 'cases') {
        for (const c of items as readonly Case[]) this.stmts.putCase.run(caseRow(c));
        return;
      }
      const stmt = this.db.prepare(insertSqlFor(kind));
      for (const item of items) stmt.run(snapshotRow(kind, item));
    })();
  }

  finishSnapshot(watermark: number): void {
    this.db.transaction(() => {
      this.setMeta('watermark', String(watermark));
      // Events before this point were never sent to this console (the snapshot covers them).
      this.setMeta('snapshot_watermark', String(watermark));
      this.setMeta('snapshot_complete', '1');
    })();
  }

  // ---- events ----
  /**
   * Apply events in one transaction. `advanceTo` moves the watermark (catch-up pages and
   * contiguous pushes); command answers pass null, because their events may lie beyond a gap.
   */
  applyEvents(events: readonly CaseEvent[], advanceTo: number | null): ApplyResult {
    return this.db.transaction(() => {
      let inserted = 0;
      // Only the newest version of each case in the batch needs writing.
      const newest = new Map<string, Case>();
      for (const e of events) {
        const { case: c, ...facts } = e.payload as { case?: Case } & Record<string, unknown>;
        // The log keeps the facts; the case itself lives in `cases` (no copy per event).
        inserted += this.stmts.insertEvent.run(
          e.seq,
          e.caseId,
          e.type,
          e.serverTime,
          JSON.stringify({ ...e, payload: facts }),
        ).changes;
        if (c && (newest.get(c.id)?.version ?? -1) < c.version) newest.set(c.id, c);
      }
      const changed: string[] = [];
      for (const c of newest.values()) if (this.putNewer(c)) changed.push(c.id);
      if (advanceTo !== null && advanceTo > this.watermark) this.setMeta('watermark', String(advanceTo));
      return { inserted, casesChanged: changed };
    })();
  }

  /** Store a case the server sent unless we already hold a newer version. */
  putCaseIfNewer(c: Case): boolean {
    return this.putNewer(c);
  }

  private putNewer(c: Case): boolean {
    return this.stmts.putNewerCase.run(caseRow(c)).changes > 0;
  }

  // ---- reads ----
  /** The case bearing a human number (a scan of the case JSON: used only by un-merge). */
  caseByNumber(number: string): Case | null {
    const row = this.db
      .prepare("SELECT json FROM cases WHERE json_extract(json, '$.number') = ?")
      .get(number) as { json: string } | undefined;
    return row ? (JSON.parse(row.json) as Case) : null;
  }

  /** The server's numbers of these cases (cases without one, or unknown, are left out). */
  caseNumbers(ids: readonly string[]): [id: string, number: string][] {
    if (ids.length === 0) return [];
    return this.db
      .prepare(
        "SELECT id, json_extract(json, '$.number') AS n FROM cases WHERE id IN (SELECT value FROM json_each(?)) AND n IS NOT NULL",
      )
      .raw(true)
      .all(JSON.stringify(ids)) as [string, string][];
  }

  getCase(id: string): Case | null {
    const row = this.stmts.getCase.get(id) as { json: string } | undefined;
    return row ? (JSON.parse(row.json) as Case) : null;
  }

  caseEvents(caseId: string): CaseEvent[] {
    return (this.stmts.caseEvents.all(caseId) as { json: string }[]).map(
      (r) => JSON.parse(r.json) as CaseEvent,
    );
  }

  listCases(filter: { states?: readonly string[]; limit?: number } = {}): Case[] {
    const states = filter.states ?? [];
    const where = states.length > 0 ? `WHERE state IN (${states.map(() => '?').join(',')})` : '';
    const rows = this.db
      .prepare(`SELECT json FROM cases ${where} ORDER BY id LIMIT ?`)
      .all(...states, filter.limit ?? 1_000_000) as { json: string }[];
    return rows.map((r) => JSON.parse(r.json) as Case);
  }

  /** The stored JSON of every row of a reference table as one JSON array text (no parse). */
  allJsonText(kind: Exclude<SnapshotKind, 'cases'>): string {
    const rows = this.db.prepare(`SELECT json FROM ${kind}`).raw(true).all() as [string][];
    let text = '[';
    for (let i = 0; i < rows.length; i++) text += (i === 0 ? '' : ',') + rows[i][0];
    return `${text}]`;
  }

  all<K extends Exclude<SnapshotKind, 'cases'>>(kind: K): KindItem[K][] {
    return (this.db.prepare(`SELECT json FROM ${kind}`).all() as { json: string }[]).map(
      (r) => JSON.parse(r.json) as KindItem[K],
    );
  }

  /** Open cases (not closed or voided): a count from the state index, no JSON read. */
  openCaseCount(): number {
    return (
      this.db.prepare("SELECT count(*) AS n FROM cases WHERE state NOT IN ('closed', 'voided')").get() as {
        n: number;
      }
    ).n;
  }

  counts(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const t of [
      'divisions',
      'grids',
      'officers',
      'cameras',
      'categories',
      'departments',
      'cases',
      'events',
      'positions',
      'tracks',
    ]) {
      out[t] = (this.db.prepare(`SELECT count(*) AS n FROM ${t}`).get() as { n: number }).n;
    }
    out.gridOfficers = (
      this.db
        .prepare("SELECT count(*) AS n FROM officers WHERE json_extract(json, '$.kind') = 'grid'")
        .get() as { n: number }
    ).n;
    return out;
  }

  // ---- the map's reads (columns, no case JSON) ----

  /** Open cases (not closed or voided), with the map's columns. */
  mapCaseRows(): MapCaseRow[] {
    return this.stmts.mapOpenCases.raw(true).all() as MapCaseRow[];
  }

  /** The map's columns of these cases, whatever their state; unknown ids are simply absent. */
  mapCaseRowsOf(ids: readonly string[]): MapCaseRow[] {
    if (ids.length === 0) return [];
    return this.stmts.mapCasesOf.raw(true).all(JSON.stringify(ids)) as MapCaseRow[];
  }

  /** Codes sorted ascending: the dictionaries the map's Uint16 indices point into. */
  codes(table: 'grids' | 'categories'): string[] {
    return (this.db.prepare(`SELECT code FROM ${table} ORDER BY code`).raw(true).all() as [string][]).map(
      (r) => r[0],
    );
  }

  /** Officer ids sorted ascending: the order position batches address. */
  officerIds(): string[] {
    return (this.stmts.officerIds.raw(true).all() as [string][]).map((r) => r[0]);
  }

  /** Officers sorted by id (the same order as officerIds). */
  officersById(): Officer[] {
    return (this.db.prepare('SELECT json FROM officers ORDER BY id').raw(true).all() as [string][]).map(
      (r) => JSON.parse(r[0]) as Officer,
    );
  }

  camerasById(): Camera[] {
    return (this.db.prepare('SELECT json FROM cameras ORDER BY id').raw(true).all() as [string][]).map(
      (r) => JSON.parse(r[0]) as Camera,
    );
  }

  // ---- telemetry ----

  /** Latest fixes and sampled track points, in one transaction (one fsync-free WAL write). */
  putTelemetry(fixes: readonly OfficerFix[], track: readonly TrackPoint[] = []): void {
    if (fixes.length === 0 && track.length === 0) return;
    this.db.transaction(() => {
      for (const f of fixes) this.stmts.putPosition.run(f.officerId, JSON.stringify(f), f.at);
      for (const p of track) this.stmts.putTrack.run(p.officerId, p.at, p.lon, p.lat);
    })();
  }

  /** Forget track points older than `before` (epoch ms), officer by officer; returns how many went. */
  pruneTracks(before: number): number {
    const ids = (this.stmts.trackOfficers.raw(true).all() as [string][]).map((r) => r[0]);
    return this.db.transaction(() => {
      let gone = 0;
      for (const id of ids) gone += this.stmts.pruneTrack.run(id, before).changes;
      return gone;
    })();
  }

  /**
   * Track points in [fromMs, toMs] as raw rows; `officerIds` null = every officer. Each officer
   * is one range seek on the primary key (no ORDER BY: a sort of every row would cost more than
   * the seeks; groupTracks orders what needs it).
   */
  trackRows(officerIds: readonly string[] | null, fromMs: number, toMs: number): TrackRow[] {
    return (
      officerIds === null
        ? this.stmts.tracksAll.raw(true).all(fromMs, toMs)
        : this.stmts.tracksOf.raw(true).all(JSON.stringify(officerIds), fromMs, toMs)
    ) as TrackRow[];
  }

  positions(): OfficerFix[] {
    return (this.db.prepare('SELECT json FROM positions').all() as { json: string }[]).map(
      (r) => JSON.parse(r.json) as OfficerFix,
    );
  }
}

const SNAPSHOT_INSERT: Record<Exclude<SnapshotKind, 'cases'>, string> = {
  divisions: 'INSERT OR REPLACE INTO divisions (code, level, parent_code, json) VALUES (@key, @a, @b, @json)',
  grids: 'INSERT OR REPLACE INTO grids (code, village_code, town_code, json) VALUES (@key, @a, @b, @json)',
  officers: 'INSERT OR REPLACE INTO officers (id, json) VALUES (@key, @json)',
  cameras: 'INSERT OR REPLACE INTO cameras (id, grid_code, json) VALUES (@key, @a, @json)',
  categories: 'INSERT OR REPLACE INTO categories (code, json) VALUES (@key, @json)',
  departments: 'INSERT OR REPLACE INTO departments (code, json) VALUES (@key, @json)',
};

function insertSqlFor(kind: SnapshotKind): string {
  if (kind === 'cases') throw new Error('cases are stored by putCase');
  return SNAPSHOT_INSERT[kind];
}

function snapshotRow(kind: SnapshotKind, item: unknown): Record<string, unknown> {
  const json = JSON.stringify(item);
  switch (kind) {
    case 'divisions': {
      const d = item as Division;
      return { key: d.code, a: d.level, b: d.parentCode, json };
    }
    case 'grids': {
      const g = item as Grid;
      return { key: g.code, a: g.villageCode, b: g.townCode, json };
    }
    case 'cameras': {
      const c = item as Camera;
      return { key: c.id, a: c.gridCode, json };
    }
    case 'officers':
      return { key: (item as Officer).id, json };
    case 'categories':
    case 'departments':
      return { key: (item as { code: string }).code, json };
    default:
      throw new Error(`no snapshot row for ${kind}`);
  }
}
