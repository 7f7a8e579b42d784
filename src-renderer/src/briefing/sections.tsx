// The briefing's sections: each a plain component of the report (screen, print layout and
// presentation mode render the same ones). Every figure that stands for cases opens them
// (onDrill with the analysis' DrillFilter or one built from the figure).
import { useEffect, useState, type ReactNode } from 'react';
import {
  Bar,
  BarChart,
  CartesianGrid,
  Legend,
  Line,
  LineChart,
  ReferenceLine,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import type { DrillFilter, RisingFamily } from '../../../src-shared/briefing/briefing';
import { RISING_FAMILIES } from '../../../src-shared/briefing/briefing';
import type { RateRow } from '../../../src-shared/briefing/performance';
import type { BriefingReport } from '../../../src-shared/briefing/view';
import { WEEKDAY_NAMES_EN, WEEKDAY_NAMES_ZH } from '../../../src-shared/briefing/weeks';
import { useI18n } from '../i18n';
import type { MessageKey } from '../i18n/zh-CN';
import {
  capPoints,
  formatChange,
  formatCount,
  formatNumber,
  formatRate,
  heatColour,
} from '../../../src-shared/briefing/format';

export interface SectionProps {
  report: BriefingReport;
  onDrill: (filter: DrillFilter) => void;
  /** Presentation mode: bigger charts. */
  large?: boolean;
}

const AXIS = { stroke: '#8aa3bd', fontSize: 12 };
/** Presentation mode: axes read from the back of a meeting room. */
const AXIS_LARGE = { stroke: '#c4d4e4', fontSize: 20 };
const GRID = '#24405e';

/**
 * The size of a chart on a presentation slide: the window's width less the slide's padding, and
 * its height less the title, the legend and the footer; follows window resizes.
 */
function useSlideChartSize(large: boolean | undefined): { width: number; height: number } {
  const read = (): { width: number; height: number } => ({
    width: Math.max(640, window.innerWidth - 100),
    height: Math.max(360, window.innerHeight - 260),
  });
  const [size, setSize] = useState(read);
  useEffect(() => {
    if (!large) return;
    const onResize = (): void => setSize(read());
    onResize();
    window.addEventListener('resize', onResize);
    return () => window.removeEventListener('resize', onResize);
  }, [large]);
  return size;
}

export function Section({ id, title, children }: { id: string; title: string; children: ReactNode }) {
  return (
    <section className="panel briefing-section" data-section={id} data-testid={`briefing-section-${id}`}>
      <h3>{title}</h3>
      {children}
    </section>
  );
}

function base(report: BriefingReport): DrillFilter {
  return { scopeCode: report.scope.code, fromMs: report.fromMs, toMs: report.toMs, asOfMs: report.asOfMs };
}

export function SummarySection({ report, onDrill }: SectionProps) {
  const { t } = useI18n();
  const wow = report.totals.weekOverWeek;
  const yoy = report.totals.yearOverYear;
  const rising = RISING_FAMILIES.reduce((s, f) => s + report.rising[f].flaggedCount, 0);
  const kpi = (label: MessageKey, value: string, sub: string | null, drill?: DrillFilter, tone?: string) => (
    <button
      type="button"
      className={`briefing-kpi ${tone ?? ''}`}
      onClick={drill ? () => onDrill(drill) : undefined}
      disabled={!drill}
      data-testid={`briefing-kpi-${label.split('.').pop()}`}
    >
      <span className="briefing-kpi-label">{t(label)}</span>
      <span className="briefing-kpi-value">{value}</span>
      {sub !== null && <span className="briefing-kpi-sub">{sub}</span>}
    </button>
  );
  const tone = (r: number | null | undefined) =>
    r === null || r === undefined ? '' : r > 0.1 ? 'up' : r < -0.1 ? 'down' : '';
  return (
    <Section id="summary" title={t('briefing.section.summary')}>
      <div className="briefing-kpis">
        {kpi('briefing.kpi.cases', formatCount(report.totals.cases), null, base(report))}
        {kpi('briefing.kpi.expected', formatCount(report.totals.expected), null)}
        {kpi(
          'briefing.kpi.wow',
          formatChange(wow?.ratio) ?? t('briefing.none'),
          wow ? t('briefing.kpi.prevWeek', { n: formatCount(wow.count) }) : null,
          undefined,
          tone(wow?.ratio),
        )}
        {kpi(
          'briefing.kpi.yoy',
          formatChange(yoy?.ratio) ?? t('briefing.none'),
          yoy ? t('briefing.kpi.lastYear', { n: formatCount(yoy.count) }) : null,
          undefined,
          tone(yoy?.ratio),
        )}
        {kpi('briefing.kpi.rising', String(rising), null, undefined, rising > 0 ? 'up' : '')}
        {kpi(
          'briefing.kpi.callIn',
          String(report.callIn.length),
          null,
          undefined,
          report.callIn.length > 0 ? 'up' : '',
        )}
      </div>
    </Section>
  );
}

export function TrendSection({
  report,
  large,
  onSelectWeek,
}: SectionProps & { onSelectWeek: (week: number) => void }) {
  const { t } = useI18n();
  const points = capPoints(
    report.trend.map((p) => ({
      ...p,
      count: p.covered >= 0.999 ? p.count : null,
      partial: p.covered < 0.999,
    })),
    (p) => p.count ?? 0,
  );
  const slide = useSlideChartSize(large);
  return (
    <Section id="trend" title={t('briefing.section.trend')}>
      <div className="briefing-chart" data-testid="briefing-trend-chart">
        <LineChart
          width={large ? slide.width : 680}
          height={large ? slide.height : 240}
          data={points}
          margin={{ top: 8, right: 16, bottom: 4, left: 0 }}
          onClick={(s) => {
            const i = typeof s.activeIndex === 'number' ? s.activeIndex : Number(s.activeIndex);
            if (Number.isInteger(i) && points[i]) onSelectWeek(points[i].week);
          }}
        >
          <CartesianGrid stroke={GRID} strokeDasharray="3 3" />
          <XAxis dataKey="label" tick={large ? AXIS_LARGE : AXIS} minTickGap={large ? 48 : 24} />
          <YAxis tick={large ? AXIS_LARGE : AXIS} width={large ? 80 : 56} />
          <Tooltip contentStyle={{ background: '#122233', border: '1px solid #24405e' }} />
          <ReferenceLine x={report.weekLabel} stroke="#f5a623" strokeWidth={2} />
          <Line
            type="monotone"
            dataKey="count"
            name={t('briefing.legend.count')}
            stroke="#2f9bff"
            strokeWidth={2}
            dot={false}
            isAnimationActive={false}
            connectNulls={false}
          />
        </LineChart>
      </div>
    </Section>
  );
}

export function RisingSection({ report, onDrill }: SectionProps) {
  const { t, locale } = useI18n();
  const items = RISING_FAMILIES.flatMap((f) => report.rising[f].items);
  items.sort((a, b) => a.pAdjusted - b.pAdjusted || b.excess - a.excess);
  return (
    <Section id="rising" title={t('briefing.section.rising')}>
      {items.length === 0 ? (
        <p className="muted">{t('briefing.noRising')}</p>
      ) : (
        <ol className="briefing-rising" data-testid="briefing-rising-list">
          {items.map((it, i) => (
            <li key={`${it.family}-${i}`}>
              <button type="button" onClick={() => onDrill(it.drill)}>
                <span className="briefing-tag">
                  {t(`briefing.family.${it.family satisfies RisingFamily}` as MessageKey)}
                </span>
                <span>{it.text[locale]}</span>
              </button>
            </li>
          ))}
        </ol>
      )}
      <p className="muted briefing-note">{t('briefing.risingNote', { n: report.baselineWeeks.length })}</p>
    </Section>
  );
}

export function CategorySection({ report, onDrill, large }: SectionProps) {
  const { t, locale } = useI18n();
  const data = report.totals.byMajor
    .filter((m) => m.count > 0 || (m.expected ?? 0) > 0)
    .map((m) => ({
      code: m.code,
      name: locale === 'zh-CN' ? m.nameZh : m.nameEn,
      count: m.count,
      expected: m.expected === null ? null : Number(m.expected.toFixed(1)),
    }));
  const slide = useSlideChartSize(large);
  return (
    <Section id="categories" title={t('briefing.section.categories')}>
      <div className="briefing-chart" data-testid="briefing-category-chart">
        <BarChart
          width={large ? slide.width : 680}
          // English category names wrap to two lines: taller rows and a wider axis, so labels
          // do not overlap.
          height={large ? slide.height : Math.max(200, (locale === 'zh-CN' ? 22 : 34) * data.length + 40)}
          data={data}
          layout="vertical"
          margin={{ top: 4, right: 16, bottom: 4, left: 8 }}
        >
          <CartesianGrid stroke={GRID} strokeDasharray="3 3" horizontal={false} />
          <XAxis type="number" tick={large ? AXIS_LARGE : AXIS} />
          <YAxis
            type="category"
            dataKey="name"
            tick={large ? AXIS_LARGE : AXIS}
            width={locale === 'zh-CN' ? (large ? 240 : 110) : large ? 320 : 180}
            interval={0}
          />
          <Tooltip contentStyle={{ background: '#122233', border: '1px solid #24405e' }} />
          <Legend />
          <Bar
            dataKey="count"
            name={t('briefing.legend.count')}
            fill="#2f9bff"
            isAnimationActive={false}
            onClick={(_d, index) => {
              const row = data[index];
              if (row) onDrill({ ...base(report), majorCode: row.code });
            }}
          />
          <Bar
            dataKey="expected"
            name={t('briefing.legend.expected')}
            fill="#5c7a99"
            isAnimationActive={false}
          />
        </BarChart>
      </div>
    </Section>
  );
}

export function HeatSection({ report, onDrill, large }: SectionProps) {
  const { t, locale } = useI18n();
  const counts = report.heat.counts;
  const max = Math.max(0, ...counts);
  const days = locale === 'zh-CN' ? WEEKDAY_NAMES_ZH : WEEKDAY_NAMES_EN;
  return (
    <Section id="heat" title={t('briefing.section.heat')}>
      <div className={`briefing-heat ${large ? 'large' : ''}`} data-testid="briefing-heat">
        <span />
        {Array.from({ length: 24 }, (_, h) => (
          <span key={`h${h}`} className="briefing-heat-hour">
            {h % 3 === 0 ? h : ''}
          </span>
        ))}
        {days.map((day, d) => (
          <HeatRow key={day} day={day}>
            {Array.from({ length: 24 }, (_, h) => {
              const n = counts[d * 24 + h];
              const e = report.heat.expected?.[d * 24 + h];
              return (
                <button
                  type="button"
                  key={h}
                  className="briefing-heat-cell"
                  style={{ background: heatColour(n, max) }}
                  title={`${day} ${String(h).padStart(2, '0')}:00 · ${n}${e === undefined ? '' : ` / ${e.toFixed(1)}`}`}
                  onClick={() => onDrill({ ...base(report), weekday: d, hour: h })}
                />
              );
            })}
          </HeatRow>
        ))}
      </div>
      <div className="briefing-heat-legend muted">
        {t('briefing.heat.low')}
        {[0.05, 0.2, 0.45, 0.7, 1].map((f) => (
          <span key={f} style={{ background: heatColour(f * max, max) }} />
        ))}
        {t('briefing.heat.high')} · max {max}
      </div>
    </Section>
  );
}

function HeatRow({ day, children }: { day: string; children: ReactNode }) {
  return (
    <>
      <span className="briefing-heat-day">{day}</span>
      {children}
    </>
  );
}

function RateTable({
  rows,
  onRow,
  testId,
}: {
  rows: RateRow[];
  onRow?: (row: RateRow) => void;
  testId: string;
}) {
  const { t } = useI18n();
  return (
    <table className="briefing-table" data-testid={testId}>
      <thead>
        <tr>
          <th>{t('briefing.col.name')}</th>
          <th>{t('briefing.col.due')}</th>
          <th>{t('briefing.col.closure')}</th>
          <th>{t('briefing.col.onTimeClosure')}</th>
          <th>{t('briefing.col.rework')}</th>
          <th>{t('briefing.col.onTimeDispatch')}</th>
          <th>{t('briefing.col.composite')}</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr
            key={`${r.level}-${r.code}`}
            className={onRow ? 'clickable' : undefined}
            onClick={onRow ? () => onRow(r) : undefined}
          >
            <td>{r.name}</td>
            <td className="num">{r.counts.dueForClosure}</td>
            <td className="num">{formatRate(r.rates.closureRate)}</td>
            <td className="num">{formatRate(r.rates.onTimeClosureRate)}</td>
            <td className="num">{formatRate(r.rates.reworkRate)}</td>
            <td className="num">{formatRate(r.rates.onTimeDispatchRate)}</td>
            <td className="num">{formatNumber(r.composite, 1)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** Areas by composite score, worst first (a null score last). */
export function rankRows(rows: readonly RateRow[]): RateRow[] {
  return [...rows].sort((a, b) => (a.composite ?? Infinity) - (b.composite ?? Infinity));
}

export function AreasSection({ report, onDrill }: SectionProps) {
  const { t } = useI18n();
  if (report.rates.areas.length === 0) return null;
  return (
    <Section id="areas" title={t('briefing.section.areas')}>
      <RateTable
        testId="briefing-areas-table"
        rows={[report.rates.scope, ...rankRows(report.rates.areas)]}
        onRow={(r) =>
          onDrill(r.level === report.scope.level ? base(report) : { ...base(report), areaCode: r.code })
        }
      />
    </Section>
  );
}

export function DepartmentsSection({ report }: SectionProps) {
  const { t } = useI18n();
  if (report.rates.departments.length === 0) return null;
  return (
    <Section id="departments" title={t('briefing.section.departments')}>
      <RateTable testId="briefing-departments-table" rows={rankRows(report.rates.departments)} />
    </Section>
  );
}

export function CallInSection({ report, onDrill }: SectionProps) {
  const { t, locale } = useI18n();
  return (
    <Section id="callIn" title={t('briefing.section.callIn')}>
      {report.callIn.length === 0 ? (
        <p className="muted">{t('briefing.noCallIn')}</p>
      ) : (
        <table className="briefing-table" data-testid="briefing-callin-table">
          <thead>
            <tr>
              <th>{t('briefing.col.name')}</th>
              <th>{t('briefing.col.streak')}</th>
              <th>{t('briefing.col.explain')}</th>
            </tr>
          </thead>
          <tbody>
            {report.callIn.map((c) => (
              <tr
                key={c.code}
                className="clickable"
                onClick={() => onDrill({ ...base(report), areaCode: c.code })}
              >
                <td className="briefing-callin-name">{c.name}</td>
                <td className="num">{c.streak}</td>
                <td>{c.text[locale]}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Section>
  );
}

export function NormalisedSection({ report, onDrill }: SectionProps) {
  const { t } = useI18n();
  const n = report.normalised;
  if (!n) return null;
  const rows = [n.scope, ...[...n.areas].sort((a, b) => (b.perGrid ?? 0) - (a.perGrid ?? 0))];
  return (
    <Section id="normalised" title={t('briefing.section.normalised')}>
      <table className="briefing-table" data-testid="briefing-normalised-table">
        <thead>
          <tr>
            <th>{t('briefing.col.name')}</th>
            <th>{t('briefing.col.cases')}</th>
            <th>{t('briefing.col.perGrid')}</th>
            <th>{t('briefing.col.perRental')}</th>
            <th>{t('briefing.col.perOfficer')}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r, i) => (
            <tr
              key={`${r.code}-${i}`}
              className="clickable"
              onClick={() => onDrill(i === 0 ? base(report) : { ...base(report), areaCode: r.code })}
            >
              <td>{r.name}</td>
              <td className="num">{r.cases}</td>
              <td className="num">{formatNumber(r.perGrid, 2)}</td>
              <td className="num">{formatNumber(r.per1000RentalUnits, 2)}</td>
              <td className="num">{formatNumber(r.perOfficer, 2)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </Section>
  );
}
