// The desk's supervision list 督办: every order on the cases a seat holds (its cache is its
// scope, so a village workstation sees only the orders on its own cases), with what the seat may
// do about each — answer it (the supervised unit) or send a 催办 (the issuing level) — and the
// weekly summary the briefing's supervision section shows, by town. Pure: the worker builds the
// items from its cache, the renderer filters and counts them, tests run both over hand-made cases.
import type { Case, SupervisionOrder } from '../protocol/entities';
import { isWithin } from '../domain/codes';

export interface SupervisionItem {
  caseId: string;
  number: string | null;
  categoryCode: string;
  address: string;
  state: Case['state'];
  townCode: string;
  villageCode: string;
  order: SupervisionOrder;
  /** This console has an action on the case the server has not answered yet. */
  pending: boolean;
}

export const SUPERVISION_FILTERS = ['waiting', 'lapsed', 'done', 'all'] as const;
export type SupervisionFilter = (typeof SUPERVISION_FILTERS)[number];

/** The items of some cases, newest order first. */
export function supervisionItems(cases: Iterable<{ case: Case; pending: boolean }>): SupervisionItem[] {
  const out: SupervisionItem[] = [];
  for (const { case: c, pending } of cases)
    for (const order of c.supervisions ?? [])
      out.push({
        caseId: c.id,
        number: c.number ?? null,
        categoryCode: c.categoryCode,
        address: c.address,
        state: c.state,
        townCode: c.townCode,
        villageCode: c.villageCode,
        order,
        pending,
      });
  return out.sort((a, b) => b.order.issuedAt - a.order.issuedAt || a.caseId.localeCompare(b.caseId));
}

export function inFilter(item: SupervisionItem, f: SupervisionFilter): boolean {
  const s = item.order.status;
  if (f === 'waiting') return s === 'open';
  if (f === 'lapsed') return s === 'lapsed';
  if (f === 'done') return s === 'answered' || s === 'settled';
  return true;
}

export function filterCounts(items: readonly SupervisionItem[]): Record<SupervisionFilter, number> {
  const c = { waiting: 0, lapsed: 0, done: 0, all: 0 };
  for (const i of items) for (const f of SUPERVISION_FILTERS) if (inFilter(i, f)) c[f]++;
  return c;
}

const sameArea = (a: string, b: string): boolean => isWithin(a, b) && isWithin(b, a);

/** What the seat may do about an order (the server decides; this only offers the buttons). */
export function orderActions(
  order: SupervisionOrder,
  seat: { role: string; scopeCode: string },
): { answer: boolean; remind: boolean } {
  const answerer = ['dispatcher', 'duty_leader', 'village_operator'].includes(seat.role);
  const issuer = seat.role === 'dispatcher' || seat.role === 'duty_leader';
  return {
    answer:
      answerer &&
      (order.status === 'open' || order.status === 'lapsed') &&
      sameArea(seat.scopeCode, order.targetCode),
    remind: issuer && order.status === 'open' && sameArea(seat.scopeCode, order.issuerCode),
  };
}

/** One town's line of the briefing's supervision section. */
export interface SupervisionTownLine {
  townCode: string;
  /** Orders issued in the week (市督 and 镇督, escalations included). */
  issued: number;
  cityIssued: number;
  /** Answered by their deadline (or the case closed with them by then). */
  answeredInTime: number;
  /** Lapsed in the week, and of those the 镇督 escalated to the city or 市督 flagged to its leader. */
  lapsed: number;
  escalated: number;
  /** Issued in the week and still waiting (open, or lapsed without an answer). */
  waiting: number;
  /** Of those, still open before their deadline: not yet decided either way. */
  open: number;
}

/** 按时回复率: answered in time over the week's orders that are decided (all but the still-open ones). */
export function inTimeRate(l: SupervisionTownLine): number | null {
  const decided = l.issued - l.open;
  return decided > 0 ? l.answeredInTime / decided : null;
}

/**
 * The week [fromMs, toMs) by town: orders issued in it, how they ended, and lapses in it
 * (orders of earlier weeks lapsing in this one count as lapses of this week).
 */
export function supervisionWeek(
  items: readonly SupervisionItem[],
  fromMs: number,
  toMs: number,
  scopeCode: string | null = null,
): { towns: SupervisionTownLine[]; total: SupervisionTownLine } {
  const lines = new Map<string, SupervisionTownLine>();
  const line = (townCode: string): SupervisionTownLine => {
    let l = lines.get(townCode);
    if (!l) {
      l = {
        townCode,
        issued: 0,
        cityIssued: 0,
        answeredInTime: 0,
        lapsed: 0,
        escalated: 0,
        waiting: 0,
        open: 0,
      };
      lines.set(townCode, l);
    }
    return l;
  };
  const inWeek = (ms: number | null | undefined): boolean => ms != null && ms >= fromMs && ms < toMs;
  for (const { order: o, townCode, villageCode } of items) {
    if (scopeCode !== null && !isWithin(villageCode, scopeCode)) continue;
    if (inWeek(o.issuedAt)) {
      const l = line(townCode);
      l.issued++;
      if (o.level === 'city') l.cityIssued++;
      const doneAt = o.answer?.at ?? o.settledAt;
      if (doneAt != null && doneAt <= o.dueAt) l.answeredInTime++;
      if (o.status === 'open' || (o.status === 'lapsed' && o.answer === null)) l.waiting++;
      if (o.status === 'open') l.open++;
    }
    if (inWeek(o.lapsedAt)) {
      const l = line(townCode);
      l.lapsed++;
      if (o.escalatedTo !== null) l.escalated++;
    }
  }
  const towns = [...lines.values()].sort(
    (a, b) => b.issued - a.issued || a.townCode.localeCompare(b.townCode),
  );
  const total: SupervisionTownLine = {
    townCode: '',
    issued: 0,
    cityIssued: 0,
    answeredInTime: 0,
    lapsed: 0,
    escalated: 0,
    waiting: 0,
    open: 0,
  };
  for (const l of towns)
    for (const k of [
      'issued',
      'cityIssued',
      'answeredInTime',
      'lapsed',
      'escalated',
      'waiting',
      'open',
    ] as const)
      total[k] += l[k];
  return { towns, total };
}
