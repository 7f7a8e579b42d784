// Acting on cases from the desk: `cases.act` with the case's version, the one-line result beside
// the queue (refused in red with the reason, queued in amber, 已确认 once the server confirmed
// that very command), and the undo window of a held action (Ctrl+Z or the toast).
import { useCallback, useState } from 'react';
import type { CaseDetailView } from '../../../src-shared/ipc/contract';
import type { CaseAction } from '../../../src-shared/domain/case-model';
import { formatShanghai, useI18n } from '../i18n';
import type { MessageKey } from '../i18n/zh-CN';
import { bridge } from '../platform/bridge';
import { UNDO_MS, type Undoable } from '../shift/UndoToast';
import { actorName, assigneeName, refusalWords, type Names } from './format';

/** One-click actions that wait in the outbox for the undo window before they are sent. */
const HELD_ACTIONS: ReadonlySet<CaseAction> = new Set(['dispatch', 'reassign']);

export interface DeskFlash {
  caseId: string;
  text: string;
  bad: boolean;
  /** A queued action's command: once the server confirmed it the flash says so. */
  commandId?: string;
  label?: string;
}

/** Sends an action; resolves to the refusal's text, or null when it was queued. */
export type DeskAct = (
  action: CaseAction,
  payload: Record<string, unknown>,
  caseId?: string,
  version?: number,
) => Promise<string | null>;

export function useDeskActions(opts: {
  /** The case open in the detail (the default target of an action). */
  shownCase: CaseDetailView | null;
  /** The open case as last read (its actions confirm a queued flash). */
  detail: CaseDetailView | null;
  names: Names;
  offline: boolean;
  /** Keeps the case being worked on open even when the action takes it off the queue. */
  keepOpen: (caseId: string) => void;
}) {
  const { shownCase, detail, names, offline, keepOpen } = opts;
  const { t, locale } = useI18n();
  const [flash, setFlash] = useState<DeskFlash | null>(null);
  const [undoable, setUndoable] = useState<Undoable | null>(null);

  const act = useCallback<DeskAct>(
    async (action, payload, caseId, version) => {
      const c = shownCase?.case;
      const id = caseId ?? c?.id;
      if (!id) return null;
      if (!caseId) keepOpen(id);
      // No trailing undefined: over the web host's JSON it would arrive as null.
      const base = version ?? c?.version ?? null;
      const r = HELD_ACTIONS.has(action)
        ? await bridge().call('cases.act', action, { caseId: id, ...payload }, base, UNDO_MS)
        : await bridge().call('cases.act', action, { caseId: id, ...payload }, base);
      const label = t(`desk.action.${action}` as MessageKey);
      if (!r.ok) {
        const code = r.error.code;
        let why = refusalWords(r.error, t, locale);
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
    [shownCase, t, locale, names, offline, keepOpen],
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
  const confirmed =
    flash?.commandId !== undefined &&
    detail?.actions.some((a) => a.commandId === flash.commandId && a.status === 'confirmed') === true;
  return { act, flash, confirmed, undoable, undo, undoGone };
}
