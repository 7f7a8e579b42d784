// Words for what the map shows (tooltips and cards), from the columns and the reference.
import type { ReferenceView } from '../../../src-shared/ipc/contract';
import type { MapSnapshot } from '../../../src-shared/ipc/map-data';
import { MAP_CASE_STATES, MAP_OFFICER_STATUSES, MAP_PRIORITIES } from '../../../src-shared/ipc/map-data';
import type { UiLocale } from '../../../src-shared/ipc/contract';
import type { Translate } from '../i18n';
import { formatShanghai } from '../i18n';
import type { MessageKey } from '../i18n/zh-CN';
import { areaSet, type MapAreas } from '../../../src-shared/map/areas';
import type { Choropleth } from '../../../src-shared/map/choropleth';
import type { MapPick } from './map-picks';
import { mapCaseNumber } from '../../../src-shared/map/case-label';

const OFFICER_KINDS = ['grid', 'mobile', 'department'] as const;

export const statusKey = (status: number): MessageKey =>
  `map.status.${MAP_OFFICER_STATUSES[status] ?? 'offline'}` as MessageKey;
export const stateKey = (state: number): MessageKey =>
  `map.state.${MAP_CASE_STATES[state] ?? 'reported'}` as MessageKey;
export const priorityKey = (p: number): MessageKey =>
  `map.priority.${MAP_PRIORITIES[p] ?? 'normal'}` as MessageKey;
export const officerKindKey = (k: number): MessageKey =>
  `map.officerKind.${OFFICER_KINDS[k] ?? 'grid'}` as MessageKey;

export function fixText(fixAt: number, now: number, t: Translate, locale: UiLocale): string {
  if (Number.isNaN(fixAt)) return t('map.noFix');
  const time = formatShanghai(fixAt, locale);
  const min = Math.floor((now - fixAt) / 60_000);
  return min < 2 ? t('map.fix.fresh', { time }) : t('map.fix.stale', { time, min });
}

export function categoryName(
  ref: Pick<ReferenceView, 'categories'> | null,
  code: string | undefined,
  locale: UiLocale,
): string {
  const c = code ? ref?.categories.find((x) => x.code === code) : undefined;
  if (!c) return code ?? '';
  return locale === 'zh-CN' ? c.name : c.nameEn;
}

export function formatValue(v: number): string {
  if (!Number.isFinite(v)) return '—';
  return Number.isInteger(v) ? String(v) : v.toFixed(v < 1 ? 2 : 1);
}

/** One line for a hover tooltip. */
export function pickSummary(
  pick: MapPick,
  ctx: {
    snapshot: MapSnapshot;
    areas: MapAreas;
    reference: Pick<ReferenceView, 'categories'> | null;
    choropleth: Choropleth | null;
  },
  t: Translate,
  locale: UiLocale,
): string {
  const s = ctx.snapshot;
  const paren = (x: string): string => (locale === 'zh-CN' ? `（${x}）` : ` (${x})`);
  switch (pick.kind) {
    case 'officer': {
      const o = s.officers;
      return `${o.names[pick.index]}${paren(o.numbers[pick.index])} · ${t(statusKey(o.status[pick.index]))}`;
    }
    case 'camera': {
      const c = s.cameras;
      return `${c.names[pick.index]} · ${t(c.online[pick.index] ? 'map.camera.online' : 'map.camera.offline')}`;
    }
    case 'case': {
      const c = s.cases;
      const cat = categoryName(ctx.reference, s.categoryCodes[c.category[pick.index]], locale);
      return `${mapCaseNumber(c, pick.index)} · ${t(priorityKey(c.priority[pick.index]))} · ${t(stateKey(c.state[pick.index]))} · ${cat}`;
    }
    case 'area': {
      const set = areaSet(ctx.areas, pick.level);
      const ch = ctx.choropleth;
      const value =
        ch && ch.mode !== 'none' && ch.level === pick.level
          ? ` · ${t(`map.mode.${ch.mode}` as MessageKey)} ${formatValue(ch.values[pick.index])}`
          : '';
      return `${t(`map.level.${pick.level}` as MessageKey)} ${set.names[pick.index]}${paren(set.codes[pick.index])}${value}`;
    }
  }
}
