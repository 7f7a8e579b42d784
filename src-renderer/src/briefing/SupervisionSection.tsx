// The weekly briefing's 督办 and 派遣质量 sections (issue 17): orders issued in the week by town — of them 市督,
// answered in time and the in-time rate, lapses and escalations in the week, still waiting —
// counted in the data worker over the cases the seat holds (src-shared/desk/supervision-list.ts).
import type { BriefingReport } from '../../../src-shared/briefing/view';
import { inTimeRate, type SupervisionTownLine } from '../../../src-shared/desk/supervision-list';
import type { AccurateDispatch } from '../../../src-shared/domain/work-rules';
import { useI18n } from '../i18n';
import type { MessageKey } from '../i18n/zh-CN';
import { Section } from './sections';

const COLUMNS = ['issued', 'cityIssued', 'answeredInTime', 'lapsed', 'escalated', 'waiting'] as const;

const pct = (r: number | null): string => (r === null ? '—' : `${(r * 100).toFixed(1)}%`);

export function SupervisionSection({ report }: { report: BriefingReport }) {
  const { t } = useI18n();
  const s = report.supervision;
  const row = (name: string, l: SupervisionTownLine, key: string, total = false) => (
    <tr
      key={key}
      className={total ? 'briefing-total' : ''}
      data-testid="briefing-supervision-row"
      data-town={l.townCode}
    >
      <td>{total ? <strong>{name}</strong> : name}</td>
      {COLUMNS.map((c) => (
        <td
          key={c}
          className={`num${(c === 'lapsed' || c === 'escalated') && l[c] > 0 ? ' bad' : ''}`}
          data-col={c}
        >
          {l[c]}
        </td>
      ))}
      <td className="num" data-col="rate">
        {pct(inTimeRate(l))}
      </td>
    </tr>
  );
  return (
    <Section id="supervision" title={t('sup.briefing.title')}>
      {!s || s.total.issued + s.total.lapsed === 0 ? (
        <p className="muted">{t('sup.briefing.empty')}</p>
      ) : (
        <table className="briefing-table" data-testid="briefing-supervision-table">
          <thead>
            <tr>
              <th>{t('sup.briefing.town')}</th>
              {COLUMNS.map((c) => (
                <th key={c} className="num">
                  {t(`sup.briefing.${c}` as MessageKey)}
                </th>
              ))}
              <th className="num">{t('sup.briefing.rate')}</th>
            </tr>
          </thead>
          <tbody>
            {s.towns.map((l) => row(l.name, l, l.townCode))}
            {s.towns.length > 1 && row(t('sup.briefing.total'), s.total, 'total', true)}
          </tbody>
        </table>
      )}
      <p className="muted small">{t('sup.briefing.note')}</p>
    </Section>
  );
}

/** 准确派遣率 of the week's first dispatches by town (work-rules.ts accurateDispatchByTown). */
export function DispatchSection({ report }: { report: BriefingReport }) {
  const { t } = useI18n();
  const d = report.accurateDispatch;
  const row = (name: string, l: AccurateDispatch, key: string, town: string, total = false) => (
    <tr
      key={key}
      className={total ? 'briefing-total' : ''}
      data-testid="briefing-dispatch-row"
      data-town={town}
    >
      <td>{total ? <strong>{name}</strong> : name}</td>
      <td className="num" data-col="assignments">
        {l.assignments}
      </td>
      <td className={`num${l.returned > 0 ? ' bad' : ''}`} data-col="returned">
        {l.returned}
      </td>
      <td className="num" data-col="rate">
        {pct(l.rate)}
      </td>
    </tr>
  );
  return (
    <Section id="dispatch" title={t('briefing.section.dispatch')}>
      {!d || d.total.assignments === 0 ? (
        <p className="muted">{t('dispatch.empty')}</p>
      ) : (
        <table className="briefing-table" data-testid="briefing-dispatch-table">
          <thead>
            <tr>
              <th>{t('sup.briefing.town')}</th>
              <th className="num">{t('dispatch.col.assignments')}</th>
              <th className="num">{t('dispatch.col.returned')}</th>
              <th className="num">{t('dispatch.col.rate')}</th>
            </tr>
          </thead>
          <tbody>
            {d.towns.map((l) => row(l.name, l, l.townCode, l.townCode))}
            {d.towns.length > 1 && row(t('sup.briefing.total'), d.total, 'total', '', true)}
          </tbody>
        </table>
      )}
      <p className="muted small">{t('dispatch.note')}</p>
    </Section>
  );
}
