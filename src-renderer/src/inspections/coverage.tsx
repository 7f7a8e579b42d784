// The coverage figures of a grid or an officer for the month: the table's columns (their
// definitions are the headers' tooltips), how a row sorts, a figure cell's tone, and the card.
import {
  coverageColumns,
  type CoverageColumns,
  type CoverageRow,
} from '../../../src-shared/inspections/model';
import { useI18n } from '../i18n';
import type { MessageKey } from '../i18n/zh-CN';

export type SortKey =
  'name' | 'planned' | 'due' | 'done' | 'late' | 'missed' | 'open' | 'ahead' | 'rate' | 'hazardRate';

export const NUMERIC: SortKey[] = [
  'planned',
  'due',
  'done',
  'late',
  'missed',
  'open',
  'ahead',
  'rate',
  'hazardRate',
];
/** The figure columns in table order (their definitions are the headers' tooltips). */
export const FIGURES = NUMERIC.filter((k): k is Exclude<SortKey, 'name'> => k !== 'name');

const pct = (v: number | null): string => (v === null ? '—' : `${(v * 100).toFixed(1)}%`);

export function sortValue(r: CoverageRow, key: SortKey): number | string {
  if (key === 'name') return r.name;
  const v = coverageColumns(r)[key];
  return v ?? -1;
}

/** A figure cell's text and tone. */
function figureCell(c: CoverageColumns, key: Exclude<SortKey, 'name'>): { text: string; tone: string } {
  if (key === 'rate' || key === 'hazardRate') return { text: pct(c[key]), tone: '' };
  const tone =
    key === 'missed' && c.missed > 0
      ? 'insp-bad'
      : (key === 'open' && c.overdue > 0) || (key === 'late' && c.late > 0)
        ? 'insp-warn'
        : '';
  return { text: String(c[key]), tone };
}

/** The figure cells of a row, in FIGURES order; the open column says how many are overdue. */
export function figureCells(c: CoverageColumns, t: ReturnType<typeof useI18n>['t']) {
  return FIGURES.map((k) => {
    const cell = figureCell(c, k);
    return (
      <td
        key={k}
        className={`num ${cell.tone}`.trim()}
        data-col={k}
        title={k === 'open' && c.overdue > 0 ? t('insp.def.overdue', { n: c.overdue }) : undefined}
      >
        {cell.text}
      </td>
    );
  });
}

/** The grid's (or officer's) figures of the month, as the server counted them. */
export function CoverageCard({ row, today }: { row: CoverageRow; today: string }) {
  const { t } = useI18n();
  const c = coverageColumns(row);
  const item = (key: string, label: MessageKey, value: string | number, tone = '') => (
    <div
      className={`insp-card-item ${tone}`}
      title={t(label.replace('insp.col.', 'insp.def.') as MessageKey)}
    >
      <span className="insp-card-label">{t(label)}</span>
      <span className="insp-card-value" data-testid={`insp-card-${key}`}>
        {value}
      </span>
    </div>
  );
  return (
    <div className="insp-card" data-testid="insp-coverage-card" data-key={row.key} data-grid={row.gridCode}>
      <h3>{t('insp.card.title', { name: row.name })}</h3>
      <p className="muted">{t('insp.card.today', { today })}</p>
      <div className="insp-card-grid">
        {item('planned', 'insp.col.planned', c.planned)}
        {item('due', 'insp.col.due', c.due)}
        {item('done', 'insp.col.done', c.done, 'insp-good')}
        {item('late', 'insp.col.late', c.late, c.late > 0 ? 'insp-warn' : '')}
        {item('missed', 'insp.col.missed', c.missed, c.missed > 0 ? 'insp-bad' : '')}
        {item('open', 'insp.col.open', c.open, c.overdue > 0 ? 'insp-warn' : '')}
        {item('ahead', 'insp.col.ahead', c.ahead)}
        {item('rate', 'insp.col.rate', pct(c.rate))}
        {item('hazard-rate', 'insp.col.hazardRate', pct(c.hazardRate))}
      </div>
      <p className="muted">{t('insp.card.hazards', { n: row.hazards })}</p>
    </div>
  );
}
