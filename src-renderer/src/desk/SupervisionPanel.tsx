// 督办 on the desk (issue 17): the supervision list of the seat (filters 待回复 / 已逾期 / 已办结 /
// 全部, keyboard ↑/↓ Enter 1–4, Shift+S), and the orders on the open case with their deadline,
// 催办 reminders, answer and escalation — answering (the supervised unit) and 催办 (the issuing
// level) go through `cases.act` like every other action (outbox, optimistic, confirmed or refused).
import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import type { CaseDetailView, SeatView } from '../../../src-shared/ipc/contract';
import { caseNumberText } from '../../../src-shared/domain/case-number';
import {
  filterCounts,
  inFilter,
  orderActions,
  SUPERVISION_FILTERS,
  type SupervisionFilter,
  type SupervisionItem,
} from '../../../src-shared/desk/supervision-list';
import type { SupervisionOrder } from '../../../src-shared/protocol/entities';
import { formatShanghai, useI18n, type Translate } from '../i18n';
import type { MessageKey } from '../i18n/zh-CN';
import { bridge } from '../platform/bridge';
import { actorName, categoryLabel, durationText, holderName, refusalWords, type Names } from './format';

/** Where an order stands: its status, and for an open one the time to (or past) its deadline. */
function orderLine(o: SupervisionOrder, now: number, names: Names, t: Translate): string {
  const parts = [
    `${t(`sup.level.${o.level}` as MessageKey)} ${o.id}`,
    t(`sup.status.${o.status}` as MessageKey),
    t('sup.to', { unit: holderName(names, o.targetCode) }),
  ];
  if (o.status === 'open')
    parts.push(
      o.dueAt >= now
        ? t('sup.left', { t: durationText(o.dueAt - now, t) })
        : t('sup.over', { t: durationText(now - o.dueAt, t) }),
    );
  return parts.join(' · ');
}

/** The desk-tools button: the orders awaiting an answer; Shift+S. */
export function SupervisionToggle(p: {
  items: readonly SupervisionItem[];
  open: boolean;
  onToggle: () => void;
}) {
  const { t } = useI18n();
  return (
    <button onClick={p.onToggle} data-testid="sup-toggle" title="Shift+S" aria-pressed={p.open}>
      {t('sup.toggle')}{' '}
      <span className="desk-count" data-testid="sup-toggle-count">
        {p.items.filter((i) => i.order.status === 'open').length}
      </span>
    </button>
  );
}

interface ListProps {
  items: readonly SupervisionItem[];
  names: Names;
  now: number;
  onOpen: (caseId: string) => void;
  onClose: () => void;
}

export function SupervisionList({ items, names, now, onOpen, onClose }: ListProps) {
  const { t, locale } = useI18n();
  const [filter, setFilter] = useState<SupervisionFilter>('waiting');
  const [active, setActive] = useState(0);
  const listRef = useRef<HTMLUListElement | null>(null);
  const counts = filterCounts(items);
  const shown = items.filter((i) => inFilter(i, filter));
  const at = Math.min(active, Math.max(0, shown.length - 1));
  useEffect(() => listRef.current?.focus(), []);
  const onKey = (e: KeyboardEvent<HTMLElement>): void => {
    let handled = true;
    if (e.key === 'ArrowDown') setActive(Math.min(at + 1, shown.length - 1));
    else if (e.key === 'ArrowUp') setActive(Math.max(at - 1, 0));
    else if (e.key === 'Enter' && shown[at]) onOpen(shown[at].caseId);
    else if (/^[1-4]$/.test(e.key)) {
      setFilter(SUPERVISION_FILTERS[Number(e.key) - 1]);
      setActive(0);
    } else if (e.key === 'Escape') onClose();
    else handled = false;
    if (handled) {
      e.preventDefault();
      e.stopPropagation(); // the desk's own keys (↑/↓, Enter, 1–5) stay out of the list
    }
  };
  return (
    <section
      className="panel desk-conflicts"
      data-testid="sup-list"
      aria-label={t('sup.title')}
      onKeyDown={onKey}
    >
      <header>
        <h2>{t('sup.title')}</h2>
        <button onClick={onClose} data-testid="sup-list-close">
          ×
        </button>
      </header>
      <div className="desk-tabs" role="tablist">
        {SUPERVISION_FILTERS.map((f, i) => (
          <button
            key={f}
            role="tab"
            aria-selected={filter === f}
            className={filter === f ? 'active' : ''}
            title={String(i + 1)}
            data-testid={`sup-filter-${f}`}
            onClick={() => {
              setFilter(f);
              setActive(0);
            }}
          >
            {t(`sup.filter.${f}` as MessageKey)}{' '}
            <span
              className={`desk-count${f === 'lapsed' && counts[f] > 0 ? ' bad' : ''}`}
              data-testid={`sup-count-${f}`}
            >
              {counts[f]}
            </span>
          </button>
        ))}
      </div>
      <p className="muted small">{t('sup.hint')}</p>
      {shown.length === 0 && <p className="muted">{t('sup.empty')}</p>}
      <ul ref={listRef} tabIndex={0} role="listbox" aria-label={t('sup.title')}>
        {shown.map((i, k) => (
          <li
            key={`${i.caseId}/${i.order.id}`}
            role="option"
            aria-selected={k === at}
            className={k === at ? 'selected' : ''}
            data-testid="sup-item"
            data-case-id={i.caseId}
            data-level={i.order.level}
            data-status={i.order.status}
          >
            <button className="linkish" onClick={() => onOpen(i.caseId)}>
              {caseNumberText({ id: i.caseId, number: i.number ?? undefined }, i.pending)}
            </button>{' '}
            {categoryLabel(names, i.categoryCode, locale)} · {orderLine(i.order, now, names, t)}
            <div className="muted small">
              {t('sup.due', { at: formatShanghai(i.order.dueAt, locale, false) })} · {i.order.note}
            </div>
          </li>
        ))}
      </ul>
    </section>
  );
}

interface CardProps {
  detail: CaseDetailView | null;
  seat: SeatView;
  names: Names;
  now: number;
}

/** The orders on the open case, newest first, with answer / 催办 for the seat that may send them. */
export function SupervisionCard({ detail, seat, names, now }: CardProps) {
  const { t, locale } = useI18n();
  const c = detail?.case ?? null;
  const [typed, setTyped] = useState<Record<string, string>>({});
  const [status, setStatus] = useState<{ key: string; text: string; bad: boolean } | null>(null);
  if (!c?.supervisions?.length) return null;
  const orders = [...c.supervisions].reverse();
  const send = async (
    o: SupervisionOrder,
    type: 'answerSupervision' | 'remindSupervision',
  ): Promise<void> => {
    const key = `${c.id}/${o.id}/${type}`;
    const text = (typed[key] ?? '').trim();
    if (!text) return;
    const payload = type === 'answerSupervision' ? { orderId: o.id, text } : { orderId: o.id, note: text };
    const action = t(`desk.action.${type}` as MessageKey);
    const r = await bridge().call('cases.act', type, { caseId: c.id, ...payload }, c.version);
    if (r.ok) setTyped((m) => ({ ...m, [key]: '' }));
    setStatus(
      r.ok
        ? { key, text: t('sup.queued', { action }), bad: false }
        : { key, text: t('sup.refused', { action, reason: refusalWords(r.error, t, locale) }), bad: true },
    );
  };
  return (
    <section
      className="panel desk-conflicts"
      data-testid="sup-card"
      aria-label={t('sup.onCase', { n: orders.length })}
    >
      <header>
        <h2>{t('sup.onCase', { n: orders.length })}</h2>
      </header>
      <ul>
        {orders.map((o) => {
          const can = orderActions(o, seat);
          return (
            <li key={o.id} data-testid="sup-order" data-order-id={o.id} data-status={o.status}>
              <strong>{orderLine(o, now, names, t)}</strong>
              <div className="small">
                {t('sup.by', {
                  by: actorName(names, o.issuedBy, t),
                  at: formatShanghai(o.issuedAt, locale, false),
                })}{' '}
                · {t('sup.due', { at: formatShanghai(o.dueAt, locale, false) })}
              </div>
              <div className="small">{o.note}</div>
              {o.fromOrderId && <div className="muted small">{t('sup.from', { id: o.fromOrderId })}</div>}
              {o.reminders.length > 0 && (
                <div className="small" data-testid="sup-reminders">
                  {t('sup.reminders', {
                    n: o.reminders.length,
                    at: formatShanghai(o.reminders[o.reminders.length - 1].at, locale, false),
                  })}
                </div>
              )}
              {o.answer && (
                <div className="small ok" data-testid="sup-answer">
                  {t('sup.answer', {
                    by: actorName(names, o.answer.byId, t),
                    at: formatShanghai(o.answer.at, locale, false),
                    text: o.answer.text,
                  })}
                  {o.answer.at > o.dueAt && t('sup.late')}
                </div>
              )}
              {o.escalatedTo && (
                <div className="small error">
                  {t(`sup.escalated.${o.escalatedTo}` as MessageKey, { id: o.escalatedOrderId ?? '' })}
                </div>
              )}
              {(['answerSupervision', 'remindSupervision'] as const)
                .filter((type) => (type === 'answerSupervision' ? can.answer : can.remind))
                .map((type) => {
                  const key = `${c.id}/${o.id}/${type}`;
                  const answer = type === 'answerSupervision';
                  return (
                    <div key={type} className="desk-conflict-buttons">
                      <input
                        value={typed[key] ?? ''}
                        placeholder={t(answer ? 'sup.answer.placeholder' : 'sup.remind.placeholder')}
                        onChange={(e) => setTyped((m) => ({ ...m, [key]: e.target.value }))}
                        onKeyDown={(e) => {
                          if (e.key === 'Enter') void send(o, type);
                        }}
                        data-testid={answer ? 'sup-answer-text' : 'sup-remind-text'}
                      />
                      <button
                        onClick={() => void send(o, type)}
                        data-testid={answer ? 'sup-answer-send' : 'sup-remind-send'}
                      >
                        {t(answer ? 'sup.answer.send' : 'sup.remind.send')}
                      </button>
                      {status?.key === key && (
                        <span className={status.bad ? 'error small' : 'muted small'} data-testid="sup-status">
                          {status.text}
                        </span>
                      )}
                    </div>
                  );
                })}
            </li>
          );
        })}
      </ul>
    </section>
  );
}
