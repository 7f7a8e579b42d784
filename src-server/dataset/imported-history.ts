// The log entries of the cases imported as the live workload. The import puts the
// cases still open at the end of the history straight into `cases`, in the state a real desk
// would hold them; without entries their 全痕迹记录 was empty, and a case waiting for the
// check had no result to check. This writes, once at first start, the entries each imported
// case went through to reach its state (report → verify → dispatch → sign → feedback…), with
// the times the case carries, the people it names, a result text and an after-photo for the
// ones waiting for a check (the photo of the category's scene, shared by its cases).
import type { Case, CaseEvent } from '../../src-shared/protocol/entities';
import type { Role } from '../../src-shared/domain/case-model';
import type { Db } from '../store/database';

export interface ImportedHistoryDeps {
  db: Db;
  /** Closing standard of a category (the result text quotes it). */
  closingStandard(categoryCode: string): string | null;
  /** Stores the after-photo of a category's scene and answers its content address (null: none). */
  afterPhoto(categoryCode: string, userId: string): string | null;
}

type Entry = Omit<CaseEvent, 'seq' | 'version' | 'scope' | 'caseId' | 'clientTime' | 'commandId'>;

const MINUTE = 60_000;

function roleOf(id: string): Role {
  if (id === 'U-citizen') return 'citizen';
  if (id === 'U-system') return 'system';
  if (id.startsWith('U-') && id.endsWith('-dispatcher')) return 'dispatcher';
  return 'officer';
}

/** The entries of one imported case, oldest first; `c` gets its after-photo when it needs one. */
export function importedEntries(
  c: Case,
  deps: Pick<ImportedHistoryDeps, 'closingStandard'>,
  afterPhoto: string | null,
): Entry[] {
  const out: Entry[] = [];
  const at = (ms: number | null, fallback: number): number => ms ?? fallback;
  const dispatcher = c.assignedBy ?? `U-${c.townCode}-dispatcher`;
  out.push({
    type: 'case.reported',
    actorId: c.reporterId,
    actorRole: roleOf(c.reporterId),
    seatId: null,
    serverTime: c.reportedAt,
    payload: {
      categoryCode: c.categoryCode,
      source: c.source,
      description: c.description,
      address: c.address,
      lon: c.lon,
      lat: c.lat,
      photos: [],
    },
  });
  const result = `已按标准处置完毕：${deps.closingStandard(c.categoryCode) ?? '现场已整改'}`;
  if (c.selfHandled) {
    out.push({
      type: 'case.self_handled',
      actorId: c.reporterId,
      actorRole: roleOf(c.reporterId),
      seatId: null,
      serverTime: at(c.feedbackAt, c.reportedAt),
      payload: { result, afterPhotos: afterPhoto ? [afterPhoto] : [] },
    });
    return out;
  }
  if (c.registeredAt === null) return out;
  out.push({
    type: 'case.verified',
    actorId: dispatcher,
    actorRole: 'dispatcher',
    seatId: null,
    serverTime: c.registeredAt,
    payload: {},
  });
  if (c.dispatchedAt === null) return out;
  const assignee =
    c.assignee ?? (c.state === 'returned' ? null : { kind: 'officer' as const, id: c.handlerId ?? '' });
  out.push({
    type: 'case.dispatched',
    actorId: dispatcher,
    actorRole: 'dispatcher',
    seatId: null,
    serverTime: c.dispatchedAt,
    payload: { assignee: assignee ?? { kind: 'department', id: 'grid' } },
  });
  if (c.state === 'dispatched') return out;
  if (c.state === 'returned') {
    out.push({
      type: 'case.returned',
      actorId: dispatcher,
      actorRole: 'dispatcher',
      seatId: null,
      serverTime: c.dispatchedAt + 30 * MINUTE,
      payload: { reason: '不属于本单位职责范围，退回重新派遣' },
    });
    return out;
  }
  const handler = c.handlerId ?? '';
  const handlerRole: Role = c.assignee?.kind === 'department' ? 'handler' : 'officer';
  const signedAt = c.dispatchedAt + 10 * MINUTE;
  out.push({
    type: 'case.signed_for',
    actorId: handler,
    actorRole: handlerRole,
    seatId: null,
    serverTime: signedAt,
    payload: {},
  });
  if (c.state === 'handling') return out;
  if (c.state === 'suspended') {
    const s = c.suspensions[0];
    out.push({
      type: 'case.suspended',
      actorId: handler,
      actorRole: handlerRole,
      seatId: null,
      serverTime: s ? s.fromMs : signedAt,
      payload: { reason: s?.reason ?? '等待相关部门协调' },
    });
    return out;
  }
  if (c.state === 'feedback') {
    out.push({
      type: 'case.feedback_given',
      actorId: handler,
      actorRole: handlerRole,
      seatId: null,
      serverTime: at(c.feedbackAt, signedAt),
      payload: { result, afterPhotos: afterPhoto ? [afterPhoto] : [] },
    });
  }
  return out;
}

/**
 * At start: the imported cases waiting for a check get their after-photo (the category's scene,
 * one stored photo per category), so the checker has something to check from the first
 * snapshot on. Cheap: only those cases' JSON is rewritten. Returns how many were given one.
 */
export function attachImportedAfterPhotos(deps: ImportedHistoryDeps): number {
  const { db } = deps;
  const rows = db
    .prepare(
      `SELECT json FROM cases c WHERE state = 'feedback'
         AND json_array_length(json_extract(json, '$.afterPhotos')) = 0
         AND NOT EXISTS (SELECT 1 FROM events e WHERE e.case_id = c.id)`,
    )
    .all() as { json: string }[];
  if (rows.length === 0) return 0;
  const photos = new Map<string, string | null>();
  const put = db.prepare('UPDATE cases SET json = ? WHERE id = ?');
  let n = 0;
  db.transaction(() => {
    for (const r of rows) {
      const c = JSON.parse(r.json) as Case;
      if (!photos.has(c.categoryCode))
        photos.set(c.categoryCode, deps.afterPhoto(c.categoryCode, c.handlerId ?? c.reporterId));
      const photo = photos.get(c.categoryCode);
      if (!photo) continue;
      put.run(JSON.stringify({ ...c, afterPhotos: [photo] }), c.id);
      n++;
    }
  })();
  return n;
}

/**
 * The log entries of an imported case that has none, written on first need (its history is
 * asked for): report → … → its state, with versions 1, 2, … and the last at the case's version.
 * Written once, with fresh sequence numbers, in one transaction; `append` is the event log's.
 * Returns the entries written (none when the case has entries already or does not exist).
 * (Writing all of them at the first start took tens of seconds for the demo's ~80,000 open
 * cases; a desk opens a few dozen.)
 */
export function writeImportedEntries(
  db: Db,
  caseId: string,
  deps: Pick<ImportedHistoryDeps, 'closingStandard'>,
  log: { nextSeq(): number; append(e: Omit<CaseEvent, 'seq'>, seq: number): CaseEvent },
): CaseEvent[] {
  return db.transaction(() => {
    const has = db.prepare('SELECT 1 FROM events WHERE case_id = ? LIMIT 1').get(caseId);
    if (has) return [];
    const row = db.prepare('SELECT json FROM cases WHERE id = ?').get(caseId) as { json: string } | undefined;
    if (!row) return [];
    const c = JSON.parse(row.json) as Case;
    const entries = importedEntries(c, deps, c.afterPhotos[0] ?? null);
    let seq = log.nextSeq();
    const written = entries.map((entry, i) => {
      const last = i === entries.length - 1;
      return log.append(
        {
          ...entry,
          caseId: c.id,
          clientTime: null,
          commandId: null,
          scope: { gridCode: c.gridCode, villageCode: c.villageCode, townCode: c.townCode },
          version: last ? Math.max(c.version, i + 1) : i + 1,
          payload: last ? { ...entry.payload, case: c } : entry.payload,
        },
        seq++,
      );
    });
    db.prepare('UPDATE cases SET last_seq = ? WHERE id = ?').run(seq - 1, c.id);
    return written;
  })();
}
