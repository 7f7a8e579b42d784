// The header's window menu: open (or bring forward) each window kind — in the web host a
// browser window/tab sharing this session, in Electron the main side places it.
import { useI18n } from '../i18n';
import { WINDOW_KINDS, type WindowKind } from './window-kind';
import { openWindow } from './window-open';

export function WindowMenu({ current }: { current: WindowKind | null }) {
  const { t } = useI18n();
  return (
    <div className="window-menu" role="group" aria-label={t('windows.menu')} data-testid="window-menu">
      {WINDOW_KINDS.filter((k) => k !== current).map((k) => (
        <button
          key={k}
          className="small"
          data-testid={`open-window-${k}`}
          title={`${t('windows.menu')} ↗`}
          onClick={() => openWindow(k)}
        >
          {t(`windows.open.${k}`)}
        </button>
      ))}
    </div>
  );
}
