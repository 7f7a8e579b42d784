// 一事多报 on the desk: the proposal on a newer report that looks like an earlier case
// (src-shared/desk/duplicates.ts), merging it with a reason (Shift+M), the "merged into" banner
// with un-merge on a merged report, the duplicates kept on a primary, and the list of every
// proposal of the seat's queue. Merges go through `cases.act` like every other action (outbox,
// optimistic, confirmed or refused by the server).
import { useEffect, useState } from 'react';
import type { CaseDetailView, SeatView } from '../../../src-shared/ipc/contract';
import { isWithin } from '../../../src-shared/domain/codes';
import { caseNumberText } from '../../../src-shared/domain/case-number';
import {
  DUPLICATE_RADIUS_M,
  DUPLICATE_WINDOW_MS,
  type DuplicateProposal,
} from '../../../src-shared/desk/duplicates';
import type { DeskRow } from '../../../src-shared/desk/queue-data';
import { formatShanghai, useI18n, type Translate } from '../i18n';
import type { MessageKey } from '../i18n/zh-CN';
import { bridge } from '../platform/bridge';
import { CasePhoto } from './CasePhoto';
import { categoryLabel, refusalWords, type Names } from './format';

const MERGING_ROLES = new Set(['dispatcher', 'village_operator']);

/** Proposals this seat may act on: it merges cases whose holders lie within its scope. */
export function actionableProposals(
  all: Map<string, DuplicateProposal>,
  rows: ReadonlyMap<string, DeskRow>,
  seat: SeatView,
): Map<string, DuplicateProposal> {
  if (!MERGING_ROLES.has(seat.role)) return new Map();
  const out = new Map<string, DuplicateProposal>();
  for (const [id, p] of all) {
    const a = rows.get(id);
    const b = rows.get(p.primaryId);
    if (
      a &&
      b &&
      !a.pending &&
      isWithin(a.holderCode, seat.scopeCode) &&
      isWithin(b.holderCode, seat.scopeCode)
    )
      out.set(id, p);
  }
  return out;
}

function gapText(ms: number, t: Translate): string {
  const min = Math.round(ms / 60_000);
  if (min < 1) return t('dup.underMinute');
  return min < 60 ? t('dup.minutes', { n: min }) : t('dup.hours', { h: Math.floor(min / 60), m: min % 60 });
}

const numberOf = (r: DeskRow | undefined, id: string): string =>
  r ? caseNumberText(r, r.pending) : caseNumberText({ id }, true);

interface CardProps {
  detail: CaseDetailView | null;
  proposal: DuplicateProposal | null;
  rows: ReadonlyMap<string, DeskRow>;
  seat: SeatView;
  onOpen: (caseId: string) => void;
}

/** Above the case detail: the proposal, or the merged-into banner, and the merged-in reports. */
export function DuplicateCard({ detail, proposal, rows, seat, onOpen }: CardProps) {
  const { t, locale } = useI18n();
  const c = detail?.case ?? null;
  const primaryRow = proposal ? rows.get(proposal.primaryId) : undefined;
  const primaryNo = proposal ? numberOf(primaryRow, proposal.primaryId) : '';
  // Typed text and the last result belong to the case they were made on.
  const [typed, setTyped] = useState<{ caseId: string; text: string } | null>(null);
  const [result, setResult] = useState<{
    caseId: string;
    text: string;
    bad: boolean;
    commandId?: string;
    action?: string;
  } | null>(null);
  const reason =
    typed && typed.caseId === c?.id
      ? typed.text
      : proposal
        ? t('dup.reason.default', { primary: primaryNo })
        : '';
  const setReason = (text: string): void => setTyped(c ? { caseId: c.id, text } : null);
  const mine = result && result.caseId === c?.id ? result : null;
  // Queued is not done: the line turns to 已确认 / 被拒绝 when the server answered that command.
  const settled = mine?.commandId ? detail?.actions.find((a) => a.commandId === mine.commandId) : undefined;
  const status =
    mine && settled && settled.status !== 'pending'
      ? {
          text: t(settled.status === 'confirmed' ? 'dup.confirmed' : 'dup.rejected', {
            action: mine.action ?? '',
          }),
          bad: settled.status !== 'confirmed',
          done: settled.status === 'confirmed',
        }
      : mine && { ...mine, done: false };
  const setStatus = (v: { text: string; bad: boolean; commandId?: string; action?: string }): void =>
    setResult(c ? { caseId: c.id, ...v } : null);

  const send = async (type: 'merge' | 'unmerge', payload: Record<string, unknown>): Promise<void> => {
    if (!c) return;
    const action = t(`desk.action.${type}` as MessageKey);
    const r = await bridge().call('cases.act', type, { caseId: c.id, ...payload }, c.version);
    setStatus(
      r.ok
        ? { text: t('dup.queued', { action }), bad: false, commandId: r.data.commandId, action }
        : { text: t('dup.refused', { action, reason: refusalWords(r.error, t, locale) }), bad: true },
    );
  };
  const merge = (): void => {
    if (proposal && reason.trim())
      void send('merge', { primaryId: proposal.primaryId, reason: reason.trim() });
  };
  // Shift+M merges the open proposal (not while typing elsewhere than the reason box).
  useEffect(() => {
    if (!proposal || c?.state === 'voided') return;
    const onKey = (e: KeyboardEvent): void => {
      if (e.key !== 'M' || !e.shiftKey || e.ctrlKey || e.altKey || e.metaKey) return;
      const el = e.target as HTMLElement | null;
      if (el && ['INPUT', 'TEXTAREA', 'SELECT'].includes(el.tagName) && el.dataset.testid !== 'dup-reason')
        return;
      e.preventDefault();
      merge();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  });

  if (!c) return null;
  const merged = c.state === 'voided' && c.mergedInto;
  const from = c.mergedFrom ?? [];
  if (!merged && !proposal && from.length === 0) return null;
  return (
    <section className="panel desk-dup" data-testid="dup-card">
      {merged ? (
        <>
          <p data-testid="dup-merged-into">
            <strong>{t('dup.mergedInto', { primary: c.mergedInto! })}</strong>
          </p>
          {MERGING_ROLES.has(seat.role) && (
            <UnmergeForm onSubmit={(why) => void send('unmerge', { reason: why })} />
          )}
        </>
      ) : (
        proposal &&
        c.state !== 'voided' && (
          <>
            <p data-testid="dup-proposal" data-primary-id={proposal.primaryId}>
              <span className="desk-badge desk-badge-dup">{t('dup.badge')}</span>{' '}
              {t('dup.proposal', {
                primary: primaryNo,
                distance: Math.round(proposal.distanceM),
                gap: gapText(proposal.gapMs, t),
              })}
            </p>
            {primaryRow && (
              <p className="muted small">
                {t('dup.primaryState', {
                  primary: primaryNo,
                  state: t(`map.state.${primaryRow.state}` as MessageKey),
                })}{' '}
                <button
                  className="linkish"
                  onClick={() => onOpen(proposal.primaryId)}
                  data-testid="dup-open-primary"
                >
                  {t('dup.open', { primary: primaryNo })}
                </button>
              </p>
            )}
            <label className="desk-dup-reason">
              {t('dup.reason')}
              <input
                value={reason}
                onChange={(e) => setReason(e.target.value)}
                maxLength={500}
                data-testid="dup-reason"
              />
            </label>
            <button className="primary" disabled={!reason.trim()} onClick={merge} data-testid="dup-merge">
              {t('dup.merge', { primary: primaryNo })}
            </button>
          </>
        )
      )}
      {from.length > 0 && (
        <div data-testid="dup-merged-from">
          <h3>{t('dup.mergedFrom', { n: from.length })}</h3>
          <ul>
            {from.map((m) => (
              <li key={m.number} data-testid="dup-merged-report">
                {t('dup.mergedFrom.item', {
                  number: m.number,
                  source: t(`desk.source.${m.source}` as MessageKey),
                  time: formatShanghai(m.reportedAt, locale, false),
                  photos: m.photos.length,
                })}
                <span className="desk-dup-photos">
                  {m.photos.map((h) => (
                    <CasePhoto key={h} hash={h} label={m.number} />
                  ))}
                </span>
              </li>
            ))}
          </ul>
        </div>
      )}
      {status && (
        <p
          className={status.bad ? 'error' : status.done ? 'ok' : 'queued'}
          role="status"
          data-testid="dup-status"
          data-done={status.done ? 'true' : 'false'}
        >
          {status.text}
        </p>
      )}
    </section>
  );
}

function UnmergeForm({ onSubmit }: { onSubmit: (reason: string) => void }) {
  const { t } = useI18n();
  const [reason, setReason] = useState('');
  return (
    <div className="desk-dup-reason">
      <label>
        {t('dup.unmergeReason')}
        <input
          value={reason}
          onChange={(e) => setReason(e.target.value)}
          maxLength={500}
          data-testid="dup-unmerge-reason"
        />
      </label>
      <button disabled={!reason.trim()} onClick={() => onSubmit(reason.trim())} data-testid="dup-unmerge">
        {t('dup.unmerge')}
      </button>
    </div>
  );
}

interface ListProps {
  proposals: Map<string, DuplicateProposal>;
  rows: ReadonlyMap<string, DeskRow>;
  names: Names;
  onOpen: (caseId: string) => void;
  onClose: () => void;
}

/** Every proposal of the seat's queue, newest report first. */
export function DuplicateList({ proposals, rows, names, onOpen, onClose }: ListProps) {
  const { t, locale } = useI18n();
  const list = [...proposals.values()].sort(
    (a, b) => (rows.get(b.caseId)?.reportedAt ?? 0) - (rows.get(a.caseId)?.reportedAt ?? 0),
  );
  return (
    <section className="panel desk-conflicts" data-testid="dup-list" aria-label={t('dup.panel')}>
      <header>
        <h2>
          {t('dup.panel.title', { radius: DUPLICATE_RADIUS_M, hours: DUPLICATE_WINDOW_MS / 3_600_000 })}
        </h2>
        <button onClick={onClose} data-testid="dup-list-close">
          ×
        </button>
      </header>
      {list.length === 0 && <p className="muted">{t('dup.panel.empty')}</p>}
      <ul>
        {list.map((p) => {
          const row = rows.get(p.caseId);
          return (
            <li key={p.caseId} data-testid="dup-list-item" data-case-id={p.caseId}>
              <button className="linkish" onClick={() => onOpen(p.caseId)}>
                {numberOf(row, p.caseId)}
              </button>{' '}
              → {numberOf(rows.get(p.primaryId), p.primaryId)} ·{' '}
              {row ? categoryLabel(names, row.categoryCode, locale) : ''} · {Math.round(p.distanceM)} m ·{' '}
              {gapText(p.gapMs, t)}
            </li>
          );
        })}
      </ul>
    </section>
  );
}
