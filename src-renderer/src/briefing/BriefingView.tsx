// The weekly risk briefing 每周研判. Everything is computed in the data worker from
// the seat's rollups (briefing.* calls); this view picks the week and area, draws the sections,
// opens the cases behind a figure, pages through the sections full screen (presentation mode),
// prints the report (the PDF export: print CSS in app.css, `@page` A4) and downloads CSV/XLSX.
import { useCallback, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import type { DrillFilter } from '../../../src-shared/briefing/briefing';
import type {
  BriefingDrillResult,
  BriefingExportKind,
  BriefingHotSpot,
  BriefingReport,
  BriefingStatus,
} from '../../../src-shared/briefing/view';
import type { SeatView } from '../../../src-shared/ipc/contract';
import type { Case } from '../../../src-shared/protocol/entities';
import { bridge } from '../platform/bridge';
import { formatShanghai, useI18n } from '../i18n';
import { useShortcuts } from '../shell/use-shortcuts';
import { pageAfterKey } from '../../../src-shared/briefing/format';
import { HotSpotPanel } from './HotSpotPanel';
import { DispatchSection, SupervisionSection } from './SupervisionSection';
import {
  AreasSection,
  CallInSection,
  CategorySection,
  DepartmentsSection,
  HeatSection,
  NormalisedSection,
  RisingSection,
  Section,
  SummarySection,
  TrendSection,
} from './sections';
import { caseNumberText } from '../../../src-shared/domain/case-number';

type Load<T> =
  | { state: 'idle' }
  | { state: 'loading' }
  | { state: 'ready'; data: T }
  | { state: 'error'; message: string };

async function call<T>(
  p: Promise<{ ok: true; data: T } | { ok: false; error: { message: string } }>,
): Promise<T> {
  const r = await p;
  if (!r.ok) throw new Error(r.error.message);
  return r.data;
}

function download(fileName: string, mime: string, base64: string): void {
  const bin = atob(base64);
  const bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  const url = URL.createObjectURL(new Blob([bytes], { type: mime }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export function BriefingView({ seat }: { seat: SeatView }) {
  const { t, locale } = useI18n();
  const [status, setStatus] = useState<Load<BriefingStatus>>({ state: 'loading' });
  const [week, setWeek] = useState<number | null>(null);
  const [scope, setScope] = useState<string | null>(null);
  const [held, setReport] = useState<{ key: string; load: Load<BriefingReport> } | null>(null);
  const [spots, setSpots] = useState<BriefingHotSpot[]>([]);
  const [drill, setDrill] = useState<BriefingDrillResult | null>(null);
  const [openCase, setOpenCase] = useState<Case | null>(null);
  const [presenting, setPresenting] = useState(false);
  const [page, setPage] = useState(0);
  const [busy, setBusy] = useState<string | null>(null);
  const rootRef = useRef<HTMLDivElement | null>(null);

  const refresh = useCallback(async (ask: boolean) => {
    try {
      const s = await call(bridge().call('briefing.status', ask));
      setStatus({ state: 'ready', data: s });
    } catch (e) {
      setStatus({ state: 'error', message: e instanceof Error ? e.message : String(e) });
    }
  }, []);

  useEffect(() => {
    let live = true;
    void bridge()
      .call('briefing.status', true)
      .then((r) => {
        if (live)
          setStatus(r.ok ? { state: 'ready', data: r.data } : { state: 'error', message: r.error.message });
      });
    return () => {
      live = false;
    };
  }, [seat.seatId]);

  // While the view is open, ask for newer rollups every 5 minutes (a 304 when nothing changed).
  useEffect(() => {
    const timer = setInterval(() => void refresh(true), 5 * 60_000);
    return () => clearInterval(timer);
  }, [refresh]);

  const info = status.state === 'ready' ? status.data : null;
  const available = info?.available ?? false;
  // Which report is wanted; the one held may be for an earlier choice while this one computes.
  const wanted = `${info?.asOfMs ?? ''}|${week ?? ''}|${scope ?? ''}`;
  useEffect(() => {
    if (!available) return;
    let live = true;
    call(bridge().call('briefing.analyse', week, scope)).then(
      (data) => {
        if (!live) return;
        setReport({ key: wanted, load: { state: 'ready', data } });
        void call(bridge().call('briefing.hotSpots', data.week, scope)).then(
          (s) => live && setSpots(s),
          () => live && setSpots([]),
        );
      },
      (e: unknown) =>
        live &&
        setReport({
          key: wanted,
          load: { state: 'error', message: e instanceof Error ? e.message : String(e) },
        }),
    );
    return () => {
      live = false;
    };
  }, [available, wanted, week, scope]);

  const onDrill = useCallback(async (filter: DrillFilter) => {
    try {
      setDrill(await call(bridge().call('briefing.drill', filter, 200)));
      setOpenCase(null);
    } catch {
      setDrill({ filter, cases: [], total: 0 });
    }
  }, []);

  const exportFile = useCallback(
    async (kind: BriefingExportKind) => {
      setBusy(kind);
      try {
        const file = await call(bridge().call('briefing.export', kind, week, scope, locale));
        download(file.fileName, file.mime, file.base64);
      } finally {
        setBusy(null);
      }
    },
    [week, scope, locale],
  );

  const report: Load<BriefingReport> = held?.load ?? { state: 'idle' };
  const computing = available && held?.key !== wanted;
  const data = report.state === 'ready' ? report.data : null;
  const selectWeek = useCallback((w: number) => setWeek(w), []);
  const sections: Array<{ id: string; render: (large: boolean) => ReactNode }> = useMemo(() => {
    if (!data) return [];
    const p = { report: data, onDrill: (f: DrillFilter) => void onDrill(f) };
    const list: Array<{ id: string; render: (large: boolean) => ReactNode }> = [
      { id: 'summary', render: (large) => <SummarySection {...p} large={large} /> },
      { id: 'trend', render: (large) => <TrendSection {...p} large={large} onSelectWeek={selectWeek} /> },
      { id: 'rising', render: (large) => <RisingSection {...p} large={large} /> },
      { id: 'categories', render: (large) => <CategorySection {...p} large={large} /> },
      { id: 'heat', render: (large) => <HeatSection {...p} large={large} /> },
    ];
    if (data.rates.areas.length > 0)
      list.push({ id: 'areas', render: (large) => <AreasSection {...p} large={large} /> });
    list.push({ id: 'callIn', render: (large) => <CallInSection {...p} large={large} /> });
    if (data.rates.departments.length > 0)
      list.push({ id: 'departments', render: (large) => <DepartmentsSection {...p} large={large} /> });
    list.push({ id: 'supervision', render: () => <SupervisionSection report={data} /> });
    list.push({ id: 'dispatch', render: () => <DispatchSection report={data} /> });
    if (data.normalised)
      list.push({ id: 'normalised', render: (large) => <NormalisedSection {...p} large={large} /> });
    list.push({
      id: 'hotSpots',
      render: (large) => (
        <Section id="hotSpots" title={t('briefing.section.hotSpots')}>
          <HotSpotPanel
            spots={spots}
            large={large}
            onPick={(codes) => {
              if (codes.length === 1)
                void onDrill({
                  scopeCode: data.scope.code,
                  areaCode: codes[0],
                  fromMs: data.fromMs,
                  toMs: data.toMs,
                  asOfMs: data.asOfMs,
                });
            }}
          />
        </Section>
      ),
    });
    return list;
  }, [data, spots, onDrill, selectWeek, t]);

  // ---- presentation mode: full screen, one section a page, ←/→ PageUp/PageDown, Esc leaves
  const present = useCallback(() => {
    setPage(0);
    setPresenting(true);
    void rootRef.current?.requestFullscreen?.().catch(() => undefined);
  }, []);
  const leave = useCallback(() => {
    setPresenting(false);
    if (document.fullscreenElement) void document.exitFullscreen().catch(() => undefined);
  }, []);
  useEffect(() => {
    if (!presenting) return;
    const onKey = (e: KeyboardEvent) => {
      const next = pageAfterKey(e.key, page, sections.length);
      if (next === undefined) return;
      e.preventDefault();
      if (next === null) leave();
      else setPage(next);
    };
    const onFull = () => {
      if (!document.fullscreenElement) setPresenting(false);
    };
    window.addEventListener('keydown', onKey);
    document.addEventListener('fullscreenchange', onFull);
    return () => {
      window.removeEventListener('keydown', onKey);
      document.removeEventListener('fullscreenchange', onFull);
    };
  }, [presenting, page, sections.length, leave]);

  const shortcuts = useMemo(
    () => [
      { combo: 'Alt+P', run: () => data && present() },
      { combo: 'Alt+R', run: () => void refresh(true) },
    ],
    [data, present, refresh],
  );
  useShortcuts(shortcuts);

  const areaOptions = info?.areas ?? [];
  const fmt = (ms: number) => formatShanghai(ms, locale, false);

  return (
    <div
      ref={rootRef}
      className={`briefing-root${presenting ? ' briefing-presenting' : ''}`}
      data-testid="view-briefing"
      data-seat={seat.seatId}
    >
      <div className="briefing-toolbar panel">
        <h2>{t('briefing.title')}</h2>
        {info?.available && (
          <>
            <label>
              {t('briefing.week')}{' '}
              <select
                data-testid="briefing-week"
                value={data?.week ?? week ?? ''}
                onChange={(e) => setWeek(Number(e.target.value))}
              >
                {info.weeks.map((w) => (
                  <option key={w.week} value={w.week}>
                    {w.label}
                    {w.covered < 0.999 ? t('briefing.partialWeek') : ''}
                  </option>
                ))}
              </select>
            </label>
            <label>
              {t('briefing.scope')}{' '}
              <select
                data-testid="briefing-scope"
                value={scope ?? ''}
                onChange={(e) => setScope(e.target.value === '' ? null : e.target.value)}
              >
                <option value="">{t('briefing.scopeAll', { name: info.scopeName ?? '' })}</option>
                {areaOptions.map((a) => (
                  <option key={a.code} value={a.code}>
                    {a.name}
                  </option>
                ))}
              </select>
            </label>
          </>
        )}
        <span className="briefing-toolbar-gap" />
        <button type="button" onClick={() => void refresh(true)} title="Alt+R" data-testid="briefing-refresh">
          {t('briefing.refresh')}
        </button>
        <button type="button" disabled={!data} onClick={present} title="Alt+P" data-testid="briefing-present">
          {t('briefing.present')}
        </button>
        <button
          type="button"
          disabled={!data}
          onClick={() => window.print()}
          data-testid="briefing-export-pdf"
        >
          {t('briefing.exportPdf')}
        </button>
        <button
          type="button"
          disabled={!data || busy !== null}
          onClick={() => void exportFile('csv')}
          data-testid="briefing-export-csv"
        >
          {t('briefing.exportCsv')}
        </button>
        <button
          type="button"
          disabled={!data || busy !== null}
          onClick={() => void exportFile('xlsx')}
          data-testid="briefing-export-xlsx"
        >
          {t('briefing.exportXlsx')}
        </button>
      </div>

      {status.state === 'loading' && <p className="muted">{t('briefing.loading')}</p>}
      {status.state === 'error' && (
        <p className="error" role="alert">
          {status.message}
        </p>
      )}
      {info && !info.available && (
        <p className="warning" role="status" data-testid="briefing-unavailable">
          {t('briefing.unavailable', { reason: info.reason ?? t('briefing.noReason') })}
        </p>
      )}
      {info?.available && (
        <p className="muted briefing-freshness" data-testid="briefing-freshness">
          {t('briefing.asOf', { time: fmt(info.asOfMs ?? 0) })} ·{' '}
          {info.fresh ? t('briefing.fresh') : t('briefing.stale', { time: fmt(info.checkedAt ?? 0) })}
          {data ? ` · ${t('briefing.computeMs', { ms: data.computeMs })}` : ''} · {t('briefing.drill.hint')}
        </p>
      )}
      {computing && (
        <p className="muted" data-testid="briefing-computing">
          {t('briefing.computing')}
        </p>
      )}
      {report.state === 'error' && (
        <p className="error" role="alert">
          {report.message}
        </p>
      )}

      {data && (
        <div className="briefing-report" data-testid="briefing-report" data-week={data.weekLabel}>
          <header className="briefing-print-header">
            <h1>
              {t('briefing.reportTitle')} · {data.scope.name} · {data.weekLabel}
            </h1>
            <p>
              {fmt(data.fromMs)} – {fmt(data.toMs - 1)} · {t('briefing.asOf', { time: fmt(data.asOfMs) })} ·{' '}
              {seat.displayName}
            </p>
          </header>
          {presenting ? (
            <div className="briefing-slide" data-testid="briefing-slide" data-page={page}>
              {sections[page]?.render(true)}
              <footer className="briefing-slide-footer">
                <span>
                  {t('briefing.reportTitle')} · {data.scope.name} · {data.weekLabel}
                </span>
                <span data-testid="briefing-slide-page">
                  {t('briefing.present.page', { n: page + 1, total: sections.length })}
                </span>
                <span>{t('briefing.present.hint')}</span>
              </footer>
            </div>
          ) : (
            <div className="briefing-grid">
              {sections.map((s) => (
                <div key={s.id} className={`briefing-cell briefing-cell-${s.id}`}>
                  {s.render(false)}
                </div>
              ))}
            </div>
          )}
        </div>
      )}

      {drill && !presenting && (
        <aside
          className="panel briefing-drill"
          data-testid="briefing-drill"
          role="dialog"
          aria-label={t('briefing.drill.title')}
        >
          <header>
            <h3>{t('briefing.drill.title')}</h3>
            <button type="button" onClick={() => setDrill(null)}>
              {t('briefing.drill.close')}
            </button>
          </header>
          <p className="muted" data-testid="briefing-drill-summary" data-source={drill.source ?? 'cache'}>
            {drill.source === 'server'
              ? drill.total === 0
                ? t('briefing.drill.empty')
                : t('briefing.drill.count', { n: drill.total, shown: drill.cases.length })
              : drill.total === 0
                ? t('briefing.drill.emptyCache')
                : t('briefing.drill.countCache', { n: drill.total, shown: drill.cases.length })}
          </p>
          {openCase && (
            <dl className="briefing-case" data-testid="briefing-case">
              <dt>{t('briefing.case.title', { id: caseNumberText(openCase, false) })}</dt>
              <dd />
              <dt>{t('briefing.case.state')}</dt>
              <dd>{openCase.state}</dd>
              <dt>{t('briefing.case.category')}</dt>
              <dd>{openCase.categoryCode}</dd>
              <dt>{t('briefing.case.reportedAt')}</dt>
              <dd>{formatShanghai(openCase.reportedAt, locale)}</dd>
              <dt>{t('briefing.case.address')}</dt>
              <dd>{openCase.address}</dd>
              <dt>{t('briefing.case.description')}</dt>
              <dd>{openCase.description}</dd>
            </dl>
          )}
          <ul>
            {drill.cases.map((c) => (
              <li key={c.id}>
                <button
                  type="button"
                  onClick={() => setOpenCase(c)}
                  className={openCase?.id === c.id ? 'active' : ''}
                >
                  <span className="briefing-drill-id" title={c.id}>
                    {caseNumberText(c, false)}
                  </span>
                  <span>{c.description}</span>
                  <span className="muted">{formatShanghai(c.reportedAt, locale, false)}</span>
                </button>
              </li>
            ))}
          </ul>
        </aside>
      )}
    </div>
  );
}
