// When the desk chimes: a new case (twice as urgent for an emergency) and more cases past their
// deadline than a moment ago, unless the seat muted it (`m`, kept in localStorage).
import { useCallback, useEffect, useRef, useState, type RefObject } from 'react';
import type { DeskRow } from '../../../src-shared/desk/queue-data';
import { chime } from './sound';

const MUTE_KEY = 'gridConsole.desk.muted';

export function useDeskChime() {
  const [muted, setMuted] = useState(() => globalThis.localStorage?.getItem(MUTE_KEY) === '1');
  const mutedRef = useRef(muted);
  useEffect(() => {
    mutedRef.current = muted;
    globalThis.localStorage?.setItem(MUTE_KEY, muted ? '1' : '0');
  }, [muted]);
  const onFresh = useCallback((rows: DeskRow[]) => {
    if (!mutedRef.current) chime(rows.some((r) => r.priority === 'emergency'));
  }, []);
  return { muted, setMuted, mutedRef, onFresh };
}

/** The overdue alert: the chime when more cases have run past their deadline than a moment ago. */
export function useOverdueChime(overdue: number, ready: boolean, mutedRef: RefObject<boolean>): void {
  const last = useRef<number | null>(null);
  useEffect(() => {
    if (!ready) return;
    if (last.current !== null && overdue > last.current && !mutedRef.current) chime(true);
    last.current = overdue;
  }, [overdue, ready, mutedRef]);
}
