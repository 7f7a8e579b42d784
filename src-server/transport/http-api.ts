// HTTP endpoints beside socket.io: login/logout, health, content-addressed photos, and the
// managed places of a seat's scope (a gzipped binary slice for the console's map). Plain
// node:http (no framework): a handful of routes, each with explicit size and type limits.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { LoginRequest } from '../../src-shared/protocol/messages';
import { parseWith } from '../../src-shared/protocol/validate';
import { ACCOUNT_POLICY, ADDRESS_POLICY, LoginThrottle } from '../auth/login-throttle';
import type { User } from '../auth/seats';
import { authenticate, type SessionStore } from '../auth/session-store';
import type { PhotoShelf } from '../photos/photo-store';
import type { PlaceService } from '../places/place-service';
import { handleInspections } from '../inspections/http-routes';
import type { InspectionService } from '../inspections/inspection-service';
import type { BriefingService } from '../briefing/briefing-service';
import { handleCaseRoutes, type CaseReader } from '../cases/case-routes';
import { DRILL_MAX_LIMIT, DrillRequest, type BriefingDrill } from '../briefing/drill';
import type { DeskFiguresService } from '../briefing/desk-figures';
import { isWithin } from '../../src-shared/domain/codes';
import { sendJson } from './json-http';

const MAX_JSON_BYTES = 64 * 1024;
/** After a 413, how much more of the body is read and discarded before the connection is cut. */
const DRAIN_BYTES = 16 * 1024 * 1024;

export interface HttpApiDeps {
  /** Sessions (SQLite, or PostgreSQL on a cluster node). */
  sessions: SessionStore;
  /** This node's photo files, or PostgreSQL on a cluster node (shared by all nodes). */
  photos: PhotoShelf;
  /** Null when the dataset's places cannot be read (the endpoint answers 503). */
  places: PlaceService | null;
  // ---- weekly briefing ----
  /** Null when the briefing rollups cannot be built (the endpoint answers 503). */
  briefing?: BriefingService | null;
  // ---- inspections ----
  /** Null when the places cannot be read (the endpoints answer 503 INSPECTIONS_UNAVAILABLE). */
  inspections?: InspectionService | null;
  /** Single cases and their full history, read on demand. */
  cases?: CaseReader;
  /** The cases behind a briefing figure, history included. */
  drill?: BriefingDrill | null;
  /** The case desk's figures of a seat's scope over the server's records (history included). */
  deskFigures?: DeskFiguresService | null;
  health(): Record<string, unknown>;
  /** May this user read this photo (a case it may see names it, or it uploaded it and no case does)? */
  photoVisible(user: User, hash: string): Promise<boolean>;
  /** The server's clock (login throttling). */
  now(): number;
  /** What the user's role reads of its scope (auth/visibility reachOf): places and briefing need 'scope' or 'grid'. */
  reach(user: User): 'scope' | 'grid' | 'personal';
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: Record<string, unknown>,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'] ?? '0');
    if (declared > limit) {
      reject(
        new HttpError(413, 'PAYLOAD_TOO_LARGE', `body of ${declared} bytes exceeds the limit of ${limit}`),
      );
      req.resume();
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (c: Buffer): void => {
      size += c.length;
      if (size > limit) {
        // Answer 413, and read on and throw away up to a bound so the client is not reset
        // while it still sends (it would never read the answer); beyond the bound, cut it.
        req.off('data', onData);
        let drained = 0;
        req.on('data', (d: Buffer) => {
          drained += d.length;
          if (drained > DRAIN_BYTES) req.destroy();
        });
        reject(new HttpError(413, 'PAYLOAD_TOO_LARGE', `body exceeds the limit of ${limit} bytes`));
        return;
      }
      chunks.push(c);
    };
    req.on('data', onData);
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  if (!(req.headers['content-type'] ?? '').startsWith('application/json')) {
    throw new HttpError(415, 'BAD_REQUEST', 'expected content-type application/json');
  }
  const body = await readBody(req, MAX_JSON_BYTES);
  try {
    return JSON.parse(body.toString('utf8')) as unknown;
  } catch {
    throw new HttpError(400, 'BAD_REQUEST', 'body is not valid JSON');
  }
}

function bearer(req: IncomingMessage): string | null {
  const h = req.headers.authorization ?? '';
  return h.startsWith('Bearer ') ? h.slice(7).trim() : null;
}

export function createHttpApi(deps: HttpApiDeps) {
  const accounts = new LoginThrottle(ACCOUNT_POLICY);
  const addresses = new LoginThrottle(ADDRESS_POLICY);
  const routes = async (req: IncomingMessage, res: ServerResponse, url: URL): Promise<boolean> => {
    const { pathname } = url;
    // The bearer's seat, read once per request from the session store (never cached).
    const seat = pathname === '/api/login' ? null : await authenticate(deps.sessions, bearer(req));
    const requireUser = (): User => {
      if (!seat) throw new HttpError(401, 'UNAUTHORIZED', 'missing, unknown or expired token');
      return seat;
    };
    if (pathname === '/api/health' && req.method === 'GET') {
      // Liveness for anyone; the log head and counts only for a city-level seat.
      const user = seat;
      const cityLevel =
        user !== null &&
        user.scopeCode.length <= 6 &&
        (user.role === 'admin' || user.role === 'duty_leader' || user.role === 'dispatcher');
      sendJson(res, 200, { ok: true, data: cityLevel ? deps.health() : { live: true } });
      return true;
    }
    if (pathname === '/api/login' && req.method === 'POST') {
      const parsed = parseWith(LoginRequest, await readJson(req), 'login');
      if (!parsed.ok) throw new HttpError(400, parsed.error.code, parsed.error.message);
      // Throttled per account and per address before the password is even checked.
      const now = deps.now();
      const keys = [
        { throttle: accounts, key: parsed.data.userName.toLowerCase() },
        { throttle: addresses, key: req.socket.remoteAddress ?? 'unknown' },
      ];
      for (const { throttle, key } of keys) {
        const verdict = throttle.check(key, now);
        if (!verdict.ok) {
          const seconds = Math.ceil(verdict.retryAfterMs / 1000);
          throw new HttpError(
            429,
            verdict.code,
            verdict.code === 'LOGIN_LOCKED'
              ? `too many wrong passwords: locked, retry after ${seconds} s (密码错误次数过多，已锁定，请 ${seconds} 秒后再试)`
              : `too many wrong passwords: retry after ${seconds} s (密码错误次数过多，请 ${seconds} 秒后再试)`,
            { retryAfterMs: verdict.retryAfterMs, retryAt: verdict.retryAt },
            { 'retry-after': String(seconds) },
          );
        }
      }
      const outcome = await deps.sessions.login(parsed.data.userName, parsed.data.password);
      if (!outcome.ok) {
        if (outcome.code === 'BAD_CREDENTIALS') for (const { throttle, key } of keys) throttle.fail(key, now);
        throw new HttpError(401, 'UNAUTHORIZED', outcome.message);
      }
      accounts.succeed(keys[0].key);
      const { user } = outcome;
      sendJson(res, 200, {
        ok: true,
        data: {
          token: outcome.token,
          expiresAt: outcome.expiresAt,
          seat: {
            id: user.id,
            userName: user.userName,
            displayName: user.displayName,
            role: user.role,
            scopeCode: user.scopeCode,
          },
        },
      });
      return true;
    }
    if (pathname === '/api/logout' && req.method === 'POST') {
      const token = bearer(req);
      if (token) await deps.sessions.logout(token);
      sendJson(res, 200, { ok: true, data: null });
      return true;
    }
    if (pathname === '/api/photos' && req.method === 'POST') {
      const user = requireUser();
      const type = (req.headers['content-type'] ?? '').split(';')[0].trim();
      const body = await readBody(req, deps.photos.maxBytes);
      const stored = await deps.photos.put(body, type, user.id);
      if (!stored.ok)
        throw new HttpError(
          stored.error.code === 'PAYLOAD_TOO_LARGE' ? 413 : 415,
          stored.error.code,
          stored.error.message,
        );
      sendJson(res, 201, { ok: true, data: stored.data });
      return true;
    }
    if (pathname === '/api/places' && req.method === 'GET') {
      const user = requireUser();
      // Seats read their jurisdiction's places, a grid officer its grid's; nobody else any.
      if (deps.reach(user) === 'personal')
        throw new HttpError(403, 'FORBIDDEN', `a ${user.role} reads no managed places`);
      if (!deps.places)
        throw new HttpError(503, 'PLACES_UNAVAILABLE', 'this server has no managed places to serve');
      const etag = deps.places.etagOf(user.scopeCode);
      const headers = {
        etag,
        'cache-control': 'private, no-cache',
        'x-content-type-options': 'nosniff',
      };
      if (req.headers['if-none-match'] === etag) {
        res.writeHead(304, headers).end();
        return true;
      }
      const slice = await deps.places.slice(user.scopeCode);
      // Not Content-Encoding: the console stores the gzip as it came and unpacks it itself.
      res.writeHead(200, {
        ...headers,
        'content-type': 'application/vnd.grid-console.place-slice+gzip',
        'content-length': slice.body.length,
        'x-place-rows': String(slice.rows),
      });
      res.end(slice.body);
      return true;
    }
    // ---- weekly briefing ----
    if (pathname === '/api/briefing/drill' && req.method === 'POST') {
      const user = requireUser();
      if (deps.reach(user) !== 'scope')
        throw new HttpError(403, 'FORBIDDEN', `a ${user.role} reads no weekly briefing`);
      if (!deps.drill)
        throw new HttpError(503, 'BRIEFING_UNAVAILABLE', 'this server cannot read the case history');
      const parsed = parseWith(DrillRequest, await readJson(req), 'briefing drill');
      if (!parsed.ok) throw new HttpError(400, parsed.error.code, parsed.error.message);
      const { filter, limit } = parsed.data;
      for (const code of [filter.scopeCode, filter.areaCode])
        if (code !== undefined && !isWithin(code, user.scopeCode))
          throw new HttpError(403, 'OUT_OF_SCOPE', `${code} is outside this seat's jurisdiction`);
      sendJson(res, 200, { ok: true, data: deps.drill.drill(filter, limit ?? DRILL_MAX_LIMIT) });
      return true;
    }
    if (pathname === '/api/briefing/rollups' && req.method === 'GET') {
      const user = requireUser();
      if (deps.reach(user) !== 'scope')
        throw new HttpError(403, 'FORBIDDEN', `a ${user.role} reads no weekly briefing`);
      if (!deps.briefing)
        throw new HttpError(503, 'BRIEFING_UNAVAILABLE', 'this server has no briefing rollups to serve');
      const built = deps.briefing.slice(user.scopeCode);
      if (!built) throw new HttpError(404, 'NOT_FOUND', `no briefing rollups for scope ${user.scopeCode}`);
      const slice = await built;
      const headers = {
        etag: slice.etag,
        'cache-control': 'private, no-cache',
        'x-content-type-options': 'nosniff',
      };
      if (req.headers['if-none-match'] === slice.etag) {
        res.writeHead(304, headers).end();
        return true;
      }
      // Not Content-Encoding: the console stores the gzip as it came and unpacks it itself.
      res.writeHead(200, {
        ...headers,
        'content-type': 'application/vnd.grid-console.briefing-slice+gzip',
        'content-length': slice.body.length,
        'x-briefing-scope': slice.scopeCode,
      });
      res.end(slice.body);
      return true;
    }
    // ---- case desk ----
    if (pathname === '/api/desk/figures' && req.method === 'GET') {
      const user = requireUser();
      if (deps.reach(user) !== 'scope')
        throw new HttpError(403, 'FORBIDDEN', `a ${user.role} has no desk figures`);
      if (!deps.deskFigures)
        throw new HttpError(503, 'BRIEFING_UNAVAILABLE', 'this server cannot read the case history');
      const figures = deps.deskFigures.figures(user.scopeCode);
      if (!figures) throw new HttpError(404, 'NOT_FOUND', `no figures for scope ${user.scopeCode}`);
      sendJson(res, 200, { ok: true, data: figures });
      return true;
    }
    if (pathname.startsWith('/api/cases/') && deps.cases)
      return handleCaseRoutes(req, res, url, () => requireUser(), deps.cases);
    // ---- inspections ----
    if (pathname.startsWith('/api/inspections/'))
      return handleInspections(req, res, url, () => requireUser(), deps.inspections ?? null);
    const photo = /^\/api\/photos\/([0-9a-f]{64})$/.exec(pathname);
    if (photo && req.method === 'GET') {
      const user = requireUser();
      // A photo outside the user's view is answered exactly like a missing one.
      const found = (await deps.photoVisible(user, photo[1])) ? await deps.photos.get(photo[1]) : null;
      if (!found) throw new HttpError(404, 'NOT_FOUND', `no photo ${photo[1]}`);
      res.writeHead(200, {
        'content-type': found.mime,
        'content-length': found.bytes.length,
        'cache-control': 'private, max-age=31536000, immutable',
        'x-content-type-options': 'nosniff',
      });
      res.end(found.bytes);
      return true;
    }
    return false;
  };

  /** Returns false when the path is not ours (socket.io handles /socket.io/ itself). */
  return async function handle(req: IncomingMessage, res: ServerResponse): Promise<boolean> {
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://server');
    } catch {
      sendJson(res, 400, { ok: false, error: { code: 'BAD_REQUEST', message: 'malformed request target' } });
      return true;
    }
    if (!url.pathname.startsWith('/api/')) return false;
    try {
      if (await routes(req, res, url)) return true;
      sendJson(res, 404, {
        ok: false,
        error: { code: 'NOT_FOUND', message: `no route ${req.method} ${url.pathname}` },
      });
    } catch (e) {
      if (e instanceof HttpError)
        sendJson(
          res,
          e.status,
          {
            ok: false,
            error: { code: e.code, message: e.message, ...(e.details ? { details: e.details } : {}) },
          },
          e.headers,
        );
      else
        sendJson(res, 500, {
          ok: false,
          error: { code: 'INTERNAL', message: e instanceof Error ? e.message : String(e) },
        });
    }
    return true;
  };
}
