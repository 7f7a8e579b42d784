// HTTP routes of the camera streams (a camera's `streamUrl` is /live/<id>):
//   GET /live/<id>/stream.mp4   progressive MP4 (byte ranges)
//   GET /live/<id>/index.m3u8   HLS media playlist (fMP4)
//   GET /live/<id>/init.mp4, /live/<id>/seg-<n>.m4s
// Bearer auth like every /api route; a camera outside the seat's scope is 404, an offline one 503
// (the console's tile shows "offline").
import type { User } from '../auth/seats';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Db } from '../store/database';
import type { DemoStreams } from './demo-streams';
import { sendError } from '../transport/json-http';

export interface VideoRouteDeps {
  db: Db;
  streams: DemoStreams;
  /** The user of the request's bearer token, or null. */
  authenticate(req: IncomingMessage): Promise<User | null>;
  /** May this user see what stands in this grid (auth/visibility canSeeGrid)? */
  canSeeGrid(user: User, gridCode: string): boolean;
}

const ROUTE = /^\/live\/([A-Za-z0-9_.-]{1,64})\/(stream\.mp4|index\.m3u8|init\.mp4|seg-(\d{1,4})\.m4s)$/;

/** A single `bytes=a-b` / `bytes=a-` / `bytes=-n` range within `size`, or null when absent/invalid. */
export function parseRange(header: string | undefined, size: number): { start: number; end: number } | null {
  const m = /^bytes=(\d*)-(\d*)$/.exec(header ?? '');
  if (!m || (m[1] === '' && m[2] === '')) return null;
  let start: number;
  let end: number;
  if (m[1] === '') {
    start = Math.max(0, size - Number(m[2]));
    end = size - 1;
  } else {
    start = Number(m[1]);
    end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  }
  return start <= end && start < size ? { start, end } : null;
}

function sendBytes(req: IncomingMessage, res: ServerResponse, bytes: Uint8Array, type: string): void {
  const headers: Record<string, string | number> = {
    'content-type': type,
    'accept-ranges': 'bytes',
    'cache-control': 'private, max-age=60',
    'x-content-type-options': 'nosniff',
  };
  const range = req.headers.range ? parseRange(req.headers.range, bytes.length) : null;
  if (req.headers.range && !range) {
    res.writeHead(416, { 'content-range': `bytes */${bytes.length}` }).end();
    return;
  }
  if (range) {
    const part = bytes.subarray(range.start, range.end + 1);
    res.writeHead(206, {
      ...headers,
      'content-range': `bytes ${range.start}-${range.end}/${bytes.length}`,
      'content-length': part.length,
    });
    res.end(req.method === 'HEAD' ? undefined : part);
    return;
  }
  res.writeHead(200, { ...headers, 'content-length': bytes.length });
  res.end(req.method === 'HEAD' ? undefined : bytes);
}

/** Answers /live/... requests; false for any other path. */
export function createVideoRoutes(deps: VideoRouteDeps) {
  const lookup = deps.db.prepare<
    [string],
    { json: string; town_code: string; village_code: string; grid_code: string }
  >('SELECT json, town_code, village_code, grid_code FROM cameras WHERE id = ?');
  return async (req: IncomingMessage, res: ServerResponse, pathname: string): Promise<boolean> => {
    if (!pathname.startsWith('/live/')) return false;
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      sendError(res, 405, 'METHOD_NOT_ALLOWED', 'GET or HEAD');
      return true;
    }
    const m = ROUTE.exec(pathname);
    if (!m) {
      sendError(res, 404, 'NOT_FOUND', 'no such stream path');
      return true;
    }
    const user = await deps.authenticate(req);
    if (!user) {
      sendError(res, 401, 'UNAUTHORIZED', 'missing, unknown or expired token');
      return true;
    }
    const row = lookup.get(m[1]);
    if (!row || !deps.canSeeGrid(user, row.grid_code)) {
      sendError(res, 404, 'NOT_FOUND', `no camera ${m[1]} in this seat's scope`);
      return true;
    }
    const camera = JSON.parse(row.json) as { online: boolean };
    if (!camera.online) {
      sendError(res, 503, 'CAMERA_OFFLINE', `camera ${m[1]} is offline`);
      return true;
    }
    const clip = await deps.streams.clipFor(m[1]);
    const file = m[2];
    if (file === 'stream.mp4') sendBytes(req, res, clip.mp4, 'video/mp4');
    else if (file === 'index.m3u8')
      sendBytes(req, res, Buffer.from(clip.playlist, 'utf8'), 'application/vnd.apple.mpegurl');
    else if (file === 'init.mp4') sendBytes(req, res, clip.init, 'video/mp4');
    else {
      const seg = clip.segments[Number(m[3])];
      if (!seg) sendError(res, 404, 'NOT_FOUND', `no segment ${m[3]}`);
      else sendBytes(req, res, seg.bytes, 'video/iso.segment');
    }
    return true;
  };
}
