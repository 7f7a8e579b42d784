// >>> HELPER (case desk): STOP and read /tmp/common.md now — working rules from the lead (do not commit, 2 shared cores, time limit 21:30 UTC, verification before reporting). Delete this line when you edit this file.
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
