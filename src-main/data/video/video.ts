// The video wall: camera stream files fetched with the seat's token (the media proxy), and a
// frame uploaded as a case photo and queued as addPhoto on the case.
import { err, ok, type Result } from '../../../src-shared/util/result';
import type { DataService } from '../data-service';
import { SeatSlot } from '../seat-slot';
import { decodeSnapshot, VideoMedia, type MediaAnswer } from '../video-media';

export class VideoFeature {
  private readonly media = new SeatSlot(() => {
    const { seat } = this.core.require();
    return new VideoMedia(
      seat.serverUrl,
      () => this.core.seatToken,
      this.core.http.fetch,
      this.core.options.requestTimeoutMs ?? 10_000,
    );
  });

  constructor(private readonly core: DataService) {}

  /** A camera stream file fetched with the seat's token (the web host's /media/ proxy). */
  fetch(cameraId: string, file: string, range: string | null): Promise<Result<MediaAnswer>> {
    const cache = this.core.cacheStore;
    if (!this.core.currentSeat || !cache) return Promise.resolve(err('NO_SESSION', 'no seat is logged in'));
    return this.media.of(cache).fetch(cameraId, file, range);
  }

  /** Uploads a video frame (base64 JPEG/PNG) as a photo and queues addPhoto on the case. */
  async snapshot(
    caseId: string,
    base64: string,
    caption: string | null,
  ): Promise<Result<{ hash: string; commandId: string }>> {
    const decoded = decodeSnapshot(base64);
    if (!decoded.ok) return decoded;
    const uploaded = await this.media
      .of(this.core.require().cache)
      .upload(decoded.data.bytes, decoded.data.mime);
    if (!uploaded.ok) return uploaded;
    const queued = this.core.cases.queue('addPhoto', {
      caseId,
      photo: uploaded.data,
      ...(caption ? { caption: caption.slice(0, 200) } : {}),
    });
    if (!queued.ok) return queued;
    return ok({ hash: uploaded.data, commandId: queued.data.commandId });
  }
}
