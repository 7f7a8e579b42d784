// The workstation settings over the bridge: null while loading, 'unavailable' in the web host.
import { useCallback, useEffect, useState } from 'react';
import type { SettingsView } from '../../../src-shared/ipc/settings-view';
import { bridge } from '../platform/bridge';

export type SettingsState =
  { state: 'loading' } | { state: 'unavailable' } | { state: 'ready'; view: SettingsView };

export function useSettings(pollMs = 0): { settings: SettingsState; reload: () => void } {
  const [settings, setSettings] = useState<SettingsState>({ state: 'loading' });
  const [tick, setTick] = useState(0);
  const reload = useCallback(() => setTick((n) => n + 1), []);
  useEffect(() => {
    let alive = true;
    void bridge()
      .call('settings.get')
      .then((r) => {
        if (!alive) return;
        setSettings(r.ok ? { state: 'ready', view: r.data } : { state: 'unavailable' });
      });
    const timer = pollMs > 0 ? setInterval(() => setTick((n) => n + 1), pollMs) : null;
    return () => {
      alive = false;
      if (timer) clearInterval(timer);
    };
  }, [tick, pollMs]);
  return { settings, reload };
}
