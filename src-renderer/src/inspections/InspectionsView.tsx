import type { SeatView } from '../../../src-shared/ipc/contract';
import { useI18n } from '../i18n';

/** The inspections view (placeholder until the feature lands). */
export function InspectionsView({ seat }: { seat: SeatView }) {
  const { t } = useI18n();
  return (
    <section className="panel view-panel" data-testid="view-inspections" data-seat={seat.seatId}>
      <h2>{t('view.inspections.title')}</h2>
      <p>{t('view.inspections.body')}</p>
    </section>
  );
}
