// Commands: `{commandId, clientId, type, payload, baseVersion}` (ARCHITECTURE.md "Sync").
// The server handles each in one transaction and answers with a CommandAnswer; the answer is
// stored under the commandId so a repeat gets the very same answer.
import { z } from 'zod';
import { UUID_V7_RE } from '../util/ids';
import {
  Assignee,
  Case,
  CaseEvent,
  CaseSourceSchema,
  CategoryCode,
  Department,
  EpochMs,
  Id,
  Lat,
  Lon,
  PhotoRef,
  PrioritySchema,
  ScopeCode,
  Text,
  TimeLimit,
} from './entities';

const caseRef = { caseId: Id };
const SupervisionOrderId = z.string().regex(/^S\d{1,3}$/, 'a supervision order id is S1, S2…');
const reason = Text(500).min(1, 'a reason is required');

export const COMMAND_PAYLOADS = {
  report: z.strictObject({
    caseId: Id,
    categoryCode: CategoryCode,
    priority: PrioritySchema.optional(),
    source: CaseSourceSchema,
    description: Text(2000).min(1),
    address: Text(200),
    lon: Lon,
    lat: Lat,
    photos: z.array(PhotoRef).max(32),
  }),
  selfHandle: z.strictObject({
    caseId: Id,
    categoryCode: CategoryCode,
    priority: PrioritySchema.optional(),
    description: Text(2000).min(1),
    address: Text(200),
    lon: Lon,
    lat: Lat,
    photos: z.array(PhotoRef).max(32),
    result: Text(2000).min(1),
    afterPhotos: z.array(PhotoRef).min(1, 'a self-handled case needs an after-photo').max(32),
  }),
  verify: z.strictObject({
    ...caseRef,
    categoryCode: CategoryCode.optional(),
    priority: PrioritySchema.optional(),
    note: Text(500).optional(),
  }),
  void: z.strictObject({ ...caseRef, reason }),
  /** coUnits: 联合执法 — the co-units of a joint dispatch (the assignee leads). */
  dispatch: z.strictObject({
    ...caseRef,
    assignee: Assignee,
    note: Text(500).optional(),
    coUnits: z.array(Department.shape.code).max(4).optional(),
  }),
  reassign: z.strictObject({ ...caseRef, assignee: Assignee, reason }),
  signFor: z.strictObject({ ...caseRef }),
  requestReturn: z.strictObject({ ...caseRef, reason }),
  requestSuspend: z.strictObject({ ...caseRef, reason, untilMs: EpochMs.optional() }),
  requestExtension: z.strictObject({ ...caseRef, reason, extension: TimeLimit }),
  approveRequest: z.strictObject({ ...caseRef, note: Text(500).optional() }),
  refuseRequest: z.strictObject({ ...caseRef, reason }),
  resume: z.strictObject({ ...caseRef }),
  feedback: z.strictObject({ ...caseRef, result: Text(2000).min(1), afterPhotos: z.array(PhotoRef).max(32) }),
  /** checklist: the items of the category's 结案条件 the checker confirmed (all are needed). */
  close: z.strictObject({
    ...caseRef,
    note: Text(500).optional(),
    checklist: z.array(Text(200)).max(16).optional(),
  }),
  rework: z.strictObject({ ...caseRef, reason }),
  escalate: z.strictObject({ ...caseRef, reason }),
  delegate: z.strictObject({ ...caseRef, toCode: ScopeCode, reason: Text(500).optional() }),
  /** 督办: the level comes from the seat (city 市督, town 镇督); limit: its own deadline (default per level). */
  supervise: z.strictObject({ ...caseRef, note: Text(500).min(1), limit: TimeLimit.optional() }),
  /** 催办 by the issuing level; the answer 回复 by the supervised unit; the lapse by the server alone. */
  remindSupervision: z.strictObject({ ...caseRef, orderId: SupervisionOrderId, note: Text(500).min(1) }),
  answerSupervision: z.strictObject({ ...caseRef, orderId: SupervisionOrderId, text: Text(1000).min(1) }),
  lapseSupervision: z.strictObject({ ...caseRef, orderId: SupervisionOrderId }),
  // 一事多报: close a duplicate report as merged into a primary case, and undo that.
  merge: z.strictObject({ ...caseRef, primaryId: Id, reason }),
  unmerge: z.strictObject({ ...caseRef, reason }),
  // Append-only additions: never conflict.
  addNote: z.strictObject({ ...caseRef, text: Text(2000).min(1) }),
  addPhoto: z.strictObject({ ...caseRef, photo: PhotoRef, caption: Text(200).optional() }),
  // Field edits: server order wins; the overwritten editor is told.
  editFields: z.strictObject({
    ...caseRef,
    fields: z
      .strictObject({
        address: Text(200).optional(),
        priority: PrioritySchema.optional(),
        categoryCode: CategoryCode.optional(),
      })
      .refine((f) => Object.keys(f).length > 0, 'at least one field to edit'),
  }),
} as const;

export type CommandType = keyof typeof COMMAND_PAYLOADS;
export const COMMAND_TYPES = Object.keys(COMMAND_PAYLOADS) as CommandType[];
export type CommandPayload<T extends CommandType> = z.infer<(typeof COMMAND_PAYLOADS)[T]>;

const envelope = {
  commandId: z.string().regex(UUID_V7_RE, 'commandId must be a lowercase UUIDv7'),
  clientId: Id,
  /** The case version the client acted on; null for commands that create or only append. */
  baseVersion: z.number().int().nonnegative().nullable(),
  clientTime: EpochMs,
};

const commandVariants = COMMAND_TYPES.map((type) =>
  z.strictObject({ ...envelope, type: z.literal(type), payload: COMMAND_PAYLOADS[type] }),
);

const commandUnion = z.discriminatedUnion(
  'type',
  commandVariants as unknown as [(typeof commandVariants)[number], ...(typeof commandVariants)[number][]],
);
/** A command of a given type, with its payload typed. */
export type CommandOf<T extends CommandType> = {
  commandId: string;
  clientId: string;
  baseVersion: number | null;
  clientTime: number;
  type: T;
  payload: CommandPayload<T>;
};
export type Command = { [T in CommandType]: CommandOf<T> }[CommandType];
/** The schema, typed as the correlated union (zod cannot infer it from the mapped variants). */
export const Command = commandUnion as unknown as z.ZodType<Command>;

/** Stable rejection codes the UI translates (zh-CN / en). */
export const REJECTION_CODES = [
  'BAD_REQUEST', // failed schema validation
  'UNAUTHORIZED', // no or bad token
  'FORBIDDEN', // role may not do this
  'OUT_OF_SCOPE', // outside the seat's jurisdiction
  'WRONG_HANDLING_LEVEL', // the 权责清单 puts the category above the unit's level
  'NOT_FOUND',
  'INVALID_TRANSITION',
  'ALREADY_ASSIGNED',
  'NOT_ASSIGNEE',
  'SEPARATION_VIOLATION',
  'CASE_CLOSED',
  'VERSION_CONFLICT',
  'DUPLICATE_CASE_ID',
  'COMMAND_ID_REUSED', // the commandId was already used by another user or for another request
  'PAYLOAD_TOO_LARGE',
  'RATE_LIMITED',
  'PROTOCOL_MISMATCH',
  'INTERNAL',
] as const;
export type RejectionCode = (typeof REJECTION_CODES)[number];

export const CommandAnswer = z.discriminatedUnion('status', [
  z.object({
    commandId: z.string(),
    status: z.literal('accepted'),
    /** True when the command changed nothing (repeat of the current assignment, closing a closed case). */
    noop: z.boolean(),
    events: z.array(CaseEvent),
    serverTime: EpochMs,
  }),
  z.object({
    commandId: z.string(),
    status: z.literal('rejected'),
    code: z.enum(REJECTION_CODES),
    reason: z.string(),
    /** Structured facts: who won a race and when, the offending field. */
    details: z.record(z.string(), z.unknown()).optional(),
    /** The case as the server has it now, so the console can show the current state. */
    current: Case.nullable(),
    serverTime: EpochMs,
  }),
]);
export type CommandAnswer = z.infer<typeof CommandAnswer>;
