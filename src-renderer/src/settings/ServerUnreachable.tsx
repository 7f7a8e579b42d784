// The unreachable-server screen: shown above the login form when the configured
// dispatch server (or the demo server) does not answer, saying what that means for this seat.
import { useI18n } from '../i18n';
import { useSettings } from './use-settings';
import './settings.css';

export function ServerUnreachable() {
  const { t } = useI18n();
  const { settings } = useSettings(5000);
  if (settings.state !== 'ready') return null;
  const s = settings.view.server;
  if (s.reachable !== false && s.demo !== 'failed') return null;
  return (
    <section className="panel unreachable" role="alert" data-testid="server-unreachable">
      <h2>{t('unreachable.title')}</h2>
      <p>{t('unreachable.body', { url: s.url ?? '—' })}</p>
      {s.error && <p className="muted small">{s.error}</p>}
      <p className="muted small">{t('unreachable.admin')}</p>
      <button type="button" data-testid="unreachable-retry" onClick={() => location.reload()}>
        {t('unreachable.retry')}
      </button>
    </section>
  );
}
