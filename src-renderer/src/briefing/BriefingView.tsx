import type { SeatView } from '../../../src-shared/ipc/contract';
import { useI18n } from '../i18n';

/** The briefing view (placeholder until the feature lands). */
export function BriefingView({ seat }: { seat: SeatView }) {
  const { t } = useI18n();
  return (
    <section className="panel view-panel" data-testid="view-briefing" data-seat={seat.seatId}>
      <h2>{t('view.briefing.title')}</h2>
      <p>{t('view.briefing.body')}</p>
    </section>
  );
}
