// 事件台: the dispatcher's queue and the open case, keyboard-first. The queue is every open case of
// the seat (compact rows, live), in tabs with counts, filtered and sorted, virtualised; the
// detail shows the case and the actions this seat's role allows; conflicts, the command palette
// and the seat's figures sit beside it. Keys: see shortcuts.tsx (the shell's `?` lists them).
// The parts: use-desk-queue (tabs, filters, selection), use-open-case (detail, recommendation),
// use-desk-actions (acting, undo), use-desk-keys (keys, palette), use-desk-chime; the toolbar,
// the filters and the queue's rows are components of their own.
import { useCallback, useMemo, useRef, useState } from 'react';
import type { SeatView } from '../../../src-shared/ipc/contract';
import type { CaseAction } from '../../../src-shared/domain/case-model';
import { defaultCalendar } from '../../../src-shared/domain/calendar';
import type { DeskRow } from '../../../src-shared/desk/queue-data';
import { useI18n } from '../i18n';
import { useClock } from '../shell/use-clock';
import { useDeskSelectionBus } from '../windows/desk-bus';
import { ActionDialog, BulkDispatchDialog } from './ActionDialog';
import { CaseDetail } from './CaseDetail';
import { CommandPalette } from './CommandPalette';
import { ConflictsPanel } from './ConflictsPanel';
import { DeskFilters } from './DeskFilters';
import { DeskToolbar } from './DeskToolbar';
import { namesOf } from './format';
import { QueueRow } from './QueueRow';
import { useDeskActions } from './use-desk-actions';
import { useDeskChime, useOverdueChime } from './use-desk-chime';
import { useDeskData } from './use-desk-data';
import { useDeskKeyboard, usePaletteCommands, type DeskDialog } from './use-desk-keys';
import { useDeskQueue } from './use-desk-queue';
import { useOpenCase } from './use-open-case';
import { VirtualList } from './VirtualList';
// ---- shift: undo window, offline wording ----
import { useOffline } from '../shift/connection-context';
import { UndoToast } from '../shift/UndoToast';
// ---- 一事多报: duplicate proposals and merges ----
import { proposeDuplicates } from '../../../src-shared/desk/duplicates';
import { actionableProposals, DuplicateCard, DuplicateList } from './DuplicatePanel';
import { OfficerBoard } from './OfficerBoard'; // 队员看板
import { SupervisionCard, SupervisionList } from './SupervisionPanel'; // 督办
import { useSupervision } from './use-supervision';

const ROW_HEIGHT = 46;

export function CaseDesk({ seat }: { seat: SeatView }) {
  const { t, locale } = useI18n();
  const now = useClock();
  const calendar = useMemo(() => defaultCalendar(), []);
  const { muted, setMuted, mutedRef, onFresh } = useDeskChime();
  const data = useDeskData(seat, onFresh);
  const names = useMemo(() => namesOf(data.reference), [data.reference]);
  const queue = useDeskQueue(data, names, now, calendar);
  const { shown, selectedId, setSelectedId, bulk, bulkRows, counts } = queue;

  const [dialog, setDialog] = useState<DeskDialog>(null);
  const [palette, setPalette] = useState(false);
  const [conflictsOpen, setConflictsOpen] = useState(false);
  const [dupListOpen, setDupListOpen] = useState(false);
  const [supOpen, setSupOpen] = useState(false);
  const [boardOpen, setBoardOpen] = useState(false);
  const toggleSup = useCallback(() => setSupOpen((o) => !o), []);
  const supervision = useSupervision(toggleSup);
  const offline = useOffline();
  const search = useRef<HTMLInputElement | null>(null);
  const detailRef = useRef<HTMLDivElement | null>(null);

  const duplicates = useMemo(
    () => actionableProposals(proposeDuplicates(queue.allRows), data.rows, seat),
    [queue.allRows, data.rows, seat],
  );
  useOverdueChime(counts.overdue, data.state === 'ready', mutedRef);

  // ---- the open case; the video wall and other windows open cases here too ----
  const open = useOpenCase(selectedId, data, seat);
  const { shownCase, actions, canDispatch, recommended } = open;
  useDeskSelectionBus(queue.chosenId, setSelectedId);

  // ---- acting ----
  const { act, flash, confirmed, undoable, undo, undoGone } = useDeskActions({
    shownCase,
    detail: open.detail,
    names,
    offline,
    keepOpen: setSelectedId,
  });
  const dispatchTo = useCallback(
    (officerId: string) => {
      if (!canDispatch) return;
      void act('dispatch', { assignee: { kind: 'officer', id: officerId } });
    },
    [act, canDispatch],
  );
  const openAction = useCallback(
    (action: CaseAction) => {
      if (actions.includes(action)) setDialog({ kind: 'action', action });
    },
    [actions],
  );
  const bulkDispatch = async (
    to: (row: DeskRow) => { kind: 'officer' | 'department'; id: string },
  ): Promise<void> => {
    for (const row of bulkRows) await act('dispatch', { assignee: to(row) }, row.id, row.version);
    queue.clearBulk();
  };

  // ---- keyboard and palette ----
  const targets = { canDispatch, recommended, dispatchTo, openAction };
  const panels = { setPalette, setConflictsOpen, setBoardOpen, setMuted, setDialog };
  useDeskKeyboard({
    queue,
    targets,
    panels,
    modalOpen: dialog !== null || palette,
    undoable,
    undo,
    search,
    detailRef,
  });
  const paletteCommands = usePaletteCommands({
    actions,
    targets,
    counts,
    bulkRows,
    muted,
    refine: queue.refine,
    panels,
  });

  const renderRow = (r: DeskRow) => (
    <QueueRow
      row={r}
      names={names}
      now={now}
      calendar={calendar}
      active={r.id === selectedId}
      fresh={data.fresh.has(r.id)}
      duplicate={duplicates.has(r.id)}
      ticked={bulk.has(r.id)}
      onSelect={setSelectedId}
      onTick={queue.toggleBulk}
    />
  );
  const selectedRows = shown.filter((r) => bulk.has(r.id)).length;

  return (
    <div className="desk" data-testid="view-cases" data-seat={seat.seatId} data-desk-state={data.state}>
      <DeskToolbar
        tab={queue.filter.tab}
        counts={counts}
        onTab={(tab) => queue.refine({ tab })}
        figures={data.figures}
        conflicts={data.conflicts.length}
        onConflicts={() => setConflictsOpen((o) => !o)}
        boardOpen={boardOpen}
        onBoard={() => setBoardOpen((o) => !o)}
        duplicates={duplicates.size}
        onDuplicates={() => setDupListOpen((o) => !o)}
        supervision={supervision}
        supervisionOpen={supOpen}
        onSupervision={toggleSup}
        muted={muted}
        onMute={() => setMuted((m) => !m)}
      />
      <div className="desk-body">
        <div className="desk-queue">
          <DeskFilters
            filter={queue.filter}
            onFilter={queue.refine}
            sort={queue.sort}
            onSort={queue.setSort}
            reference={data.reference}
            scopeCode={seat.scopeCode}
            search={search}
          />
          <div className="desk-queue-meta muted small">
            <span data-testid="desk-shown">{t('desk.rows', { n: shown.length })}</span>
            {selectedRows > 0 && <span> · {t('desk.selected', { n: bulk.size })} (Shift+D)</span>}
            {flash && flash.caseId === selectedId && (
              <span
                className={flash.bad ? 'error' : confirmed ? 'ok' : 'queued'}
                data-testid="desk-flash"
                role="status"
              >
                {' '}
                · {confirmed ? `${t('desk.status.confirmed')}：${flash.label ?? ''}` : flash.text}
              </span>
            )}
          </div>
          {data.state === 'loading' ? (
            <p className="muted">{t('desk.loading')}</p>
          ) : data.state === 'error' ? (
            <p className="error">{data.error}</p>
          ) : shown.length === 0 ? (
            <p className="muted" data-testid="desk-empty">
              {t('desk.empty')}
            </p>
          ) : (
            <VirtualList
              items={shown}
              rowHeight={ROW_HEIGHT}
              activeIndex={queue.activeIndex}
              renderRow={renderRow}
              testId="desk-queue"
              label={t('view.cases.title')}
            />
          )}
        </div>
        <div className="desk-side" ref={detailRef}>
          {conflictsOpen && (
            <ConflictsPanel
              conflicts={data.conflicts}
              names={names}
              onAcknowledge={data.acknowledge}
              onOpen={setSelectedId}
              onClose={() => setConflictsOpen(false)}
            />
          )}
          {boardOpen && (
            <OfficerBoard
              officers={data.reference?.officers ?? []}
              rows={data.rows}
              names={names}
              now={now}
              openCase={shownCase?.case ?? null}
              canDispatch={canDispatch}
              onDispatch={dispatchTo}
              onClose={() => setBoardOpen(false)}
            />
          )}
          {dupListOpen && (
            <DuplicateList
              proposals={duplicates}
              rows={data.rows}
              names={names}
              onOpen={setSelectedId}
              onClose={() => setDupListOpen(false)}
            />
          )}
          {supOpen && (
            <SupervisionList
              items={supervision}
              names={names}
              now={now}
              onOpen={setSelectedId}
              onClose={() => setSupOpen(false)}
            />
          )}
          <SupervisionCard detail={shownCase} seat={seat} names={names} now={now} />
          <DuplicateCard
            detail={shownCase}
            proposal={(selectedId && duplicates.get(selectedId)) || null}
            rows={data.rows}
            seat={seat}
            onOpen={setSelectedId}
          />
          <CaseDetail
            detail={shownCase}
            loading={open.loading}
            seat={seat}
            names={names}
            reference={data.reference}
            recommended={recommended}
            now={now}
            calendar={calendar}
            onAction={openAction}
            onDispatchTo={dispatchTo}
          />
        </div>
      </div>
      {dialog?.kind === 'action' && shownCase?.case && (
        <ActionDialog
          action={dialog.action}
          case={shownCase.case}
          names={names}
          reference={data.reference}
          recommended={recommended}
          seatScope={seat.scopeCode}
          onSubmit={(payload) => act(dialog.action, payload)}
          onClose={() => setDialog(null)}
        />
      )}
      {dialog?.kind === 'bulk' && (
        <BulkDispatchDialog
          rows={bulkRows}
          names={names}
          reference={data.reference}
          locale={locale}
          onSubmit={bulkDispatch}
          onClose={() => setDialog(null)}
        />
      )}
      {palette && <CommandPalette commands={paletteCommands} onClose={() => setPalette(false)} />}
      {undoable && (
        <UndoToast undoable={undoable} offline={offline} onUndo={() => void undo()} onGone={undoGone} />
      )}
    </div>
  );
}
