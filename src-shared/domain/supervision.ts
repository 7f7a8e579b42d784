// 督办 as an order (issue 17): what the four supervision commands do to a case, as a pure
// function the server's command path and the console's outbox share (through case-commands.ts).
//
// - supervise: a dispatcher or duty leader issues an order of its own level — 市督 from the city,
//   镇督 from a town — to the unit below it whose area holds the case (市督 → the case's town,
//   镇督 → its village), with a note and its own deadline on the working calendar (the limit
//   given, else SUPERVISION_LIMITS of the level). The case's scope and state rules are those of
//   case-workflow.ts `supervise`; a second order of the same level while one is open is a no-op.
// - remindSupervision 催办: a dispatcher or duty leader of the issuing level adds a reminder to an
//   open order (the supervised unit's seats see it as an event of the case).
// - answerSupervision 回复: a seat of the supervised unit (dispatcher, duty leader, village
//   workstation of exactly that area) answers an open order — or a lapsed one, late.
// - lapseSupervision: the server alone (role system, from its scheduler on its own clock), once
//   `now` ≥ dueAt of an open order: the order lapses; a lapsed 镇督 escalates to the city as a new
//   市督 (issued by the system, the city's default limit from the lapse), a lapsed 市督 is flagged
//   to the city leader (escalatedTo 'city_leader').
// - Closing or voiding the case settles its open orders (case-commands.ts calls settleOrders).
import type { CommandOf } from '../protocol/commands';
import type { Case, CaseEventType, SupervisionOrder } from '../protocol/entities';
import type { Role } from './case-model';
import { FINAL_STATES } from './case-model';
import { decide, supervisionLevelOf, type Actor } from './case-workflow';
import { isWithin } from './codes';
import type { TimeLimit } from './deadline';

/** Default deadline of an order: 市督 one working day, 镇督 four working hours. */
export const SUPERVISION_LIMITS: Readonly<Record<SupervisionOrder['level'], TimeLimit>> = {
  city: { unit: 'working_days', value: 1 },
  town: { unit: 'working_hours', value: 4 },
};

export type SupervisionCommand =
  | CommandOf<'supervise'>
  | CommandOf<'remindSupervision'>
  | CommandOf<'answerSupervision'>
  | CommandOf<'lapseSupervision'>;

export interface SupervisionEnv {
  now: number;
  /** `limit` after `startMs` on the working calendar. */
  dueFrom(startMs: number, limit: TimeLimit): number;
}

export type SupervisionOutcome =
  | { ok: true; noop: true }
  | { ok: true; noop: false; eventType: CaseEventType; next: Case; facts: Record<string, unknown> }
  | {
      ok: false;
      code: 'FORBIDDEN' | 'OUT_OF_SCOPE' | 'INVALID_TRANSITION' | 'NOT_FOUND' | 'CASE_CLOSED';
      rule: string;
      reason: string;
    };

const ISSUERS: readonly Role[] = ['dispatcher', 'duty_leader'];
const ANSWERERS: readonly Role[] = ['dispatcher', 'duty_leader', 'village_operator'];

/** Same area: the seat is bound to exactly this node (4419 and 441900 name the same city). */
const sameArea = (a: string, b: string): boolean => isWithin(a, b) && isWithin(b, a);

function no(
  code: 'FORBIDDEN' | 'OUT_OF_SCOPE' | 'INVALID_TRANSITION' | 'NOT_FOUND' | 'CASE_CLOSED',
  reason: string,
  rule: string = code,
): SupervisionOutcome {
  return { ok: false, code, rule, reason };
}

/** The orders of a case (none when absent). */
export function ordersOf(c: Pick<Case, 'supervisions'>): readonly SupervisionOrder[] {
  return c.supervisions ?? [];
}

/** The unit an order of `level` supervises on this case: its town (市督) or village (镇督). */
export function targetOf(
  level: SupervisionOrder['level'],
  c: Pick<Case, 'townCode' | 'villageCode'>,
): string {
  return level === 'city' ? c.townCode : c.villageCode;
}

function newOrder(
  c: Case,
  level: SupervisionOrder['level'],
  issuer: { code: string; id: string; role: Role },
  note: string,
  dueAt: number,
  now: number,
  fromOrderId: string | null,
  existing: readonly SupervisionOrder[],
): SupervisionOrder {
  return {
    id: `S${existing.length + 1}`,
    level,
    issuerCode: issuer.code,
    issuedBy: issuer.id,
    issuedByRole: issuer.role,
    issuedAt: now,
    note,
    targetCode: targetOf(level, c),
    dueAt,
    reminders: [],
    answer: null,
    status: 'open',
    lapsedAt: null,
    escalatedTo: null,
    escalatedOrderId: null,
    fromOrderId,
    settledAt: null,
  };
}

function withOrder(c: Case, orders: SupervisionOrder[], extra: Partial<Case> = {}): Case {
  return { ...c, ...extra, supervisions: orders, version: c.version + 1 };
}

export function evaluateSupervision(
  current: Case,
  command: SupervisionCommand,
  actor: Actor,
  env: SupervisionEnv,
): SupervisionOutcome {
  const orders = [...ordersOf(current)];
  if (command.type === 'supervise') {
    const level = supervisionLevelOf(actor.scopeCode);
    if (ISSUERS.includes(actor.role) && level === null)
      return no(
        'FORBIDDEN',
        `a seat of ${actor.scopeCode} issues no 督办: only the city (市督) and towns (镇督) do`,
        'SUPERVISION_LEVEL',
      );
    const d = decide(current, 'supervise', actor, {});
    if (!d.ok)
      return no(
        d.code === 'CASE_CLOSED' || d.code === 'OUT_OF_SCOPE' || d.code === 'INVALID_TRANSITION'
          ? d.code
          : 'FORBIDDEN',
        d.reason,
        d.code,
      );
    if (d.noop || level === null) return { ok: true, noop: true };
    const dueAt = env.dueFrom(env.now, command.payload.limit ?? SUPERVISION_LIMITS[level]);
    const order = newOrder(
      current,
      level,
      { code: actor.scopeCode, id: actor.id, role: actor.role },
      command.payload.note,
      dueAt,
      env.now,
      null,
      orders,
    );
    return {
      ok: true,
      noop: false,
      eventType: 'case.supervised',
      next: withOrder(current, [...orders, order], { supervised: true }),
      facts: { note: command.payload.note, order },
    };
  }

  if (FINAL_STATES.has(current.state))
    return no('CASE_CLOSED', `case ${current.id} is ${current.state}: its supervision orders are settled`);
  const i = orders.findIndex((o) => o.id === command.payload.orderId);
  if (i < 0) return no('NOT_FOUND', `case ${current.id} has no supervision order ${command.payload.orderId}`);
  const order = orders[i];

  switch (command.type) {
    case 'remindSupervision': {
      if (!ISSUERS.includes(actor.role)) return no('FORBIDDEN', `a ${actor.role} does not send 催办`);
      if (!sameArea(actor.scopeCode, order.issuerCode))
        return no(
          'OUT_OF_SCOPE',
          `order ${order.id} was issued by ${order.issuerCode}; only that level sends its 催办`,
        );
      if (order.status !== 'open')
        return no(
          'INVALID_TRANSITION',
          `order ${order.id} is ${order.status}: nothing to remind`,
          'SUPERVISION_NOT_OPEN',
        );
      const reminder = { at: env.now, byId: actor.id, note: command.payload.note };
      orders[i] = { ...order, reminders: [...order.reminders, reminder] };
      return {
        ok: true,
        noop: false,
        eventType: 'case.supervision_reminded',
        next: withOrder(current, orders),
        facts: { orderId: order.id, note: command.payload.note, targetCode: order.targetCode },
      };
    }
    case 'answerSupervision': {
      if (!ANSWERERS.includes(actor.role)) return no('FORBIDDEN', `a ${actor.role} does not answer 督办`);
      if (!sameArea(actor.scopeCode, order.targetCode))
        return no(
          'OUT_OF_SCOPE',
          `order ${order.id} supervises ${order.targetCode}; only its seats answer it`,
        );
      if (order.status !== 'open' && order.status !== 'lapsed')
        return no('INVALID_TRANSITION', `order ${order.id} is ${order.status}`, 'SUPERVISION_NOT_OPEN');
      const answer = { at: env.now, byId: actor.id, text: command.payload.text };
      orders[i] = { ...order, status: 'answered', answer };
      return {
        ok: true,
        noop: false,
        eventType: 'case.supervision_answered',
        next: withOrder(current, orders),
        facts: { orderId: order.id, text: command.payload.text, late: env.now > order.dueAt },
      };
    }
    case 'lapseSupervision': {
      if (actor.role !== 'system')
        return no('FORBIDDEN', 'only the server lapses a supervision order, on its clock');
      if (order.status !== 'open') return { ok: true, noop: true };
      if (env.now < order.dueAt)
        return no(
          'INVALID_TRANSITION',
          `order ${order.id} is due at ${order.dueAt}, not yet`,
          'SUPERVISION_NOT_DUE',
        );
      if (order.level === 'town') {
        const cityCode = actor.scopeCode;
        const escalated = newOrder(
          current,
          'city',
          { code: cityCode, id: actor.id, role: actor.role },
          `镇督 ${order.id} 逾期未回复，升级为市督：${order.note}`.slice(0, 500),
          env.dueFrom(env.now, SUPERVISION_LIMITS.city),
          env.now,
          order.id,
          orders,
        );
        orders[i] = {
          ...order,
          status: 'lapsed',
          lapsedAt: env.now,
          escalatedTo: 'city',
          escalatedOrderId: escalated.id,
        };
        return {
          ok: true,
          noop: false,
          eventType: 'case.supervision_lapsed',
          next: withOrder(current, [...orders, escalated]),
          facts: { orderId: order.id, escalatedTo: 'city', order: escalated },
        };
      }
      orders[i] = { ...order, status: 'lapsed', lapsedAt: env.now, escalatedTo: 'city_leader' };
      return {
        ok: true,
        noop: false,
        eventType: 'case.supervision_lapsed',
        next: withOrder(current, orders),
        facts: { orderId: order.id, escalatedTo: 'city_leader' },
      };
    }
    default:
      return no('NOT_FOUND', 'unknown supervision command');
  }
}

/** Closing or voiding the case settles its open orders (they leave the supervision lists). */
export function settleOrders(c: Case, now: number): SupervisionOrder[] | undefined {
  if (!c.supervisions) return undefined;
  return c.supervisions.map((o) => (o.status === 'open' ? { ...o, status: 'settled', settledAt: now } : o));
}

/** Orders still waiting for something: open, or lapsed and flagged with no answer yet. */
export function isPending(o: SupervisionOrder): boolean {
  return o.status === 'open' || (o.status === 'lapsed' && o.escalatedTo === 'city_leader');
}
