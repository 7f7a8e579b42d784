import { useEffect, useState } from 'react';
import type { ConnectionState } from '../../../src-shared/ipc/contract';
import { bridge } from '../platform/bridge';

/** Online/offline/syncing, queue length and last sync, live. */
export function useConnection(enabled: boolean): ConnectionState | null {
  const [state, setState] = useState<ConnectionState | null>(null);
  useEffect(() => {
    if (!enabled) return;
    const api = bridge();
    let alive = true;
    const refresh = (): void => {
      void api.call('connection.state').then((r) => alive && r.ok && setState(r.data));
    };
    refresh();
    const offConn = api.on('connection.changed', setState);
    // The queue length changes with every queued or answered action.
    const offOutbox = api.on('outbox.changed', refresh);
    const timer = setInterval(refresh, 5_000);
    return () => {
      alive = false;
      offConn();
      offOutbox();
      clearInterval(timer);
    };
  }, [enabled]);
  return state;
}
