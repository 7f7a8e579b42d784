// The vocabulary of the case life cycle (DOMAIN.md "Work"). Pure data: the state machine
// (case-workflow.ts), the protocol schemas and the UI all take their names from here.

/** Jurisdiction levels, top to bottom. A seat is bound to one node of this tree. */
export const LEVELS = ['city', 'town', 'village', 'grid'] as const;
export type Level = (typeof LEVELS)[number];

/**
 * Case states. `returned` = the handler gave it back (退单), waiting for the dispatcher to
 * re-dispatch; `feedback` = handler reported the result, waiting for the independent check.
 */
export const CASE_STATES = [
  'reported', // 上报, waiting to be verified
  'registered', // 立案, waiting to be dispatched
  'dispatched', // 已派遣, waiting for the handler to sign for it
  'handling', // 处置中
  'suspended', // 挂账/缓办: the clock is paused
  'returned', // 退单: back with the dispatcher
  'feedback', // 已反馈: waiting for check-and-close
  'closed', // 结案 (final)
  'voided', // 作废 (final)
] as const;
export type CaseState = (typeof CASE_STATES)[number];

export const FINAL_STATES: ReadonlySet<CaseState> = new Set<CaseState>(['closed', 'voided']);

export const CASE_ACTIONS = [
  'report', // 上报
  'selfHandle', // 自处置: found and fixed on the spot, reported already handled
  'verify', // 核实立案
  'void', // 作废
  'dispatch', // 派遣
  'reassign', // explicit change of an existing assignment
  'signFor', // 签收
  'requestReturn', // 退单申请: the assignee asks to give the case back
  'requestSuspend', // 缓办申请 (挂账): the assignee asks to stop the clock
  'requestExtension', // 延期申请: the assignee asks for more time
  'approveRequest', // the dispatching level's duty leader approves the pending request
  'refuseRequest', // … or refuses it, with a reason
  'resume',
  'feedback', // 处理反馈
  'close', // 核查结案
  'rework', // 返工
  'escalate', // 上报上级
  'delegate', // 下派
  'supervise', // 督办
] as const;
export type CaseAction = (typeof CASE_ACTIONS)[number];

/**
 * Who acts. Seat roles (people at a console) plus the field actors who act through the phone
 * app: grid officers and department handlers; `citizen` reports arrive through the public
 * channels; `system` is the server itself (timers, inspections).
 */
export const SEAT_ROLES = ['dispatcher', 'duty_leader', 'village_operator', 'checker', 'admin'] as const;
export type SeatRole = (typeof SEAT_ROLES)[number];
/**
 * What an assignee may ask the dispatching level's duty leader for: 缓办 (suspend:
 * the clock stops from the approval until resume), 延期 (extension: the deadline moves on the
 * working calendar) and 退单 (return: the case goes back to the dispatcher).
 */
export const REQUEST_KINDS = ['suspend', 'extension', 'return'] as const;
export type RequestKind = (typeof REQUEST_KINDS)[number];

export const FIELD_ROLES = ['officer', 'handler', 'citizen', 'system'] as const;
export type FieldRole = (typeof FIELD_ROLES)[number];
export const ROLES = [...SEAT_ROLES, ...FIELD_ROLES] as const;
export type Role = (typeof ROLES)[number];

export const CASE_SOURCES = [
  'patrol', // officer patrol report
  'citizen', // 智网人人拍 / QR codes
  'video', // video discovery
  'hotline', // 12345 transfer
  'department', // department referral
  'higher_level', // task from a higher level
  'inspection', // periodic inspection work order found a hazard
] as const;
export type CaseSource = (typeof CASE_SOURCES)[number];

export const PRIORITIES = ['emergency', 'urgent', 'normal'] as const;
export type Priority = (typeof PRIORITIES)[number];

/** Who a case is dispatched to. */
export const ASSIGNEE_KINDS = ['officer', 'department'] as const;
export type AssigneeKind = (typeof ASSIGNEE_KINDS)[number];

export const OFFICER_STATUSES = ['patrol', 'handling', 'on_duty', 'off_duty', 'offline', 'sos'] as const;
export type OfficerStatus = (typeof OFFICER_STATUSES)[number];

/**
 * Time-limit units of a category: working hours or working days on the calendar, or natural
 * (clock) hours for emergencies that do not wait for office hours.
 */
export const TIME_LIMIT_UNITS = ['hours', 'working_hours', 'working_days'] as const;
export type TimeLimitUnit = (typeof TIME_LIMIT_UNITS)[number];

export const RENTAL_TIERS = ['lenient', 'warning', 'strict', 'banned'] as const; // 宽管 警示 严管 禁租
export type RentalTier = (typeof RENTAL_TIERS)[number];

export const PLACE_KINDS = ['rental', 'small_venue'] as const; // 出租屋, "三小"
export type PlaceKind = (typeof PLACE_KINDS)[number];
