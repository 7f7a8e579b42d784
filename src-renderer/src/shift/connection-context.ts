// The link state for views that must say when what they show may be stale (officer statuses
// while offline).
import { createContext, useContext } from 'react';
import type { ConnectionState } from '../../../src-shared/ipc/contract';

export const ConnectionContext = createContext<ConnectionState | null>(null);

/** True when the console is not in live contact with the server (statuses may have moved on). */
export function useOffline(): boolean {
  const c = useContext(ConnectionContext);
  return c !== null && c.status === 'offline';
}
