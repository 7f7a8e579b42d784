// One row of the desk's queue: priority, category with its badges (new, pending, duplicate,
// 督办, rework), case number, grid, source, holder and assignee, state, and the time-limit clock.
import type { WorkingCalendar } from '../../../src-shared/domain/calendar';
import { caseNumberText } from '../../../src-shared/domain/case-number';
import { rowClock } from '../../../src-shared/desk/queue';
import type { DeskRow } from '../../../src-shared/desk/queue-data';
import { useI18n } from '../i18n';
import type { MessageKey } from '../i18n/zh-CN';
import { assigneeName, categoryLabel, clockText, holderName, type Names } from './format';

export function QueueRow(p: {
  row: DeskRow;
  names: Names;
  now: number;
  calendar: WorkingCalendar;
  active: boolean;
  fresh: boolean;
  duplicate: boolean;
  ticked: boolean;
  onSelect: (id: string) => void;
  onTick: (id: string) => void;
}) {
  const { t, locale } = useI18n();
  const { row: r, names, fresh, active } = p;
  const clock = rowClock(r, names.category.get(r.categoryCode)?.timeLimit, p.now, p.calendar);
  return (
    <div
      className={`desk-row${active ? ' active' : ''}${fresh ? ' fresh' : ''} desk-row-${r.priority}`}
      data-testid="desk-row"
      data-case-id={r.id}
      data-state={r.state}
      data-pending={r.pending ? 'true' : 'false'}
      data-fresh={fresh ? 'true' : 'false'}
      role="option"
      aria-selected={active}
      onClick={() => p.onSelect(r.id)}
    >
      <input
        type="checkbox"
        tabIndex={-1}
        checked={p.ticked}
        onChange={() => p.onTick(r.id)}
        onClick={(e) => e.stopPropagation()}
        aria-label={r.id}
      />
      <span className={`desk-prio desk-prio-${r.priority}`}>
        {t(`map.priority.${r.priority}` as MessageKey)}
      </span>
      <span className="desk-row-main">
        <span className="desk-row-title">
          {categoryLabel(names, r.categoryCode, locale)}
          {fresh && <span className="desk-badge desk-badge-new">{t('desk.newCase')}</span>}
          {r.pending && (
            <span className="desk-badge desk-badge-pending" data-testid="desk-row-pending">
              {t('desk.pending')}
            </span>
          )}
          {p.duplicate && (
            <span className="desk-badge desk-badge-dup" data-testid="desk-row-duplicate">
              {t('dup.badge')}
            </span>
          )}
          {r.supervised && <span className="desk-badge desk-badge-supervised">{t('desk.supervised')}</span>}
          {r.reworkCount > 0 && <span className="desk-badge">{t('desk.rework', { n: r.reworkCount })}</span>}
        </span>
        <span className="desk-row-sub muted small">
          <span className="mono" data-testid="desk-row-number" title={r.id}>
            {caseNumberText(r, r.pending)}
          </span>{' '}
          · {holderName(names, r.gridCode.slice(0, 12))} · {t(`desk.source.${r.source}` as MessageKey)} ·{' '}
          {t('desk.holder')} {holderName(names, r.holderCode)}
          {r.assignee ? ` · ${assigneeName(names, r.assignee, locale, t)}` : ''}
        </span>
      </span>
      <span className={`desk-state desk-state-${r.state}`}>{t(`map.state.${r.state}` as MessageKey)}</span>
      <span className={`desk-clock desk-clock-${clock.level}`}>{clockText(clock, t)}</span>
    </div>
  );
}
