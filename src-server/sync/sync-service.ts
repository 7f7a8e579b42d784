// The sync feed for a seat's scope: paged snapshots of reference data and live cases with the
// watermark they are consistent with, and catch-up of events after a watermark (≤ 1 MB pages).
// A snapshot's watermark is taken on its first page and carried in the cursor, so a console
// that catches up from it afterwards misses nothing (events applied twice are no-ops by version).
import type { SnapshotKind } from '../../src-shared/protocol/messages';
import { MAX_PAGE_BYTES } from '../../src-shared/protocol/messages';
import { err, ok, type Result } from '../../src-shared/util/result';
import type { User } from '../auth/seats';
import type { CaseStore } from '../cases/case-store';
import type { Db } from '../store/database';
import type { CatchUpResult, EventLog } from '../store/event-log';

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

/** SQL for one page of a kind within a scope; `@scope`, `@after`, `@limit` bound. */
function pageSql(kind: Exclude<SnapshotKind, 'cases'>, scopeLen: number): { sql: string; key: string } {
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
    private readonly db: Db,
    private readonly log: EventLog,
    private readonly cases: CaseStore,
  ) {}

  snapshot(
    user: User,
    kind: SnapshotKind,
    cursor: string | null,
  ): Result<{ kind: SnapshotKind; watermark: number; items: unknown[]; nextCursor: string | null }> {
    const scope = user.scopeCode;
    let c: Cursor;
    if (cursor === null) c = { w: this.log.lastSeqOf(scope), a: '' };
    else {
      const decoded = decodeCursor(cursor);
      if (!decoded) return err('BAD_REQUEST', 'malformed snapshot cursor');
      c = decoded;
    }
    const limit = PAGE_ROWS[kind];
    let items: unknown[];
    let lastKey: string | null = null;
    if (kind === 'cases') {
      const rows = this.cases.page(scope, c.a === '' ? null : c.a, limit + 1);
      items = rows.slice(0, limit);
      lastKey = rows.length > limit ? rows[limit - 1].id : null;
    } else {
      const { sql } = pageSql(kind, scope.length);
      const rows = this.db.prepare(sql).all({ scope, after: c.a, limit: limit + 1 }) as {
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
      items = page;
      lastKey = i < rows.length ? rows[i - 1].k : null;
    }
    return ok({
      kind,
      watermark: c.w,
      items,
      nextCursor: lastKey === null ? null : encodeCursor({ w: c.w, a: lastKey }),
    });
  }

  catchUp(user: User, after: number, limit?: number): Result<CatchUpResult> {
    if (after > this.log.headSeq()) {
      return err(
        'BAD_REQUEST',
        `watermark ${after} is ahead of the log (${this.log.headSeq()}): the console's cache belongs to another server`,
      );
    }
    return ok(this.log.after(user.scopeCode, after, Math.min(limit ?? 5_000, 5_000)));
  }
}
