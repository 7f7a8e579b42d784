// A case dropped on an officer on the map (case-drag.ts): the same dispatch the desk sends — the
// case's current version, held in the outbox for the undo window — after the same rule check the
// desk's buttons use (allowedActions), so a case waiting for verification, or another seat's, is
// refused here with its reason rather than queued. The result line and the undo toast are shown
// by the map view.
import { useCallback, useState } from 'react';
import { caseNumberText } from '../../../src-shared/domain/case-number';
import type { Role } from '../../../src-shared/domain/case-model';
import { allowedActions } from '../../../src-shared/domain/case-workflow';
import type { SeatView } from '../../../src-shared/ipc/contract';
import { useI18n } from '../i18n';
import type { MessageKey } from '../i18n/zh-CN';
import { bridge } from '../platform/bridge';
import { refusalWords } from '../desk/format';
import { UNDO_MS, type Undoable } from '../shift/UndoToast';

export interface DropResult {
  text: string;
  bad: boolean;
}

export function useDropDispatch(seat: SeatView) {
  const { t, locale } = useI18n();
  const [result, setResult] = useState<DropResult | null>(null);
  const [undoable, setUndoable] = useState<Undoable | null>(null);

  const drop = useCallback(
    async (caseId: string, officer: { id: string; name: string; number: string }): Promise<void> => {
      const got = await bridge().call('cases.get', caseId);
      const c = got.ok ? got.data.case : null;
      if (!c) {
        setResult({ text: t('map.drop.gone'), bad: true });
        return;
      }
      const number = caseNumberText(c, false);
      const actor = { id: seat.seatId, role: seat.role as Role, scopeCode: seat.scopeCode };
      if (!allowedActions(c, actor).includes('dispatch')) {
        const state = t(`map.state.${c.state}` as MessageKey);
        setResult({
          text:
            c.state === 'reported'
              ? t('map.drop.verifyFirst', { case: number })
              : t('map.drop.cannot', { case: number, state }),
          bad: true,
        });
        return;
      }
      const r = await bridge().call(
        'cases.act',
        'dispatch',
        { caseId, assignee: { kind: 'officer', id: officer.id } },
        c.version,
        UNDO_MS,
      );
      if (!r.ok) {
        setResult({
          text: t('map.drop.refused', { case: number, reason: refusalWords(r.error, t, locale) }),
          bad: true,
        });
        return;
      }
      const label = t('map.drop.label', { name: `${officer.name}（${officer.number}）` });
      setResult({
        text: t('map.drop.queued', { case: number, name: `${officer.name}（${officer.number}）` }),
        bad: false,
      });
      if (r.data.holdUntil)
        setUndoable({ commandId: r.data.commandId, caseId, label, until: r.data.holdUntil });
    },
    [seat, t, locale],
  );

  const undo = useCallback(async (): Promise<void> => {
    const u = undoable;
    if (!u) return;
    setUndoable(null);
    const r = await bridge().call('cases.undo', u.commandId);
    const done = r.ok && r.data === 'withdrawn';
    setResult({ text: done ? t('undo.done', { action: u.label }) : t('undo.late'), bad: !done });
  }, [undoable, t]);

  return { drop, result, undoable, undo, undoGone: () => setUndoable(null), clear: () => setResult(null) };
}
