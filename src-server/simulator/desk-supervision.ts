// 督办 in the simulated desks (issue 17), so the demo city has supervision orders every day:
// - a share of the cases dispatched (SUPERVISE_RATE) get an order a few hours later if still in
//   hand: a 镇督 from the town's duty leader, or now and then a 市督 from the city's (city-held
//   cases: always the city);
// - the issuing level sends a 催办 at half the order's time now and then;
// - the supervised unit (the town dispatcher for a 市督, the village workstation for a 镇督)
//   answers — mostly within the deadline, sometimes after it, when the server has lapsed the
//   order and (for a 镇督) escalated it to a 市督, which the town then answers.
// Seats a person holds are left to the person. Every action goes through the desks' exec (the
// one command path), as that seat.
import { HOUR_MS, MINUTE_MS } from '../../src-shared/domain/calendar';
import type { CommandAnswer } from '../../src-shared/protocol/commands';
import type { DeskSimulatorHost } from './desk-simulator';
import type { Case, CaseEvent, SupervisionOrder } from '../../src-shared/protocol/entities';
import { TimedQueue } from './timed-queue';

/** Share of first dispatches that get a 督办 while in hand. */
export const SUPERVISE_RATE = 0.03;
/** Of the orders, the share answered in time; of the 镇督, the share the city issues instead. */
const ANSWER_IN_TIME = 0.85;
const CITY_SHARE = 0.25;
const REMIND_RATE = 0.4;

const NOTES = [
  '群众反映强烈，请加快处置并回复',
  '该事件已超期风险较高，请限时办结',
  '请落实整改并上传处置照片',
];
const ANSWERS = ['已督促责任单位现场处置，整改完成', '已约谈责任人，限期整改中', '已安排专人跟进，明日复查'];

export interface SupervisionStats {
  supervised: number;
  reminded: number;
  answered: number;
}

/** What the supervising desks need of the desk simulator that runs them (the same rng, delays and command path). */
export interface SupervisionHost extends Pick<DeskSimulatorHost, 'rng' | 'delayScale' | 'exec'> {
  rate?: number;
  caseOf(id: string): Case | null;
  personHolds(userId: string): boolean;
}

type Job = { kind: 'issue'; caseId: string } | { kind: 'remind' | 'answer'; caseId: string; orderId: string };

/** The seat that answers an order: the town dispatcher (市督) or the village workstation (镇督). */
export function answeringSeat(o: Pick<SupervisionOrder, 'targetCode'>): string {
  return o.targetCode.length === 12 ? `U-${o.targetCode}-operator` : `U-${o.targetCode}-dispatcher`;
}

export class SimulatedSupervision {
  readonly stats: SupervisionStats = { supervised: 0, reminded: 0, answered: 0 };
  private readonly jobs = new TimedQueue<Job>();

  constructor(private readonly host: SupervisionHost) {}

  onEvent(e: CaseEvent, t: number): void {
    const rng = this.host.rng;
    const scale = this.host.delayScale;
    if (e.type === 'case.dispatched' && (e.payload.case as Case | undefined)?.returnCount === undefined) {
      if (rng.next() < (this.host.rate ?? SUPERVISE_RATE))
        this.jobs.push(t + rng.range(1, 4) * HOUR_MS * scale, { kind: 'issue', caseId: e.caseId });
      return;
    }
    const order = e.payload.order as SupervisionOrder | undefined;
    if (!order || (e.type !== 'case.supervised' && e.type !== 'case.supervision_lapsed')) return;
    const span = Math.max(order.dueAt - order.issuedAt, 30 * MINUTE_MS);
    const answerIn = rng.next() < ANSWER_IN_TIME ? rng.range(0.1, 0.9) * span : rng.range(1.1, 1.5) * span;
    this.jobs.push(t + answerIn * scale, { kind: 'answer', caseId: e.caseId, orderId: order.id });
    if (order.issuedByRole !== 'system' && rng.next() < REMIND_RATE)
      this.jobs.push(t + 0.5 * span * scale, { kind: 'remind', caseId: e.caseId, orderId: order.id });
  }

  step(simT: number, budget: () => number): void {
    while (this.jobs.peekAt() <= simT && budget() > 0) {
      const job = this.jobs.pop()?.item;
      if (job) this.run(job);
    }
  }

  private run(job: Job): void {
    const c = this.host.caseOf(job.caseId);
    if (!c || c.state === 'closed' || c.state === 'voided') return;
    const rng = this.host.rng;
    const ok = (a: CommandAnswer | null): boolean => a?.status === 'accepted' && !a.noop;
    if (job.kind === 'issue') {
      if (c.state !== 'dispatched' && c.state !== 'handling') return;
      const city = c.holderCode.length < 9 || rng.next() < CITY_SHARE;
      const seat = city ? 'U-city-leader' : `U-${c.townCode}-leader`;
      if (this.host.personHolds(seat)) return;
      const answer = this.host.exec(
        seat,
        `desk-${seat}`,
        'supervise',
        { caseId: c.id, note: rng.pick(NOTES) },
        c.version,
      );
      if (ok(answer)) this.stats.supervised++;
      return;
    }
    const order = c.supervisions?.find((o) => o.id === job.orderId);
    if (!order) return;
    if (job.kind === 'remind') {
      if (order.status !== 'open') return;
      const seat = order.level === 'city' ? 'U-city-leader' : `U-${order.issuerCode}-leader`;
      if (this.host.personHolds(seat)) return;
      const payload = { caseId: c.id, orderId: order.id, note: '请抓紧办理并按时回复' };
      if (ok(this.host.exec(seat, `desk-${seat}`, 'remindSupervision', payload, c.version)))
        this.stats.reminded++;
      return;
    }
    if (order.status !== 'open' && !(order.status === 'lapsed' && order.answer === null)) return;
    const seat = answeringSeat(order);
    if (this.host.personHolds(seat)) return;
    const payload = { caseId: c.id, orderId: order.id, text: rng.pick(ANSWERS) };
    if (ok(this.host.exec(seat, `desk-${seat}`, 'answerSupervision', payload, c.version)))
      this.stats.answered++;
  }
}
