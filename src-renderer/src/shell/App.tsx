import { useCallback, useEffect, useMemo, useState } from 'react';
import type { AppInfo, ConnectionState, UiLocale } from '../../../src-shared/ipc/contract';
import {
  I18nContext,
  formatShanghai,
  hasSavedLocale,
  initialLocale,
  saveLocale,
  translator,
  type I18n,
} from '../i18n';
import type { MessageKey } from '../i18n/zh-CN';
import { bridge } from '../platform/bridge';
import { DeskShortcutHelp } from '../desk/shortcuts';
import { LoginView } from '../session/LoginView';
// The views load on demand, the map's code and data first (views.tsx).
import { BriefingView, CaseDesk, InspectionsView, MapView, VideoWall } from '../views';
import { useConnection } from '../session/use-connection';
import { useSession } from '../session/use-session';
import { useClock } from './use-clock';
import { useShortcuts, type Shortcut } from './use-shortcuts';
// ---- video wall and windows ----
import { VIEW_OF_KIND } from '../windows/window-kind';
import { currentWindowKind } from '../windows/window-open';
import { WindowMenu } from '../windows/WindowMenu';
// ---- workstation settings ----
import { ServerUnreachable } from '../settings/ServerUnreachable';
// ---- shift ----
import { ConnectionContext } from '../shift/connection-context';
import { LastHandover } from '../shift/LastHandover';
import { OfflineBanner } from '../shift/OfflineBanner';
import { ShiftDialog } from '../shift/ShiftDialog';
import { AlertFeedButton } from '../shift/AlertFeed';

const VIEWS = ['map', 'cases', 'video', 'briefing', 'inspections'] as const;
type View = (typeof VIEWS)[number];

type Boot = { state: 'loading' } | { state: 'ready'; info: AppInfo } | { state: 'error'; message: string };

export function App() {
  const [locale, setLocaleState] = useState<UiLocale>(initialLocale);
  // A window of a kind (`?window=map|desk|video|briefing`) opens on its view.
  const [windowKind] = useState(currentWindowKind);
  const [view, setView] = useState<View>(() => (windowKind ? VIEW_OF_KIND[windowKind] : 'map'));
  const [boot, setBoot] = useState<Boot>({ state: 'loading' });
  const { session, login, logout } = useSession();
  const [shiftOpen, setShiftOpen] = useState(false);
  const connection: ConnectionState | null = useConnection(session.state === 'in');
  const [helpOpen, setHelpOpen] = useState(false);
  const now = useClock();

  const i18n = useMemo<I18n>(
    () => ({
      locale,
      t: translator(locale),
      setLocale: (l) => {
        saveLocale(l);
        setLocaleState(l);
      },
    }),
    [locale],
  );
  const { t } = i18n;

  useEffect(() => {
    document.documentElement.lang = locale;
    document.title = t('app.title');
  }, [locale, t]);

  useEffect(() => {
    let alive = true;
    const api = bridge();
    void api.call('app.info').then((info) => {
      if (!alive) return;
      if (!info.ok) return setBoot({ state: 'error', message: info.error.message });
      setBoot({ state: 'ready', info: info.data });
      // The workstation's language setting: it wins when the deployment manages it,
      // and is the default until the user switches language on this PC.
      if (info.data.host === 'electron')
        void api.call('settings.get').then((r) => {
          if (!alive || !r.ok) return;
          if (r.data.managed.includes('language') || !hasSavedLocale())
            setLocaleState(r.data.settings.language);
        });
    });
    return () => {
      alive = false;
    };
  }, []);

  const toggleLocale = useCallback(() => i18n.setLocale(locale === 'zh-CN' ? 'en' : 'zh-CN'), [i18n, locale]);
  const shortcuts = useMemo<Shortcut[]>(
    () => [
      ...VIEWS.map((v, i) => ({ combo: `Alt+${i + 1}`, run: () => setView(v) })),
      { combo: 'Alt+L', run: toggleLocale },
      { combo: '?', run: () => setHelpOpen((o) => !o) },
      { combo: 'Escape', run: () => setHelpOpen(false) },
    ],
    [toggleLocale],
  );
  useShortcuts(shortcuts);

  const appState = boot.state === 'ready' && session.state === 'checking' ? 'loading' : boot.state;
  useEffect(() => {
    document.getElementById('root')?.setAttribute('data-app-state', appState);
  }, [appState]);

  const status = connection?.status ?? 'offline';
  const jurisdiction = session.state === 'in' ? session.seat.displayName : t('app.jurisdiction');

  const aboutPanel =
    boot.state === 'ready' ? (
      <section className="panel" data-testid="about">
        <h2>{t('about.title')}</h2>
        <dl>
          <dt>{t('about.version')}</dt>
          <dd>{boot.info.version}</dd>
          <dt>{t('about.host')}</dt>
          <dd data-testid="host-kind">{t(`about.host.${boot.info.host}`)}</dd>
          <dt>{t('about.protocol')}</dt>
          <dd>{boot.info.protocolVersion}</dd>
          <dt>{t('about.timeZone')}</dt>
          <dd>{boot.info.timeZone}</dd>
        </dl>
      </section>
    ) : null;

  return (
    <I18nContext.Provider value={i18n}>
      <ConnectionContext.Provider value={connection}>
        <div className="shell" data-testid="app-shell" data-window={windowKind ?? 'main'}>
          <header className="shell-header">
            <div className="brand">
              <span className="brand-mark" aria-hidden="true">
                格
              </span>
              <div>
                <h1 data-testid="app-title">{t('app.title')}</h1>
                <p className="brand-sub">{t('app.subtitle')}</p>
              </div>
            </div>
            <nav className="views" role="tablist" aria-label={t('app.title')}>
              {VIEWS.map((v, i) => (
                <button
                  key={v}
                  role="tab"
                  aria-selected={view === v}
                  data-testid={`nav-${v}`}
                  className={view === v ? 'active' : ''}
                  onClick={() => setView(v)}
                  title={`Alt+${i + 1}`}
                >
                  {t(`nav.${v}` as MessageKey)}
                </button>
              ))}
            </nav>
            <div className="header-right">
              {session.state === 'in' && <WindowMenu current={windowKind} />}
              {boot.state === 'ready' &&
                boot.info.host === 'electron' &&
                session.state === 'in' &&
                session.seat.role === 'admin' && (
                  <button data-testid="open-settings" onClick={() => void bridge().call('settings.open')}>
                    {t('settings.open')}
                  </button>
                )}
              <span className="jurisdiction" data-testid="seat-name">
                {jurisdiction}
              </span>
              {session.state === 'in' && <AlertFeedButton seat={session.seat} />}
              {session.state === 'in' && (
                <button className="lang" data-testid="logout" onClick={() => setShiftOpen(true)}>
                  {t('shift.logout')}
                </button>
              )}
              {/* before a login there is no link to speak of: not "offline" */}
              <span
                className={`conn conn-${session.state === 'in' ? status : 'none'}`}
                data-testid="connection-status"
              >
                {session.state === 'in' ? t(`status.${status}` as MessageKey) : t('status.noSeat')}
              </span>
              <span className="clock" data-testid="clock" title={t('clock.label')}>
                <span className="clock-label">{t('clock.label')}</span> {formatShanghai(now, locale)}
              </span>
              <button className="lang" data-testid="lang-toggle" onClick={toggleLocale} title="Alt+L">
                {t('lang.switch')}
              </button>
            </div>
          </header>
          <main
            className={view === 'map' && session.state === 'in' ? 'workspace workspace-map' : 'workspace'}
          >
            {boot.state === 'loading' && <p className="muted">{t('shell.loading')}</p>}
            {boot.state === 'error' && (
              <p className="error" role="alert">
                {t('shell.hostError', { message: boot.message })}
              </p>
            )}
            {boot.state === 'ready' && boot.info.host === 'electron' && session.state === 'login' && (
              <ServerUnreachable />
            )}
            {boot.state === 'ready' && session.state === 'login' && (
              <div className="stack">
                <LoginView error={session.error} busy={session.busy} onLogin={(u, p) => void login(u, p)} />
                <LastHandover />
              </div>
            )}
            {boot.state === 'ready' && session.state === 'in' && (
              <OfflineBanner connection={connection} now={now} />
            )}
            {boot.state === 'ready' && session.state === 'in' && connection?.refused && (
              <p className="error" role="alert">
                {t('status.refused', { reason: connection.refused })}
              </p>
            )}
            {boot.state === 'ready' && session.state === 'in' && session.cacheRebuilt && (
              <p className="warning" role="status">
                {t('status.cacheRebuilt', { file: session.cacheRebuilt })}
              </p>
            )}
            {boot.state === 'ready' && session.state === 'in' && view === 'map' && (
              <MapView seat={session.seat}>{aboutPanel}</MapView>
            )}
            {boot.state === 'ready' && session.state === 'in' && view === 'cases' && (
              <CaseDesk seat={session.seat} />
            )}
            {boot.state === 'ready' && session.state === 'in' && view === 'briefing' && (
              <BriefingView seat={session.seat} />
            )}
            {boot.state === 'ready' && session.state === 'in' && view === 'inspections' && (
              <InspectionsView seat={session.seat} />
            )}
            {boot.state === 'ready' && session.state === 'in' && view === 'video' && (
              <VideoWall seat={session.seat} />
            )}
          </main>
          <footer className="statusbar">
            <span>
              {connection?.lastSyncAt
                ? t('status.lastSync', { time: formatShanghai(connection.lastSyncAt, locale) })
                : t('status.never')}
            </span>
            <span data-testid="status-queue" data-n={connection?.queueLength ?? 0}>
              {t('status.queue', { n: connection?.queueLength ?? 0 })}
            </span>
            <span className="muted">{t('shortcuts.help')}</span>
          </footer>
          {shiftOpen && session.state === 'in' && (
            <ShiftDialog
              onClose={() => setShiftOpen(false)}
              onLogout={async (note) => {
                if (await logout(note)) setShiftOpen(false);
              }}
            />
          )}
          {helpOpen && (
            <div className="dialog" role="dialog" aria-modal="true" data-testid="shortcut-help">
              <h2>{t('shortcuts.title')}</h2>
              <ul>
                <li>{t('shortcuts.views')}</li>
                <li>{t('shortcuts.lang')}</li>
                <li>{t('shortcuts.help')}</li>
                <DeskShortcutHelp />
              </ul>
            </div>
          )}
        </div>
      </ConnectionContext.Provider>
    </I18nContext.Provider>
  );
}
