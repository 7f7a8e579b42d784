// The renderer's origin in Electron: app://console/, served from out/renderer and nothing else
// (Electron's security guide: prefer a custom protocol to file:). Every request is
// resolved inside the renderer folder — `..` and its percent-encodings, backslashes, NUL bytes
// and symbolic links that lead outside it are refused — and /media/live/<camera>/<file> is
// answered by the data worker with the seat's token (the video wall), so the page keeps a CSP
// of 'self' and never sees the token. `file:` is no longer intercepted.
import { protocol } from 'electron';
import { readFile, realpath, stat } from 'node:fs/promises';
import { extname, isAbsolute, relative, resolve, sep } from 'node:path';
import type { Result } from '../../src-shared/util/result';
import { CONTENT_SECURITY_POLICY } from '../app/security';
import { MEDIA_PATH, type MediaAnswer } from '../data/video-media';

export const APP_SCHEME = 'app';
export const APP_HOST = 'console';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;

/** The URL of a window: app://console/index.html?window=<kind>. */
export const appUrl = (query: Record<string, string>): string =>
  `${APP_ORIGIN}/index.html?${new URLSearchParams(query).toString()}`;

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.cjs': 'text/javascript; charset=utf-8',
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
};

/** Must run before `app` is ready: app:// is a standard, secure origin with fetch and streaming. */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    {
      scheme: APP_SCHEME,
      privileges: { standard: true, secure: true, supportFetchAPI: true, stream: true, codeCache: true },
    },
  ]);
}

const inside = (root: string, file: string): boolean => {
  const rel = relative(root, file);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel) && !rel.split(sep).includes('..'));
};

/**
 * The file under `root` (a real path) that `url` names, or null when it names anything outside
 * it. The symlink check is on the real path of the file, so a link inside out/renderer that
 * points out of it is refused as well.
 */
export async function resolveRendererFile(root: string, url: string): Promise<string | null> {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return null;
  }
  if (u.protocol !== `${APP_SCHEME}:` || u.host !== APP_HOST) return null;
  let rel: string;
  try {
    rel = decodeURIComponent(u.pathname);
  } catch {
    return null;
  }
  if (rel.includes('\0') || rel.includes('\\')) return null;
  if (rel === '/' || rel === '') rel = '/index.html';
  if (rel.split('/').includes('..')) return null;
  const file = resolve(root, `.${rel}`);
  if (!inside(root, file)) return null;
  const real = await realpath(file).catch(() => null);
  if (real === null || !inside(root, real)) return null;
  const info = await stat(real).catch(() => null);
  return info?.isFile() ? real : null;
}

export type MediaFetch = (
  cameraId: string,
  file: string,
  range: string | null,
) => Promise<Result<MediaAnswer>>;

/** The app:// handler (exported for the tests, which call it with real Requests). */
export function appProtocolHandler(rendererDir: string, media: MediaFetch) {
  let root: Promise<string> | null = null;
  return async (request: Request): Promise<Response> => {
    if (request.method !== 'GET' && request.method !== 'HEAD')
      return new Response('method not allowed', { status: 405 });
    const url = new URL(request.url);
    const m = url.host === APP_HOST ? MEDIA_PATH.exec(url.pathname) : null;
    if (m) {
      const answer = await media(m[1], m[2], request.headers.get('range'));
      if (!answer.ok)
        return new Response(answer.error.message, {
          status: answer.error.code === 'NO_SESSION' ? 401 : answer.error.code === 'BAD_REQUEST' ? 400 : 502,
        });
      const { status, contentType, contentRange, bytes } = answer.data;
      return new Response(bytes, {
        status,
        headers: {
          'content-type': contentType,
          'accept-ranges': 'bytes',
          ...(contentRange ? { 'content-range': contentRange } : {}),
          'cache-control': 'no-store',
          'x-content-type-options': 'nosniff',
        },
      });
    }
    root ??= realpath(rendererDir);
    const file = await resolveRendererFile(await root, request.url);
    if (!file) return new Response('not found', { status: 404 });
    const body = await readFile(file);
    return new Response(request.method === 'HEAD' ? null : body, {
      status: 200,
      headers: {
        'content-type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream',
        'content-security-policy': CONTENT_SECURITY_POLICY,
        'x-content-type-options': 'nosniff',
        'referrer-policy': 'no-referrer',
      },
    });
  };
}

/** Serve app:// (call when `app` is ready). */
export function handleAppProtocol(rendererDir: string, media: MediaFetch): void {
  protocol.handle(APP_SCHEME, appProtocolHandler(rendererDir, media));
}
