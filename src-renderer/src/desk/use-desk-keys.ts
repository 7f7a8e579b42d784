// The desk's keys (listed in shortcuts.tsx and the shell's `?`) and the same commands by name in
// the Ctrl+K palette. Ctrl+Z undoes the last held action unless the focus is in a text field.
import { useEffect, useMemo, type Dispatch, type RefObject, type SetStateAction } from 'react';
import type { CaseAction } from '../../../src-shared/domain/case-model';
import { DESK_TABS, type DeskFilter, type TabCounts } from '../../../src-shared/desk/queue';
import type { DeskRow } from '../../../src-shared/desk/queue-data';
import type { RankedOfficer } from '../../../src-shared/desk/recommend';
import { useI18n } from '../i18n';
import type { MessageKey } from '../i18n/zh-CN';
import type { Undoable } from '../shift/UndoToast';
import type { PaletteCommand } from './CommandPalette';
import { ACTION_KEYS, KEY_ACTIONS } from './shortcuts';
import type { DeskQueue } from './use-desk-queue';

export type DeskDialog = { kind: 'action'; action: CaseAction } | { kind: 'bulk' } | null;

type Toggle = Dispatch<SetStateAction<boolean>>;

/** What the keys open and close beside the queue (React state setters: stable). */
export interface DeskPanels {
  setPalette: Toggle;
  setConflictsOpen: Toggle;
  setBoardOpen: Toggle;
  setMuted: Toggle;
  setDialog: (dialog: DeskDialog) => void;
}

/** What the keys act on: the open case, its recommendation, and how to act. */
export interface DeskKeyTargets {
  canDispatch: boolean;
  recommended: readonly RankedOfficer[];
  dispatchTo: (officerId: string) => void;
  openAction: (action: CaseAction) => void;
}

function typingIn(target: EventTarget | null): boolean {
  return (
    target instanceof HTMLElement &&
    (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName))
  );
}

export function useDeskKeyboard(o: {
  queue: DeskQueue;
  targets: DeskKeyTargets;
  panels: DeskPanels;
  modalOpen: boolean;
  undoable: Undoable | null;
  undo: () => Promise<void>;
  search: RefObject<HTMLInputElement | null>;
  detailRef: RefObject<HTMLDivElement | null>;
}): void {
  const { modalOpen, undoable, undo, search, detailRef } = o;
  const { move, cycleTab, selectedId, toggleBulk, bulkRows } = o.queue;
  const { canDispatch, recommended, dispatchTo, openAction } = o.targets;
  const { setPalette, setConflictsOpen, setBoardOpen, setMuted, setDialog } = o.panels;
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
      } else if (key === 'C') setConflictsOpen((v) => !v);
      else if (key === 'm') setMuted((m) => !m);
      else if (key === 'O') setBoardOpen((v) => !v);
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
    search,
    detailRef,
    setPalette,
    setConflictsOpen,
    setBoardOpen,
    setMuted,
    setDialog,
  ]);
}

/** The palette's commands: the open case's actions, its recommended officers, tabs, toggles. */
export function usePaletteCommands(o: {
  actions: readonly CaseAction[];
  targets: DeskKeyTargets;
  counts: TabCounts;
  bulkRows: readonly DeskRow[];
  muted: boolean;
  refine: (patch: Partial<DeskFilter>) => void;
  panels: DeskPanels;
}): PaletteCommand[] {
  const { t } = useI18n();
  const { actions, counts, bulkRows, muted, refine } = o;
  const { canDispatch, recommended, dispatchTo, openAction } = o.targets;
  const { setConflictsOpen, setMuted, setDialog } = o.panels;
  return useMemo<PaletteCommand[]>(() => {
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
        run: () => refine({ tab }),
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
  }, [
    actions,
    recommended,
    canDispatch,
    counts,
    bulkRows,
    muted,
    t,
    openAction,
    dispatchTo,
    refine,
    setConflictsOpen,
    setMuted,
    setDialog,
  ]);
}
