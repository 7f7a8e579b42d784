// Camera media and snapshots for the video wall, done by the data worker with the seat's bearer
// token so the renderer never holds it: the web host (and the Electron media protocol) forward
// same-origin /media/live/<camera>/<file> requests here, and a snapshot's bytes are uploaded to
// POST /api/photos from here before the addPhoto action is queued.
import { err, ok, type Result } from '../../src-shared/util/result';
import type { ServerFetch } from './server-http';

/** The files a camera stream has (src-server/video/video-routes.ts). */
export const MEDIA_FILE = /^(stream\.mp4|index\.m3u8|init\.mp4|seg-\d{1,4}\.m4s)$/;
export const CAMERA_ID = /^[A-Za-z0-9_.-]{1,64}$/;
/** The same-origin path the renderer asks for a camera file (web host route, Electron file: handler). */
export const MEDIA_PATH =
  /^\/media\/live\/([A-Za-z0-9_.-]{1,64})\/(stream\.mp4|index\.m3u8|init\.mp4|seg-\d{1,4}\.m4s)$/;

export interface MediaAnswer {
  status: number;
  contentType: string;
  contentRange: string | null;
  bytes: Uint8Array;
}

/** A stream file is at most a few MB (8 s clips); anything larger is refused. */
const MAX_MEDIA_BYTES = 32 * 1024 * 1024;

export class VideoMedia {
  constructor(
    private readonly serverUrl: string,
    private readonly token: () => string | null,
    private readonly request: ServerFetch,
    private readonly timeoutMs = 10_000,
  ) {}

  /** GET /live/<camera>/<file> on the server; its status (404, 503 offline…) is passed on. */
  async fetch(cameraId: string, file: string, range: string | null): Promise<Result<MediaAnswer>> {
    if (!CAMERA_ID.test(cameraId) || !MEDIA_FILE.test(file)) return err('BAD_REQUEST', 'not a stream file');
    if (range !== null && !/^bytes=\d*-\d*$/.test(range)) return err('BAD_REQUEST', 'bad range');
    const token = this.token();
    if (!token) return err('NO_SESSION', 'no seat is logged in');
    let res: Response;
    try {
      res = await this.request(`${this.serverUrl}/live/${cameraId}/${file}`, {
        headers: { authorization: `Bearer ${token}`, ...(range ? { range } : {}) },
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (e) {
      return err('SERVER_UNREACHABLE', `camera ${cameraId}: ${e instanceof Error ? e.message : String(e)}`);
    }
    const declared = Number(res.headers.get('content-length') ?? '0');
    if (declared > MAX_MEDIA_BYTES) return err('PAYLOAD_TOO_LARGE', `${file} is ${declared} bytes`);
    const bytes = new Uint8Array(await res.arrayBuffer());
    return ok({
      status: res.status,
      contentType: res.headers.get('content-type') ?? 'application/octet-stream',
      contentRange: res.headers.get('content-range'),
      bytes,
    });
  }

  /** POST /api/photos: the server answers the content address (sha256) of the stored image. */
  async upload(bytes: Uint8Array, mime: string): Promise<Result<string>> {
    if (!/^image\/(jpeg|png)$/.test(mime)) return err('BAD_REQUEST', 'a snapshot is a JPEG or PNG');
    const token = this.token();
    if (!token) return err('NO_SESSION', 'no seat is logged in');
    let res: Response;
    try {
      res = await this.request(`${this.serverUrl}/api/photos`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': mime },
        body: bytes,
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (e) {
      return err(
        'SERVER_UNREACHABLE',
        `the snapshot cannot be uploaded now (${e instanceof Error ? e.message : String(e)})`,
      );
    }
    const body = (await res.json().catch(() => null)) as {
      ok?: boolean;
      data?: { hash?: string };
      error?: { code: string; message: string };
    } | null;
    if (!res.ok || !body?.ok || typeof body.data?.hash !== 'string')
      return err(body?.error?.code ?? 'UPLOAD_FAILED', body?.error?.message ?? `HTTP ${res.status}`);
    return ok(body.data.hash);
  }
}

/** Decodes a base64 snapshot from the renderer (JSON has no bytes) and checks its magic. */
export function decodeSnapshot(
  base64: string,
): Result<{ bytes: Uint8Array; mime: 'image/jpeg' | 'image/png' }> {
  const bytes = new Uint8Array(Buffer.from(base64, 'base64'));
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff)
    return ok({ bytes, mime: 'image/jpeg' });
  if (bytes.length >= 8 && bytes[0] === 0x89 && bytes[1] === 0x50 && bytes[2] === 0x4e && bytes[3] === 0x47)
    return ok({ bytes, mime: 'image/png' });
  return err('BAD_REQUEST', 'a snapshot is a JPEG or PNG image');
}
