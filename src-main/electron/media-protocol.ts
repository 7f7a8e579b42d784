// Camera media for the video wall in Electron: the renderer (loaded from file://) asks for the
// same relative /media/live/<camera>/<file> path as in the web host; this file: handler answers
// it through the data worker (which holds the seat's token) and passes every other file: request
// on unchanged. So the renderer never sees the token and its CSP stays `media-src 'self'`.
import { net, protocol } from 'electron';
import type { Result } from '../../src-shared/util/result';
import { MEDIA_PATH, type MediaAnswer } from '../data/video-media';

export function registerMediaProtocol(
  media: (cameraId: string, file: string, range: string | null) => Promise<Result<MediaAnswer>>,
): void {
  protocol.handle('file', async (request) => {
    const m = MEDIA_PATH.exec(new URL(request.url).pathname);
    if (!m) return net.fetch(request, { bypassCustomProtocolHandlers: true });
    const answer = await media(m[1], m[2], request.headers.get('range'));
    if (!answer.ok)
      return new Response(answer.error.message, { status: answer.error.code === 'NO_SESSION' ? 401 : 502 });
    const { status, contentType, contentRange, bytes } = answer.data;
    return new Response(bytes, {
      status,
      headers: {
        'content-type': contentType,
        'accept-ranges': 'bytes',
        ...(contentRange ? { 'content-range': contentRange } : {}),
        'cache-control': 'no-store',
      },
    });
  });
}
