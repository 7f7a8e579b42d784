// The JSON answers of the server's HTTP routes (/api/…, /live/… refusals): one envelope
// (`{ok:true,data}` or `{ok:false,error:{code,message}}`), one set of headers — never cached,
// never sniffed as anything but JSON, its length declared.
import type { ServerResponse } from 'node:http';

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  extra: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    ...extra,
  });
  res.end(text);
}

/** A refusal: `{ok:false, error:{code, message}}`. */
export function sendError(res: ServerResponse, status: number, code: string, message: string): void {
  sendJson(res, status, { ok: false, error: { code, message } });
}
