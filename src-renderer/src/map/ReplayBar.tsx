// Track replay controls: window, play/pause, speed, position.
import { useEffect, useState } from 'react';
import { formatShanghai, useI18n } from '../i18n';
import type { MessageKey } from '../i18n/zh-CN';
import type { Replay } from '../../../src-shared/map/layers/tracks-layer';
import type { MapEngine } from './map-engine';

export const REPLAY_WINDOWS_MIN = [15, 60, 240, 1440] as const;
export const REPLAY_SPEEDS = [1, 10, 60, 300] as const;

interface Props {
  engine: MapEngine;
  replay: Replay;
  names: string[];
  windowMin: number;
  local: boolean;
  onWindow: (min: number) => void;
  onClose: () => void;
}

export function ReplayBar({ engine, replay, names, windowMin, local, onWindow, onClose }: Props) {
  const { t, locale } = useI18n();
  const [state, setState] = useState(engine.replayState);
  useEffect(() => {
    const id = setInterval(() => setState(engine.replayState), 250);
    return () => clearInterval(id);
  }, [engine]);
  const points = replay.trips.reduce((n, trip) => n + trip.path.length, 0);
  return (
    <section className="map-replay" data-testid="map-replay">
      <strong>{t('map.replay.title', { names: names.join('、') })}</strong>
      <label>
        {t('map.replay.window')}
        <select
          data-testid="replay-window"
          value={windowMin}
          onChange={(e) => onWindow(Number(e.target.value))}
        >
          {REPLAY_WINDOWS_MIN.map((m) => (
            <option key={m} value={m}>
              {t(`map.replay.w${m}` as MessageKey)}
            </option>
          ))}
        </select>
      </label>
      <button
        data-testid="replay-play"
        onClick={() => {
          if (state.playing) engine.pauseReplay();
          else {
            if (state.time >= state.duration) engine.seekReplay(0);
            engine.playReplay();
          }
          setState(engine.replayState);
        }}
      >
        {t(state.playing ? 'map.replay.pause' : 'map.replay.play')}
      </button>
      <label>
        {t('map.replay.speed')}
        <select
          data-testid="replay-speed"
          value={state.speed}
          onChange={(e) => {
            engine.setReplaySpeed(Number(e.target.value));
            setState(engine.replayState);
          }}
        >
          {REPLAY_SPEEDS.map((s) => (
            <option key={s} value={s}>
              {s}×
            </option>
          ))}
        </select>
      </label>
      <input
        type="range"
        data-testid="replay-seek"
        min={0}
        max={Math.max(1, state.duration)}
        step={1}
        value={state.time}
        onChange={(e) => {
          engine.seekReplay(Number(e.target.value));
          setState(engine.replayState);
        }}
      />
      <span className="clock small" data-testid="replay-time">
        {formatShanghai(replay.from + state.time * 1000, locale)}
      </span>
      <span className="muted small" data-testid="replay-points">
        {points === 0 ? t('map.replay.empty') : t('map.replay.points', { n: points })}
        {local ? ` · ${t('map.replay.local')}` : ''}
      </span>
      <button data-testid="replay-close" onClick={onClose}>
        {t('map.replay.close')}
      </button>
    </section>
  );
}
