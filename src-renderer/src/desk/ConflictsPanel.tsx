// Rejected actions of this console (the outbox's conflicts): what was refused, why, who won and
// when (ALREADY_ASSIGNED details), the case's current state; each acknowledged explicitly.
import type { ActionView } from '../../../src-shared/ipc/contract';
import { formatShanghai, useI18n } from '../i18n';
import type { MessageKey } from '../i18n/zh-CN';
import { assigneeName, rejectKey, type Names } from './format';
import { useCaseNumbers } from '../shell/use-case-numbers';

interface Props {
  conflicts: ActionView[];
  names: Names;
  onAcknowledge: (commandId: string) => void;
  onOpen: (caseId: string) => void;
  onClose: () => void;
}

export function ConflictsPanel(p: Props) {
  const { t, locale } = useI18n();
  const numberOf = useCaseNumbers(p.conflicts.map((c) => c.caseId));
  return (
    <section
      className="panel desk-conflicts"
      data-testid="desk-conflicts"
      aria-label={t('desk.conflicts.title')}
    >
      <header>
        <h2>{t('desk.conflicts.title')}</h2>
        <button onClick={p.onClose} data-testid="desk-conflicts-close">
          ×
        </button>
      </header>
      {p.conflicts.length === 0 && <p className="muted">{t('desk.conflicts.none')}</p>}
      <ul>
        {p.conflicts.map((c) => {
          const a = c.answer?.status === 'rejected' ? c.answer : null;
          const details = (a?.details ?? {}) as {
            by?: string;
            byName?: string | null;
            at?: number | null;
            assignee?: { kind: string; id: string };
          };
          return (
            <li
              key={c.commandId}
              data-testid="desk-conflict"
              data-case-id={c.caseId}
              data-code={a?.code ?? ''}
            >
              <div>
                <strong>{t(`desk.action.${c.type}` as MessageKey)}</strong> ·{' '}
                <span className="mono" data-testid="desk-conflict-case">
                  {numberOf(c.caseId)}
                </span>{' '}
                · <span className="error">{t(rejectKey(a?.code))}</span>
              </div>
              {a?.code === 'ALREADY_ASSIGNED' && (
                <div data-testid="desk-conflict-winner">
                  {t('desk.conflicts.winner', {
                    name: details.byName ?? details.by ?? '?',
                    time: details.at ? formatShanghai(details.at, locale) : '?',
                    assignee: assigneeName(p.names, details.assignee ?? null, locale, t),
                  })}
                </div>
              )}
              <div className="muted small">{a?.reason}</div>
              {a?.current && (
                <div className="small">
                  {t('desk.conflicts.current', { state: t(`map.state.${a.current.state}` as MessageKey) })}
                </div>
              )}
              <div className="desk-conflict-buttons">
                <button onClick={() => p.onOpen(c.caseId)}>{t('desk.conflicts.open')}</button>
                <button onClick={() => p.onAcknowledge(c.commandId)} data-testid="desk-conflict-ack">
                  {t('desk.conflicts.ack')}
                </button>
              </div>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
