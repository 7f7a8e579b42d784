import type { SeatView } from '../../../src-shared/ipc/contract';
import { useI18n } from '../i18n';

/** The cases view (placeholder until the feature lands). */
export function CaseDesk({ seat }: { seat: SeatView }) {
  const { t } = useI18n();
  return (
    <section className="panel view-panel" data-testid="view-cases" data-seat={seat.seatId}>
      <h2>{t('view.cases.title')}</h2>
      <p>{t('view.cases.body')}</p>
    </section>
  );
}
