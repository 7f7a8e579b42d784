// What the parts of the field simulator share (field-simulator.ts is the coordinator): the
// people it moves, the timed actions it queues, and what the coordinator lends each part — the
// seeded randomness, the clocks, the command path, photos and the counters.
import type { OfficerStatus } from '../../src-shared/domain/case-model';
import type { WorkingCalendar } from '../../src-shared/domain/calendar';
import type { Rng } from '../../src-shared/domain/geo';
import type { CommandAnswer, CommandPayload, CommandType } from '../../src-shared/protocol/commands';
import type { DispatchServer } from '../server';
import type { ShiftPlan } from './duty-roster';
import type { PhotoKind } from './png';
import type { TimedQueue } from './timed-queue';

/** What the simulator needs of the server: reference data, the log, telemetry, photos, the command path. */
export type SimulatorServer = Pick<
  DispatchServer,
  'ref' | 'db' | 'events' | 'telemetry' | 'photos' | 'execute' | 'inspections'
>;

export interface SimulatorStats {
  ticks: number;
  reported: number;
  selfHandled: number;
  signedFor: number;
  returned: number;
  /** 缓办 / 延期 requests sent to the duty leaders. */
  requests: number;
  feedback: number;
  rejected: number;
  /** Actions dropped because the case had moved on (closed, reassigned, suspended…). */
  stale: number;
  photos: number;
  fixes: number;
  /** Repeat reports of a problem already reported (一事多报), included in `reported`. */
  echoes: number;
  /** Timed actions waiting (future work and any backlog beyond the tick budget). */
  pending: number;
  /** How far the due actions lag behind the simulated clock (ms of simulated time). */
  lagMs: number;
}

/** A grid officer's phone and body: where, heading where, doing what. */
export interface FieldBody {
  gridCode: string;
  gridIdx: number;
  lon: number;
  lat: number;
  toLon: number;
  toLat: number;
  /** Walking/e-bike speed in m/s. */
  pace: number;
  /** Degrees from north of the last movement, null when standing still. */
  heading: number | null;
  /** Stationary until (sim ms): filing a report, fixing a finding on the spot. */
  busyUntil: number;
  /** The phone has no signal until (sim ms). */
  darkUntil: number;
  offlineSent: boolean;
  sosUntil: number;
  /** Sim ms of the last fix actually sent (for the offline threshold). */
  lastFixSim: number;
  lastMoveSim: number;
  /** Real ms of the next fix. */
  nextFixAt: number;
  status: OfficerStatus | null;
}

/** Anyone who signs for and handles cases: grid officers, the mobile squad, department handlers. */
export interface Worker {
  id: string;
  userId: string;
  clientId: string;
  kind: 'grid' | 'mobile' | 'department';
  departmentCode: string | null;
  plan: ShiftPlan;
  capacity: number;
  active: Set<string>;
  queue: string[];
  /** Sign-fors scheduled but not yet run (counts toward load when picking a handler). */
  pending: number;
  body: FieldBody | null;
  /** Cache of the last off-duty stretch found: [from, until) is off, `until` is back on duty. */
  off: { from: number; until: number };
}

/** The simulated people: every worker by officer id, the grid officers that walk, the handlers per department. */
export interface Crew {
  readonly workers: Map<string, Worker>;
  readonly fieldWorkers: Worker[];
  readonly handlersByDept: Map<string, Worker[]>;
}

export type EchoSource = 'citizen' | 'hotline' | 'video';
export type PublicSource = 'citizen' | 'video' | 'hotline' | 'department' | 'higher_level';

export type Action =
  | { kind: 'find'; source: 'patrol' | 'inspection' }
  | { kind: 'public'; source: PublicSource }
  | { kind: 'echo'; source: EchoSource; categoryCode: string; gridCode: string; lon: number; lat: number }
  | { kind: 'signFor'; worker: Worker; caseId: string }
  | { kind: 'return'; worker: Worker; caseId: string }
  | { kind: 'feedback'; worker: Worker; caseId: string };

/** One command through the server's command path as `userId` on `clientId`; null when it threw. */
export type SimulatorExec = <T extends CommandType>(
  userId: string,
  clientId: string,
  type: T,
  payload: CommandPayload<T>,
  baseVersion: number | null,
) => CommandAnswer | null;

/** What the coordinator lends its parts (movement, case generation, field work). */
export interface FieldHost {
  readonly server: SimulatorServer;
  readonly rng: Rng;
  readonly calendar: WorkingCalendar;
  readonly stats: SimulatorStats;
  readonly actions: TimedQueue<Action>;
  readonly crew: Crew;
  /** The real clock (ms). */
  now(): number;
  /** One command through the server's command path (counts against the tick's budget). */
  readonly exec: SimulatorExec;
  /** A stored scene photo's hash, null when the store refused it. */
  photo(caseId: string, kind: PhotoKind, userId: string): string | null;
}

export const M_PER_DEG_LAT = 111_320;

export function round6(v: number): number {
  return Math.round(v * 1e6) / 1e6;
}

export function distanceM(lon1: number, lat1: number, lon2: number, lat2: number): number {
  const dy = (lat2 - lat1) * M_PER_DEG_LAT;
  const dx = (lon2 - lon1) * M_PER_DEG_LAT * Math.cos(((lat1 + lat2) / 2) * (Math.PI / 180));
  return Math.hypot(dx, dy);
}
