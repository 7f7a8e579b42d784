// Zod schemas for every entity that crosses a process or network boundary. The inferred types
// are the only entity types the project uses: server, data worker and renderer all import them
// from here, so a field renamed here is a type error everywhere it matters.
import { z } from 'zod';
import {
  ASSIGNEE_KINDS,
  CASE_SOURCES,
  CASE_STATES,
  LEVELS,
  OFFICER_STATUSES,
  PLACE_KINDS,
  PRIORITIES,
  RENTAL_TIERS,
  REQUEST_KINDS,
  ROLES,
  SEAT_ROLES,
  TIME_LIMIT_UNITS,
} from '../domain/case-model';

// ---- scalars ----
/** Epoch milliseconds (UTC instant; shown in Asia/Shanghai by the UI). */
export const EpochMs = z.number().int().nonnegative().max(8.64e15);
export const Lon = z.number().finite().min(-180).max(180);
export const Lat = z.number().finite().min(-90).max(90);
export const Id = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9._:-]+$/, 'ids are ASCII letters, digits and ._:-');
export const Text = (max: number) => z.string().max(max);
/** Content address of an uploaded photo: sha256 hex. */
export const PhotoRef = z.string().regex(/^[0-9a-f]{64}$/, 'a photo reference is a sha256 hex digest');

export const TownCode = z.string().regex(/^\d{9}$/, 'a town code has 9 digits');
export const VillageCode = z.string().regex(/^\d{12}$/, 'a village code has 12 digits');
export const GridCode = z.string().regex(/^\d{15}$/, 'a grid code has 15 digits');
/** Any node of the hierarchy: city (4 or 6 digits), town (9), village (12) or grid (15). */
export const ScopeCode = z
  .string()
  .regex(/^(\d{4}|\d{6}|\d{9}|\d{12}|\d{15})$/, 'not a division or grid code');
export const CategoryCode = z.string().regex(/^\d{5}$/, 'a category code is MMmmm: 5 digits');
export const MajorCategoryCode = z.string().regex(/^\d{2}$/, 'a major category code has 2 digits');

export const LevelSchema = z.enum(LEVELS);
export const CaseStateSchema = z.enum(CASE_STATES);
export const CaseSourceSchema = z.enum(CASE_SOURCES);
export const PrioritySchema = z.enum(PRIORITIES);
export const RoleSchema = z.enum(ROLES);
export const SeatRoleSchema = z.enum(SEAT_ROLES);
export const OfficerStatusSchema = z.enum(OFFICER_STATUSES);
export const AssigneeKindSchema = z.enum(ASSIGNEE_KINDS);
export const RentalTierSchema = z.enum(RENTAL_TIERS);
export const PlaceKindSchema = z.enum(PLACE_KINDS);

// ---- geometry (GeoJSON subset) ----
const Position = z.tuple([Lon, Lat]);
const Ring = z.array(Position).min(4);
export const PolygonGeometry = z.object({ type: z.literal('Polygon'), coordinates: z.array(Ring).min(1) });
export const MultiPolygonGeometry = z.object({
  type: z.literal('MultiPolygon'),
  coordinates: z.array(z.array(Ring).min(1)).min(1),
});
export const AreaGeometry = z.discriminatedUnion('type', [PolygonGeometry, MultiPolygonGeometry]);
export type AreaGeometry = z.infer<typeof AreaGeometry>;

// ---- the hierarchy ----
export const Division = z.object({
  code: ScopeCode,
  level: z.enum(['city', 'town', 'village']),
  name: Text(64).min(1),
  parentCode: ScopeCode.nullable(),
  geometry: AreaGeometry.optional(),
});
export type Division = z.infer<typeof Division>;

export const Grid = z.object({
  code: GridCode,
  villageCode: VillageCode,
  townCode: TownCode,
  centroid: Position,
  rentalUnits: z.number().int().nonnegative(),
  residents: z.number().int().nonnegative(),
  geometry: AreaGeometry.optional(),
});
export type Grid = z.infer<typeof Grid>;

/**
 * A handling unit (src-shared/domain/handling-units.ts): a city bureau (no level, no scope), a
 * town department 镇街部门 (level town, scope its town) or a village committee 村（社区）委会
 * (level village, scope its village).
 */
export const Department = z.object({
  code: z.string().regex(/^[a-z][a-z0-9_]{1,31}$/, 'a department code is lowercase ASCII, e.g. fire'),
  name: Text(64).min(1),
  nameEn: Text(128).min(1),
  level: z.enum(['town', 'village']).optional(),
  scopeCode: ScopeCode.optional(),
});
export type Department = z.infer<typeof Department>;

export const TimeLimit = z.object({
  unit: z.enum(TIME_LIMIT_UNITS),
  value: z.number().positive().max(10_000),
});
export type TimeLimit = z.infer<typeof TimeLimit>;

export const Category = z.object({
  code: CategoryCode,
  majorCode: MajorCategoryCode,
  name: Text(64).min(1),
  nameEn: Text(128).min(1),
  departmentCode: Department.shape.code,
  defaultPriority: PrioritySchema,
  timeLimit: TimeLimit,
  filingCondition: Text(500).min(1),
  closingStandard: Text(500).min(1),
});
export type Category = z.infer<typeof Category>;

// ---- people ----
export const OFFICER_KINDS = ['grid', 'mobile', 'department'] as const;
export const Officer = z.object({
  id: Id,
  number: z.string().regex(/^[A-Z]{2}\d{4,8}$/),
  name: Text(32).min(1),
  kind: z.enum(OFFICER_KINDS),
  departmentCode: Department.shape.code.nullable(),
  homeGridCode: GridCode.nullable(),
  /** 一员一格 has one entry; specialist squads (一员多格) several. */
  gridCodes: z.array(GridCode).max(64),
  villageCode: VillageCode.nullable(),
  townCode: TownCode.nullable(),
});
export type Officer = z.infer<typeof Officer>;

/** Telemetry: latest value per officer, never in the event log. */
export const OfficerFix = z.object({
  officerId: Id,
  status: OfficerStatusSchema,
  lon: Lon,
  lat: Lat,
  /** Degrees clockwise from north, or null when standing still. */
  heading: z.number().min(0).max(360).nullable(),
  at: EpochMs,
});
export type OfficerFix = z.infer<typeof OfficerFix>;

// ---- things ----
export const CAMERA_OWNERS = ['public_security', 'town', 'enterprise'] as const;
export const Camera = z.object({
  id: Id,
  name: Text(96).min(1),
  lon: Lon,
  lat: Lat,
  gridCode: GridCode,
  owner: z.enum(CAMERA_OWNERS),
  online: z.boolean(),
  direction: z.number().min(0).max(360).nullable(),
  fov: z.number().min(0).max(360).nullable(),
  streamUrl: Text(512).nullable(),
});
export type Camera = z.infer<typeof Camera>;

export const Place = z.object({
  id: Id,
  kind: PlaceKindSchema,
  tier: RentalTierSchema.nullable(),
  lon: Lon,
  lat: Lat,
  gridCode: GridCode,
  rentalUnits: z.number().int().nonnegative(),
  lastInspectedAt: EpochMs.nullable(),
});
export type Place = z.infer<typeof Place>;

// ---- cases ----
export const Assignee = z.object({ kind: AssigneeKindSchema, id: Id });
export type Assignee = z.infer<typeof Assignee>;

export const Suspension = z.object({ fromMs: EpochMs, toMs: EpochMs.nullable(), reason: Text(500) });

/** A 缓办 / 延期 / 退单 request waiting for the duty leader. */
export const CaseRequest = z.object({
  kind: z.enum(REQUEST_KINDS),
  /** The assignee who asked (officer id), and when (server time). */
  byId: Id,
  at: EpochMs,
  reason: Text(500),
  /** For an extension: how much more time, counted on the case's own clock. */
  extension: TimeLimit.optional(),
  /** For a suspension: until when the assignee expects to wait (information only). */
  untilMs: EpochMs.optional(),
});
export type CaseRequest = z.infer<typeof CaseRequest>;

/** An approved extension 延期: the deadline moves by this much on the case's clock. */
export const Extension = z.object({
  unit: TimeLimit.shape.unit,
  value: TimeLimit.shape.value,
  /** Approval time and the duty leader who approved it. */
  at: EpochMs,
  approvedBy: Id,
  reason: Text(500),
});
export type Extension = z.infer<typeof Extension>;

/**
 * A supervision order 督办 (src-shared/domain/supervision.ts): 市督 issued by the city or 镇督
 * by a town, to the unit below it that holds the case's area, with its own deadline on the
 * working calendar, its 催办 reminders, the supervised unit's answer, and what happened when it
 * lapsed (a 镇督 escalates to the city as a new 市督; a 市督 is flagged to the city leader).
 */
export const SupervisionOrder = z.object({
  /** S1, S2… in issue order on the case. */
  id: z.string().regex(/^S\d{1,3}$/),
  level: z.enum(['city', 'town']),
  /** The issuing level's area and who issued it (the server itself for an escalation). */
  issuerCode: ScopeCode,
  issuedBy: Id,
  issuedByRole: RoleSchema,
  issuedAt: EpochMs,
  note: Text(500),
  /** The supervised unit: the town (市督) or village (镇督) whose area holds the case. */
  targetCode: ScopeCode,
  dueAt: EpochMs,
  reminders: z.array(z.object({ at: EpochMs, byId: Id, note: Text(500) })).max(32),
  answer: z.object({ at: EpochMs, byId: Id, text: Text(1000) }).nullable(),
  status: z.enum(['open', 'answered', 'lapsed', 'settled']),
  lapsedAt: EpochMs.nullable(),
  /** Where a lapsed order went: a 镇督 to the city (order `escalatedOrderId`), a 市督 to the city leader. */
  escalatedTo: z.enum(['city', 'city_leader']).nullable(),
  escalatedOrderId: z.string().nullable(),
  /** On an order created by an escalation: the lapsed order it continues. */
  fromOrderId: z.string().nullable(),
  /** When the case was closed or voided with the order still open. */
  settledAt: EpochMs.nullable(),
});
export type SupervisionOrder = z.infer<typeof SupervisionOrder>;

/** A duplicate report kept on the primary case it was merged into. */
export const MergedReport = z.object({
  number: z.string().max(32),
  reporterId: Id,
  source: CaseSourceSchema,
  reportedAt: EpochMs,
  /** The duplicate's photos that the merge added to the primary (taken off again on un-merge). */
  photos: z.array(PhotoRef).max(32),
  mergedAt: EpochMs,
  mergedBy: Id,
});
export type MergedReport = z.infer<typeof MergedReport>;

export const Case = z.object({
  id: Id,
  /**
   * Human case number 案件编号 (src-shared/domain/case-number.ts), allocated by the server when
   * it first stores the case; absent while the case exists only in a console's outbox.
   */
  number: z.string().max(32).optional(),
  state: CaseStateSchema,
  categoryCode: CategoryCode,
  priority: PrioritySchema,
  source: CaseSourceSchema,
  description: Text(2000),
  address: Text(200),
  lon: Lon,
  lat: Lat,
  gridCode: GridCode,
  villageCode: VillageCode,
  townCode: TownCode,
  /** Jurisdiction currently holding the case (moves on escalate/delegate): "who holds the clock". */
  holderCode: ScopeCode,
  reporterId: Id,
  assignee: Assignee.nullable(),
  /** Who made the current assignment and when: told to the loser of a dispatch race. */
  assignedBy: Id.nullable(),
  assignedAt: EpochMs.nullable(),
  handlerId: Id.nullable(),
  selfHandled: z.boolean(),
  supervised: z.boolean(),
  reworkCount: z.number().int().nonnegative(),
  photos: z.array(PhotoRef).max(32),
  afterPhotos: z.array(PhotoRef).max(32),
  suspensions: z.array(Suspension).max(64),
  /** Where `resume` returns to; set while suspended. */
  stateBeforeSuspend: CaseStateSchema.nullable(),
  // Issue 17 (optional so cases stored before it still parse; absent = null / [] / 0):
  /** The request waiting for the duty leader. */
  request: CaseRequest.nullable().optional(),
  /** Approved extensions of the current handler's clock. */
  extensions: z.array(Extension).max(16).optional(),
  /** Approved returns 退单: each counts against the dispatching level's 准确派遣率. */
  returnCount: z.number().int().nonnegative().optional(),
  /**
   * Start of the current handler's clock: the first dispatch, or the re-dispatch after an
   * approved return (a fresh clock). Absent = dispatchedAt.
   */
  clockStartMs: EpochMs.nullable().optional(),
  /** Supervision orders 督办, in issue order (absent = none). */
  supervisions: z.array(SupervisionOrder).max(32).optional(),
  /**
   * 联合执法: the co-units (department codes) of a joint dispatch; the assignee is the lead unit,
   * which signs, feeds back and carries the clock. Absent = none.
   */
  coUnits: z.array(Department.shape.code).max(4).optional(),
  reportedAt: EpochMs,
  registeredAt: EpochMs.nullable(),
  dispatchedAt: EpochMs.nullable(),
  dueAt: EpochMs.nullable(),
  feedbackAt: EpochMs.nullable(),
  closedAt: EpochMs.nullable(),
  voidedAt: EpochMs.nullable(),
  /**
   * 一事多报 (src-shared/domain/case-merge.ts): on a duplicate closed by a merge, the
   * NUMBER of the case it was merged into (a number, not an id: the duplicate's reporter may
   * not see the primary) and the state to return to on un-merge.
   */
  mergedInto: z.string().max(32).nullable().optional(),
  stateBeforeMerge: CaseStateSchema.nullable().optional(),
  /** On a primary: the duplicates merged into it, with their reporters and the photos they added. */
  mergedFrom: z.array(MergedReport).max(64).optional(),
  /** Bumped by every accepted change; dispatch commands carry it as their baseVersion. */
  version: z.number().int().nonnegative(),
});
export type Case = z.infer<typeof Case>;

/** Which part of the tree an event touches; a seat receives the events of its subtree. */
export const EventScope = z.object({ gridCode: GridCode, villageCode: VillageCode, townCode: TownCode });
export type EventScope = z.infer<typeof EventScope>;

export const CASE_EVENT_TYPES = [
  'case.reported',
  'case.self_handled',
  'case.verified',
  'case.voided',
  'case.dispatched',
  'case.reassigned',
  'case.signed_for',
  'case.returned',
  'case.suspended',
  'case.resumed',
  'case.feedback_given',
  'case.closed',
  'case.reworked',
  'case.escalated',
  'case.delegated',
  'case.supervised',
  'case.requested',
  'case.request_approved',
  'case.request_refused',
  // 督办 orders: 催办 reminder, the supervised unit's answer, the server's lapse / escalation.
  'case.supervision_reminded',
  'case.supervision_answered',
  'case.supervision_lapsed',
  'case.note_added',
  'case.photo_added',
  'case.fields_edited',
  // 一事多报: the duplicate closes as merged / reopens; its primary records it.
  'case.merged',
  'case.duplicate_merged',
  'case.unmerged',
  'case.duplicate_unmerged',
] as const;
export type CaseEventType = (typeof CASE_EVENT_TYPES)[number];

/** One entry of the append-only log: the audit trail and the sync feed at once. */
export const CaseEvent = z.object({
  seq: z.number().int().positive(),
  type: z.enum(CASE_EVENT_TYPES),
  caseId: Id,
  actorId: Id,
  actorRole: RoleSchema,
  seatId: Id.nullable(),
  serverTime: EpochMs,
  clientTime: EpochMs.nullable(),
  commandId: z.string().nullable(),
  scope: EventScope,
  /** Type-specific facts; the case after the event is reproducible from the log. */
  payload: z.record(z.string(), z.unknown()),
  /** The case's version after this event. */
  version: z.number().int().positive(),
});
export type CaseEvent = z.infer<typeof CaseEvent>;

export const Seat = z.object({
  id: Id,
  userName: Text(64).min(1),
  displayName: Text(64).min(1),
  role: SeatRoleSchema,
  scopeCode: ScopeCode,
});
export type Seat = z.infer<typeof Seat>;
