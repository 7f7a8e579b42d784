// The alert feed in the header: new 特急 cases, officer SOS, deadlines about to lapse
// or lapsed. A count of the unacknowledged ones (red when one was escalated to this seat's level),
// a chime for each new one, and a list where each is acknowledged (the server records who and
// when, so every other seat sees it) or opened (the case / officer is selected for every
// window: the map wall flies there, the video wall shows its cameras).
import { useCallback, useEffect, useRef, useState } from 'react';
import type { AlertFeed as Feed, AlertView, SeatView } from '../../../src-shared/ipc/contract';
import { formatShanghai, useI18n } from '../i18n';
import type { MessageKey } from '../i18n/zh-CN';
import { chime } from '../desk/sound';
import { bridge } from '../platform/bridge';
import { publishSelection } from '../windows/use-selection-bus';
import { useCaseNumbers } from '../shell/use-case-numbers';

const POLL_MS = 3_000;

/** The level of a seat's scope: 12-digit village, 9-digit town, else the city. */
export function seatLevel(scopeCode: string): AlertView['level'] {
  return scopeCode.length >= 12 ? 'village' : scopeCode.length === 9 ? 'town' : 'city';
}

/** The feed, polled; `silent`: no chime (a second reader of the same feed, e.g. the map). */
export function useAlertFeed(enabled: boolean, silent = false): { feed: Feed | null; refresh: () => void } {
  const [feed, setFeed] = useState<Feed | null>(null);
  const seen = useRef<Set<string> | null>(null);
  const refresh = useCallback(() => {
    void bridge()
      .call('alerts.list')
      .then((r) => {
        if (!r.ok) return;
        const fresh = r.data.alerts.filter((a) => a.ackAt === null && !seen.current?.has(a.id));
        // The first answer only fills the memory: alerts raised before this window opened are
        // counted but not rung again.
        if (!silent && seen.current && fresh.length > 0)
          chime(fresh.some((a) => a.kind === 'emergency' || a.kind === 'sos'));
        seen.current ??= new Set();
        for (const a of r.data.alerts) seen.current.add(a.id);
        setFeed(r.data);
      });
  }, [silent]);
  useEffect(() => {
    if (!enabled) return;
    refresh();
    const timer = setInterval(refresh, POLL_MS);
    const off = bridge().on('cases.changed', refresh);
    return () => {
      clearInterval(timer);
      off();
    };
  }, [enabled, refresh]);
  return { feed, refresh };
}

export function AlertFeedButton({ seat }: { seat: SeatView }) {
  const { t, locale } = useI18n();
  const { feed, refresh } = useAlertFeed(true);
  const [open, setOpen] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const level = seatLevel(seat.scopeCode);
  const open_ = feed?.alerts.filter((a) => a.ackAt === null) ?? [];
  const mine = open_.filter((a) => a.level === level).length;
  const numberOf = useCaseNumbers(feed?.alerts.map((a) => a.caseId) ?? []);
  const ack = async (a: AlertView): Promise<void> => {
    setError(null);
    const r = await bridge().call('alerts.ack', a.id);
    if (!r.ok) setError(r.error.code === 'SERVER_UNREACHABLE' ? t('alerts.ackOffline') : r.error.message);
    refresh();
  };
  const show = (a: AlertView): void => {
    if (a.caseId) void publishSelection({ kind: 'case', id: a.caseId, lon: a.lon, lat: a.lat });
    else if (a.officerId) void publishSelection({ kind: 'officer', id: a.officerId });
  };
  const subject = (a: AlertView): string =>
    a.kind === 'sos' ? `${a.subject}（${a.detail}）` : a.caseId ? numberOf(a.caseId) : '';
  return (
    <span className="alert-feed">
      <button
        className={`lang alert-count ${open_.length > 0 ? 'alert-count-on' : ''} ${mine > 0 ? 'alert-count-mine' : ''}`}
        data-testid="alerts-count"
        data-count={open_.length}
        onClick={() => setOpen((o) => !o)}
        title={t('alerts.title')}
      >
        {t('alerts.button', { n: open_.length })}
      </button>
      {open && (
        <div className="alert-panel" role="dialog" aria-label={t('alerts.title')} data-testid="alerts-panel">
          <header>
            <strong>{t('alerts.title')}</strong>
            {feed?.stale && <span className="stale-mark"> {t('alerts.stale')}</span>}
            <button className="lang" onClick={() => setOpen(false)} aria-label="×">
              ×
            </button>
          </header>
          {error && <p className="error small">{error}</p>}
          {(feed?.alerts.length ?? 0) === 0 && <p className="muted">{t('alerts.none')}</p>}
          <ul>
            {feed?.alerts.map((a) => (
              <li
                key={a.id}
                data-testid="alert-row"
                data-alert-id={a.id}
                data-case-id={a.caseId ?? ''}
                data-acked={a.ackAt !== null}
                className={`alert-row alert-${a.kind} ${a.ackAt === null ? 'alert-open' : 'alert-done'}`}
              >
                <div>
                  <span className={`alert-kind alert-kind-${a.kind}`}>
                    {t(`alerts.kind.${a.kind}` as MessageKey)}
                  </span>{' '}
                  <button className="linkish" onClick={() => show(a)} data-testid="alert-show">
                    {subject(a)}
                  </button>
                </div>
                <div className="muted small">
                  {formatShanghai(a.raisedAt, locale)} · {t(`alerts.level.${a.level}` as MessageKey)}
                  {a.escalatedAt !== null && ` · ${t('alerts.escalated')}`}
                </div>
                {a.ackAt === null ? (
                  <button className="lang" data-testid="alert-ack" onClick={() => void ack(a)}>
                    {t('alerts.ack')}
                  </button>
                ) : (
                  <div className="ok small" data-testid="alert-acked-by">
                    {t('alerts.ackedBy', {
                      name: a.ackByName ?? a.ackBy ?? '',
                      time: formatShanghai(a.ackAt, locale),
                    })}
                  </div>
                )}
              </li>
            ))}
          </ul>
        </div>
      )}
    </span>
  );
}
