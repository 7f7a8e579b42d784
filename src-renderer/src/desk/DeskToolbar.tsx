// The desk's top bar: the queue's tabs with their counts, the seat's figures, and the buttons
// that show the side panels (conflicts, officer board, duplicates, 督办) and mute the chime.
import type { DeskFiguresView } from '../../../src-shared/desk/figures';
import { DESK_TABS, type DeskTab, type TabCounts } from '../../../src-shared/desk/queue';
import type { SupervisionItem } from '../../../src-shared/desk/supervision-list';
import { useI18n } from '../i18n';
import type { MessageKey } from '../i18n/zh-CN';
import { DeskFiguresStrip } from './DeskFiguresStrip';
import { SupervisionToggle } from './SupervisionPanel';

export function DeskToolbar(p: {
  tab: DeskTab;
  counts: TabCounts;
  onTab: (tab: DeskTab) => void;
  figures: DeskFiguresView | null;
  conflicts: number;
  onConflicts: () => void;
  boardOpen: boolean;
  onBoard: () => void;
  duplicates: number;
  onDuplicates: () => void;
  supervision: readonly SupervisionItem[];
  supervisionOpen: boolean;
  onSupervision: () => void;
  muted: boolean;
  onMute: () => void;
}) {
  const { t } = useI18n();
  return (
    <div className="desk-top">
      <div className="desk-tabs" role="tablist">
        {DESK_TABS.map((tab) => (
          <button
            key={tab}
            role="tab"
            aria-selected={p.tab === tab}
            className={p.tab === tab ? 'active' : ''}
            data-testid={`desk-tab-${tab}`}
            onClick={() => p.onTab(tab)}
          >
            {t(`desk.tab.${tab}` as MessageKey)}{' '}
            <span
              className={`desk-count${(tab === 'overdue' || tab === 'requests') && p.counts[tab] > 0 ? ' bad' : ''}`}
              data-testid={`desk-count-${tab}`}
            >
              {p.counts[tab]}
            </span>
          </button>
        ))}
      </div>
      <DeskFiguresStrip view={p.figures} />
      <div className="desk-tools">
        <button onClick={p.onConflicts} data-testid="desk-conflicts-toggle" title="Shift+C">
          {t('desk.conflicts')}{' '}
          <span className={`desk-count${p.conflicts > 0 ? ' bad' : ''}`} data-testid="desk-conflicts-count">
            {p.conflicts}
          </span>
        </button>
        <button
          onClick={p.onBoard}
          data-testid="officer-board-toggle"
          title="Shift+O"
          aria-pressed={p.boardOpen}
        >
          {t('board.toggle')}
        </button>
        <button onClick={p.onDuplicates} data-testid="dup-list-toggle">
          {t('dup.panel')}{' '}
          <span className={`desk-count${p.duplicates > 0 ? ' warn' : ''}`} data-testid="dup-count">
            {p.duplicates}
          </span>
        </button>
        <SupervisionToggle items={p.supervision} open={p.supervisionOpen} onToggle={p.onSupervision} />
        <button onClick={p.onMute} data-testid="desk-mute" title="m" aria-pressed={p.muted}>
          {p.muted ? t('desk.unmute') : t('desk.mute')}
        </button>
      </div>
    </div>
  );
}
