// The briefing's sentences, in zh-CN and en. Kept apart from the analysis so the UI, the PDF
// export and the tests share one wording. Town and village names exist only in Chinese, so the
// English sentences carry them as they are.
//
// The p in the sentences is the family-adjusted p-value (Benjamini–Hochberg by default), the
// figure the flag was decided on; the raw p is in the item for whoever wants it.

import type { RateName } from '../domain/evaluation';
import { WEEKDAY_NAMES_EN, WEEKDAY_NAMES_ZH } from './weeks';

export type Locale = 'zh-CN' | 'en';
export type Texts = Record<Locale, string>;

export const RATE_LABELS: Readonly<Record<RateName | 'composite', Texts>> = {
  closureRate: { 'zh-CN': '结案率', en: 'closure rate' },
  onTimeClosureRate: { 'zh-CN': '按期结案率', en: 'on-time closure rate' },
  reworkRate: { 'zh-CN': '返工率', en: 'rework rate' },
  onTimeDispatchRate: { 'zh-CN': '按时派遣率', en: 'on-time dispatch rate' },
  missedReportRate: { 'zh-CN': '漏报率', en: 'missed-report rate' },
  onTimeVerifyRate: { 'zh-CN': '按时核实率', en: 'on-time verification rate' },
  onTimeCheckRate: { 'zh-CN': '按时核查率', en: 'on-time check rate' },
  selfHandledRate: { 'zh-CN': '自处置率', en: 'self-handled rate' },
  composite: { 'zh-CN': '综合评分', en: 'composite score' },
};

/** 'p < 0.001' or 'p = 0.012' (two significant digits). */
export function formatP(p: number): string {
  if (p < 0.001) return 'p < 0.001';
  return `p = ${Number(p.toPrecision(2))}`;
}

function one(x: number): string {
  return x >= 100 ? x.toFixed(0) : x.toFixed(1);
}

function pct(ratio: number): string {
  if (!Number.isFinite(ratio)) return '+∞%';
  const v = Math.round((ratio - 1) * 100);
  return `${v >= 0 ? '+' : ''}${v}%`;
}

function hours(h: number): string {
  const two = (n: number) => String(n).padStart(2, '0');
  return `${two(h)}:00–${two(h + 1)}:00`;
}

/** What rose: a category in an area, a category over the scope, an area, an hour of the day or a day of the week. */
export type RiseSubject =
  | { kind: 'categoryArea'; categoryZh: string; categoryEn: string; area: string }
  | { kind: 'category'; categoryZh: string; categoryEn: string; scope: string }
  | { kind: 'area'; area: string }
  | { kind: 'hour'; hour: number; scope: string }
  | { kind: 'weekday'; weekday: number; scope: string };

export function riseText(subject: RiseSubject, expected: number, count: number, pAdjusted: number): Texts {
  const from = one(expected);
  const change = pct(expected > 0 ? count / expected : Number.POSITIVE_INFINITY);
  const p = formatP(pAdjusted);
  let zh: string;
  let en: string;
  switch (subject.kind) {
    case 'categoryArea':
      zh = `${subject.area}${subject.categoryZh}`;
      en = `${subject.categoryEn} in ${subject.area}`;
      break;
    case 'category':
      zh = `${subject.scope}${subject.categoryZh}`;
      en = `${subject.categoryEn} in ${subject.scope}`;
      break;
    case 'area':
      zh = `${subject.area}事件量`;
      en = `Cases in ${subject.area}`;
      break;
    case 'hour':
      zh = `${subject.scope}每日${hours(subject.hour)}时段事件`;
      en = `Cases at ${hours(subject.hour)} in ${subject.scope}`;
      break;
    case 'weekday':
      zh = `${subject.scope}${WEEKDAY_NAMES_ZH[subject.weekday]}事件`;
      en = `Cases on ${WEEKDAY_NAMES_EN[subject.weekday]} in ${subject.scope}`;
      break;
  }
  return {
    'zh-CN': `${zh}由 ${from} 件/周升至 ${count} 件（${change}），${p}`,
    en: `${en} rose from ${from}/week to ${count} (${change}), ${p}`,
  };
}

function showValue(measure: RateName | 'composite', v: number): string {
  return measure === 'composite' ? v.toFixed(1) : `${(v * 100).toFixed(1)}%`;
}

export function callInText(
  area: string,
  scope: string,
  measure: RateName | 'composite',
  streak: number,
  value: number,
  scopeValue: number,
): Texts {
  const label = RATE_LABELS[measure];
  const diff = Math.abs(value - scopeValue) * (measure === 'composite' ? 1 : 100);
  const unitZh = measure === 'composite' ? '分' : '个百分点';
  const worseZh = measure === 'reworkRate' || measure === 'missedReportRate' ? '高于' : '低于';
  const worseEn = measure === 'reworkRate' || measure === 'missedReportRate' ? 'above' : 'below';
  const sign = measure === 'reworkRate' || measure === 'missedReportRate' ? '+' : '−';
  return {
    'zh-CN': `${area}${label['zh-CN']}连续 ${streak} 周${worseZh}${scope}平均（本周 ${showValue(measure, value)}，平均 ${showValue(measure, scopeValue)}，差 ${diff.toFixed(1)} ${unitZh}）`,
    en: `${area}: ${label.en} ${worseEn} the ${scope} average for ${streak} consecutive weeks (this week ${showValue(measure, value)} vs ${showValue(measure, scopeValue)}, ${sign}${diff.toFixed(1)} points)`,
  };
}
