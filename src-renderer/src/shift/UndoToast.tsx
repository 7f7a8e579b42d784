// The undo window of a one-click action: the command waits in the outbox for a
// few seconds; "撤销" here (or Ctrl+Z) takes it back before it is sent. Works offline too: a held
// command never left this workstation.
import { useEffect, useState } from 'react';
import { useI18n } from '../i18n';
import { useCaseNumbers } from '../shell/use-case-numbers';

/** How long a dispatch waits in the outbox before it is sent. */
export const UNDO_MS = 5_000;

export interface Undoable {
  commandId: string;
  caseId: string;
  label: string;
  /** Epoch ms when the hold ends (the worker's clock, same machine). */
  until: number;
}

export function UndoToast(props: {
  undoable: Undoable;
  offline: boolean;
  onUndo: () => void;
  onGone: () => void;
}) {
  const { t } = useI18n();
  const [now, setNow] = useState(() => Date.now());
  const { until } = props.undoable;
  const numberOf = useCaseNumbers([props.undoable.caseId]);
  const action = `${props.undoable.label} · ${numberOf(props.undoable.caseId)}`;
  const { onGone } = props;
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 250);
    return () => clearInterval(timer);
  }, []);
  useEffect(() => {
    if (now >= until) onGone();
  }, [now, until, onGone]);
  if (now >= until) return null;
  const s = Math.max(1, Math.ceil((until - now) / 1000));
  return (
    <div
      className="undo-toast queued"
      role="status"
      data-testid="undo-toast"
      data-command-id={props.undoable.commandId}
    >
      <span>{props.offline ? t('undo.queuedOffline', { action }) : t('undo.queued', { action, s })}</span>
      <button className="lang" data-testid="undo-button" onClick={props.onUndo} title={t('undo.hint')}>
        {t('undo.button')} (Ctrl+Z)
      </button>
    </div>
  );
}
