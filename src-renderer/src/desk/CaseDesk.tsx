// 事件台: the dispatcher's queue and the open case, keyboard-first. The queue is every open case of
// the seat (compact rows, live), in tabs with counts, filtered and sorted, virtualised; the
// detail shows the case and the actions this seat's role allows; conflicts, the command palette
// and the seat's figures sit beside it. Keys: see shortcuts.tsx (the shell's `?` lists them).
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { CaseDetailView, SeatView } from '../../../src-shared/ipc/contract';
import {
  CASE_SOURCES,
  PRIORITIES,
  type CaseAction,
  type CaseState,
} from '../../../src-shared/domain/case-model';
import { defaultCalendar } from '../../../src-shared/domain/calendar';
import { isWithin } from '../../../src-shared/domain/codes';
import {
  DESK_SORTS,
  DESK_TABS,
  rowClock,
  selectRows,
  tabCounts,
  type DeskFilter,
  type DeskSort,
} from '../../../src-shared/desk/queue';
import type { DeskRow } from '../../../src-shared/desk/queue-data';
import type { RankedOfficer } from '../../../src-shared/desk/recommend';
import { formatShanghai, useI18n } from '../i18n';
import type { MessageKey } from '../i18n/zh-CN';
import { bridge } from '../platform/bridge';
import { useClock } from '../shell/use-clock';
import { useDeskSelectionBus } from '../windows/desk-bus';
import { ActionDialog, BulkDispatchDialog } from './ActionDialog';
import { CaseDetail, seatActions } from './CaseDetail';
import { CommandPalette, type PaletteCommand } from './CommandPalette';
import { DeskFiguresStrip } from './DeskFiguresStrip';
import { ConflictsPanel } from './ConflictsPanel';
import { actorName, assigneeName, categoryLabel, clockText, holderName, namesOf } from './format';
import { ACTION_KEYS, KEY_ACTIONS } from './shortcuts';
import { caseNumberText } from '../../../src-shared/domain/case-number';
import { chime } from './sound';
import { useDeskData } from './use-desk-data';
import { VirtualList } from './VirtualList';
// ---- shift: undo window, offline wording ----
import { useOffline } from '../shift/connection-context';
import { UNDO_MS, UndoToast, type Undoable } from '../shift/UndoToast';
// ---- 一事多报: duplicate proposals and merges ----
import { proposeDuplicates } from '../../../src-shared/desk/duplicates';
import { actionableProposals, DuplicateCard, DuplicateList } from './DuplicatePanel';
import { OfficerBoard } from './OfficerBoard'; // 队员看板 (issue 18)
import { SupervisionCard, SupervisionList, SupervisionToggle } from './SupervisionPanel'; // 督办 (issue 17)
import { useSupervision } from './use-supervision';

/** One-click actions that wait in the outbox for the undo window before they are sent. */
const HELD_ACTIONS: ReadonlySet<CaseAction> = new Set(['dispatch', 'reassign']);

const ROW_HEIGHT = 46;
const REJECT_CODES = new Set([
  'ALREADY_ASSIGNED',
  'VERSION_CONFLICT',
  'INVALID_TRANSITION',
  'CASE_CLOSED',
  'FORBIDDEN',
  'OUT_OF_SCOPE',
  'SEPARATION_VIOLATION',
]);
const MUTE_KEY = 'gridConsole.desk.muted';
const STATES: CaseState[] = [
  'reported',
  'registered',
  'returned',
  'dispatched',
  'handling',
  'suspended',
  'feedback',
];

type Dialog = { kind: 'action'; action: CaseAction } | { kind: 'bulk' } | null;

function typingIn(target: EventTarget | null): boolean {
  return (
    target instanceof HTMLElement &&
    (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName))
  );
}

export function CaseDesk({ seat }: { seat: SeatView }) {
  const { t, locale } = useI18n();
  const now = useClock();
  const calendar = useMemo(() => defaultCalendar(), []);
  const [muted, setMuted] = useState(() => globalThis.localStorage?.getItem(MUTE_KEY) === '1');
  const mutedRef = useRef(muted);
  useEffect(() => {
    mutedRef.current = muted;
    globalThis.localStorage?.setItem(MUTE_KEY, muted ? '1' : '0');
  }, [muted]);
  const onFresh = useCallback((rows: DeskRow[]) => {
    if (!mutedRef.current) chime(rows.some((r) => r.priority === 'emergency'));
  }, []);
  const data = useDeskData(seat, onFresh);
  const names = useMemo(() => namesOf(data.reference), [data.reference]);

  const [filter, setFilter] = useState<DeskFilter>({ tab: 'all' });
  const [sort, setSort] = useState<DeskSort>('deadline');
  // null = the first row of the queue as it stands.
  const [chosenId, setSelectedId] = useState<string | null>(null);
  const [bulk, setBulk] = useState<Set<string>>(() => new Set());
  const [detail, setDetail] = useState<CaseDetailView | null>(null);
  const [detailLoading, setDetailLoading] = useState(false);
  const [ranked, setRanked] = useState<{ key: string; list: RankedOfficer[] } | null>(null);
  const [dialog, setDialog] = useState<Dialog>(null);
  const [palette, setPalette] = useState(false);
  const [conflictsOpen, setConflictsOpen] = useState(false);
  const [flash, setFlash] = useState<{
    caseId: string;
    text: string;
    bad: boolean;
    /** A queued action's command: once the server confirms it the flash says so. */
    commandId?: string;
    label?: string;
  } | null>(null);
  const [undoable, setUndoable] = useState<Undoable | null>(null);
  const offline = useOffline();
  const search = useRef<HTMLInputElement | null>(null);
  const detailRef = useRef<HTMLDivElement | null>(null);

  // The queue is re-sorted when rows change and every 30 s (deadlines move); countdowns tick per second.
  const coarseNow = Math.floor(now / 30_000) * 30_000;
  const allRows = useMemo(() => [...data.rows.values()], [data.rows, data.version]); // eslint-disable-line react-hooks/exhaustive-deps
  const counts = useMemo(() => tabCounts(allRows, coarseNow), [allRows, coarseNow]);
  const duplicates = useMemo(
    () => actionableProposals(proposeDuplicates(allRows), data.rows, seat),
    [allRows, data.rows, seat],
  );
  const [dupListOpen, setDupListOpen] = useState(false);
  const [supOpen, setSupOpen] = useState(false);
  const toggleSup = useCallback(() => setSupOpen((o) => !o), []);
  const supervision = useSupervision(toggleSup);
  const [boardOpen, setBoardOpen] = useState(false);
  const shown = useMemo(
    () =>
      selectRows(allRows, filter, sort, {
        now: coarseNow,
        calendar,
        limitOf: (code) => names.category.get(code)?.timeLimit,
      }),
    [allRows, filter, sort, coarseNow, calendar, names],
  );
  // Overdue alert: the chime when more cases have run past their deadline than a moment ago.
  const lastOverdue = useRef<number | null>(null);
  const ready = data.state === 'ready';
  useEffect(() => {
    if (!ready) return;
    if (lastOverdue.current !== null && counts.overdue > lastOverdue.current && !mutedRef.current)
      chime(true);
    lastOverdue.current = counts.overdue;
  }, [counts.overdue, ready]);
  const selectedId = chosenId ?? shown[0]?.id ?? null;
  const activeIndex = selectedId ? shown.findIndex((r) => r.id === selectedId) : -1;

  // ---- the open case ----
  const loadDetail = useCallback(async (id: string): Promise<void> => {
    setDetailLoading(true);
    const r = await bridge().call('cases.get', id);
    setDetailLoading(false);
    if (r.ok) setDetail(r.data);
  }, []);
  useEffect(() => {
    if (!selectedId) return;
    const timer = setTimeout(() => void loadDetail(selectedId), 80);
    return () => clearTimeout(timer);
  }, [selectedId, loadDetail]);
  // ---- video wall and windows: cases opened here or in another window ----
  useDeskSelectionBus(chosenId, setSelectedId);
  // Reload the open case when it changed or when one of our actions settled.
  const selectedRef = useRef(selectedId);
  useEffect(() => {
    selectedRef.current = selectedId;
  }, [selectedId]);
  useEffect(() => {
    const id = selectedRef.current;
    if (id && data.changed.ids.has(id)) void loadDetail(id);
  }, [data.changed, loadDetail]);
  useEffect(() => {
    const id = selectedRef.current;
    if (id && data.outboxSeq > 0) void loadDetail(id);
  }, [data.outboxSeq, loadDetail]);

  const shownCase = detail?.case && detail.case.id === selectedId ? detail : null;
  const actions = useMemo(() => seatActions(shownCase, seat), [shownCase, seat]);
  const canDispatch = actions.includes('dispatch');
  const recommendKey =
    shownCase?.case && canDispatch ? `${shownCase.case.id}:${shownCase.case.version}` : null;
  const recommended = useMemo(
    () => (ranked && ranked.key === recommendKey ? ranked.list : []),
    [ranked, recommendKey],
  );
  useEffect(() => {
    if (!recommendKey) return;
    let alive = true;
    void bridge()
      .call('desk.recommend', recommendKey.slice(0, recommendKey.lastIndexOf(':')), 5)
      .then((r) => alive && r.ok && setRanked({ key: recommendKey, list: r.data }));
    return () => {
      alive = false;
    };
  }, [recommendKey]);

  // ---- acting ----
  const act = useCallback(
    async (
      action: CaseAction,
      payload: Record<string, unknown>,
      caseId?: string,
      version?: number,
    ): Promise<string | null> => {
      const c = shownCase?.case;
      const id = caseId ?? c?.id;
      if (!id) return null;
      // Keep the case being worked on open even when the action takes it off the queue.
      if (!caseId) setSelectedId(id);
      // No trailing undefined: over the web host's JSON it would arrive as null.
      const base = version ?? c?.version ?? null;
      const r = HELD_ACTIONS.has(action)
        ? await bridge().call('cases.act', action, { caseId: id, ...payload }, base, UNDO_MS)
        : await bridge().call('cases.act', action, { caseId: id, ...payload }, base);
      const label = t(`desk.action.${action}` as MessageKey);
      if (!r.ok) {
        const code = r.error.code;
        let why = `${t((REJECT_CODES.has(code) ? `desk.reject.${code}` : 'desk.reject.other') as MessageKey)}（${r.error.message}）`;
        if (code === 'ALREADY_ASSIGNED') {
          // Refused on what this console already knows: say who dispatched it and when.
          const now = await bridge().call('cases.get', id);
          const cur = now.ok ? now.data.case : null;
          if (cur?.assignedBy && cur.assignedAt)
            why = t('desk.conflicts.winner', {
              name: actorName(names, cur.assignedBy, t),
              time: formatShanghai(cur.assignedAt, locale),
              assignee: assigneeName(names, cur.assignee, locale, t),
            });
        }
        const text = t('desk.result.refused', { reason: why });
        setFlash({ caseId: id, text, bad: true });
        return text;
      }
      // Queued is not done: say so (amber), and offer the undo window of a held action.
      setFlash({
        caseId: id,
        text: t(offline ? 'undo.queuedOffline' : 'desk.result.queued', { action: label }),
        bad: false,
        commandId: r.data.commandId,
        label,
      });
      if (r.data.holdUntil)
        setUndoable({ commandId: r.data.commandId, caseId: id, label, until: r.data.holdUntil });
      return null;
    },
    [shownCase, t, locale, names, offline],
  );
  const undo = useCallback(async () => {
    const u = undoable;
    if (!u) return;
    setUndoable(null);
    const r = await bridge().call('cases.undo', u.commandId);
    const done = r.ok && r.data === 'withdrawn';
    setFlash({
      caseId: u.caseId,
      text: done ? t('undo.done', { action: u.label }) : t('undo.late'),
      bad: !done,
    });
  }, [undoable, t]);
  const undoGone = useCallback(() => setUndoable(null), []);
  // The queued flash turns into 已确认 when the server confirmed that very command.
  const confirmedFlash =
    flash?.commandId !== undefined &&
    detail?.actions.some((a) => a.commandId === flash.commandId && a.status === 'confirmed') === true;
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
  const bulkRows = useMemo(
    () => allRows.filter((r) => bulk.has(r.id) && (r.state === 'registered' || r.state === 'returned')),
    [allRows, bulk],
  );
  const bulkDispatch = async (
    to: (row: DeskRow) => { kind: 'officer' | 'department'; id: string },
  ): Promise<void> => {
    for (const row of bulkRows) await act('dispatch', { assignee: to(row) }, row.id, row.version);
    setBulk(new Set());
  };

  const move = useCallback(
    (delta: number) => {
      if (shown.length === 0) return;
      const i = activeIndex < 0 ? 0 : Math.max(0, Math.min(shown.length - 1, activeIndex + delta));
      setSelectedId(shown[i].id);
    },
    [shown, activeIndex],
  );
  const cycleTab = useCallback((delta: number) => {
    setFilter((f) => {
      const i = DESK_TABS.indexOf(f.tab);
      return { ...f, tab: DESK_TABS[(i + delta + DESK_TABS.length) % DESK_TABS.length] };
    });
    setSelectedId(null);
  }, []);
  const toggleBulk = useCallback((id: string) => {
    setBulk((b) => {
      const next = new Set(b);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
  }, []);

  // ---- keyboard ----
  const modalOpen = dialog !== null || palette;
  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 'k') {
        e.preventDefault();
        setPalette((p) => !p);
        return;
      }
      // Ctrl+Z: undo the last held action (not while typing: there it undoes the typing).
      if ((e.ctrlKey || e.metaKey) && !e.shiftKey && e.key.toLowerCase() === 'z' && !typingIn(e.target)) {
        if (undoable) {
          e.preventDefault();
          void undo();
        }
        return;
      }
      if (modalOpen || e.altKey || e.ctrlKey || e.metaKey) return;
      if (e.key === 'Escape') {
        setConflictsOpen(false);
        if (typingIn(e.target)) (e.target as HTMLElement).blur();
        return;
      }
      if (typingIn(e.target)) return;
      const key = e.key;
      let handled = true;
      if (key === 'j' || key === 'ArrowDown') move(1);
      else if (key === 'k' || key === 'ArrowUp') move(-1);
      else if (key === 'Enter')
        detailRef.current?.querySelector<HTMLButtonElement>('.desk-actions button')?.focus();
      else if (key === '[') cycleTab(-1);
      else if (key === ']') cycleTab(1);
      else if (key === '/') {
        search.current?.focus();
        search.current?.select();
      } else if (key === ' ' && selectedId) toggleBulk(selectedId);
      else if (key === 'D') {
        if (bulkRows.length > 0) setDialog({ kind: 'bulk' });
      } else if (key === 'C') setConflictsOpen((o) => !o);
      else if (key === 'm') setMuted((m) => !m);
      else if (key === 'O') setBoardOpen((o) => !o);
      else if (/^[1-5]$/.test(key) && canDispatch) {
        const r = recommended[Number(key) - 1];
        if (r) dispatchTo(r.officerId);
      } else if (KEY_ACTIONS.has(key)) openAction(KEY_ACTIONS.get(key)!);
      else handled = false;
      if (handled) e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [
    modalOpen,
    move,
    cycleTab,
    selectedId,
    toggleBulk,
    bulkRows,
    canDispatch,
    recommended,
    dispatchTo,
    openAction,
    undoable,
    undo,
  ]);

  const paletteCommands = useMemo<PaletteCommand[]>(() => {
    const cmds: PaletteCommand[] = actions.map((a) => ({
      id: `act-${a}`,
      label: t(`desk.action.${a}` as MessageKey),
      hint: ACTION_KEYS[a],
      run: () => openAction(a),
    }));
    recommended.forEach((r, i) => {
      if (canDispatch)
        cmds.push({
          id: `dispatch-${r.officerId}`,
          label: `${t('desk.action.dispatch')} → ${r.name}（${r.number}）`,
          hint: String(i + 1),
          run: () => dispatchTo(r.officerId),
        });
    });
    DESK_TABS.forEach((tab) =>
      cmds.push({
        id: `tab-${tab}`,
        label: `${t(`desk.tab.${tab}` as MessageKey)} (${counts[tab]})`,
        run: () => {
          setFilter((f) => ({ ...f, tab }));
          setSelectedId(null);
        },
      }),
    );
    if (bulkRows.length > 0)
      cmds.push({
        id: 'bulk',
        label: t('desk.action.bulkDispatch'),
        hint: 'Shift+D',
        run: () => setDialog({ kind: 'bulk' }),
      });
    cmds.push({
      id: 'conflicts',
      label: t('desk.conflicts'),
      hint: 'Shift+C',
      run: () => setConflictsOpen(true),
    });
    cmds.push({
      id: 'mute',
      label: muted ? t('desk.unmute') : t('desk.mute'),
      hint: 'm',
      run: () => setMuted((m) => !m),
    });
    return cmds;
  }, [actions, recommended, canDispatch, counts, bulkRows, muted, t, openAction, dispatchTo]);

  // ---- filter options ----
  const areaOptions = useMemo(
    () =>
      (data.reference?.divisions ?? [])
        .filter((d) => d.level !== 'city' && isWithin(d.code, seat.scopeCode) && d.code !== seat.scopeCode)
        .sort((a, b) => a.code.localeCompare(b.code)),
    [data.reference, seat.scopeCode],
  );
  const categoryOptions = useMemo(
    () => [...(data.reference?.categories ?? [])].sort((a, b) => a.code.localeCompare(b.code)),
    [data.reference],
  );
  const setF = (patch: Partial<DeskFilter>): void => {
    setFilter((f) => ({ ...f, ...patch }));
    setSelectedId(null);
  };

  const renderRow = (r: DeskRow) => {
    const clock = rowClock(r, names.category.get(r.categoryCode)?.timeLimit, now, calendar);
    const fresh = data.fresh.has(r.id);
    return (
      <div
        className={`desk-row${r.id === selectedId ? ' active' : ''}${fresh ? ' fresh' : ''} desk-row-${r.priority}`}
        data-testid="desk-row"
        data-case-id={r.id}
        data-state={r.state}
        data-pending={r.pending ? 'true' : 'false'}
        data-fresh={fresh ? 'true' : 'false'}
        role="option"
        aria-selected={r.id === selectedId}
        onClick={() => setSelectedId(r.id)}
      >
        <input
          type="checkbox"
          tabIndex={-1}
          checked={bulk.has(r.id)}
          onChange={() => toggleBulk(r.id)}
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
            {duplicates.has(r.id) && (
              <span className="desk-badge desk-badge-dup" data-testid="desk-row-duplicate">
                {t('dup.badge')}
              </span>
            )}
            {r.supervised && <span className="desk-badge desk-badge-supervised">{t('desk.supervised')}</span>}
            {r.reworkCount > 0 && (
              <span className="desk-badge">{t('desk.rework', { n: r.reworkCount })}</span>
            )}
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
  };

  const selectedRows = shown.filter((r) => bulk.has(r.id)).length;

  return (
    <div className="desk" data-testid="view-cases" data-seat={seat.seatId} data-desk-state={data.state}>
      <div className="desk-top">
        <div className="desk-tabs" role="tablist">
          {DESK_TABS.map((tab) => (
            <button
              key={tab}
              role="tab"
              aria-selected={filter.tab === tab}
              className={filter.tab === tab ? 'active' : ''}
              data-testid={`desk-tab-${tab}`}
              onClick={() => setF({ tab })}
            >
              {t(`desk.tab.${tab}` as MessageKey)}{' '}
              <span
                className={`desk-count${(tab === 'overdue' || tab === 'requests') && counts[tab] > 0 ? ' bad' : ''}`}
                data-testid={`desk-count-${tab}`}
              >
                {counts[tab]}
              </span>
            </button>
          ))}
        </div>
        <DeskFiguresStrip view={data.figures} />
        <div className="desk-tools">
          <button
            onClick={() => setConflictsOpen((o) => !o)}
            data-testid="desk-conflicts-toggle"
            title="Shift+C"
          >
            {t('desk.conflicts')}{' '}
            <span
              className={`desk-count${data.conflicts.length > 0 ? ' bad' : ''}`}
              data-testid="desk-conflicts-count"
            >
              {data.conflicts.length}
            </span>
          </button>
          <button
            onClick={() => setBoardOpen((o) => !o)}
            data-testid="officer-board-toggle"
            title="Shift+O"
            aria-pressed={boardOpen}
          >
            {t('board.toggle')}
          </button>
          <button onClick={() => setDupListOpen((o) => !o)} data-testid="dup-list-toggle">
            {t('dup.panel')}{' '}
            <span className={`desk-count${duplicates.size > 0 ? ' warn' : ''}`} data-testid="dup-count">
              {duplicates.size}
            </span>
          </button>
          <SupervisionToggle items={supervision} open={supOpen} onToggle={toggleSup} />
          <button onClick={() => setMuted((m) => !m)} data-testid="desk-mute" title="m" aria-pressed={muted}>
            {muted ? t('desk.unmute') : t('desk.mute')}
          </button>
        </div>
      </div>
      <div className="desk-body">
        <div className="desk-queue">
          <div className="desk-filters">
            <input
              ref={search}
              placeholder={t('desk.filter.search')}
              value={filter.text ?? ''}
              onChange={(e) => setF({ text: e.target.value })}
              data-testid="desk-search"
            />
            <select
              value={filter.state ?? ''}
              onChange={(e) => setF({ state: (e.target.value || null) as CaseState | null })}
              aria-label={t('desk.filter.state')}
              data-testid="desk-filter-state"
            >
              <option value="">
                {t('desk.filter.state')}: {t('desk.filter.any')}
              </option>
              {STATES.map((s) => (
                <option key={s} value={s}>
                  {t(`map.state.${s}` as MessageKey)}
                </option>
              ))}
            </select>
            <select
              value={filter.category ?? ''}
              onChange={(e) => setF({ category: e.target.value || null })}
              aria-label={t('desk.filter.category')}
              data-testid="desk-filter-category"
            >
              <option value="">
                {t('desk.filter.category')}: {t('desk.filter.any')}
              </option>
              {categoryOptions.map((c) => (
                <option key={c.code} value={c.code}>
                  {locale === 'zh-CN' ? c.name : c.nameEn}
                </option>
              ))}
            </select>
            <select
              value={filter.priority ?? ''}
              onChange={(e) => setF({ priority: (e.target.value || null) as DeskFilter['priority'] })}
              aria-label={t('desk.filter.priority')}
              data-testid="desk-filter-priority"
            >
              <option value="">
                {t('desk.filter.priority')}: {t('desk.filter.any')}
              </option>
              {PRIORITIES.map((p) => (
                <option key={p} value={p}>
                  {t(`map.priority.${p}` as MessageKey)}
                </option>
              ))}
            </select>
            <select
              value={filter.area ?? ''}
              onChange={(e) => setF({ area: e.target.value || null })}
              aria-label={t('desk.filter.area')}
              data-testid="desk-filter-area"
            >
              <option value="">
                {t('desk.filter.area')}: {t('desk.filter.any')}
              </option>
              {areaOptions.map((d) => (
                <option key={d.code} value={d.code}>
                  {d.name}
                </option>
              ))}
            </select>
            <select
              value={filter.source ?? ''}
              onChange={(e) => setF({ source: e.target.value || null })}
              aria-label={t('desk.filter.source')}
              data-testid="desk-filter-source"
            >
              <option value="">
                {t('desk.filter.source')}: {t('desk.filter.any')}
              </option>
              {CASE_SOURCES.map((s) => (
                <option key={s} value={s}>
                  {t(`desk.source.${s}` as MessageKey)}
                </option>
              ))}
            </select>
            <select
              value={filter.deadline ?? ''}
              onChange={(e) => setF({ deadline: (e.target.value || null) as DeskFilter['deadline'] })}
              aria-label={t('desk.filter.deadline')}
              data-testid="desk-filter-deadline"
            >
              <option value="">
                {t('desk.filter.deadline')}: {t('desk.filter.any')}
              </option>
              {(['overdue', 'red', 'amber'] as const).map((d) => (
                <option key={d} value={d}>
                  {t(`desk.deadline.${d}` as MessageKey)}
                </option>
              ))}
            </select>
            <select
              value={sort}
              onChange={(e) => setSort(e.target.value as DeskSort)}
              aria-label={t('desk.sort')}
              data-testid="desk-sort"
            >
              {DESK_SORTS.map((s) => (
                <option key={s} value={s}>
                  {t(`desk.sort.${s}` as MessageKey)}
                </option>
              ))}
            </select>
          </div>
          <div className="desk-queue-meta muted small">
            <span data-testid="desk-shown">{t('desk.rows', { n: shown.length })}</span>
            {selectedRows > 0 && <span> · {t('desk.selected', { n: bulk.size })} (Shift+D)</span>}
            {flash && flash.caseId === selectedId && (
              <span
                className={flash.bad ? 'error' : confirmedFlash ? 'ok' : 'queued'}
                data-testid="desk-flash"
                role="status"
              >
                {' '}
                · {confirmedFlash ? `${t('desk.status.confirmed')}：${flash.label ?? ''}` : flash.text}
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
              activeIndex={activeIndex}
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
              onOpen={(id) => setSelectedId(id)}
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
              onOpen={(id) => setSelectedId(id)}
              onClose={() => setDupListOpen(false)}
            />
          )}
          {supOpen && (
            <SupervisionList
              items={supervision}
              names={names}
              now={now}
              onOpen={(id) => setSelectedId(id)}
              onClose={() => setSupOpen(false)}
            />
          )}
          <SupervisionCard detail={shownCase} seat={seat} names={names} now={now} />
          <DuplicateCard
            detail={shownCase}
            proposal={(selectedId && duplicates.get(selectedId)) || null}
            rows={data.rows}
            seat={seat}
            onOpen={(id) => setSelectedId(id)}
          />
          <CaseDetail
            detail={shownCase}
            loading={detailLoading}
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
