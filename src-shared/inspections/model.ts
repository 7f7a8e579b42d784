// Periodic inspections of managed places 巡查工单: the shapes that cross the wire
// between the dispatch server, the data worker and the renderer, the per-city settings and
// the request schemas. No node, no DOM: shared by all three.
//
// Vocabulary (figures are per month, as of the server's "today" in Asia/Shanghai):
// - planned: every work order generated for the month.
// - due:     orders whose due day has come (due day ≤ today): the ones that should be done by now.
// - done:    orders completed (at any time), split into on time (done on or before the due day)
//            and late (done after the due day, but before the order closed).
// - missed:  orders not done and closed (close day = due day + grace working days, capped at the
//            month's last working day, has passed). A missed order can no longer be completed.
// - overdue: orders not done, past their due day, still open (they will be late if done).
// - hazard rate: hazards found / orders done.
//
// The table's columns ("done 161 beside completion 60 %" did not add up because "done"
// counted visits made ahead of a due day still to come) are `coverageColumns`: they reconcile as
//   应巡 due = 已巡 done (of the due; on time + late) + 漏巡 missed + 待巡 open (due, not done, still open)
//   完成率 = done ÷ due;   提前完成 ahead = visits done whose due day has not come (not in due).
import { z } from 'zod';
import { RENTAL_TIERS, type RentalTier } from '../domain/case-model';

/** A month as 'YYYY-MM' (Shanghai calendar). */
export const MonthText = z
  .string()
  .regex(/^\d{4}-(0[1-9]|1[0-2])$/, "a month is 'YYYY-MM'")
  .refine((s) => Number(s.slice(0, 4)) >= 2000 && Number(s.slice(0, 4)) <= 2100, 'month out of range');

/** 'YYYY-MM' → 202611 (the stored month key). */
export function monthKey(month: string): number {
  return Number(month.slice(0, 4)) * 100 + Number(month.slice(5, 7));
}

export function monthText(key: number): string {
  return `${Math.floor(key / 100)}-${String(key % 100).padStart(2, '0')}`;
}

/** Order ids are stable and readable: IO-<yyyymm>-<place row>-<visit>. */
export const OrderId = z.string().regex(/^IO-\d{6}-\d{1,7}-[1-9]\d?$/, 'not an inspection order id');

export function orderIdOf(month: number, place: number, visit: number): string {
  return `IO-${month}-${place}-${visit}`;
}

export function parseOrderId(id: string): { month: number; place: number; visit: number } | null {
  const m = /^IO-(\d{6})-(\d{1,7})-([1-9]\d?)$/.exec(id);
  return m ? { month: Number(m[1]), place: Number(m[2]), visit: Number(m[3]) } : null;
}

export const PLACE_TYPES = ['rental', 'shop', 'eatery', 'entertainment'] as const;
export type PlaceType = (typeof PLACE_TYPES)[number];

const Visits = z.number().int().min(0).max(8);
const CategoryList = z
  .array(z.string().regex(/^\d{5}$/))
  .min(1)
  .max(32);

/** Per-city settings (stored as one JSON row per city; defaults below). */
export const InspectionSettings = z.strictObject({
  /** Visits a month per rental tier (DOMAIN.md: 宽管 1, 警示 2, 严管 3, 禁租 4). */
  rentalVisitsPerMonth: z.strictObject({
    lenient: Visits,
    warning: Visits,
    strict: Visits,
    banned: Visits,
  }),
  /** Visits a month per "三小" venue subkind. Default: monthly fire-safety round, 1 each. */
  smallVenueVisitsPerMonth: z.strictObject({ shop: Visits, eatery: Visits, entertainment: Visits }),
  /** Working days after the due day during which a late visit still counts (then: missed). */
  graceWorkingDays: z.number().int().min(0).max(10),
  /** Case categories a hazard may be reported under, per place type (first = most common). */
  hazardCategories: z.strictObject({
    rental: CategoryList,
    shop: CategoryList,
    eatery: CategoryList,
    entertainment: CategoryList,
  }),
  regrade: z.strictObject({
    /** Propose one tier stricter after this many hazards … */
    stricterHazards: z.number().int().min(1).max(20),
    /** … within this many months (the current one included). */
    windowMonths: z.number().int().min(1).max(12),
    /** Propose one tier more lenient after this many clean visits in a row … */
    lenientCleanVisits: z.number().int().min(1).max(60),
    /** … spanning at least this many distinct months. */
    lenientMinMonths: z.number().int().min(1).max(24),
  }),
});
export type InspectionSettings = z.infer<typeof InspectionSettings>;

export const DEFAULT_INSPECTION_SETTINGS: InspectionSettings = {
  rentalVisitsPerMonth: { lenient: 1, warning: 2, strict: 3, banned: 4 },
  smallVenueVisitsPerMonth: { shop: 1, eatery: 1, entertainment: 1 },
  graceWorkingDays: 3,
  hazardCategories: {
    // 出租屋消防隐患, 出租屋治安隐患, 群租隔断, 出租屋未登记, 房屋结构隐患, 禁租房屋违规出租
    rental: ['05003', '05006', '05004', '05001', '05008', '05005'],
    // 三小场所消防隐患, 三小场所住人, 三小场所证照不全, 三小场所燃气隐患
    shop: ['14001', '14002', '14005', '14006'],
    // … plus 小餐饮卫生不达标
    eatery: ['14001', '14003', '14006', '14002', '14005'],
    // … plus 小娱乐场所违规经营
    entertainment: ['14001', '14004', '14005', '14002'],
  },
  regrade: { stricterHazards: 2, windowMonths: 3, lenientCleanVisits: 6, lenientMinMonths: 3 },
};

/** Tiers as indexes (0 lenient … 3 banned, the dataset's `tier` column); 255 = no tier (venues). */
export const TIER_NONE = 255;
export function tierName(tier: number): RentalTier | null {
  return tier >= 0 && tier < RENTAL_TIERS.length ? RENTAL_TIERS[tier] : null;
}

// ---- answers -----------------------------------------------------------------------------------

export interface CoverageFigures {
  planned: number;
  due: number;
  /** Of the due orders, those done (the completion rate is dueDone / due). */
  dueDone: number;
  /** Of the due orders, those not done and not closed yet (due today or overdue): due = dueDone + missed + dueOpen. */
  dueOpen: number;
  /** Every order done this month, including those done ahead of a due day still to come. */
  done: number;
  onTime: number;
  late: number;
  missed: number;
  overdue: number;
  hazards: number;
  /** hazards / done, null when nothing was done. */
  hazardRate: number | null;
}

/** The figures as the coverage table and card show them; `due === done + missed + open`. */
export interface CoverageColumns {
  planned: number;
  /** 应巡: orders whose due day has come (≤ today). */
  due: number;
  /** 已巡: of the due orders, those done (on time or late). */
  done: number;
  /** 其中逾期完成: of `done`, those done after their due day. */
  late: number;
  /** 漏巡: due orders closed without a visit. */
  missed: number;
  /** 待巡: due orders not done and still open (due today, or overdue). */
  open: number;
  /** Of `open`, those past their due day (超期). */
  overdue: number;
  /** 提前完成: done before a due day that has not come yet (not counted in `due`). */
  ahead: number;
  /** 完成率 = done ÷ due; null when nothing is due yet. */
  rate: number | null;
  hazardRate: number | null;
}

export function coverageColumns(f: CoverageFigures): CoverageColumns {
  return {
    planned: f.planned,
    due: f.due,
    done: f.dueDone,
    late: f.late,
    missed: f.missed,
    open: f.dueOpen,
    overdue: f.overdue,
    ahead: f.done - f.dueDone,
    rate: f.due > 0 ? f.dueDone / f.due : null,
    hazardRate: f.hazardRate,
  };
}

export interface CoverageRow extends CoverageFigures {
  /** Grid code (by grid) or officer id (by officer). */
  key: string;
  name: string;
  /** By officer: the officer's grid; by grid: the grid itself. */
  gridCode: string;
}

export interface CoverageAnswer {
  month: string;
  /** Shanghai day 'YYYY-MM-DD' the figures are counted at. */
  today: string;
  by: 'grid' | 'officer';
  scopeCode: string;
  rows: CoverageRow[];
  totals: CoverageFigures;
  /** Server time the figures were counted (epoch ms). */
  countedAt: number;
  /**
   * The months this server can answer, newest first (the current one, the history being filled
   * in, any generated before), by the server's clock: the month picker offers these, never months
   * counted from the workstation's own clock.
   */
  months: string[];
}

/** Map flags of the seat's places this month (ids are the dataset rows, as in the place slice). */
export interface PlaceFlagsAnswer {
  month: string;
  today: string;
  /** Places with an open work order past its due day. */
  overdue: number[];
  /** Places with a visit missed this month. */
  missed: number[];
}

export const ORDER_STATUSES = ['open', 'overdue', 'done', 'late', 'missed'] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

export interface OrderRow {
  id: string;
  place: number;
  placeType: PlaceType;
  /** Tier index at generation (TIER_NONE for venues). */
  tier: number;
  gridCode: string;
  officerId: string | null;
  officerName: string | null;
  visit: number;
  visits: number;
  /** 'YYYY-MM-DD' */
  plannedDay: string;
  dueDay: string;
  closeDay: string;
  doneAt: number | null;
  hazard: boolean | null;
  caseId: string | null;
  status: OrderStatus;
}

export interface OrdersAnswer {
  month: string;
  today: string;
  total: number;
  orders: OrderRow[];
}

export const REGRADE_STATUSES = ['pending', 'approved', 'rejected'] as const;
export type RegradeStatus = (typeof REGRADE_STATUSES)[number];

export interface RegradeRow {
  id: number;
  place: number;
  gridCode: string;
  gridName: string;
  fromTier: RentalTier;
  toTier: RentalTier;
  direction: 'stricter' | 'lenient';
  /** Hazards and clean visits behind the proposal. */
  hazards: number;
  cleanVisits: number;
  reason: string;
  proposedAt: number;
  status: RegradeStatus;
  decidedAt: number | null;
  decidedBy: string | null;
  note: string | null;
}

export interface RegradesAnswer {
  status: RegradeStatus;
  total: number;
  rows: RegradeRow[];
}

// ---- requests ---------------------------------------------------------------------------------

export const InspectionScope = z
  .string()
  .regex(/^(\d{4}|\d{6}|\d{9}|\d{12}|\d{15})$/, 'not a division or grid code');
const Code = InspectionScope;
const Officer = z.string().regex(/^[A-Za-z0-9._:-]{1,64}$/, 'not an officer id');

export const CoverageQuery = z.strictObject({
  month: MonthText.optional(),
  by: z.enum(['grid', 'officer']).default('grid'),
  /** A node inside the seat's scope (default: the seat's scope). */
  scope: Code.optional(),
});
export type CoverageQuery = z.infer<typeof CoverageQuery>;

export const OrdersQuery = z
  .strictObject({
    month: MonthText.optional(),
    grid: z
      .string()
      .regex(/^\d{15}$/, 'a grid code has 15 digits')
      .optional(),
    officer: Officer.optional(),
    status: z.enum(ORDER_STATUSES).optional(),
    limit: z.coerce.number().int().min(1).max(2_000).default(500),
    offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
  })
  .refine((q) => (q.grid ? 1 : 0) + (q.officer ? 1 : 0) === 1, 'name exactly one of grid or officer');
export type OrdersQuery = z.infer<typeof OrdersQuery>;

export const RegradesQuery = z.strictObject({
  status: z.enum(REGRADE_STATUSES).default('pending'),
  limit: z.coerce.number().int().min(1).max(2_000).default(500),
});
export type RegradesQuery = z.infer<typeof RegradesQuery>;

export const RegradeDecision = z.strictObject({
  approve: z.boolean(),
  note: z.string().max(500).optional(),
});
export type RegradeDecision = z.infer<typeof RegradeDecision>;

/** Stable error codes of the inspections API (beside the server's BAD_REQUEST/UNAUTHORIZED). */
export const INSPECTION_ERRORS = [
  'OUT_OF_SCOPE',
  'FORBIDDEN_ROLE',
  'MONTH_NOT_GENERATED',
  'NOT_FOUND',
  'ALREADY_DECIDED',
  'ORDER_CLOSED',
  'ALREADY_DONE',
  'INSPECTIONS_UNAVAILABLE',
] as const;

/** A console's copy of an answer: when it was fetched, and whether it came from the offline cache. */
export type Fetched<T> = T & { fetchedAt: number; offline: boolean };

/** The console's work-order filter (one of grid or officer). */
export const OrdersFilter = z
  .strictObject({
    month: MonthText.optional(),
    grid: z
      .string()
      .regex(/^\d{15}$/)
      .optional(),
    officer: Officer.optional(),
    status: z.enum(ORDER_STATUSES).optional(),
    limit: z.number().int().min(1).max(2_000).optional(),
  })
  .refine((q) => (q.grid ? 1 : 0) + (q.officer ? 1 : 0) === 1, 'name exactly one of grid or officer');
export type OrdersFilter = z.infer<typeof OrdersFilter>;
