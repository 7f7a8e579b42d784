// A call's answer held for the key it was asked for: what the inspections view shows while the
// month, grouping or filter it asked about is still the one on screen.
import { useEffect, useRef, useState } from 'react';
import type { CallAnswer } from '../../../src-shared/ipc/contract';

export type Load<T> =
  { state: 'loading' } | { state: 'error'; code: string; message: string } | { state: 'ready'; data: T };

export const LOADING = { state: 'loading' } as const;

/**
 * The answer of a call for `key` (null: no call). A new key shows 'loading' until its answer
 * arrives; an answer for an older key is dropped.
 */
export function useFetched<T>(key: string | null, fetch: () => Promise<CallAnswer<T>>): Load<T> | null {
  const [held, setHeld] = useState<{ key: string; load: Load<T> } | null>(null);
  const fetchRef = useRef(fetch);
  useEffect(() => {
    fetchRef.current = fetch;
  });
  useEffect(() => {
    if (key === null) return;
    let alive = true;
    void fetchRef.current().then((r) => {
      if (!alive) return;
      setHeld({
        key,
        load: r.ok
          ? { state: 'ready', data: r.data }
          : { state: 'error', code: r.error.code, message: r.error.message },
      });
    });
    return () => {
      alive = false;
    };
  }, [key]);
  if (key === null) return null;
  return held?.key === key ? held.load : LOADING;
}
