// The briefing as tables for CSV and XLSX export. One list of titled tables feeds
// both: the XLSX gets a sheet per table, the CSV the tables one after another separated by a
// blank line and their title. The CSV starts with a UTF-8 BOM so Excel reads the Chinese.
import type { RisingFamily } from '../../src-shared/briefing/briefing';
import { RISING_FAMILIES } from '../../src-shared/briefing/briefing';
import { RATE_LABELS, type Locale } from '../../src-shared/briefing/explain';
import type { RateRow } from '../../src-shared/briefing/performance';
import type { BriefingExportFile, BriefingExportKind, BriefingReport } from '../../src-shared/briefing/view';
import { writeXlsx, type XlsxCell } from './briefing-xlsx';

export interface ExportTable {
  title: string;
  rows: XlsxCell[][];
}

const L = {
  summary: { 'zh-CN': '概况', en: 'Summary' },
  categories: { 'zh-CN': '分类统计', en: 'Categories' },
  rising: { 'zh-CN': '上升事项', en: 'Rising items' },
  areas: { 'zh-CN': '区域排名', en: 'Areas' },
  departments: { 'zh-CN': '部门排名', en: 'Departments' },
  callIn: { 'zh-CN': '约谈名单', en: 'Call-in list' },
  normalised: { 'zh-CN': '标准化指标', en: 'Normalised' },
  trend: { 'zh-CN': '周趋势', en: 'Weekly trend' },
} as const;

const FAMILY: Record<RisingFamily, Record<Locale, string>> = {
  category: { 'zh-CN': '大类', en: 'category' },
  minorCategory: { 'zh-CN': '小类', en: 'sub-category' },
  area: { 'zh-CN': '区域', en: 'area' },
  categoryArea: { 'zh-CN': '区域×大类', en: 'category × area' },
  hour: { 'zh-CN': '时段', en: 'hour' },
  weekday: { 'zh-CN': '星期', en: 'weekday' },
};

const round = (x: number | null | undefined, digits = 1): number | null =>
  x === null || x === undefined || !Number.isFinite(x) ? null : Number(x.toFixed(digits));
const pct = (x: number | null | undefined): number | null =>
  x === null || x === undefined || !Number.isFinite(x) ? null : Number((x * 100).toFixed(1));

function shanghaiDate(ms: number): string {
  return new Date(ms + 8 * 3_600_000).toISOString().slice(0, 10);
}

export function briefingTables(b: BriefingReport, locale: Locale): ExportTable[] {
  const zh = locale === 'zh-CN';
  const t = (x: Record<Locale, string>) => x[locale];
  const tables: ExportTable[] = [];
  const wow = b.totals.weekOverWeek;
  const yoy = b.totals.yearOverYear;
  tables.push({
    title: t(L.summary),
    rows: [
      [zh ? '项目' : 'Item', zh ? '数值' : 'Value'],
      [zh ? '范围' : 'Scope', b.scope.name],
      [zh ? '周次' : 'Week', b.weekLabel],
      [zh ? '起' : 'From', shanghaiDate(b.fromMs)],
      [zh ? '止' : 'To', shanghaiDate(b.toMs - 1)],
      [zh ? '本周事件' : 'Cases this week', b.totals.cases],
      [zh ? '预期（基线）' : 'Expected (baseline)', round(b.totals.expected)],
      [zh ? '上周事件' : 'Cases last week', wow?.count ?? null],
      [zh ? '环比 %' : 'Week over week %', pct(wow?.ratio)],
      [zh ? '去年同期事件' : 'Same week last year', yoy?.count ?? null],
      [zh ? '同比 %' : 'Year over year %', pct(yoy?.ratio)],
      [zh ? '上升事项数' : 'Rising items', RISING_FAMILIES.reduce((s, f) => s + b.rising[f].flaggedCount, 0)],
      [zh ? '约谈区域数' : 'Areas on the call-in list', b.callIn.length],
    ],
  });
  tables.push({
    title: t(L.categories),
    rows: [
      [zh ? '代码' : 'Code', zh ? '大类' : 'Category', zh ? '本周' : 'This week', zh ? '预期' : 'Expected'],
      ...b.totals.byMajor
        .filter((m) => m.count > 0 || (m.expected ?? 0) > 0)
        .map((m) => [m.code, zh ? m.nameZh : m.nameEn, m.count, round(m.expected)]),
    ],
  });
  const rising = RISING_FAMILIES.flatMap((f) => b.rising[f].items);
  rising.sort((x, y) => x.pAdjusted - y.pAdjusted || y.excess - x.excess);
  tables.push({
    title: t(L.rising),
    rows: [
      [
        zh ? '类型' : 'Kind',
        zh ? '说明' : 'Explanation',
        zh ? '本周' : 'This week',
        zh ? '预期' : 'Expected',
        zh ? '倍数' : 'Ratio',
        zh ? '校正 p' : 'Adjusted p',
      ],
      ...rising.map((r) => [
        t(FAMILY[r.family]),
        r.text[locale],
        r.count,
        round(r.expected),
        round(r.ratio, 2),
        Number(r.pAdjusted.toPrecision(2)),
      ]),
    ],
  });
  const rateHead: XlsxCell[] = [
    zh ? '代码' : 'Code',
    zh ? '名称' : 'Name',
    zh ? '应结案数' : 'Due for closure',
    `${RATE_LABELS.closureRate[locale]} %`,
    `${RATE_LABELS.onTimeClosureRate[locale]} %`,
    `${RATE_LABELS.reworkRate[locale]} %`,
    `${RATE_LABELS.onTimeDispatchRate[locale]} %`,
    RATE_LABELS.composite[locale],
  ];
  const rateRow = (r: RateRow): XlsxCell[] => [
    r.code,
    r.name,
    r.counts.dueForClosure,
    pct(r.rates.closureRate),
    pct(r.rates.onTimeClosureRate),
    pct(r.rates.reworkRate),
    pct(r.rates.onTimeDispatchRate),
    round(r.composite),
  ];
  tables.push({ title: t(L.areas), rows: [rateHead, rateRow(b.rates.scope), ...b.rates.areas.map(rateRow)] });
  tables.push({ title: t(L.departments), rows: [rateHead, ...b.rates.departments.map(rateRow)] });
  tables.push({
    title: t(L.callIn),
    rows: [
      [
        zh ? '代码' : 'Code',
        zh ? '区域' : 'Area',
        zh ? '指标' : 'Measure',
        zh ? '连续周数' : 'Weeks in a row',
        zh ? '说明' : 'Explanation',
      ],
      ...b.callIn.map((c) => [c.code, c.name, RATE_LABELS[c.measure][locale], c.streak, c.text[locale]]),
    ],
  });
  if (b.normalised) {
    const n = b.normalised;
    tables.push({
      title: t(L.normalised),
      rows: [
        [
          zh ? '区域' : 'Area',
          zh ? '事件' : 'Cases',
          zh ? '网格数' : 'Grids',
          zh ? '每网格' : 'Per grid',
          zh ? '每千套出租屋' : 'Per 1,000 rental units',
          zh ? '每名网格管理员' : 'Per officer',
        ],
        ...[n.scope, ...n.areas].map((r) => [
          r.name,
          r.cases,
          r.grids,
          round(r.perGrid, 2),
          round(r.per1000RentalUnits, 2),
          round(r.perOfficer, 2),
        ]),
      ],
    });
  }
  tables.push({
    title: t(L.trend),
    rows: [
      [zh ? '周次' : 'Week', zh ? '事件' : 'Cases', zh ? '覆盖' : 'Covered'],
      ...b.trend.map((p) => [p.label, p.count, round(p.covered, 2)]),
    ],
  });
  return tables;
}

function csvField(v: XlsxCell): string {
  if (v === null) return '';
  const s = typeof v === 'number' ? String(v) : v;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function briefingCsv(tables: readonly ExportTable[]): Uint8Array {
  const lines: string[] = [];
  tables.forEach((table, i) => {
    if (i > 0) lines.push('');
    lines.push(csvField(`# ${table.title}`));
    for (const row of table.rows) lines.push(row.map(csvField).join(','));
  });
  const text = `\uFEFF${lines.join('\r\n')}\r\n`;
  return new TextEncoder().encode(text);
}

export function exportBriefing(
  b: BriefingReport,
  kind: BriefingExportKind,
  locale: Locale,
): BriefingExportFile {
  const tables = briefingTables(b, locale);
  const base = `${locale === 'zh-CN' ? '每周研判' : 'weekly-briefing'}-${b.scope.code}-${b.weekLabel}`;
  const bytes =
    kind === 'csv' ? briefingCsv(tables) : writeXlsx(tables.map((t) => ({ name: t.title, rows: t.rows })));
  return {
    fileName: `${base}.${kind}`,
    mime:
      kind === 'csv'
        ? 'text/csv;charset=utf-8'
        : 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    base64: Buffer.from(bytes).toString('base64'),
    bytes: bytes.length,
  };
}
