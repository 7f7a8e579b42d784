// The web host: the built renderer and the IPC contract served on 127.0.0.1 behind a random
// token, for browser mode and e2e tests (ARCHITECTURE.md "Why a web host"). The renderer talks
// to it over one WebSocket with the same calls and events as the Electron preload
// (bridge-socket.ts). This module needs Node's own modules only: it listens and serves the page
// while the WebSocket side (the contract's schemas, the call router, `ws`) loads (cold start).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, resolve, sep } from 'node:path';
import type { AddressInfo } from 'node:net';
import type { ConsoleHandlers, EventName, EventPayload } from '../../src-shared/ipc/contract';
import { CONTENT_SECURITY_POLICY } from '../app/security';
import type { Result } from '../../src-shared/util/result';
import { MEDIA_PATH, type MediaAnswer } from '../data/video-media';
import type { BridgeSocket } from './bridge-socket';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.wasm': 'application/wasm',
  '.pbf': 'application/x-protobuf',
  '.map': 'application/json; charset=utf-8',
};

const COOKIE = 'gc_session';

export interface WebHostOptions {
  /** Directory of the built renderer (out/renderer). */
  rendererDir: string;
  /** The console's service; a promise while it loads (calls wait for it, the page does not). */
  handlers: ConsoleHandlers | Promise<ConsoleHandlers>;
  /** 0 = a random free port. */
  port?: number;
  /** Fixed token for tests; random by default. */
  token?: string;
  /** Diagnostics: calls slower than SLOW_CALL_MS end to end. */
  log?: (line: string) => void;
  /**
   * Camera media for the video wall: same-origin GET /media/live/<camera>/<file> answered by the
   * data worker with the seat's token (the renderer never sees it). Absent: 404.
   */
  media?: (cameraId: string, file: string, range: string | null) => Promise<Result<MediaAnswer>>;
}

export class WebHost {
  readonly token: string;
  private server: Server | null = null;
  /** The WebSocket side: asked for when the host listens, there once loaded. */
  private bridge: Promise<BridgeSocket> | null = null;
  private bridgeReady: BridgeSocket | null = null;
  private readonly rendererDir: string;
  private port = 0;

  constructor(private readonly options: WebHostOptions) {
    this.token = options.token ?? randomBytes(24).toString('hex');
    this.rendererDir = resolve(options.rendererDir);
  }

  /** The URL to open: it carries the token once, then a cookie holds the session. */
  get url(): string {
    return `http://127.0.0.1:${this.port}/?token=${this.token}`;
  }

  get origin(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async start(): Promise<string> {
    const server = createServer((req, res) => {
      this.handleHttp(req, res).catch((e: unknown) => {
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
        res.end(`internal error: ${e instanceof Error ? e.message : String(e)}`);
      });
    });
    server.on('upgrade', (req, socket, head) => {
      if (
        new URL(req.url ?? '/', 'http://x').pathname !== '/bridge' ||
        !this.authorised(req) ||
        !this.sameOrigin(req) ||
        this.crossSite(req) !== null
      ) {
        socket.write('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\n\r\n');
        socket.destroy();
        return;
      }
      socket.on('error', () => socket.destroy());
      void this.loadBridge().then(
        (bridge) => (this.server ? bridge.upgrade(req, socket, head) : socket.destroy()),
        () => socket.destroy(),
      );
    });
    await new Promise<void>((ok, fail) => {
      server.once('error', fail);
      server.listen(this.options.port ?? 0, '127.0.0.1', () => ok());
    });
    this.server = server;
    this.port = (server.address() as AddressInfo).port;
    // Loaded while the page loads its files (which need none of it).
    this.loadBridge().catch((e: unknown) =>
      this.options.log?.(`the bridge did not load: ${e instanceof Error ? e.message : String(e)}`),
    );
    return this.url;
  }

  private loadBridge(): Promise<BridgeSocket> {
    this.bridge ??= import('./bridge-socket').then(({ BridgeSocket }) => {
      const bridge = new BridgeSocket(this.options.handlers, this.options.log);
      this.bridgeReady = bridge;
      return bridge;
    });
    return this.bridge;
  }

  /** Push an event to every connected window (none before the bridge has loaded). */
  emit<K extends EventName>(name: K, payload: EventPayload<K>): void {
    this.bridgeReady?.emit(name, payload);
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = null;
    this.bridgeReady?.stop();
    await new Promise<void>((ok) => (server ? server.close(() => ok()) : ok()));
  }

  private async handleHttp(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (!this.hostAllowed(req)) {
      // DNS-rebinding guard: only our own loopback names.
      res.writeHead(421, { 'content-type': 'text/plain; charset=utf-8' }).end('misdirected request');
      return;
    }
    const refused = this.crossSite(req);
    if (refused) {
      // Every route, /media and the token URL included: a page of another origin (another
      // loopback port is "same-site") must not make this host answer it, even without a cookie.
      res.writeHead(403, { 'content-type': 'text/plain; charset=utf-8', vary: 'Origin, Sec-Fetch-Site' });
      res.end(`cross-origin request refused (${refused})`);
      return;
    }
    const given = url.searchParams.get('token');
    if (given !== null) {
      if (!this.tokenMatches(given)) {
        res.writeHead(401, { 'content-type': 'text/plain; charset=utf-8' }).end('invalid token');
        return;
      }
      url.searchParams.delete('token');
      res.writeHead(303, {
        'set-cookie': `${COOKIE}=${this.token}; HttpOnly; SameSite=Strict; Path=/`,
        location: url.pathname + url.search,
      });
      res.end();
      return;
    }
    if (!this.authorised(req)) {
      res
        .writeHead(401, { 'content-type': 'text/plain; charset=utf-8' })
        .end('网格指挥台: open the URL printed by `npm start` (it carries the access token).');
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    if (url.pathname.startsWith('/media/')) return this.serveMedia(url.pathname, req, res);
    await this.serveFile(url.pathname, res);
  }

  /** A camera stream file through the data worker (video wall). */
  private async serveMedia(pathname: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
    const m = MEDIA_PATH.exec(pathname);
    if (!m || !this.options.media) {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('not found');
      return;
    }
    const range = typeof req.headers.range === 'string' ? req.headers.range : null;
    const answer = await this.options.media(m[1], m[2], range);
    if (!answer.ok) {
      const status =
        answer.error.code === 'BAD_REQUEST' ? 400 : answer.error.code === 'NO_SESSION' ? 401 : 502;
      res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' }).end(answer.error.message);
      return;
    }
    const { status, contentType, contentRange, bytes } = answer.data;
    res.writeHead(status, {
      'content-type': status < 300 ? contentType : 'text/plain; charset=utf-8',
      'content-length': bytes.length,
      'accept-ranges': 'bytes',
      ...(contentRange ? { 'content-range': contentRange } : {}),
      'x-content-type-options': 'nosniff',
      'cache-control': 'no-store',
    });
    res.end(req.method === 'HEAD' ? undefined : bytes);
  }

  private async serveFile(pathname: string, res: ServerResponse): Promise<void> {
    let rel: string;
    try {
      rel = decodeURIComponent(pathname);
    } catch {
      res.writeHead(400).end('bad path');
      return;
    }
    if (rel.endsWith('/')) rel += 'index.html';
    const file = normalize(join(this.rendererDir, rel));
    if (file !== this.rendererDir && !file.startsWith(this.rendererDir + sep)) {
      res.writeHead(403).end('forbidden');
      return;
    }
    const info = await stat(file).catch(() => null);
    if (!info?.isFile()) {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('not found');
      return;
    }
    const body = await readFile(file);
    const type = CONTENT_TYPES[extname(file)] ?? 'application/octet-stream';
    res.writeHead(200, {
      'content-type': type,
      'content-length': body.length,
      'content-security-policy': CONTENT_SECURITY_POLICY,
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'cache-control': file.endsWith('.html') ? 'no-store' : 'private, max-age=3600',
    });
    res.end(body);
  }

  private hostAllowed(req: IncomingMessage): boolean {
    const host = req.headers.host ?? '';
    return host === `127.0.0.1:${this.port}` || host === `localhost:${this.port}`;
  }

  /**
   * Why a request comes from another origin, or null. Browsers send Fetch-Metadata
   * (Sec-Fetch-Site) on every request and Origin on every non-GET and cross-origin one: only our
   * own origin ('same-origin') or the user opening the URL ('none': typed, a bookmark, the system
   * browser launched by `npm start`) are accepted. A client that sends neither (curl, the tests'
   * Node clients) still needs the token or cookie.
   */
  private crossSite(req: IncomingMessage): string | null {
    const origin = req.headers.origin;
    if (origin !== undefined && !this.sameOrigin(req)) return `Origin ${origin}`;
    const site = req.headers['sec-fetch-site'];
    if (site !== undefined && site !== 'same-origin' && site !== 'none')
      return `Sec-Fetch-Site ${String(site)}`;
    return null;
  }

  private sameOrigin(req: IncomingMessage): boolean {
    const origin = req.headers.origin;
    return origin === this.origin || origin === `http://localhost:${this.port}`;
  }

  private authorised(req: IncomingMessage): boolean {
    const cookie = req.headers.cookie ?? '';
    for (const part of cookie.split(';')) {
      const [k, v] = part.trim().split('=');
      if (k === COOKIE && v !== undefined && this.tokenMatches(v)) return true;
    }
    return false;
  }

  private tokenMatches(given: string): boolean {
    const a = Buffer.from(given);
    const b = Buffer.from(this.token);
    return a.length === b.length && timingSafeEqual(a, b);
  }
}
