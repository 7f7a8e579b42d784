import { useEffect, useState } from 'react';
import type { OverviewCounts, SeatView } from '../../../src-shared/ipc/contract';
import { useI18n } from '../i18n';
import { bridge } from '../platform/bridge';

/** Case changes arrive up to several times a second: recount at most this often. */
const RECOUNT_MS = 2_000;

/** What this seat's cache holds: proof the console has its jurisdiction locally. */
export function Overview({ seat }: { seat: SeatView }) {
  const { t } = useI18n();
  const [counts, setCounts] = useState<OverviewCounts | null>(null);
  useEffect(() => {
    const api = bridge();
    let alive = true;
    let timer: ReturnType<typeof setTimeout> | null = null;
    const load = async (): Promise<void> => {
      const r = await api.call('overview.counts');
      if (alive && r.ok) setCounts(r.data);
    };
    const later = (): void => {
      timer ??= setTimeout(() => {
        timer = null;
        void load();
      }, RECOUNT_MS);
    };
    void load();
    const offs = [
      api.on('reference.changed', later),
      api.on('cases.changed', later),
      api.on('outbox.changed', later),
      // the first snapshot done: count what it brought now, not 2 s later
      api.on('connection.changed', (c) => c.status === 'online' && void load()),
    ];
    return () => {
      alive = false;
      if (timer) clearTimeout(timer);
      offs.forEach((off) => off());
    };
  }, [seat.seatId]);
  return (
    <section className="panel" data-testid="overview">
      <h2>
        {seat.displayName} <span className="muted small">{seat.scopeCode}</span>
      </h2>
      {counts && !counts.synced ? (
        // Never zeros that look real: a cache still being filled says so.
        <p className="muted" data-testid="overview-syncing">
          {t('overview.syncing')}
        </p>
      ) : counts ? (
        <dl className="figures">
          <dt>{t('overview.grids')}</dt>
          <dd data-testid="count-grids">{counts.grids}</dd>
          <dt>{t('overview.officers')}</dt>
          <dd data-testid="count-officers">{counts.officers}</dd>
          <dt>{t('overview.handlers')}</dt>
          <dd data-testid="count-handlers">{counts.handlers}</dd>
          <dt>{t('overview.cameras')}</dt>
          <dd data-testid="count-cameras">{counts.cameras}</dd>
          <dt>{t('overview.openCases')}</dt>
          <dd data-testid="count-open-cases">{counts.openCases}</dd>
          <dt>{t('overview.pending')}</dt>
          <dd data-testid="count-pending">{counts.pending}</dd>
        </dl>
      ) : (
        <p className="muted">{t('shell.loading')}</p>
      )}
    </section>
  );
}
