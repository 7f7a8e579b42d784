// Every HTTP request the console makes to the dispatch server goes through one ServerHttp
//: login, logout, photos, history, briefing, places, inspections, video, alerts
// and the settings' reachability probe. For an https server it trusts exactly the CA file of
// the workstation settings (`caFile`) — or the system's roots when none is given — and the
// socket.io link gets the same `ca`. A certificate that does not chain to it is refused with
// SERVER_CERT_UNTRUSTED, which the login form shows as 服务器证书不受信任.
import { readFileSync } from 'node:fs';
import * as http from 'node:http';
import * as https from 'node:https';
import { Readable } from 'node:stream';
import { err, ok, type Result } from '../../src-shared/util/result';

export interface ServerRequest {
  method?: string;
  headers?: Record<string, string>;
  body?: string | Uint8Array;
  signal?: AbortSignal;
}

/** fetch's shape, narrowed to what the console sends. */
export type ServerFetch = (url: string, init?: ServerRequest) => Promise<Response>;

/** What a seat's client of one server API needs (places, briefing, inspections, desk figures). */
export interface SeatHttpOptions {
  /** The seat's directory (beside cache.sqlite), where the client keeps its last copy. */
  dir: string;
  serverUrl: string;
  /** The console's one way to the server (trusts the settings' CA file). */
  fetch: ServerFetch;
  /** The seat's bearer token. */
  token: string;
  now: () => number;
  timeoutMs?: number;
  log?: (line: string) => void;
}

export interface ServerHttp {
  fetch: ServerFetch;
  /** TLS options for socket.io-client (its websocket transport passes `ca` on to `ws`). */
  socketTls: { ca?: string };
  close(): void;
}

/**
 * The server's JSON envelope (`{ok:true,data}` / `{ok:false,error:{code,message}}`) as a
 * Result: the server's refusal keeps its code; an answer that is not such JSON is BAD_ANSWER.
 */
export async function readAnswer<T>(res: Response): Promise<Result<T>> {
  let body: { ok?: unknown; data?: T; error?: { code?: string; message?: string } };
  try {
    body = (await res.json()) as typeof body;
  } catch {
    return err('BAD_ANSWER', `the server answered ${res.status} without JSON`);
  }
  if (body?.ok !== true || body.data === undefined)
    return err(
      body?.error?.code ?? 'BAD_ANSWER',
      body?.error?.message ?? `the server answered ${res.status}`,
    );
  return ok(body.data);
}

/** OpenSSL/Node verification failures: the peer is not who the CA file vouches for. */
const UNTRUSTED = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
  'CERT_SIGNATURE_FAILURE',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

export class CaFileError extends Error {
  readonly code = 'CA_FILE_UNREADABLE';
}

/** The TLS verification code somewhere in an error (fetch's cause, socket.io's description…). */
function untrustedCode(e: unknown, depth = 0): string | null {
  if (!e || typeof e !== 'object' || depth > 4) return null;
  const o = e as { code?: unknown; cause?: unknown; description?: unknown; error?: unknown };
  if (typeof o.code === 'string' && UNTRUSTED.has(o.code)) return o.code;
  for (const next of [o.cause, o.description, o.error]) {
    const found = untrustedCode(next, depth + 1);
    if (found) return found;
  }
  return null;
}

/**
 * The clear refusal for a request or connection that failed on the server's certificate (or on
 * an unreadable CA file); null for other failures (server down, timeout), which the callers
 * treat as "offline".
 */
export function trustRefusal(e: unknown): Result<never> | null {
  if (e instanceof CaFileError) return err('CA_FILE_UNREADABLE', e.message);
  const code = untrustedCode(e);
  if (!code) return null;
  return err(
    'SERVER_CERT_UNTRUSTED',
    `服务器证书不受信任（${code}）：请检查工作站设置中的 CA 文件。` +
      `The dispatch server's certificate is not trusted (${code}): check the CA file in the workstation settings.`,
  );
}

const NULL_BODY = new Set([101, 103, 204, 205, 304]);

export function createServerHttp(options: { caFile?: string | null } = {}): ServerHttp {
  let ca: string | undefined;
  let caProblem: CaFileError | null = null;
  if (options.caFile) {
    try {
      ca = readFileSync(options.caFile, 'utf8');
      if (!ca.includes('-----BEGIN CERTIFICATE-----')) throw new Error('no PEM certificate in it');
    } catch (e) {
      caProblem = new CaFileError(
        `CA 文件无法读取 / the CA file ${options.caFile} cannot be used (${e instanceof Error ? e.message : String(e)})`,
      );
    }
  }
  const agents = {
    'http:': new http.Agent({ keepAlive: true }),
    'https:': new https.Agent({ keepAlive: true, ...(ca ? { ca } : {}) }),
  };

  const fetchFn: ServerFetch = (url, init = {}) => {
    if (caProblem) return Promise.reject(caProblem);
    const target = new URL(url);
    if (target.protocol !== 'http:' && target.protocol !== 'https:')
      return Promise.reject(new Error(`not an http(s) URL: ${target.protocol}`));
    const method = (init.method ?? 'GET').toUpperCase();
    const send = target.protocol === 'https:' ? https.request : http.request;
    return new Promise<Response>((resolve, reject) => {
      const req = send(
        target,
        {
          method,
          headers: init.headers ?? {},
          agent: agents[target.protocol as 'http:' | 'https:'],
          ...(init.signal ? { signal: init.signal } : {}),
        },
        (res) => {
          const headers = new Headers();
          for (const [name, value] of Object.entries(res.headers)) {
            if (value === undefined) continue;
            for (const v of Array.isArray(value) ? value : [value]) headers.append(name, v);
          }
          const status = res.statusCode ?? 502;
          const empty = NULL_BODY.has(status) || method === 'HEAD';
          if (empty) res.resume();
          resolve(
            new Response(empty ? null : (Readable.toWeb(res) as ReadableStream<Uint8Array>), {
              status,
              statusText: res.statusMessage ?? '',
              headers,
            }),
          );
        },
      );
      req.once('error', reject);
      req.end(init.body ?? undefined);
    });
  };

  return {
    fetch: fetchFn,
    socketTls: ca ? { ca } : {},
    close() {
      agents['http:'].destroy();
      agents['https:'].destroy();
    },
  };
}
