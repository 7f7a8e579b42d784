// Words and names for the desk: durations, clocks, holders, assignees, actors.
import { shortDivisionName } from '../../../src-shared/map/areas';
import type { ReferenceView } from '../../../src-shared/ipc/contract';
import type { RowClock } from '../../../src-shared/desk/queue';
import { splitDuration } from '../../../src-shared/desk/queue';
import type { UiLocale } from '../../../src-shared/ipc/contract';
import type { Translate } from '../i18n';
import type { MessageKey } from '../i18n/zh-CN';
import { refusalText } from '../../../src-shared/domain/refusal-text';

/** The refusal codes the desk words itself; any other says the server refused. */
const REJECT_CODES = new Set([
  'ALREADY_ASSIGNED',
  'VERSION_CONFLICT',
  'INVALID_TRANSITION',
  'CASE_CLOSED',
  'FORBIDDEN',
  'OUT_OF_SCOPE',
  'WRONG_HANDLING_LEVEL',
  'SEPARATION_VIOLATION',
]);

/**
 * What a refused action says: the sentence of the rule that refused it in the UI's language
 * (src-shared/domain/refusal-text.ts), else the code's words with the server's reason.
 */
export function refusalWords(
  e: { code: string; message: string; details?: Record<string, unknown> },
  t: Translate,
  locale: UiLocale,
): string {
  return refusalText(e.details?.rule, locale) ?? `${t(rejectKey(e.code))}（${e.message}）`;
}

/** The words for a refusal's code (`desk.reject.*`). */
export function rejectKey(code: string | undefined): MessageKey {
  return `desk.reject.${code !== undefined && REJECT_CODES.has(code) ? code : 'other'}` as MessageKey;
}

export function durationText(ms: number, t: Translate): string {
  return durationParts(ms, t).trim();
}

function durationParts(ms: number, t: Translate): string {
  const { d, h, m, s } = splitDuration(ms);
  if (d > 0) return `${t('desk.dur.d', { n: d })}${h > 0 ? t('desk.dur.h', { n: h }) : ''}`;
  if (h > 0) return `${t('desk.dur.h', { n: h })}${t('desk.dur.m', { n: m })}`;
  if (m > 0) return t('desk.dur.m', { n: m });
  return t('desk.dur.s', { n: s });
}

export function clockText(c: RowClock, t: Translate): string {
  switch (c.kind) {
    case 'paused':
      return t('desk.clock.paused');
    case 'none':
      return t('desk.clock.none');
    case 'dispatch':
      return c.remainingMs >= 0
        ? t('desk.clock.dispatch', { t: durationText(c.remainingMs, t) })
        : t('desk.clock.dispatchOver', { t: durationText(c.remainingMs, t) });
    case 'handling':
      return c.level === 'overdue'
        ? t('desk.clock.over', { t: durationText(c.remainingMs, t) })
        : t('desk.clock.left', { t: durationText(c.remainingMs, t) });
  }
}

export interface Names {
  division: Map<string, string>;
  officer: Map<string, { name: string; number: string }>;
  department: Map<string, { name: string; nameEn: string }>;
  category: Map<string, ReferenceView['categories'][number]>;
}

export function namesOf(ref: ReferenceView | null): Names {
  return {
    // The names people say (横沥村, 岗贝社区), not the committees' full names.
    division: new Map(ref?.divisions.map((d) => [d.code, shortDivisionName(d.name)]) ?? []),
    officer: new Map(ref?.officers.map((o) => [o.id, { name: o.name, number: o.number }]) ?? []),
    department: new Map(ref?.departments.map((d) => [d.code, { name: d.name, nameEn: d.nameEn }]) ?? []),
    category: new Map(ref?.categories.map((c) => [c.code, c]) ?? []),
  };
}

export function holderName(n: Names, code: string): string {
  return n.division.get(code) ?? code;
}

export function categoryLabel(n: Names, code: string, locale: UiLocale): string {
  const c = n.category.get(code);
  if (!c) return code;
  return locale === 'zh-CN' ? c.name : c.nameEn;
}

/** `officer:<id>` / `department:<code>` (queue rows) or an Assignee object. */
export function assigneeName(
  n: Names,
  a: string | { kind: string; id: string } | null,
  locale: UiLocale,
  t: Translate,
): string {
  if (!a) return t('desk.nobody');
  const [kind, id] =
    typeof a === 'string' ? [a.slice(0, a.indexOf(':')), a.slice(a.indexOf(':') + 1)] : [a.kind, a.id];
  if (kind === 'officer') {
    const o = n.officer.get(id);
    return o ? `${o.name}（${o.number}）` : id;
  }
  const d = n.department.get(id);
  return d ? (locale === 'zh-CN' ? d.name : d.nameEn) : id;
}

export function roleText(role: string, t: Translate): string {
  return t(`desk.role.${role}` as MessageKey) ?? role;
}

const SEAT_ROLES: Record<string, string> = {
  dispatcher: 'dispatcher',
  leader: 'duty_leader',
  checker: 'checker',
  operator: 'village_operator',
};

/**
 * Who acted: an officer's name when the actor is one; a seat (`U-<division>-<role>`) as its
 * division and role, e.g. 万江街道 调度员; else the user id as it is.
 */
export function actorName(n: Names, actorId: string, t?: Translate): string {
  const o = n.officer.get(actorId) ?? n.officer.get(actorId.replace(/^U-/, ''));
  if (o) return `${o.name}（${o.number}）`;
  const seat = /^U-(\d+|city)-([a-z]+)$/.exec(actorId);
  // The city's seats are U-city-<role>: the city is the division whose code has 4 or 6 digits.
  const cityCode = seat?.[1] === 'city' ? [...n.division.keys()].find((c) => c.length <= 6) : undefined;
  const division = seat ? n.division.get(cityCode ?? seat[1]) : undefined;
  if (seat && division && t && SEAT_ROLES[seat[2]]) return `${division}·${roleText(SEAT_ROLES[seat[2]], t)}`;
  if (!t) return actorId;
  // The city centre's seats and the platform's own accounts: named, never a raw id.
  const city = /^U-city-([a-z]+)$/.exec(actorId);
  if (city && SEAT_ROLES[city[1]]) return `${t('desk.actor.city')}·${roleText(SEAT_ROLES[city[1]], t)}`;
  if (actorId === 'U-system') return t('desk.actor.system');
  if (actorId === 'U-citizen') return t('desk.actor.citizen');
  if (actorId === 'U-admin') return t('desk.actor.admin');
  return actorId;
}
