// 交接班: the handover dialog — the shift in progress (seat, since), its open items, a note for
// the next shift — and the button that records the shift and logs the seat out.
import { useEffect, useState } from 'react';
import type { ActionView, ShiftOpenItems, ShiftSummary } from '../../../src-shared/ipc/contract';
import { formatShanghai, useI18n } from '../i18n';
import type { MessageKey } from '../i18n/zh-CN';
import { bridge } from '../platform/bridge';
import { useCaseNumbers } from '../shell/use-case-numbers';

const ITEM_KEYS: (keyof ShiftOpenItems)[] = [
  'pending',
  'conflicts',
  'verify',
  'dispatch',
  'overdue',
  'check',
  'suspended',
];

export function ShiftDialog(props: { onLogout: (note: string) => Promise<unknown>; onClose: () => void }) {
  const { t, locale } = useI18n();
  const [summary, setSummary] = useState<ShiftSummary | null>(null);
  /** The unsent actions themselves, so the handover says which ones stay on this workstation. */
  const [unsent, setUnsent] = useState<ActionView[]>([]);
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    let alive = true;
    void bridge()
      .call('session.shift')
      .then((r) => alive && r.ok && setSummary(r.data));
    void bridge()
      .call('outbox.pending')
      .then((r) => alive && r.ok && setUnsent(r.data));
    return () => {
      alive = false;
    };
  }, []);
  const numberOf = useCaseNumbers(unsent.map((a) => a.caseId));
  const items = summary ? ITEM_KEYS.filter((k) => summary.openItems[k] > 0) : [];
  return (
    <div
      className="dialog shift-dialog"
      role="dialog"
      aria-modal="true"
      aria-label={t('shift.title')}
      data-testid="shift-dialog"
      onKeyDown={(e) => {
        e.stopPropagation();
        if (e.key === 'Escape') props.onClose();
      }}
    >
      <h2>{t('shift.title')}</h2>
      {summary && (
        <p className="muted" data-testid="shift-held">
          {t('shift.heldSince', {
            seat:
              locale === 'en'
                ? `${summary.seat.displayName} (${summary.seat.userName})`
                : `${summary.seat.displayName}（${summary.seat.userName}）`,
            from: formatShanghai(summary.from, locale),
          })}
        </p>
      )}
      <h3>{t('shift.openItems')}</h3>
      <ul data-testid="shift-open-items">
        {items.map((k) => (
          <li key={k} data-item={k} className={k === 'overdue' || k === 'conflicts' ? 'warning' : ''}>
            {t(`shift.item.${k}` as MessageKey, { n: summary!.openItems[k] })}
          </li>
        ))}
        {summary && items.length === 0 && <li className="muted">—</li>}
      </ul>
      {summary && summary.openItems.pending > 0 && (
        <p className="warning small">{t('shift.pendingWarn', { n: summary.openItems.pending })}</p>
      )}
      {unsent.length > 0 && (
        <ul className="small" data-testid="shift-unsent">
          {unsent.map((a) => (
            <li key={a.commandId} data-case-id={a.caseId}>
              {t(`desk.action.${a.type}` as MessageKey)} ·{' '}
              <span className="mono" data-testid="shift-unsent-case">
                {numberOf(a.caseId)}
              </span>{' '}
              · {formatShanghai(a.createdAt, locale)}
            </li>
          ))}
        </ul>
      )}
      <label className="shift-note">
        {t('shift.note')}
        <textarea
          data-testid="shift-note"
          rows={4}
          maxLength={4000}
          value={note}
          placeholder={t('shift.note.placeholder')}
          onChange={(e) => setNote(e.target.value)}
          autoFocus
        />
      </label>
      <div className="shift-buttons">
        <button className="lang" onClick={props.onClose} disabled={busy}>
          {t('shift.cancel')}
        </button>
        <button
          className="primary"
          data-testid="shift-confirm"
          disabled={busy}
          onClick={() => {
            setBusy(true);
            void props.onLogout(note).finally(() => setBusy(false));
          }}
        >
          {busy ? t('shift.busy') : t('shift.confirm')}
        </button>
      </div>
    </div>
  );
}
