// HTTP routes of the inspections API, under /api/inspections/, bearer-authenticated
// like /api/places. Inputs are checked with zod (unknown query parameters are refused); every
// answer is `{ ok: true, data }` or `{ ok: false, error: { code, message } }` with a stable code:
//
//   GET  /api/inspections/coverage?month=YYYY-MM&by=grid|officer&scope=<code>
//   GET  /api/inspections/orders?month=&grid=<code>|officer=<id>&status=&limit=&offset=
//   GET  /api/inspections/regrades?status=pending|approved|rejected&limit=
//   POST /api/inspections/regrades/<id>/decision   { "approve": true|false, "note"?: "…" }
//   POST /api/inspections/orders/<id>/complete      { "hazard": true|false }  (the order's officer)
//   GET  /api/inspections/place-flags?month=   (overdue / missed place ids, for the map)
//   GET  /api/inspections/settings
//   PUT  /api/inspections/settings                  (admin; the whole settings object, from next month)
import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import {
  CoverageQuery,
  MonthText,
  OrderId,
  OrdersQuery,
  RegradeDecision,
  RegradesQuery,
} from '../../src-shared/inspections/model';
import type { Result } from '../../src-shared/util/result';
import type { User } from '../auth/seats';
import type { InspectionService } from './inspection-service';
import { sendJson } from '../transport/json-http';

const MAX_BODY = 16 * 1024;

const STATUS: Record<string, number> = {
  BAD_REQUEST: 400,
  FORBIDDEN_ROLE: 403,
  OUT_OF_SCOPE: 403,
  NOT_FOUND: 404,
  MONTH_NOT_GENERATED: 404,
  MONTH_GENERATING: 503,
  ALREADY_DECIDED: 409,
  ALREADY_DONE: 409,
  ORDER_CLOSED: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  INSPECTIONS_UNAVAILABLE: 503,
};

function answer<T>(res: ServerResponse, r: Result<T>): void {
  if (r.ok) sendJson(res, 200, { ok: true, data: r.data });
  else sendJson(res, STATUS[r.error.code] ?? 400, { ok: false, error: r.error });
}

function fail(res: ServerResponse, code: string, message: string): void {
  sendJson(res, STATUS[code] ?? 400, { ok: false, error: { code, message } });
}

function parse<S extends z.ZodType>(schema: S, input: unknown): Result<z.infer<S>> {
  const r = schema.safeParse(input);
  if (r.success) return { ok: true, data: r.data };
  const message = r.error.issues
    .map((i) => (i.path.length > 0 ? `${i.path.join('.')}: ${i.message}` : i.message))
    .join('; ');
  return { ok: false, error: { code: 'BAD_REQUEST', message } };
}

function query(url: URL): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of url.searchParams) out[k] = v;
  return out;
}

async function readJson(req: IncomingMessage): Promise<Result<unknown>> {
  if (!(req.headers['content-type'] ?? '').startsWith('application/json'))
    return {
      ok: false,
      error: { code: 'UNSUPPORTED_MEDIA_TYPE', message: 'expected content-type application/json' },
    };
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of req as AsyncIterable<Buffer>) {
    size += c.length;
    if (size > MAX_BODY) {
      return { ok: false, error: { code: 'PAYLOAD_TOO_LARGE', message: `body exceeds ${MAX_BODY} bytes` } };
    }
    chunks.push(c);
  }
  try {
    return { ok: true, data: JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown };
  } catch {
    return { ok: false, error: { code: 'BAD_REQUEST', message: 'body is not valid JSON' } };
  }
}

/**
 * Answer a request under /api/inspections/ (false when the path is not one of ours).
 * `requireUser` throws the HTTP API's 401 when the bearer token is missing or unknown.
 */
export async function handleInspections(
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  requireUser: () => User,
  service: InspectionService | null,
): Promise<boolean> {
  const path = url.pathname;
  if (!path.startsWith('/api/inspections/')) return false;
  const user = requireUser();
  if (!service) {
    fail(res, 'INSPECTIONS_UNAVAILABLE', 'this server has no managed places to inspect');
    return true;
  }
  const method = req.method ?? 'GET';
  if (path === '/api/inspections/coverage' && method === 'GET') {
    const q = parse(CoverageQuery, query(url));
    answer(res, q.ok ? await service.coverage(user, q.data) : q);
    return true;
  }
  if (path === '/api/inspections/orders' && method === 'GET') {
    const q = parse(OrdersQuery, query(url));
    answer(res, q.ok ? await service.orders(user, q.data) : q);
    return true;
  }
  if (path === '/api/inspections/regrades' && method === 'GET') {
    const q = parse(RegradesQuery, query(url));
    answer(res, q.ok ? service.regrades(user, q.data) : q);
    return true;
  }
  if (path === '/api/inspections/place-flags' && method === 'GET') {
    const q = parse(z.strictObject({ month: MonthText.optional() }), query(url));
    answer(res, q.ok ? await service.placeFlags(user, q.data.month) : q);
    return true;
  }
  if (path === '/api/inspections/settings' && method === 'GET') {
    answer(res, { ok: true, data: service.settings });
    return true;
  }
  if (path === '/api/inspections/settings' && method === 'PUT') {
    if (user.role !== 'admin') {
      fail(res, 'FORBIDDEN_ROLE', 'only an admin seat changes the inspection plans');
      return true;
    }
    const body = await readJson(req);
    answer(res, body.ok ? service.updateSettings(body.data) : body);
    return true;
  }
  const decision = /^\/api\/inspections\/regrades\/([^/]+)\/decision$/.exec(path);
  if (decision && method === 'POST') {
    const id = parse(
      z.coerce
        .number()
        .int()
        .positive()
        .max(2 ** 31),
      decision[1],
    );
    if (!id.ok) {
      answer(res, id);
      return true;
    }
    const body = await readJson(req);
    if (!body.ok) {
      answer(res, body);
      return true;
    }
    const d = parse(RegradeDecision, body.data);
    answer(res, d.ok ? service.decide(user, id.data, d.data) : d);
    return true;
  }
  const complete = /^\/api\/inspections\/orders\/([^/]+)\/complete$/.exec(path);
  if (complete && method === 'POST') {
    const id = parse(OrderId, decodeURIComponent(complete[1]));
    if (!id.ok) {
      answer(res, id);
      return true;
    }
    const body = await readJson(req);
    if (!body.ok) {
      answer(res, body);
      return true;
    }
    const d = parse(z.strictObject({ hazard: z.boolean() }), body.data);
    if (!d.ok) {
      answer(res, d);
      return true;
    }
    if (!user.officerId || user.role !== 'officer') {
      fail(res, 'FORBIDDEN_ROLE', "only the order's grid officer completes a visit");
      return true;
    }
    answer(res, service.complete(id.data, { officerId: user.officerId, hazard: d.data.hazard }));
    return true;
  }
  fail(res, 'NOT_FOUND', `no route ${method} ${path}`);
  return true;
}
