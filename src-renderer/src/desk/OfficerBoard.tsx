// 队员看板 (issue 18): every officer of the seat's scope — status (stale ones marked), how long in
// that status, last fix age, open cases, demo phone/intercom — filtered and sorted
// (src-shared/desk/officer-board.ts). Alt+↑/↓ selects an officer, `o` dispatches the open case
// to them through the desk's own dispatch (undo window, outbox). Fixes are read every 5 s.
import { useEffect, useMemo, useState } from 'react';
import { OFFICER_STATUSES } from '../../../src-shared/domain/case-model';
import { caseNumberText } from '../../../src-shared/domain/case-number';
import {
  BOARD_SORTS,
  boardRows,
  StatusClock,
  type BoardFilter,
  type BoardSort,
} from '../../../src-shared/desk/officer-board';
import type { DeskRow } from '../../../src-shared/desk/queue-data';
import type { Case, Officer, OfficerFix } from '../../../src-shared/protocol/entities';
import { useI18n } from '../i18n';
import type { MessageKey } from '../i18n/zh-CN';
import { bridge } from '../platform/bridge';
import { durationText, holderName, type Names } from './format';

const POLL_MS = 5_000;

interface Props {
  officers: readonly Officer[];
  rows: ReadonlyMap<string, DeskRow>;
  names: Names;
  now: number;
  /** The open case, and whether this seat may dispatch it now. */
  openCase: Case | null;
  canDispatch: boolean;
  onDispatch: (officerId: string) => void;
  onClose: () => void;
}

export function OfficerBoard(p: Props) {
  const { t } = useI18n();
  const [fixes, setFixes] = useState<Map<string, OfficerFix>>(() => new Map());
  // Mutated as fixes arrive (observe), read when the list is rebuilt: one per board.
  const [clock] = useState(() => new StatusClock());
  const [filter, setFilter] = useState<BoardFilter>({});
  const [sort, setSort] = useState<BoardSort>('status');
  const [chosen, setChosen] = useState<string | null>(null);

  useEffect(() => {
    let alive = true;
    const read = async (): Promise<void> => {
      const r = await bridge().call('map.positions');
      if (!alive || !r.ok) return;
      clock.observe(r.data);
      setFixes(new Map(r.data.map((f) => [f.officerId, f])));
    };
    void read();
    const timer = setInterval(() => void read(), POLL_MS);
    return () => {
      alive = false;
      clearInterval(timer);
    };
  }, [clock]);

  // Re-sorted when fixes, rows or choices change and every 30 s (fix ages move); the ages shown
  // are computed from the clock at render.
  const coarseNow = Math.floor(p.now / 30_000) * 30_000;
  const { officers, rows } = p;
  const list = useMemo(
    () => boardRows(officers, fixes, rows.values(), clock, coarseNow, filter, sort),
    [officers, fixes, rows, clock, filter, sort, coarseNow],
  );
  const selected = list.find((r) => r.officer.id === chosen) ?? list[0] ?? null;

  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      const el = e.target as HTMLElement | null;
      if (el && ['INPUT', 'TEXTAREA', 'SELECT'].includes(el.tagName)) return;
      if (e.altKey && (e.key === 'ArrowDown' || e.key === 'ArrowUp') && list.length > 0) {
        e.preventDefault();
        const i = selected ? list.indexOf(selected) : -1;
        const next = Math.max(0, Math.min(list.length - 1, i + (e.key === 'ArrowDown' ? 1 : -1)));
        setChosen(list[next].officer.id);
      } else if (e.key === 'o' && !e.altKey && !e.ctrlKey && !e.metaKey && selected && p.canDispatch) {
        e.preventDefault();
        p.onDispatch(selected.officer.id);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [list, selected, p]);

  const ago = (ms: number): string => durationText(Math.max(0, ms), t);
  return (
    <section className="panel desk-board" data-testid="officer-board" aria-label={t('board.toggle')}>
      <header>
        <h2>{t('board.title', { n: list.length })}</h2>
        <button onClick={p.onClose} data-testid="officer-board-close">
          ×
        </button>
      </header>
      <div className="desk-board-tools">
        <select
          value={filter.status ?? ''}
          onChange={(e) =>
            setFilter((f) => ({ ...f, status: (e.target.value || null) as BoardFilter['status'] }))
          }
          data-testid="board-filter-status"
          aria-label={t('board.col.status')}
        >
          <option value="">{t('board.filter.all')}</option>
          <option value="free">{t('board.filter.free')}</option>
          {OFFICER_STATUSES.map((s) => (
            <option key={s} value={s}>
              {t(`map.status.${s}` as MessageKey)}
            </option>
          ))}
          <option value="stale">{t('board.filter.stale')}</option>
        </select>
        <input
          placeholder={t('board.search')}
          value={filter.text ?? ''}
          onChange={(e) => setFilter((f) => ({ ...f, text: e.target.value }))}
          data-testid="board-search"
        />
        <select
          value={sort}
          onChange={(e) => setSort(e.target.value as BoardSort)}
          data-testid="board-sort"
          aria-label={t('board.sort')}
        >
          {BOARD_SORTS.map((s) => (
            <option key={s} value={s}>
              {t(`board.sort.${s}` as MessageKey)}
            </option>
          ))}
        </select>
      </div>
      <p className="muted small">{t('board.hint')}</p>
      {p.openCase && !p.canDispatch && (
        // Never offer a dispatch the workflow refuses: say why instead (a reported case is
        // verified and registered first; 采办分离).
        <p className="muted small" data-testid="board-cannot" data-state={p.openCase.state}>
          {p.openCase.state === 'reported'
            ? t('board.verifyFirst', { case: caseNumberText(p.openCase, false) })
            : t('board.cannotState', {
                case: caseNumberText(p.openCase, false),
                state: t(`map.state.${p.openCase.state}` as MessageKey),
              })}
        </p>
      )}
      {p.openCase && p.canDispatch && selected && (
        <button
          className="primary"
          onClick={() => p.onDispatch(selected.officer.id)}
          data-testid="board-dispatch"
        >
          {t('board.dispatchTo', {
            case: caseNumberText(p.openCase, false),
            name: `${selected.officer.name}（${selected.officer.number}）`,
          })}
        </button>
      )}
      {list.length === 0 ? (
        <p className="muted">{t('board.empty')}</p>
      ) : (
        <div className="desk-board-table" role="listbox" data-testid="board-rows">
          <div className="desk-board-row desk-board-head muted small">
            <span>{t('board.col.officer')}</span>
            <span>{t('board.col.status')}</span>
            <span>{t('board.col.inStatus')}</span>
            <span>{t('board.col.fix')}</span>
            <span>{t('board.col.cases')}</span>
            <span>{t('board.col.contact')}</span>
          </div>
          {list.slice(0, 300).map((r) => (
            <div
              key={r.officer.id}
              role="option"
              aria-selected={r === selected}
              className={`desk-board-row${r === selected ? ' active' : ''}`}
              data-testid="board-row"
              data-officer-id={r.officer.id}
              data-status={r.status ?? ''}
              data-stale={r.stale ? 'true' : 'false'}
              data-cases={r.cases.length}
              onClick={() => setChosen(r.officer.id)}
            >
              <span>
                <strong>{r.officer.name}</strong> <span className="mono small">{r.officer.number}</span>
                <span className="muted small">
                  {' '}
                  · {holderName(p.names, r.officer.homeGridCode?.slice(0, 12) ?? r.officer.townCode ?? '')}
                </span>
              </span>
              <span
                className={`desk-board-status desk-board-status-${r.stale ? 'stale' : (r.status ?? 'none')}`}
              >
                {r.status ? t(`map.status.${r.status}` as MessageKey) : t('board.noFix')}
                {r.stale && <em> · {t('board.stale')}</em>}
              </span>
              <span className="small">
                {r.statusSince === null
                  ? t('board.none')
                  : r.sinceAtLeast
                    ? t('board.atLeast', { t: ago(p.now - r.statusSince) })
                    : ago(p.now - r.statusSince)}
              </span>
              <span className="small">
                {r.fixAt === null ? t('board.noFix') : t('board.ago', { t: ago(p.now - r.fixAt) })}
              </span>
              <span className="small mono">
                {r.cases.length === 0
                  ? t('board.none')
                  : r.cases
                      .slice(0, 2)
                      .map((c) => caseNumberText(c, c.pending))
                      .join('、') + (r.cases.length > 2 ? ` +${r.cases.length - 2}` : '')}
              </span>
              <span className="small mono">
                {r.contact.phone} / {r.contact.intercom}
              </span>
            </div>
          ))}
        </div>
      )}
    </section>
  );
}
