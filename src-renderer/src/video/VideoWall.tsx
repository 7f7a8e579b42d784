// 视频墙: a camera panel and a wall of 1/4/9/16 tiles. It follows the selection bus: a case,
// officer, grid or camera selected in any window opens the cameras nearest to it. Keyboard:
// 1 / 4 / 9 / 1-6 layouts, arrows move the focus, Enter enlarges the focused tile (Esc back),
// S snapshots the focused tile into the selected case's timeline.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { SeatView, SelectionChange } from '../../../src-shared/ipc/contract';
import type { Camera } from '../../../src-shared/protocol/entities';
import { useI18n } from '../i18n';
import { bridge } from '../platform/bridge';
import { useCaseNumbers } from '../shell/use-case-numbers';
import { useShortcuts, type Shortcut } from '../shell/use-shortcuts';
import { publishSelection, useSelectionBus } from '../windows/use-selection-bus';
import { gridCameras, nearestCameras, type PickedCamera } from './pick-cameras';
import { VideoTile, type StreamFormat } from './VideoTile';

export const LAYOUTS = [1, 4, 9, 16] as const;
export type Layout = (typeof LAYOUTS)[number];

interface Target {
  change: SelectionChange;
  lon: number | null;
  lat: number | null;
}

type SnapshotStatus =
  | { state: 'idle' }
  | { state: 'busy' }
  | { state: 'done'; caseId: string; hash: string }
  | { state: 'failed'; reason: string };

/** The frame of a playing video as a JPEG, base64 (the contract carries JSON). */
async function grabFrame(video: HTMLVideoElement): Promise<string> {
  const canvas = document.createElement('canvas');
  canvas.width = video.videoWidth;
  canvas.height = video.videoHeight;
  const ctx = canvas.getContext('2d');
  if (!ctx || canvas.width === 0) throw new Error('no frame yet');
  ctx.drawImage(video, 0, 0);
  const blob = await new Promise<Blob | null>((ok) => canvas.toBlob(ok, 'image/jpeg', 0.85));
  if (!blob) throw new Error('the frame cannot be encoded');
  const bytes = new Uint8Array(await blob.arrayBuffer());
  let text = '';
  for (let i = 0; i < bytes.length; i += 0x8000)
    text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(text);
}

export function VideoWall({ seat }: { seat: SeatView }) {
  const { t } = useI18n();
  const [cameras, setCameras] = useState<Camera[]>([]);
  /** Officer id → name · number, for the heading (never a raw id to the reader). */
  const [officerNames, setOfficerNames] = useState<Map<string, string>>(new Map());
  const [target, setTarget] = useState<Target | null>(null);
  const [layout, setLayout] = useState<Layout>(4);
  const [format, setFormat] = useState<StreamFormat>('hls');
  const [focus, setFocus] = useState(0);
  const [enlarged, setEnlarged] = useState(false);
  /** Cameras put into tiles by hand (tile index → camera id), over the picked ones. */
  const [manual, setManual] = useState<Record<number, string>>({});
  const [snap, setSnap] = useState<SnapshotStatus>({ state: 'idle' });
  const videos = useRef(new Map<number, HTMLVideoElement>());
  const lastOne = useRef(0);

  useEffect(() => {
    let alive = true;
    void bridge()
      .call('map.reference')
      .then((a) => {
        if (!alive || !a.ok) return;
        setCameras(a.data.cameras);
        setOfficerNames(new Map(a.data.officers.map((o) => [o.id, `${o.name}（${o.number}）`])));
      });
    return () => {
      alive = false;
    };
  }, [seat.seatId]);

  const onSelection = useCallback(async (change: SelectionChange) => {
    setManual({});
    setFocus(0);
    setSnap({ state: 'idle' });
    let lon = change.lon ?? null;
    let lat = change.lat ?? null;
    if ((lon === null || lat === null) && change.kind === 'case') {
      const a = await bridge().call('cases.get', change.id);
      if (a.ok && a.data.case) ({ lon, lat } = a.data.case);
    }
    if ((lon === null || lat === null) && change.kind === 'officer') {
      const a = await bridge().call('map.positions');
      const fix = a.ok ? a.data.find((f) => f.officerId === change.id) : undefined;
      if (fix) ({ lon, lat } = fix);
    }
    setTarget({ change, lon, lat });
  }, []);
  // Also a selection this window made before the wall was shown (desk or map → Alt+3).
  useSelectionBus((c) => void onSelection(c), 'any-window');

  const picked = useMemo<PickedCamera[]>(() => {
    if (!target) return [];
    const { change, lon, lat } = target;
    if (change.kind === 'grid') return gridCameras(cameras, change.id, 16);
    if (change.kind === 'camera') {
      const self = cameras.find((c) => c.id === change.id);
      const at = self ? { lon: self.lon, lat: self.lat } : lon !== null && lat !== null ? { lon, lat } : null;
      return at ? nearestCameras(cameras, at.lon, at.lat, 16) : [];
    }
    return lon !== null && lat !== null ? nearestCameras(cameras, lon, lat, 16) : [];
  }, [cameras, target]);

  const byId = useMemo(() => new Map(cameras.map((c) => [c.id, c])), [cameras]);
  const tiles: (Camera | null)[] = useMemo(
    () =>
      Array.from({ length: layout }, (_, i) =>
        manual[i] ? (byId.get(manual[i]) ?? null) : (picked[i]?.camera ?? null),
      ),
    [layout, manual, byId, picked],
  );

  const cols = Math.sqrt(layout);
  const moveFocus = useCallback(
    (dx: number, dy: number) =>
      setFocus((f) => {
        const x = Math.min(cols - 1, Math.max(0, (f % cols) + dx));
        const y = Math.min(cols - 1, Math.max(0, Math.floor(f / cols) + dy));
        return y * cols + x;
      }),
    [cols],
  );
  const choose = useCallback((l: Layout) => {
    setLayout(l);
    setEnlarged(false);
    setFocus((f) => (f < l ? f : 0));
  }, []);

  const caseId = target?.change.kind === 'case' ? target.change.id : null;
  const snapshot = useCallback(async () => {
    const video = videos.current.get(focus);
    const camera = tiles[focus];
    if (!caseId) return setSnap({ state: 'failed', reason: t('video.snapshot.noCase') });
    if (!video || !camera || video.readyState < 2)
      return setSnap({ state: 'failed', reason: t('video.state.idle') });
    setSnap({ state: 'busy' });
    try {
      const b64 = await grabFrame(video);
      const a = await bridge().call(
        'video.snapshot',
        caseId,
        b64,
        t('video.snapshot.caption', { camera: camera.name }).slice(0, 200),
      );
      setSnap(
        a.ok ? { state: 'done', caseId, hash: a.data.hash } : { state: 'failed', reason: a.error.message },
      );
    } catch (e) {
      setSnap({ state: 'failed', reason: e instanceof Error ? e.message : String(e) });
    }
  }, [caseId, focus, tiles, t]);

  const shortcuts = useMemo<Shortcut[]>(
    () => [
      {
        combo: '1',
        run: () => {
          lastOne.current = performance.now();
          choose(1);
        },
      },
      { combo: '4', run: () => choose(4) },
      { combo: '9', run: () => choose(9) },
      { combo: '6', run: () => performance.now() - lastOne.current < 1_000 && choose(16) },
      { combo: 'ArrowLeft', run: () => moveFocus(-1, 0) },
      { combo: 'ArrowRight', run: () => moveFocus(1, 0) },
      { combo: 'ArrowUp', run: () => moveFocus(0, -1) },
      { combo: 'ArrowDown', run: () => moveFocus(0, 1) },
      { combo: 'Enter', run: () => setEnlarged((e) => !e) },
      { combo: 'Escape', run: () => setEnlarged(false) },
      { combo: 's', run: () => void snapshot() },
    ],
    [choose, moveFocus, snapshot],
  );
  useShortcuts(shortcuts);

  const onVideo = useCallback((i: number, v: HTMLVideoElement | null) => {
    if (v) videos.current.set(i, v);
    else videos.current.delete(i);
  }, []);

  const numberOf = useCaseNumbers([caseId, snap.state === 'done' ? snap.caseId : null]);
  const headingName = (change: SelectionChange): string =>
    change.kind === 'case'
      ? numberOf(change.id)
      : change.kind === 'officer'
        ? (officerNames.get(change.id) ?? change.id)
        : change.kind === 'camera'
          ? (byId.get(change.id)?.name ?? change.id)
          : change.id;
  const heading = target
    ? t(`video.for.${target.change.kind}`, { id: headingName(target.change) })
    : t('video.for.none');
  const shown = enlarged ? [focus] : tiles.map((_, i) => i);

  return (
    <div className="video-wall" data-testid="video-wall" data-layout={layout} data-enlarged={enlarged}>
      <aside className="panel video-panel" data-testid="camera-panel">
        <h2>{t('video.cameras')}</h2>
        <p className="small" data-testid="video-target">
          {heading}
        </p>
        {target && picked.length === 0 && <p className="muted small">{t('video.noCameras')}</p>}
        <ul className="video-camera-list">
          {picked.map((p) => (
            <li key={p.camera.id}>
              <button
                data-testid="camera-item"
                data-camera-id={p.camera.id}
                onClick={() => {
                  // Into the focused tile, and the other windows focus the camera (map flies there).
                  setManual((m) => ({ ...m, [focus]: p.camera.id }));
                  void publishSelection({
                    kind: 'camera',
                    id: p.camera.id,
                    lon: p.camera.lon,
                    lat: p.camera.lat,
                  });
                }}
              >
                <span className={p.camera.online ? 'ok' : 'muted'}>●</span> {p.camera.name}
                {p.distanceM !== null && (
                  <span className="muted small">
                    {' '}
                    · {t('video.distance', { m: Math.round(p.distanceM) })}
                  </span>
                )}
              </button>
            </li>
          ))}
        </ul>
        <div className="video-controls">
          <label>
            {t('video.layout')}{' '}
            <select
              data-testid="video-layout"
              value={layout}
              onChange={(e) => choose(Number(e.target.value) as Layout)}
            >
              {LAYOUTS.map((l) => (
                <option key={l} value={l}>
                  {l}
                </option>
              ))}
            </select>
          </label>
          <label>
            {t('video.format')}{' '}
            <select
              data-testid="video-format"
              value={format}
              onChange={(e) => setFormat(e.target.value as StreamFormat)}
            >
              <option value="hls">HLS</option>
              <option value="mp4">MP4</option>
            </select>
          </label>
          <button
            data-testid="video-snapshot"
            disabled={snap.state === 'busy'}
            onClick={() => void snapshot()}
          >
            {t('video.snapshot')} (S)
          </button>
        </div>
        <p className="muted small">{t('video.layoutKeys')}</p>
        {snap.state !== 'idle' && (
          <p
            className={snap.state === 'failed' ? 'error small' : 'small'}
            role="status"
            data-testid="video-snapshot-status"
            data-state={snap.state}
          >
            {snap.state === 'busy'
              ? t('video.snapshot.busy')
              : snap.state === 'done'
                ? t('video.snapshot.done', { id: numberOf(snap.caseId) })
                : t('video.snapshot.failed', { reason: snap.reason })}
          </p>
        )}
      </aside>
      <div
        className="video-grid"
        style={{ gridTemplateColumns: `repeat(${enlarged ? 1 : cols}, 1fr)` }}
        data-testid="video-grid"
      >
        {shown.map((i) => (
          <VideoTile
            key={i}
            index={i}
            camera={tiles[i]}
            format={format}
            focused={i === focus}
            onFocus={() => setFocus(i)}
            onEnlarge={() => {
              setFocus(i);
              setEnlarged((e) => !e);
            }}
            onVideo={onVideo}
          />
        ))}
      </div>
    </div>
  );
}
