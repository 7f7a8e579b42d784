// HTTP for the alert feed: GET /api/alerts (the seat's scope, last 24 h) and POST
// /api/alerts/ack {id}. Bearer token; the acknowledging seat is the token's, never the body's.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { User } from '../auth/seats';
import { sendJson } from '../transport/json-http';
import type { AlertFeed } from './alert-service';

const MAX_BODY = 4_096;

async function readBody(req: IncomingMessage): Promise<string | null> {
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY) return null;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

export function createAlertRoutes(deps: {
  alerts: AlertFeed;
  authenticate: (req: IncomingMessage) => Promise<User | null>;
}): (req: IncomingMessage, res: ServerResponse, pathname: string) => Promise<void> {
  return async (req, res, pathname) => {
    const user = await deps.authenticate(req);
    if (!user)
      return sendJson(res, 401, {
        ok: false,
        error: { code: 'UNAUTHORIZED', message: 'a bearer token is required' },
      });
    if (pathname === '/api/alerts' && req.method === 'GET') {
      return sendJson(res, 200, {
        ok: true,
        data: {
          alerts: await deps.alerts.list(user.scopeCode),
          escalateAfterMs: deps.alerts.escalateAfterMs,
        },
      });
    }
    if (pathname === '/api/alerts/ack' && req.method === 'POST') {
      const text = await readBody(req);
      let id: unknown = null;
      try {
        id = text === null ? null : (JSON.parse(text) as { id?: unknown }).id;
      } catch {
        id = null;
      }
      if (typeof id !== 'string' || id.length === 0 || id.length > 200)
        return sendJson(res, 400, {
          ok: false,
          error: { code: 'BAD_REQUEST', message: 'expected {"id": "<alert id>"}' },
        });
      const outcome = await deps.alerts.ack(id, user);
      if (!outcome.ok)
        return sendJson(res, outcome.code === 'NOT_FOUND' ? 404 : 403, {
          ok: false,
          error: { code: outcome.code, message: `alert ${id}: ${outcome.code}` },
        });
      return sendJson(res, 200, { ok: true, data: { alert: outcome.alert, first: outcome.first } });
    }
    sendJson(res, 404, {
      ok: false,
      error: { code: 'NOT_FOUND', message: `no route ${req.method} ${pathname}` },
    });
  };
}
