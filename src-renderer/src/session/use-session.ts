import { useCallback, useEffect, useState } from 'react';
import type { HandoverRecord, SeatView } from '../../../src-shared/ipc/contract';
import { bridge } from '../platform/bridge';
import type { LoginError } from './login-error';

export type SessionState =
  | { state: 'checking' }
  | { state: 'login'; error: LoginError | null; busy: boolean }
  | { state: 'in'; seat: SeatView; cacheRebuilt: string | null };

/**
 * The seat at this workstation: the one already open in main, else the last one that logged in
 * here and did not log out (started from its cache even when the server is unreachable), else
 * the login form. A logout in any window of the workstation (`session.changed`) returns every
 * window to the login form.
 */
export function useSession(): {
  session: SessionState;
  login: (userName: string, password: string) => Promise<void>;
  logout: (note: string) => Promise<HandoverRecord | null>;
} {
  const [session, setSession] = useState<SessionState>({ state: 'checking' });

  useEffect(() => {
    let alive = true;
    const api = bridge();
    void (async () => {
      performance.mark('session:check');
      const current = await api.call('session.current');
      if (!alive) return;
      if (current.ok && current.data)
        return setSession({ state: 'in', seat: current.data, cacheRebuilt: null });
      const resumed = await api.call('session.resume');
      performance.mark('session:resumed');
      if (!alive) return;
      if (resumed.ok)
        return setSession({ state: 'in', seat: resumed.data.seat, cacheRebuilt: resumed.data.cacheRebuilt });
      setSession({
        state: 'login',
        error: resumed.error.code === 'NO_SESSION' ? null : resumed.error,
        busy: false,
      });
    })();
    const off = api.on('session.changed', ({ seat }) => {
      if (!alive) return;
      if (seat === null) setSession({ state: 'login', error: null, busy: false });
    });
    return () => {
      alive = false;
      off();
    };
  }, []);

  const login = useCallback(async (userName: string, password: string) => {
    setSession({ state: 'login', error: null, busy: true });
    const r = await bridge().call('session.login', userName, password);
    if (r.ok) setSession({ state: 'in', seat: r.data.seat, cacheRebuilt: r.data.cacheRebuilt });
    else setSession({ state: 'login', error: r.error, busy: false });
  }, []);

  const logout = useCallback(async (note: string) => {
    const r = await bridge().call('session.logout', note);
    if (!r.ok) return null;
    setSession({ state: 'login', error: null, busy: false });
    return r.data;
  }, []);

  return { session, login, logout };
}
