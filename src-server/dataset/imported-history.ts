// The log entries of the cases imported as the live workload (issue 18). The import puts the
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
 * Writes the entries of every imported case that has none yet (first start, after the import),
 * and gives the cases waiting for a check their after-photo. Returns the number of entries.
 */
export function writeImportedHistory(deps: ImportedHistoryDeps): number {
  const { db } = deps;
  const rows = db
    .prepare(
      `SELECT json FROM cases c WHERE NOT EXISTS (SELECT 1 FROM events e WHERE e.case_id = c.id) ORDER BY id`,
    )
    .all() as { json: string }[];
  if (rows.length === 0) return 0;
  const insert = db.prepare(
    `INSERT INTO events (seq, case_id, type, town_code, village_code, grid_code, server_time, json)
     VALUES (@seq, @caseId, @type, @town, @village, @grid, @serverTime, @json)`,
  );
  const putCase = db.prepare('UPDATE cases SET json = ?, last_seq = ? WHERE id = ?');
  let seq = (db.prepare('SELECT coalesce(max(seq), 0) AS seq FROM events').get() as { seq: number }).seq;
  let written = 0;
  // Entries in time order across cases, as the log would have them.
  const all: { c: Case; entry: Entry; version: number }[] = [];
  const photos = new Map<string, string | null>();
  const byId = new Map<string, Case>();
  for (const r of rows) {
    const c = JSON.parse(r.json) as Case;
    const waitsForCheck = c.state === 'feedback';
    let photo: string | null = null;
    if (waitsForCheck) {
      if (!photos.has(c.categoryCode))
        photos.set(c.categoryCode, deps.afterPhoto(c.categoryCode, c.handlerId ?? c.reporterId));
      photo = photos.get(c.categoryCode) ?? null;
      if (photo && !c.afterPhotos.includes(photo)) c.afterPhotos = [...c.afterPhotos, photo];
    }
    byId.set(c.id, c);
    const entries = importedEntries(c, deps, photo);
    // Versions 1, 2, … with the last entry at the case's version (the import counts a returned
    // case's unrecorded signing in its version; no entry is invented for it).
    entries.forEach((entry, i) =>
      all.push({ c, entry, version: i === entries.length - 1 ? Math.max(c.version, i + 1) : i + 1 }),
    );
  }
  all.sort((a, b) => a.entry.serverTime - b.entry.serverTime || a.version - b.version);
  const lastSeq = new Map<string, number>();
  db.transaction(() => {
    for (const { c, entry, version } of all) {
      seq++;
      const scope = { gridCode: c.gridCode, villageCode: c.villageCode, townCode: c.townCode };
      const event: CaseEvent = {
        ...entry,
        seq,
        caseId: c.id,
        clientTime: null,
        commandId: null,
        scope,
        version,
        payload: version === c.version ? { ...entry.payload, case: c } : entry.payload,
      };
      insert.run({
        seq,
        caseId: c.id,
        type: event.type,
        town: c.townCode,
        village: c.villageCode,
        grid: c.gridCode,
        serverTime: event.serverTime,
        json: JSON.stringify(event),
      });
      lastSeq.set(c.id, seq);
      written++;
    }
    for (const c of byId.values()) putCase.run(JSON.stringify(c), lastSeq.get(c.id) ?? 0, c.id);
  })();
  return written;
}
