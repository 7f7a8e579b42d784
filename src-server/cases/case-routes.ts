// HTTP routes that read single cases on demand, bearer-authenticated like the rest of
// /api/. A console's cache holds the events it caught up from its snapshot's watermark onwards,
// so a case reported before the seat logged in lacks its first entries; the desk asks here for
// the full history when its cache does not start at version 1.
//
//   GET  /api/cases/<id>/history      → { case, events }  (events oldest first)
//
// Visibility: the same rule as every other path that hands a case out (auth/visibility.ts: a seat
// its jurisdiction, a field role what concerns it). A case the user may not see answers 404 like
// a case that does not exist, so the endpoint does not tell anyone which ids exist elsewhere.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Case, CaseEvent } from '../../src-shared/protocol/entities';
import { Id } from '../../src-shared/protocol/entities';
import type { User } from '../auth/seats';
import { sendJson } from '../transport/json-http';

export interface CaseReader {
  get(id: string): Case | null;
  history(id: string): CaseEvent[];
  /** Whether the user may see the case (auth/visibility.ts canSeeCase for the user's actor). */
  canSee(user: User, c: Case): boolean;
  /** The case and its events as this user receives them (auth/visibility.ts caseFor/eventFor). */
  present(user: User, c: Case, events: CaseEvent[]): CaseHistoryAnswer;
}

export interface CaseHistoryAnswer {
  case: Case;
  events: CaseEvent[];
}

const HISTORY = /^\/api\/cases\/([^/]+)\/history$/;

/** The case if it exists and the user may see it, else null (both answer 404). */
export function caseInScope(reader: CaseReader, user: User, id: string): Case | null {
  const c = reader.get(id);
  if (!c || !reader.canSee(user, c)) return null;
  return c;
}

/** Returns false when the path is not one of these routes. `user` throws 401 when unauthenticated. */
export function handleCaseRoutes(
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  user: () => User,
  reader: CaseReader,
): boolean {
  const m = HISTORY.exec(url.pathname);
  if (!m) return false;
  if (req.method !== 'GET') {
    sendJson(res, 405, { ok: false, error: { code: 'METHOD_NOT_ALLOWED', message: 'GET only' } });
    return true;
  }
  const seat = user();
  const id = decodeURIComponent(m[1]);
  if (!Id.safeParse(id).success) {
    sendJson(res, 400, { ok: false, error: { code: 'BAD_REQUEST', message: 'not a case id' } });
    return true;
  }
  const c = caseInScope(reader, seat, id);
  if (!c) {
    sendJson(res, 404, {
      ok: false,
      error: { code: 'NOT_FOUND', message: `no case ${id} in this seat's scope` },
    });
    return true;
  }
  const answer = reader.present(seat, c, reader.history(id));
  sendJson(res, 200, { ok: true, data: answer });
  return true;
}
