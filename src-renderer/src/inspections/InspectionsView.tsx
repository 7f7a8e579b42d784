// The inspections view (Alt+5): coverage of the month per grid and per officer
// (sortable, filterable), a coverage card and the work-order list of the selected grid or
// officer, and the tier re-grading queue with approve/reject. Everything but deciding works
// offline from the copies the data worker keeps. Keys: G grids, O officers, Q queue, R refresh,
// ↑/↓ select, A approve, X reject.
import { useCallback, useMemo, useRef, useState } from 'react';
import type { SeatView } from '../../../src-shared/ipc/contract';
import type { OrderStatus, RegradeStatus } from '../../../src-shared/inspections/model';
import { ORDER_STATUSES, coverageColumns } from '../../../src-shared/inspections/model';
import { formatShanghai, useI18n } from '../i18n';
import type { MessageKey } from '../i18n/zh-CN';
import { bridge } from '../platform/bridge';
import { useCaseNumbers } from '../shell/use-case-numbers';
import { useShortcuts, type Shortcut } from '../shell/use-shortcuts';
import { CoverageCard, FIGURES, figureCells, NUMERIC, sortValue, type SortKey } from './coverage';
import { OrdersTable } from './OrdersTable';
import { LOADING, useFetched } from './use-fetched';

type Tab = 'grids' | 'officers' | 'regrades';

/** Rows drawn at once: a city seat has ≈ 3,000 grids and ≈ 10,000 officers. */
const MAX_ROWS = 400;
/** Answers about a month that are not failures: said as a notice, in the UI language. */
const MONTH_NOTICE: Record<string, MessageKey | undefined> = {
  MONTH_NOT_GENERATED: 'insp.month.none',
  MONTH_GENERATING: 'insp.month.generating',
};

function monthsBack(n: number): string[] {
  const d = new Date(Date.now() + 8 * 3_600_000);
  let y = d.getUTCFullYear();
  let m = d.getUTCMonth() + 1;
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    out.push(`${y}-${String(m).padStart(2, '0')}`);
    m--;
    if (m === 0) {
      m = 12;
      y--;
    }
  }
  return out;
}

export function InspectionsView({ seat }: { seat: SeatView }) {
  const { t, locale } = useI18n();
  const [tab, setTab] = useState<Tab>('grids');
  const [month, setMonth] = useState<string | null>(null);
  const [tick, setTick] = useState(0);
  const [sort, setSort] = useState<{ key: SortKey; desc: boolean }>({ key: 'missed', desc: true });
  const [filter, setFilter] = useState('');
  const [selected, setSelected] = useState<string | null>(null);
  const [orderStatus, setOrderStatus] = useState<OrderStatus | ''>('');
  const [regradeStatus, setRegradeStatus] = useState<RegradeStatus>('pending');
  const [regradeIdx, setRegradeIdx] = useState(0);
  const [note, setNote] = useState('');
  const [notice, setNotice] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);
  const tableRef = useRef<HTMLTableSectionElement>(null);
  const by = tab === 'officers' ? 'officer' : 'grid';

  // Coverage of the month for the tab's grouping.
  const coverageKey = tab === 'regrades' ? null : JSON.stringify(['coverage', month, by, tick]);
  const coverage =
    useFetched(coverageKey, () => bridge().call('inspections.coverage', month, by, null)) ?? LOADING;
  // The months offered are those the server says it can answer (its clock, what it generated),
  // kept from its last answer; until the first one, the current month only.
  const [months, setMonths] = useState<string[]>(() => monthsBack(1));
  // Copies cached before the server sent `months` lack it.
  const offered = coverage.state === 'ready' ? (coverage.data.months as string[] | undefined) : undefined;
  if (offered && offered.length > 0 && offered.join() !== months.join()) setMonths(offered);

  // Work orders of the selected grid or officer.
  const ordersArg =
    tab === 'regrades' || !selected
      ? null
      : {
          ...(month ? { month } : {}),
          ...(tab === 'grids' ? { grid: selected } : { officer: selected }),
          ...(orderStatus ? { status: orderStatus } : {}),
          limit: 300,
        };
  const orders = useFetched(ordersArg ? JSON.stringify(['orders', ordersArg, tick]) : null, () =>
    bridge().call('inspections.orders', ordersArg!),
  );
  const numberOf = useCaseNumbers(orders?.state === 'ready' ? orders.data.orders.map((o) => o.caseId) : []);

  // The re-grading queue.
  const regrades =
    useFetched(tab === 'regrades' ? JSON.stringify(['regrades', regradeStatus, tick]) : null, () =>
      bridge().call('inspections.regrades', regradeStatus),
    ) ?? LOADING;

  const monthNotice = coverage.state === 'error' && MONTH_NOTICE[coverage.code] ? coverage.code : null;
  const rows = useMemo(() => {
    if (coverage.state !== 'ready') return [];
    const f = filter.trim().toLowerCase();
    const list = f
      ? coverage.data.rows.filter((r) => r.name.toLowerCase().includes(f) || r.key.toLowerCase().includes(f))
      : [...coverage.data.rows];
    const dir = sort.desc ? -1 : 1;
    list.sort((a, b) => {
      const va = sortValue(a, sort.key);
      const vb = sortValue(b, sort.key);
      const c = typeof va === 'string' ? va.localeCompare(vb as string, 'zh-CN') : va - (vb as number);
      return c * dir || a.key.localeCompare(b.key);
    });
    return list;
  }, [coverage, filter, sort]);
  const shown = rows.slice(0, MAX_ROWS);
  const selectedRow =
    coverage.state === 'ready' ? (coverage.data.rows.find((r) => r.key === selected) ?? null) : null;

  const moveSelection = useCallback(
    (delta: number) => {
      if (tab === 'regrades') {
        const n = regrades.state === 'ready' ? regrades.data.rows.length : 0;
        if (n > 0) setRegradeIdx((i) => Math.max(0, Math.min(n - 1, i + delta)));
        return;
      }
      if (shown.length === 0) return;
      const at = shown.findIndex((r) => r.key === selected);
      const next = shown[Math.max(0, Math.min(shown.length - 1, at < 0 ? 0 : at + delta))];
      setSelected(next.key);
      tableRef.current?.querySelector(`[data-key="${next.key}"]`)?.scrollIntoView({ block: 'nearest' });
    },
    [tab, regrades, shown, selected],
  );

  const decide = useCallback(
    async (approve: boolean) => {
      if (tab !== 'regrades' || regrades.state !== 'ready' || regradeStatus !== 'pending') return;
      const row = regrades.data.rows[regradeIdx];
      if (!row) return;
      const r = await bridge().call('inspections.decide', row.id, approve, note.trim() || null);
      if (!r.ok) {
        setNotice({ kind: 'error', text: t('insp.error', { message: r.error.message }) });
        return;
      }
      setNotice({
        kind: 'ok',
        text: t('insp.regrades.decided', {
          status: t(approve ? 'insp.regrades.approved' : 'insp.regrades.rejected'),
          place: row.place,
        }),
      });
      setNote('');
      setTick((x) => x + 1);
    },
    [tab, regrades, regradeStatus, regradeIdx, note, t],
  );

  const switchTab = useCallback((next: Tab): void => {
    setTab(next);
    setSelected(null);
    setFilter('');
    setNotice(null);
  }, []);

  const shortcuts = useMemo<Shortcut[]>(
    () => [
      { combo: 'g', run: () => switchTab('grids') },
      { combo: 'o', run: () => switchTab('officers') },
      { combo: 'q', run: () => switchTab('regrades') },
      { combo: 'r', run: () => setTick((x) => x + 1) },
      { combo: 'ArrowDown', run: () => moveSelection(1) },
      { combo: 'ArrowUp', run: () => moveSelection(-1) },
      { combo: 'a', run: () => void decide(true) },
      { combo: 'x', run: () => void decide(false) },
    ],
    [moveSelection, decide, switchTab],
  );
  useShortcuts(shortcuts);

  const header = (key: SortKey, label: MessageKey) => (
    <th
      key={key}
      aria-sort={sort.key === key ? (sort.desc ? 'descending' : 'ascending') : 'none'}
      className={NUMERIC.includes(key) ? 'num' : ''}
      title={key === 'name' ? undefined : t(`insp.def.${key}` as MessageKey)}
    >
      <button
        type="button"
        data-testid={`insp-sort-${key}`}
        onClick={() => setSort((s) => ({ key, desc: s.key === key ? !s.desc : key !== 'name' }))}
      >
        {t(label)}
        {sort.key === key ? (sort.desc ? ' ▼' : ' ▲') : ''}
      </button>
    </th>
  );

  const freshness = (d: { fetchedAt: number; offline: boolean }) => (
    <span className={d.offline ? 'insp-fresh insp-offline' : 'insp-fresh'} data-testid="insp-freshness">
      {t(d.offline ? 'insp.offline' : 'insp.online', { time: formatShanghai(d.fetchedAt, locale, false) })}
    </span>
  );

  const tierLabel = (tier: string): string => t(`insp.tier.${tier}` as MessageKey);

  return (
    <section className="panel view-panel insp" data-testid="view-inspections" data-seat={seat.seatId}>
      <header className="insp-head">
        <h2>{t('insp.title')}</h2>
        <div className="insp-tabs" role="tablist">
          {(['grids', 'officers', 'regrades'] as const).map((k) => (
            <button
              key={k}
              role="tab"
              type="button"
              aria-selected={tab === k}
              className={tab === k ? 'active' : ''}
              data-testid={`insp-tab-${k}`}
              onClick={() => switchTab(k)}
            >
              {t(`insp.tab.${k}` as MessageKey)}
            </button>
          ))}
        </div>
        {tab !== 'regrades' && (
          <label className="insp-month">
            {t('insp.month')}{' '}
            <select
              value={month ?? ''}
              data-testid="insp-month"
              onChange={(e) => setMonth(e.target.value === '' ? null : e.target.value)}
            >
              {months.map((m, i) => (
                <option key={m} value={i === 0 ? '' : m}>
                  {m}
                </option>
              ))}
            </select>
          </label>
        )}
        <button type="button" onClick={() => setTick((x) => x + 1)} title="R" data-testid="insp-refresh">
          {t('insp.refresh')}
        </button>
        {tab !== 'regrades' && coverage.state === 'ready' && freshness(coverage.data)}
        {tab === 'regrades' && regrades.state === 'ready' && freshness(regrades.data)}
      </header>
      <p className="muted insp-keys">{t('insp.keys')}</p>
      {notice && (
        <p
          className={notice.kind === 'error' ? 'error' : 'insp-notice'}
          role="status"
          data-testid="insp-notice"
        >
          {notice.text}
        </p>
      )}

      {tab !== 'regrades' && (
        <div className="insp-body">
          <div className="insp-table-wrap">
            <input
              className="insp-filter"
              type="search"
              placeholder={t('insp.filter')}
              value={filter}
              onChange={(e) => setFilter(e.target.value)}
              data-testid="insp-filter"
            />
            {coverage.state === 'loading' && <p className="muted">{t('insp.loading')}</p>}
            {monthNotice && (
              <p className="muted" role="status" data-testid="insp-month-none" data-code={monthNotice}>
                {t(MONTH_NOTICE[monthNotice]!, { month: month ?? months[0] })}
              </p>
            )}
            {coverage.state === 'error' && !monthNotice && (
              <p className="error" role="alert">
                {t('insp.error', { message: coverage.message })}
              </p>
            )}
            {coverage.state === 'ready' && (
              <>
                <table className="insp-table" data-testid="insp-coverage-table" data-by={coverage.data.by}>
                  <thead>
                    <tr>
                      {header('name', 'insp.col.name')}
                      {FIGURES.map((k) => header(k, `insp.col.${k}` as MessageKey))}
                    </tr>
                  </thead>
                  <tbody ref={tableRef}>
                    {shown.map((r) => (
                      <tr
                        key={r.key}
                        data-testid="insp-row"
                        data-key={r.key}
                        className={r.key === selected ? 'selected' : ''}
                        aria-selected={r.key === selected}
                        tabIndex={0}
                        onClick={() => setSelected(r.key)}
                        onKeyDown={(e) => {
                          if (e.key === 'Enter') setSelected(r.key);
                        }}
                      >
                        <td>{r.name}</td>
                        {figureCells(coverageColumns(r), t)}
                      </tr>
                    ))}
                  </tbody>
                  <tfoot>
                    <tr data-testid="insp-totals">
                      <td>{t('insp.totals')}</td>
                      {figureCells(coverageColumns(coverage.data.totals), t)}
                    </tr>
                  </tfoot>
                </table>
                {rows.length > shown.length && (
                  <p className="muted">{t('insp.showing', { shown: shown.length, total: rows.length })}</p>
                )}
              </>
            )}
          </div>

          <aside className="insp-side">
            {!selectedRow && <p className="muted">{t('insp.card.empty')}</p>}
            {selectedRow && coverage.state === 'ready' && (
              <CoverageCard row={selectedRow} today={coverage.data.today} />
            )}
            {selectedRow && (
              <div className="insp-orders" data-testid="insp-orders">
                <div className="insp-orders-head">
                  <h3>
                    {t('insp.orders.title', { total: orders?.state === 'ready' ? orders.data.total : '…' })}
                  </h3>
                  <select
                    value={orderStatus}
                    data-testid="insp-order-status"
                    onChange={(e) => setOrderStatus(e.target.value as OrderStatus | '')}
                  >
                    <option value="">{t('insp.orders.all')}</option>
                    {ORDER_STATUSES.map((s) => (
                      <option key={s} value={s}>
                        {t(`insp.status.${s}` as MessageKey)}
                      </option>
                    ))}
                  </select>
                </div>
                {orders?.state === 'loading' && <p className="muted">{t('insp.loading')}</p>}
                {orders?.state === 'error' && (
                  <p className="error">{t('insp.error', { message: orders.message })}</p>
                )}
                {orders?.state === 'ready' && orders.data.orders.length === 0 && (
                  <p className="muted">{t('insp.orders.none')}</p>
                )}
                {orders?.state === 'ready' && orders.data.orders.length > 0 && (
                  <OrdersTable
                    orders={orders.data.orders}
                    withOfficer={tab === 'grids'}
                    numberOf={numberOf}
                  />
                )}
                {orders?.state === 'ready' && orders.data.total > orders.data.orders.length && (
                  <p className="muted">{t('insp.orders.more', { n: orders.data.orders.length })}</p>
                )}
              </div>
            )}
          </aside>
        </div>
      )}

      {tab === 'regrades' && (
        <div className="insp-regrades" data-testid="insp-regrades">
          <div className="insp-orders-head">
            <select
              value={regradeStatus}
              data-testid="insp-regrade-status"
              onChange={(e) => {
                setRegradeStatus(e.target.value as RegradeStatus);
                setRegradeIdx(0);
              }}
            >
              {(['pending', 'approved', 'rejected'] as const).map((s) => (
                <option key={s} value={s}>
                  {t(`insp.regrades.${s}` as MessageKey)}
                </option>
              ))}
            </select>
            {regrades.state === 'ready' && (
              <span className="muted">{t('insp.regrades.count', { n: regrades.data.total })}</span>
            )}
            {regradeStatus === 'pending' && (
              <>
                <input
                  className="insp-note"
                  value={note}
                  maxLength={500}
                  placeholder={t('insp.regrades.note')}
                  onChange={(e) => setNote(e.target.value)}
                  data-testid="insp-note"
                />
                <button type="button" data-testid="insp-approve" onClick={() => void decide(true)}>
                  {t('insp.regrades.approve')}
                </button>
                <button type="button" data-testid="insp-reject" onClick={() => void decide(false)}>
                  {t('insp.regrades.reject')}
                </button>
              </>
            )}
          </div>
          {regrades.state === 'loading' && <p className="muted">{t('insp.loading')}</p>}
          {regrades.state === 'error' && (
            <p className="error" role="alert">
              {t('insp.error', { message: regrades.message })}
            </p>
          )}
          {regrades.state === 'ready' && regrades.data.rows.length === 0 && (
            <p className="muted">{t('insp.regrades.none')}</p>
          )}
          {regrades.state === 'ready' && regrades.data.rows.length > 0 && (
            <table className="insp-table">
              <thead>
                <tr>
                  <th>{t('insp.col.place')}</th>
                  <th>{t('insp.regrades.grid')}</th>
                  <th>{t('insp.regrades.changeCol')}</th>
                  <th>{t('insp.regrades.basis')}</th>
                  <th>{t('insp.regrades.proposedAt')}</th>
                </tr>
              </thead>
              <tbody>
                {regrades.data.rows.map((r, i) => (
                  <tr
                    key={r.id}
                    data-testid="insp-regrade"
                    data-id={r.id}
                    className={i === regradeIdx ? 'selected' : ''}
                    aria-selected={i === regradeIdx}
                    tabIndex={0}
                    onClick={() => setRegradeIdx(i)}
                  >
                    <td>
                      {t('insp.type.rental')} P{r.place}
                    </td>
                    <td>{r.gridName}</td>
                    <td className={r.direction === 'stricter' ? 'insp-bad' : 'insp-good'}>
                      {t(r.direction === 'stricter' ? 'insp.regrades.stricter' : 'insp.regrades.lenient')}{' '}
                      {t('insp.regrades.change', { from: tierLabel(r.fromTier), to: tierLabel(r.toTier) })}
                    </td>
                    <td>{t('insp.regrades.reason', { hazards: r.hazards, clean: r.cleanVisits })}</td>
                    <td>{formatShanghai(r.proposedAt, locale, false)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </div>
      )}
    </section>
  );
}
