import { useEffect, useState } from 'react';
import type { SeatView } from '../../../src-shared/ipc/contract';
import { useI18n } from '../i18n';
import { bridge } from '../platform/bridge';

interface Counts {
  grids: number;
  officers: number;
  cameras: number;
  openCases: number;
  pending: number;
}

const OPEN = ['reported', 'registered', 'dispatched', 'handling', 'suspended', 'returned', 'feedback'];

/** What this seat's cache holds: proof the console has its jurisdiction locally. */
export function Overview({ seat }: { seat: SeatView }) {
  const { t } = useI18n();
  const [counts, setCounts] = useState<Counts | null>(null);
  useEffect(() => {
    const api = bridge();
    let alive = true;
    const load = async (): Promise<void> => {
      const [ref, cases] = await Promise.all([
        api.call('map.reference'),
        api.call('cases.list', { states: OPEN }),
      ]);
      if (!alive || !ref.ok || !cases.ok) return;
      setCounts({
        grids: ref.data.grids.length,
        officers: ref.data.officers.length,
        cameras: ref.data.cameras.length,
        openCases: cases.data.length,
        pending: cases.data.filter((r) => r.pending.length > 0).length,
      });
    };
    void load();
    const offs = [api.on('reference.changed', () => void load()), api.on('cases.changed', () => void load())];
    return () => {
      alive = false;
      offs.forEach((off) => off());
    };
  }, [seat.seatId]);
  return (
    <section className="panel" data-testid="overview">
      <h2>
        {seat.displayName} <span className="muted small">{seat.scopeCode}</span>
      </h2>
      {counts ? (
        <dl className="figures">
          <dt>{t('overview.grids')}</dt>
          <dd data-testid="count-grids">{counts.grids}</dd>
          <dt>{t('overview.officers')}</dt>
          <dd data-testid="count-officers">{counts.officers}</dd>
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
