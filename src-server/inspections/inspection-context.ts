// What the parts of the inspection service share (inspection-service.ts wires them): the deps,
// the dataset's places (read on first need), the city's settings, the grids' officers, the day
// on the server's clock, and the store's row shapes.
import { SEAT_ROLES, type Role } from '../../src-shared/domain/case-model';
import { dayIndexToMs, formatShanghaiDate, shanghaiDayIndex } from '../../src-shared/domain/calendar';
import { isValidCode, isWithin, levelOf } from '../../src-shared/domain/codes';
import type { User } from '../auth/seats';
import type { DatasetManifest, PlacesTable } from '../../src-shared/dataset';
import { DEFAULT_INSPECTION_SETTINGS, InspectionSettings } from '../../src-shared/inspections/model';
import type { Command, CommandAnswer } from '../../src-shared/protocol/commands';
import { err, ok, type Result } from '../../src-shared/util/result';
import type { WorkingCalendar } from '../../src-shared/domain/calendar';
import { readPlaces } from '../dataset/read-dataset';
import type { ReferenceData } from '../reference/reference-data';
import type { Db } from '../store/database';
import { monthOfDay } from './planner';

export interface InspectionDeps {
  db: Db;
  ref: ReferenceData;
  calendar: WorkingCalendar;
  now: () => number;
  datasetDir: string;
  log: (line: string) => void;
  /** The server's command path (publishes to consoles); needed for hazards to become cases. */
  execute?: (userId: string, clientId: string, command: Command) => CommandAnswer;
  /** Stores a photo for a hazard report (content hash), null when none can be made. */
  photo?: (caseId: string, userId: string) => string | null;
  /** Fill the elapsed days of a newly generated month with simulated visits (default true). */
  backfill?: boolean;
  /** Rows per generation transaction (default 10,000: ≈ 50 ms of the event loop each). */
  chunkRows?: number;
}

/** A row of inspection_orders. */
export interface OrderSqlRow {
  month: number;
  grid_idx: number;
  place: number;
  visit: number;
  visits: number;
  kind: number;
  tier: number;
  officer_id: string | null;
  planned_day: number;
  due_day: number;
  close_day: number;
  done_at: number | null;
  done_day: number | null;
  hazard: number | null;
  case_id: string | null;
}

// ---- access ------------------------------------------------------------------------------------

/** Seats may read; field officers read their own grid. Deciding needs a leader or operator. */
const READ_ROLES: readonly Role[] = [...SEAT_ROLES, 'officer'];
export const DECIDE_ROLES: readonly Role[] = ['duty_leader', 'village_operator', 'admin'];

// Jurisdiction by the code tree: a truncated or malformed scope matches nothing.
export const inScope = (code: string, scope: string): boolean => isWithin(code, scope);

/** Whether the seat may read inspections at all (the scope is checked by each read). */
export function canRead(user: User): Result<null> {
  if (!READ_ROLES.includes(user.role))
    return err('FORBIDDEN_ROLE', `a ${user.role} seat cannot read inspections`);
  // Field officers read the orders of their own grid; the mobile squad has no inspection grid.
  if (user.role === 'officer' && levelOf(user.scopeCode) !== 'grid')
    return err('FORBIDDEN_ROLE', 'only a grid officer reads inspections from the field');
  if (!isValidCode(user.scopeCode)) return err('OUT_OF_SCOPE', 'this seat has no valid jurisdiction');
  return ok(null);
}

export const dayText = (day: number): string => formatShanghaiDate(dayIndexToMs(day));

export class InspectionContext {
  private settingsValue: InspectionSettings;
  private placesTable: PlacesTable | null = null;
  /** Grid code → its index in ref.gridsByIndex. */
  readonly gridIdx = new Map<string, number>();
  /** The grid officers of each grid (by grid index), sorted by id. */
  readonly officersByGrid: string[][];
  private closedFlag = false;

  constructor(
    readonly deps: InspectionDeps,
    private readonly manifest: DatasetManifest,
  ) {
    const { ref } = deps;
    this.settingsValue = this.loadSettings();
    ref.gridsByIndex.forEach((g, i) => this.gridIdx.set(g.code, i));
    this.officersByGrid = ref.gridsByIndex.map(() => []);
    for (const o of ref.officers.values()) {
      if (o.kind !== 'grid') continue;
      for (const code of o.gridCodes) {
        const i = this.gridIdx.get(code);
        if (i !== undefined) this.officersByGrid[i].push(o.id);
      }
    }
    for (const list of this.officersByGrid) list.sort();
  }

  /** The dataset's places, read on first need (≈ 0.2 s: not during the server's start). */
  get places(): PlacesTable {
    this.placesTable ??= readPlaces(this.deps.datasetDir, this.manifest);
    return this.placesTable;
  }

  get placesLoaded(): boolean {
    return this.placesTable !== null;
  }

  /** Stop background work (the store is closing). */
  close(): void {
    this.closedFlag = true;
  }

  /** Background work stops: the service was closed or the store is. */
  get stopped(): boolean {
    return this.closedFlag || !this.deps.db.open;
  }

  get settings(): InspectionSettings {
    return this.settingsValue;
  }

  /** Today's Shanghai day number on the server's clock. */
  today(): number {
    return shanghaiDayIndex(this.deps.now());
  }

  currentMonth(): number {
    return monthOfDay(this.today());
  }

  /** The place's tier now (an approved re-grade wins over the dataset's). */
  tierOf(place: number): number {
    const row = this.deps.db.prepare('SELECT tier FROM inspection_place_tiers WHERE place = ?').get(place) as
      { tier: number } | undefined;
    return row?.tier ?? this.places.tier[place];
  }

  placeLocation(place: number): { lon: number; lat: number; grid: number; kind: number; subkind: number } {
    const p = this.places;
    return {
      lon: p.lon[place] / 1e6,
      lat: p.lat[place] / 1e6,
      grid: p.grid[place],
      kind: p.kind[place],
      subkind: p.subkind[place],
    };
  }

  /** e.g. 岗贝社区第3网格 */
  gridName(gridCode: string): string {
    const village = (this.deps.ref.divisionNames.get(gridCode.slice(0, 12)) ?? '').replace(
      /(居民委员会|村民委员会)$/,
      '',
    );
    return `${village}第${Number(gridCode.slice(12))}网格`;
  }

  // ---- settings --------------------------------------------------------------------------------

  private loadSettings(): InspectionSettings {
    const { db, ref, now } = this.deps;
    const row = db.prepare('SELECT json FROM inspection_settings WHERE city_code = ?').get(ref.cityCode) as
      { json: string } | undefined;
    if (!row) {
      db.prepare('INSERT INTO inspection_settings (city_code, json, updated_at) VALUES (?, ?, ?)').run(
        ref.cityCode,
        JSON.stringify(DEFAULT_INSPECTION_SETTINGS),
        now(),
      );
      return DEFAULT_INSPECTION_SETTINGS;
    }
    const parsed = InspectionSettings.safeParse(JSON.parse(row.json));
    if (!parsed.success) {
      this.deps.log(
        `inspections: the settings of ${ref.cityCode} are invalid (${parsed.error.message}); using defaults`,
      );
      return DEFAULT_INSPECTION_SETTINGS;
    }
    return parsed.data;
  }

  /** Replace the city's settings (they apply from the next month generated). */
  updateSettings(next: unknown): Result<InspectionSettings> {
    const parsed = InspectionSettings.safeParse(next);
    if (!parsed.success)
      return err(
        'BAD_REQUEST',
        parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '),
      );
    this.deps.db
      .prepare('UPDATE inspection_settings SET json = ?, updated_at = ? WHERE city_code = ?')
      .run(JSON.stringify(parsed.data), this.deps.now(), this.deps.ref.cityCode);
    this.settingsValue = parsed.data;
    return ok(parsed.data);
  }
}
