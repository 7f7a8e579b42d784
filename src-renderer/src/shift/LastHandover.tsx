// On the login form: the last handover note left on this workstation, and who held which seat
// when (the record is the workstation's own; it needs no login to read).
import { useEffect, useState } from 'react';
import type { HandoverRecord } from '../../../src-shared/ipc/contract';
import { formatShanghai, useI18n } from '../i18n';
import { bridge } from '../platform/bridge';

export function LastHandover() {
  const { t, locale } = useI18n();
  const [log, setLog] = useState<HandoverRecord[] | null>(null);
  useEffect(() => {
    let alive = true;
    void bridge()
      .call('session.shiftLog', 8)
      .then((r) => alive && setLog(r.ok ? r.data : []));
    return () => {
      alive = false;
    };
  }, []);
  if (!log || log.length === 0) return null;
  const last = log[0];
  const when = (ms: number): string => formatShanghai(ms, locale, false);
  return (
    <section className="panel last-handover" data-testid="last-handover">
      <p>
        <strong>
          {t('login.lastHandover', {
            seat:
              locale === 'en'
                ? `${last.displayName} (${last.userName})`
                : `${last.displayName}（${last.userName}）`,
            time: when(last.to),
          })}
        </strong>
      </p>
      <p className="handover-note" data-testid="last-handover-note">
        {last.note || t('login.lastHandover.none')}
      </p>
      <details>
        <summary>{t('shift.log')}</summary>
        <ul className="small" data-testid="shift-log">
          {log.map((r) => (
            <li key={`${r.userName}-${r.from}`}>
              {t('shift.log.row', { seat: r.displayName, from: when(r.from), to: when(r.to) })}
            </li>
          ))}
        </ul>
      </details>
    </section>
  );
}
