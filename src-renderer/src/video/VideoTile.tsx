// One tile of the video wall: plays a camera's HLS (hls.js on Chromium; the browser's own HLS
// where it has one) or MP4 stream from the host's same-origin /media/ proxy, shows
// online/offline/error, and stops loading whenever it is not visible (IntersectionObserver,
// hidden page) — a wall of 16 does not pull 16 streams from a minimised window.
import { useEffect, useRef, useState } from 'react';
import type HlsType from 'hls.js';
import type { Camera } from '../../../src-shared/protocol/entities';
import { useI18n } from '../i18n';

export type StreamFormat = 'hls' | 'mp4';
export type TileState = 'empty' | 'idle' | 'loading' | 'playing' | 'offline' | 'error' | 'paused';

export const mediaUrl = (cameraId: string, format: StreamFormat): string =>
  `/media/live/${encodeURIComponent(cameraId)}/${format === 'hls' ? 'index.m3u8' : 'stream.mp4'}`;

interface Props {
  camera: Camera | null;
  format: StreamFormat;
  focused: boolean;
  index: number;
  onFocus: () => void;
  onVideo: (index: number, video: HTMLVideoElement | null) => void;
  onEnlarge: () => void;
}

/** Whether the element is on screen and the page is shown. */
function useVisible(ref: React.RefObject<HTMLElement | null>): boolean {
  const [inView, setInView] = useState(false);
  const [shown, setShown] = useState(() => document.visibilityState !== 'hidden');
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const io = new IntersectionObserver((entries) => setInView(entries.some((e) => e.isIntersecting)), {
      threshold: 0.05,
    });
    io.observe(el);
    const onVis = (): void => setShown(document.visibilityState !== 'hidden');
    document.addEventListener('visibilitychange', onVis);
    return () => {
      io.disconnect();
      document.removeEventListener('visibilitychange', onVis);
    };
  }, [ref]);
  return inView && shown;
}

export function VideoTile({ camera, format, focused, index, onFocus, onVideo, onEnlarge }: Props) {
  const { t } = useI18n();
  const box = useRef<HTMLDivElement | null>(null);
  const videoRef = useRef<HTMLVideoElement | null>(null);
  const visible = useVisible(box);
  const cameraId = camera?.id ?? null;
  const online = camera?.online ?? false;
  // What the stream reported for the current (camera, format, visibility); before that, what
  // follows from them alone (no camera, offline camera, loading, stopped while hidden).
  const key = `${cameraId ?? ''}|${format}|${visible}`;
  const [reported, setReported] = useState<{ key: string; state: TileState; reason: string } | null>(null);
  const state: TileState = !cameraId
    ? 'empty'
    : !online
      ? 'offline'
      : !visible
        ? 'paused'
        : reported?.key === key
          ? reported.state
          : 'loading';
  const reason = reported?.key === key ? reported.reason : '';

  useEffect(() => {
    onVideo(index, videoRef.current);
    return () => onVideo(index, null);
  }, [index, onVideo]);

  useEffect(() => {
    const video = videoRef.current;
    if (!video || !cameraId || !online || !visible) return;
    const report = (s: TileState, why = ''): void => setReported({ key, state: s, reason: why });
    let alive = true;
    let hls: HlsType | null = null;
    const url = mediaUrl(cameraId, format);
    const failed = (status: number | null, why: string): void => {
      if (!alive) return;
      if (status === 503) report('offline');
      else report('error', status ? `HTTP ${status}` : why);
    };
    const onPlaying = (): void => {
      if (alive) report('playing');
    };
    const onError = (): void => {
      // The element does not say why; ask the proxy for the status (503 = camera offline).
      void fetch(url, { method: 'HEAD' }).then(
        (r) => failed(r.ok ? null : r.status, video.error?.message || 'decode'),
        () => failed(null, 'network'),
      );
    };
    video.addEventListener('playing', onPlaying);
    video.addEventListener('error', onError);
    video.muted = true;
    video.loop = true;
    const play = (): void => void video.play().catch(() => undefined);
    if (format === 'hls') {
      void import('hls.js').then(({ default: Hls }) => {
        if (!alive) return;
        if (Hls.isSupported()) {
          hls = new Hls({ maxBufferLength: 8, backBufferLength: 4, enableWorker: true });
          hls.on(Hls.Events.ERROR, (_e, data) => {
            if (!data.fatal) return;
            const code = (data.response as { code?: number } | undefined)?.code ?? null;
            failed(code && code >= 400 ? code : null, data.details);
          });
          hls.loadSource(url);
          hls.attachMedia(video);
          play();
        } else if (video.canPlayType('application/vnd.apple.mpegurl')) {
          video.src = url;
          play();
        } else failed(null, 'HLS unsupported');
      });
    } else {
      video.src = url;
      play();
    }
    return () => {
      // Detach and stop loading: no request goes on for a tile nobody sees.
      alive = false;
      video.removeEventListener('playing', onPlaying);
      video.removeEventListener('error', onError);
      hls?.destroy();
      video.pause();
      video.removeAttribute('src');
      video.load();
    };
  }, [cameraId, online, visible, format, key]);

  const label =
    state === 'error'
      ? t('video.state.error', { reason })
      : state === 'empty'
        ? t('video.empty')
        : t(`video.state.${state}`);
  return (
    <div
      ref={box}
      className={`video-tile state-${state}${focused ? ' focused' : ''}`}
      data-testid="video-tile"
      data-camera-id={cameraId ?? ''}
      data-state={state}
      onClick={onFocus}
      onDoubleClick={onEnlarge}
    >
      <video ref={videoRef} muted playsInline preload="none" />
      <div className="video-tile-bar">
        <span className="video-tile-name">{camera?.name ?? '—'}</span>
        <span className={`video-tile-state s-${state}`}>{label}</span>
      </div>
    </div>
  );
}
