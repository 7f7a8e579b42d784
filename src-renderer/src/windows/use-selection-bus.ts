// The renderer's side of the selection bus (src-main/app/selection-bus.ts): publish what this
// window selected; hear what other windows selected (own echoes are dropped by origin).
import { useEffect, useRef } from 'react';
import type { Selection, SelectionChange } from '../../../src-shared/ipc/contract';
import { bridge } from '../platform/bridge';
import { WINDOW_ID } from './window-open';

export type SelectionTarget = Omit<Selection, 'origin'>;

/** Tells every other window; answered with the change (null when it was already selected). */
export async function publishSelection(target: SelectionTarget): Promise<SelectionChange | null> {
  const answer = await bridge().call('selection.set', { ...target, origin: WINDOW_ID });
  return answer.ok ? answer.data : null;
}

/**
 * Calls `onChange` for selections made in other windows, and once at start with the current
 * one (`initial: true`) when `withCurrent` is set (a window opened after the selection).
 * `withCurrent: 'any-window'` also takes a current selection made by this very window: a view
 * mounted after the selection in the same window (desk or map → Alt+3 video wall).
 */
export function useSelectionBus(
  onChange: (change: SelectionChange, initial: boolean) => void,
  withCurrent: boolean | 'any-window' = false,
): void {
  const handler = useRef(onChange);
  useEffect(() => {
    handler.current = onChange;
  }, [onChange]);
  useEffect(() => {
    let alive = true;
    let lastSeq = 0;
    const deliver = (c: SelectionChange, initial: boolean): void => {
      const own = c.origin === WINDOW_ID && !(initial && withCurrent === 'any-window');
      if (!alive || own || c.seq <= lastSeq) return;
      lastSeq = c.seq;
      handler.current(c, initial);
    };
    const off = bridge().on('selection.changed', (c) => deliver(c, false));
    if (withCurrent)
      void bridge()
        .call('selection.current')
        .then((a) => {
          if (a.ok && a.data) deliver(a.data, true);
        });
    return () => {
      alive = false;
      off();
    };
  }, [withCurrent]);
}
