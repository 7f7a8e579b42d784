// The seat's figures beside the desk's tabs: today's and this week's 结案率, 按期结案率, 返工率 and
// 按时派遣率 as the dispatch server counted them over its records (history included), with the
// instant they are as of; the last copy offline, marked so.
import type { DeskFiguresView } from '../../../src-shared/desk/figures';
import type { RateName } from '../../../src-shared/domain/evaluation';
import { formatShanghai, useI18n } from '../i18n';
import type { MessageKey } from '../i18n/zh-CN';

const FIGURES: RateName[] = ['closureRate', 'onTimeClosureRate', 'reworkRate', 'onTimeDispatchRate'];
const pct = (v: number | null): string => (v === null ? '—' : `${(v * 100).toFixed(1)}%`);

export function DeskFiguresStrip({ view }: { view: DeskFiguresView | null }) {
  const { t, locale } = useI18n();
  const figures = view?.figures ?? null;
  return (
    <div
      className="desk-figures"
      data-testid="desk-figures"
      data-stale={view?.stale ? 'true' : 'false'}
      title={t('desk.figures.title')}
    >
      {view && !figures && <span data-testid="desk-figures-none">{t('desk.figures.none')}</span>}
      {figures &&
        (['today', 'week'] as const).map((p) => (
          <span
            key={p}
            className="desk-figure-group"
            title={t('desk.figures.detail', {
              due: figures[p].counts.dueForClosure,
              overdue: figures[p].counts.overdueOpen,
              closed: figures[p].counts.closed,
              onTime: figures[p].counts.closedOnTime,
              dispatched: figures[p].counts.dispatched,
              backlog: figures[p].counts.backlog,
            })}
          >
            <strong>{t(`desk.figures.${p}` as MessageKey)}</strong>
            {FIGURES.map((f) => (
              <span key={f} data-testid={`desk-figure-${p}-${f}`}>
                {t(`desk.figures.${f}` as MessageKey)} {pct(figures[p].rates[f])}
              </span>
            ))}
            {figures.accurateDispatch && (
              <span
                data-testid={`desk-figure-${p}-accurateDispatchRate`}
                title={t('desk.figures.accurateDispatch.detail', {
                  assignments: figures.accurateDispatch[p].assignments,
                  returned: figures.accurateDispatch[p].returned,
                })}
              >
                {t('desk.figures.accurateDispatchRate')} {pct(figures.accurateDispatch[p].rate)}
              </span>
            )}
          </span>
        ))}
      {figures && (
        <span
          className={`desk-figures-at${view?.stale ? ' stale' : ''}`}
          data-testid="desk-figures-at"
          title={t('desk.figures.source')}
        >
          {t(view?.stale ? 'desk.figures.atStale' : 'desk.figures.at', {
            // an offline copy may be days old: its date too
            at: view?.stale
              ? formatShanghai(figures.at, locale, false)
              : formatShanghai(figures.at, locale, false).slice(-5),
          })}
        </span>
      )}
    </div>
  );
}
