// The work orders of the selected grid (with their officer) or officer: place and its tier,
// visit, planned and due day, status, and the result (a hazard names its case's number).
import type { OrderRow } from '../../../src-shared/inspections/model';
import { useI18n } from '../i18n';
import type { MessageKey } from '../i18n/zh-CN';

const TIERS = ['lenient', 'warning', 'strict', 'banned'];

export function OrdersTable({
  orders,
  withOfficer,
  numberOf,
}: {
  orders: readonly OrderRow[];
  withOfficer: boolean;
  /** A case's number as the console knows it (held by the view across selections). */
  numberOf: (caseId: string) => string;
}) {
  const { t } = useI18n();
  return (
    <table className="insp-table insp-order-table">
      <thead>
        <tr>
          <th>{t('insp.col.place')}</th>
          <th>{t('insp.col.visit')}</th>
          {withOfficer && <th>{t('insp.col.officer')}</th>}
          <th>{t('insp.col.planned_day')}</th>
          <th>{t('insp.col.due_day')}</th>
          <th>{t('insp.col.status')}</th>
          <th>{t('insp.col.result')}</th>
        </tr>
      </thead>
      <tbody>
        {orders.map((o) => (
          <tr key={o.id} data-testid="insp-order" data-status={o.status} title={o.id}>
            <td>
              {t(`insp.type.${o.placeType}` as MessageKey)} P{o.place}
              {o.tier !== 255 && (
                <span className={`insp-tier insp-tier-${o.tier}`}>
                  {t(`insp.tier.${TIERS[o.tier]}` as MessageKey)}
                </span>
              )}
            </td>
            <td className="num">
              {o.visit}/{o.visits}
            </td>
            {withOfficer && <td>{o.officerName ?? '—'}</td>}
            <td>{o.plannedDay.slice(5)}</td>
            <td>{o.dueDay.slice(5)}</td>
            <td className={`insp-status insp-status-${o.status}`}>
              {t(`insp.status.${o.status}` as MessageKey)}
            </td>
            <td>
              {o.hazard === null
                ? '—'
                : o.hazard
                  ? `${t('insp.result.hazard')}${o.caseId ? ` · ${numberOf(o.caseId)}` : ''}`
                  : t('insp.result.clean')}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
