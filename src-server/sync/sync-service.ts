// The sync feed for a seat's scope: paged snapshots of reference data and live cases with the
// watermark they are consistent with, and catch-up of events after a watermark (≤ 1 MB pages).
// A snapshot's watermark is taken on its first page and carried in the cursor, so a console
// that catches up from it afterwards misses nothing (events applied twice are no-ops by version).
import type { SnapshotKind } from '../../src-shared/protocol/messages';
import { MAX_PAGE_BYTES } from '../../src-shared/protocol/messages';
import { err, ok, type Result } from '../../src-shared/util/result';
import type { Case, Department } from '../../src-shared/protocol/entities';
import type { User } from '../auth/seats';
import { canSeeCase, canSeeUnit, caseFor, eventFor, reachOf, type Viewer } from '../auth/visibility';
import type { Db } from '../store/database';
import type { LogReads } from '../store/dispatch-store';
import type { CatchUpResult } from '../store/event-log';

const PAGE_ROWS: Record<SnapshotKind, number> = {
  divisions: 100,
  grids: 400,
  officers: 5_000,
  cameras: 5_000,
  categories: 1_000,
  departments: 1_000,
  cases: 1_000,
};

interface Cursor {
  w: number; // watermark
  a: string; // last key of the previous page
}

function encodeCursor(c: Cursor): string {
  return Buffer.from(JSON.stringify(c)).toString('base64url');
}

function decodeCursor(s: string): Cursor | null {
  try {
    const c = JSON.parse(Buffer.from(s, 'base64url').toString('utf8')) as Cursor;
    return Number.isSafeInteger(c.w) && c.w >= 0 && typeof c.a === 'string' ? c : null;
  } catch {
    return null;
  }
}

/**
 * What a viewer's snapshot of reference data covers: a seat its jurisdiction; a grid officer its
 * grid (its grid, its cameras, itself); anyone else (department handlers, the mobile squad, the
 * citizen app) only itself and the public reference lists (divisions, categories, departments).
 */
type Reach = 'scope' | 'grid' | 'personal';

/** SQL for one page of a kind within a scope; `@scope`, `@self`, `@after`, `@limit` bound. */
function pageSql(
  kind: Exclude<SnapshotKind, 'cases'>,
  scopeLen: number,
  reach: Reach,
): { sql: string; key: string } {
  if (reach !== 'scope') {
    switch (kind) {
      case 'grids':
        return {
          sql: `SELECT code AS k, json FROM grids WHERE code > @after AND ${reach === 'grid' ? 'code = @scope' : '0'} ORDER BY code LIMIT @limit`,
          key: 'code',
        };
      case 'cameras':
        return {
          sql: `SELECT id AS k, json FROM cameras WHERE id > @after AND ${reach === 'grid' ? 'grid_code = @scope' : '0'} ORDER BY id LIMIT @limit`,
          key: 'id',
        };
      case 'officers':
        return {
          sql: 'SELECT id AS k, json FROM officers WHERE id > @after AND id = @self ORDER BY id LIMIT @limit',
          key: 'id',
        };
      default:
        break;
    }
  }
  const town = scopeLen === 9;
  const village = scopeLen === 12;
  switch (kind) {
    case 'divisions':
      // The seat's own division, its ancestors' names and everything below it.
      return {
        sql: `SELECT code AS k, json FROM divisions WHERE code > @after AND (${
          town || village ? `substr(@scope, 1, length(code)) = code OR code LIKE @scope || '%'` : '1'
        }) ORDER BY code LIMIT @limit`,
        key: 'code',
      };
    case 'grids':
      return {
        sql: `SELECT code AS k, json FROM grids WHERE code > @after AND ${
          town ? 'town_code = @scope' : village ? 'village_code = @scope' : '1'
        } ORDER BY code LIMIT @limit`,
        key: 'code',
      };
    case 'officers':
      // Field officers of the scope, plus the city-wide squads (mobile, departments) everyone dispatches to.
      return {
        sql: `SELECT id AS k, json FROM officers WHERE id > @after AND (${
          town
            ? 'town_code = @scope OR town_code IS NULL'
            : village
              ? 'village_code = @scope OR town_code IS NULL'
              : '1'
        }) ORDER BY id LIMIT @limit`,
        key: 'id',
      };
    case 'cameras':
      return {
        sql: `SELECT id AS k, json FROM cameras WHERE id > @after AND ${
          town ? 'town_code = @scope' : village ? 'village_code = @scope' : '1'
        } ORDER BY id LIMIT @limit`,
        key: 'id',
      };
    case 'categories':
      return {
        sql: 'SELECT code AS k, json FROM categories WHERE code > @after ORDER BY code LIMIT @limit',
        key: 'code',
      };
    case 'departments':
      return {
        sql: 'SELECT code AS k, json FROM departments WHERE code > @after ORDER BY code LIMIT @limit',
        key: 'code',
      };
  }
}

export class SyncService {
  constructor(
    /** Reference data (divisions, grids, officers, cameras, categories, departments). */
    private readonly db: Db,
    /** Cases and the event log, on the server's engine (SQLite or PostgreSQL). */
    private readonly log: LogReads,
    private readonly viewerOf: (user: User) => Viewer,
  ) {}

  async snapshot(
    user: User,
    kind: SnapshotKind,
    cursor: string | null,
  ): Promise<Result<{ kind: SnapshotKind; watermark: number; items: unknown[]; nextCursor: string | null }>> {
    const viewer = this.viewerOf(user);
    const reach = reachOf(viewer);
    // Seats page their scope; everyone else pages the city filtered case by case.
    const scope = reach === 'scope' ? user.scopeCode : this.log.cityCode;
    let c: Cursor;
    if (cursor === null) c = { w: await this.log.lastSeqOf(scope), a: '' };
    else {
      const decoded = decodeCursor(cursor);
      if (!decoded) return err('BAD_REQUEST', 'malformed snapshot cursor');
      c = decoded;
    }
    const limit = PAGE_ROWS[kind];
    let items: unknown[];
    let lastKey: string | null = null;
    if (kind === 'cases') {
      const rows = await this.log.casesPage(scope, c.a === '' ? null : c.a, limit + 1);
      const page = rows.slice(0, limit);
      items =
        reach === 'scope' ? page : page.filter((k) => canSeeCase(viewer, k)).map((k) => caseFor(viewer, k));
      lastKey = rows.length > limit ? rows[limit - 1].id : null;
    } else {
      const { sql } = pageSql(kind, user.scopeCode.length, reach);
      const rows = this.db
        .prepare(sql)
        .all({ scope: user.scopeCode, self: viewer.officerId ?? '', after: c.a, limit: limit + 1 }) as {
        k: string;
        json: string;
      }[];
      const page: unknown[] = [];
      let bytes = 0;
      let i = 0;
      for (; i < Math.min(rows.length, limit); i++) {
        bytes += Buffer.byteLength(rows[i].json);
        if (bytes > MAX_PAGE_BYTES && page.length > 0) break;
        page.push(JSON.parse(rows[i].json));
      }
      // Handling units below the city bureaus follow the one rule (visibility.ts canSeeUnit).
      items = kind === 'departments' ? (page as Department[]).filter((d) => canSeeUnit(viewer, d)) : page;
      lastKey = i < rows.length ? rows[i - 1].k : null;
    }
    return ok({
      kind,
      watermark: c.w,
      items,
      nextCursor: lastKey === null ? null : encodeCursor({ w: c.w, a: lastKey }),
    });
  }

  async catchUp(user: User, after: number, limit?: number): Promise<Result<CatchUpResult>> {
    const head = await this.log.headSeq();
    if (after > head) {
      return err(
        'BAD_REQUEST',
        `watermark ${after} is ahead of the log (${head}): the console's cache belongs to another server`,
      );
    }
    const viewer = this.viewerOf(user);
    const max = Math.min(limit ?? 5_000, 5_000);
    if (reachOf(viewer) === 'scope') return ok(await this.log.eventsAfter(user.scopeCode, after, max));
    // A personal feed: the city's log filtered case by case; the watermark is where the scan got to.
    const page = await this.log.eventsAfter(this.log.cityCode, after, max);
    return ok({
      ...page,
      events: page.events
        .filter((e) => {
          const k = e.payload.case as Case | undefined;
          return k !== undefined && canSeeCase(viewer, k);
        })
        .map((e) => eventFor(viewer, e)),
    });
  }
}
