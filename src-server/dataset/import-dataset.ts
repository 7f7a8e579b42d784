// First start: load the demo dataset into the server's store — the hierarchy, grids, officers,
// cameras, categories, demo seats, and the cases open at this minute as the live workload.
// Continuous time: the history's clock is moved by whole weeks (weekday and hour-of-day rhythm
// kept) so that it ends at or after now, and it is CUT at now: rows reported later never
// happened, rows reported before it are in the state they had at that minute (closed if they
// closed before it, else live). So the history reaches the minute the server starts — no hole
// between its end and the live cases. Shift and cut are recorded in `meta` (history_shift_ms,
// history_cut_ms); the briefing ingests the same rows (briefing-service.ts).
import type { Priority } from '../../src-shared/domain/case-model';
import { CASE_SOURCES, PRIORITIES } from '../../src-shared/domain/case-model';
import { defaultCalendar } from '../../src-shared/domain/calendar';
import { dueAt } from '../../src-shared/domain/deadline';
import type { CasesTable } from '../../src-shared/dataset';
import { LATE_OVERRUN_MAX_MIN, NO_DEPARTMENT } from '../../src-shared/dataset';
import type {
  Camera,
  Case,
  Category,
  Department,
  Division,
  Grid,
  Officer,
} from '../../src-shared/protocol/entities';
import { handlingUnitsOf } from '../../src-shared/domain/handling-units';
import { hashPassword } from '../auth/passwords';
import type { NewUser } from '../auth/seats';
import { Seats } from '../auth/seats';
import type { Db } from '../store/database';
import { readCaseHistory, readReferenceFiles, type ReferenceFiles } from './read-dataset';

export const DEMO_PASSWORD = 'grid-demo-2026';
const WEEK_MS = 7 * 86_400_000;

export interface ImportSummary {
  towns: number;
  villages: number;
  grids: number;
  officers: number;
  cameras: number;
  categories: number;
  users: number;
  openCases: number;
  historyShiftMs: number;
  ms: number;
}

export function isImported(db: Db): boolean {
  return db.prepare("SELECT 1 FROM meta WHERE key = 'dataset_seed'").get() !== undefined;
}

/** Whole weeks that move the history's end to the first instant ≥ now (it is then cut at now). */
export function historyShiftMs(referenceMinute: number, nowMs: number): number {
  const ref = referenceMinute * 60_000;
  return Math.ceil((nowMs - ref) / WEEK_MS) * WEEK_MS;
}

/** The first row reported at or after `cutMinute` (the table is sorted by reportedAt). */
export function historyCutRow(t: CasesTable, cutMinute: number): number {
  let lo = 0;
  let hi = t.rowCount;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (t.reportedAt[mid] < cutMinute) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Row i (reported before the cut) is still open at `cutMinute`: not voided, not closed before it. */
export function isOpenAt(t: CasesTable, i: number, cutMinute: number): boolean {
  if (t.outcome[i] !== 0) return false;
  if (t.closed[i] !== 1) return true;
  return t.reportedAt[i] + t.dispatchDelay[i] + t.handlingDuration[i] >= cutMinute;
}

/** Stores cases that have no log entries yet (imported-history.ts writes them on first need). */
export function insertImportedCases(db: Db, cases: readonly Case[]): void {
  const stmt = db.prepare(
    'INSERT INTO cases (id, state, town_code, village_code, grid_code, holder_code, version, last_seq, json) VALUES (?, ?, ?, ?, ?, ?, ?, 0, ?)',
  );
  for (const c of cases) {
    stmt.run(
      c.id,
      c.state,
      c.townCode,
      c.villageCode,
      c.gridCode,
      c.holderCode,
      c.version,
      JSON.stringify(c),
    );
  }
}

export async function importDataset(db: Db, datasetDir: string, nowMs: number): Promise<ImportSummary> {
  const t0 = performance.now();
  const files = readReferenceFiles(datasetDir);
  const history = readCaseHistory(datasetDir, files.manifest);
  const shift = historyShiftMs(files.manifest.history.referenceMinute, nowMs);
  const cutMs = Math.floor(nowMs / 60_000) * 60_000;
  // Demo seats share one demo password (printed by `npm start`); its hash is computed once per
  // store with a random salt. Accounts created later get their own salt (Seats.setPassword).
  const demoHash = await hashPassword(DEMO_PASSWORD);
  const openCases = openCasesAtReference(files, history, shift, cutMs);
  const units = unitsOf(files);
  const users = [...demoUsers(files, demoHash), ...unitUsers(units.handlers, demoHash)];

  db.transaction(() => {
    const meta = db.prepare('INSERT INTO meta (key, value) VALUES (?, ?)');
    meta.run('dataset_seed', files.manifest.seed);
    meta.run('dataset_generator', `${files.manifest.generator.name}@${files.manifest.generator.version}`);
    meta.run('city_code', files.divisions.city.code);
    meta.run('city_name', files.divisions.city.name);
    meta.run('history_shift_ms', String(shift));
    meta.run('history_cut_ms', String(cutMs));
    meta.run('reference_minute', String(files.manifest.history.referenceMinute));

    const div = db.prepare(
      'INSERT INTO divisions (code, level, name, parent_code, json) VALUES (?, ?, ?, ?, ?)',
    );
    const city: Division = {
      code: files.divisions.city.code,
      level: 'city',
      name: files.divisions.city.name,
      parentCode: null,
      geometry: files.divisions.city.geometry,
    };
    div.run(city.code, 'city', city.name, null, JSON.stringify(city));
    for (const t of files.divisions.towns) {
      const d: Division = {
        code: t.code,
        level: 'town',
        name: t.name,
        parentCode: t.parentCode,
        geometry: t.geometry,
      };
      div.run(d.code, 'town', d.name, d.parentCode, JSON.stringify(d));
    }
    for (const v of files.divisions.villages) {
      const d: Division = {
        code: v.code,
        level: 'village',
        name: v.name,
        parentCode: v.parentCode,
        geometry: v.geometry,
      };
      div.run(d.code, 'village', d.name, d.parentCode, JSON.stringify(d));
    }

    const grid = db.prepare(
      'INSERT INTO grids (code, idx, village_code, town_code, json) VALUES (?, ?, ?, ?, ?)',
    );
    for (const g of files.grids.grids) {
      const e: Grid = {
        code: g.code,
        villageCode: g.villageCode,
        townCode: g.townCode,
        centroid: g.centroid,
        rentalUnits: g.rentalUnits,
        residents: g.residentEstimate,
        geometry: g.geometry,
      };
      grid.run(g.code, g.index, g.villageCode, g.townCode, JSON.stringify(e));
    }

    const dep = db.prepare('INSERT INTO departments (code, json) VALUES (?, ?)');
    for (const d of files.departments.departments) {
      const e: Department = { code: d.code, name: d.nameZh, nameEn: d.nameEn };
      dep.run(d.code, JSON.stringify(e));
    }
    // The town departments and village committees (handling-units.ts), each with its handler.
    for (const u of units.departments) dep.run(u.code, JSON.stringify(u));
    const cat = db.prepare('INSERT INTO categories (code, json) VALUES (?, ?)');
    for (const c of files.catalog.minors) cat.run(c.code, JSON.stringify(toCategory(c)));

    const off = db.prepare(
      'INSERT INTO officers (id, number, town_code, village_code, json) VALUES (?, ?, ?, ?, ?)',
    );
    const pos = db.prepare('INSERT INTO officer_positions (officer_id, json) VALUES (?, ?)');
    for (const o of files.officers.officers) {
      const e = toOfficer(o);
      off.run(e.id, e.number, e.townCode, e.villageCode, JSON.stringify(e));
      pos.run(
        e.id,
        JSON.stringify({
          officerId: e.id,
          status: 'on_duty',
          lon: o.position[0],
          lat: o.position[1],
          heading: null,
          at: nowMs,
        }),
      );
    }
    // Unit handlers start at their office: the centre of the unit's town or village.
    const centre = new Map<string, [number, number]>(
      [...files.divisions.towns, ...files.divisions.villages].map((d) => [d.code, d.centroid]),
    );
    for (const e of units.handlers) {
      off.run(e.id, e.number, e.townCode, e.villageCode, JSON.stringify(e));
      const [lon, lat] = centre.get(e.villageCode ?? e.townCode!)!;
      pos.run(
        e.id,
        JSON.stringify({ officerId: e.id, status: 'on_duty', lon, lat, heading: null, at: nowMs }),
      );
    }

    const cam = db.prepare(
      'INSERT INTO cameras (id, grid_code, village_code, town_code, json) VALUES (?, ?, ?, ?, ?)',
    );
    const gridByCode = new Map(files.grids.grids.map((g) => [g.code, g]));
    for (const c of files.cameras.cameras) {
      const g = gridByCode.get(c.gridCode);
      if (!g) throw new Error(`camera ${c.id} claims unknown grid ${c.gridCode}`);
      const e: Camera = {
        id: c.id,
        name: c.name,
        lon: c.position[0],
        lat: c.position[1],
        gridCode: c.gridCode,
        owner: c.owner,
        online: c.online,
        direction: c.direction,
        fov: c.fieldOfView,
        streamUrl: c.streamPath,
      };
      cam.run(e.id, e.gridCode, g.villageCode, g.townCode, JSON.stringify(e));
    }

    insertImportedCases(db, openCases);
    new Seats(db, () => nowMs).insertUsers(users);
  })();

  return {
    towns: files.divisions.towns.length,
    villages: files.divisions.villages.length,
    grids: files.grids.grids.length,
    officers: files.officers.officers.length,
    cameras: files.cameras.cameras.length,
    categories: files.catalog.minors.length,
    users: users.length,
    openCases: openCases.length,
    historyShiftMs: shift,
    ms: Math.round(performance.now() - t0),
  };
}

function toCategory(c: ReferenceFiles['catalog']['minors'][number]): Category {
  return {
    code: c.code,
    majorCode: c.majorCode,
    name: c.nameZh,
    nameEn: c.nameEn,
    departmentCode: c.departmentCode,
    defaultPriority: c.priority,
    timeLimit: c.timeLimit,
    filingCondition: c.filingCondition,
    closingStandard: c.closingStandard,
  };
}

function toOfficer(o: ReferenceFiles['officers']['officers'][number]): Officer {
  return {
    id: o.id,
    number: o.employeeNo,
    name: o.name,
    kind: o.squad,
    departmentCode: o.departmentCode,
    homeGridCode: o.squad === 'grid' ? o.homeGrid : null,
    gridCodes: o.squad === 'grid' ? [o.homeGrid, ...o.extraGrids] : [],
    villageCode: o.squad === 'grid' ? o.villageCode : null,
    townCode: o.squad === 'grid' ? o.townCode : null,
  };
}

/**
 * The handling units below the city bureaus (town departments, village committees) and one
 * handler 经办人 each, who signs for and feeds back what the unit is sent. Derived from the
 * division tree, so the dataset files (and their cache key) do not change.
 */
export function unitsOf(files: ReferenceFiles): { departments: Department[]; handlers: Officer[] } {
  const departments = handlingUnitsOf(files.divisions.towns, files.divisions.villages);
  const handlers = departments.map((d, i): Officer => {
    const village = d.level === 'village' ? d.scopeCode! : null;
    const town = d.scopeCode!.slice(0, 9);
    return {
      id: `H-${d.code}`,
      number: `${d.level === 'village' ? 'CW' : 'ZB'}${String(100_000 + i)}`,
      name: `${d.name.slice(0, 26)}经办人`,
      kind: 'department',
      departmentCode: d.code,
      homeGridCode: null,
      gridCodes: [],
      villageCode: village,
      townCode: town,
    };
  });
  return { departments, handlers };
}

function unitUsers(handlers: readonly Officer[], passwordHash: string): NewUser[] {
  return handlers.map((o) => ({
    id: `U-${o.id}`,
    userName: o.number,
    displayName: o.name,
    role: 'handler',
    scopeCode: o.villageCode ?? o.townCode!,
    officerId: o.id,
    passwordHash,
  }));
}

/** Seats of the demo: city, every town and every village, plus every officer's phone login. */
export function demoUsers(files: ReferenceFiles, passwordHash: string): NewUser[] {
  const users: NewUser[] = [];
  const city = files.divisions.city;
  const add = (u: Omit<NewUser, 'passwordHash'>): void => {
    users.push({ ...u, passwordHash });
  };
  add({ id: 'U-admin', userName: 'admin', displayName: '系统管理员', role: 'admin', scopeCode: city.code });
  add({
    id: 'U-city-dispatcher',
    userName: 'city.dispatcher',
    displayName: `${city.name}指挥中心调度员`,
    role: 'dispatcher',
    scopeCode: city.code,
  });
  add({
    id: 'U-city-leader',
    userName: 'city.leader',
    displayName: `${city.name}值班领导`,
    role: 'duty_leader',
    scopeCode: city.code,
  });
  add({
    id: 'U-city-checker',
    userName: 'city.checker',
    displayName: `${city.name}核查员`,
    role: 'checker',
    scopeCode: city.code,
  });
  add({
    id: 'U-citizen',
    userName: 'citizen.app',
    displayName: '智网人人拍',
    role: 'citizen',
    scopeCode: city.code,
  });
  add({ id: 'U-system', userName: 'system', displayName: '系统', role: 'system', scopeCode: city.code });
  for (const t of files.divisions.towns) {
    add({
      id: `U-${t.code}-dispatcher`,
      userName: `${t.code}.dispatcher`,
      displayName: `${t.name}调度员`,
      role: 'dispatcher',
      scopeCode: t.code,
    });
    add({
      id: `U-${t.code}-leader`,
      userName: `${t.code}.leader`,
      displayName: `${t.name}值班领导`,
      role: 'duty_leader',
      scopeCode: t.code,
    });
    add({
      id: `U-${t.code}-checker`,
      userName: `${t.code}.checker`,
      displayName: `${t.name}核查员`,
      role: 'checker',
      scopeCode: t.code,
    });
  }
  for (const v of files.divisions.villages) {
    add({
      id: `U-${v.code}-operator`,
      userName: `${v.code}.operator`,
      displayName: `${v.shortName}工作站`,
      role: 'village_operator',
      scopeCode: v.code,
    });
  }
  for (const o of files.officers.officers) {
    add({
      id: `U-${o.id}`,
      userName: o.employeeNo,
      displayName: o.name,
      role: o.squad === 'department' ? 'handler' : 'officer',
      scopeCode: o.squad === 'grid' ? o.homeGrid : city.code,
      officerId: o.id,
    });
  }
  return users;
}

/**
 * The cases open at the cut (shifted time; default: the history's end) become the live workload,
 * in the states a real desk would have them in (by how long ago they were reported and a
 * deterministic spread).
 */
export function openCasesAtReference(
  files: ReferenceFiles,
  t: CasesTable,
  shiftMs: number,
  cutMs: number = files.manifest.history.referenceMinute * 60_000 + shiftMs,
  /** Row i becomes case `${idPrefix}${i}` (the dataset's history: H; catch-up segments their own). */
  idPrefix = 'H',
): Case[] {
  const calendar = defaultCalendar();
  // the cut in the history's own (unshifted) time
  const refMs = cutMs - shiftMs;
  const cutMinute = Math.floor(refMs / 60_000);
  const cutRow = historyCutRow(t, cutMinute);
  const grids = files.grids.grids;
  const minors = files.catalog.minors;
  const officers = files.officers.officers;
  const departments = files.departments.departments;
  const villages = new Map(files.divisions.villages.map((v) => [v.code, v]));
  const towns = new Map(files.divisions.towns.map((x) => [x.code, x]));
  const gridOfficers = new Map<string, string[]>();
  const handlersByDept = new Map<string, string[]>();
  for (const o of officers) {
    if (o.squad === 'grid') gridOfficers.set(o.homeGrid, [...(gridOfficers.get(o.homeGrid) ?? []), o.id]);
    if (o.squad === 'department' && o.departmentCode) {
      handlersByDept.set(o.departmentCode, [...(handlersByDept.get(o.departmentCode) ?? []), o.id]);
    }
  }
  const out: Case[] = [];
  for (let i = 0; i < cutRow; i++) {
    if (!isOpenAt(t, i, cutMinute)) continue;
    const grid = grids[t.grid[i]];
    const minor = minors[t.category[i]];
    const source = CASE_SOURCES[t.source[i]];
    const priority: Priority = PRIORITIES[t.priority[i]];
    const reportedAt = t.reportedAt[i] * 60_000;
    const dispatchAt = reportedAt + t.dispatchDelay[i] * 60_000;
    const reporterIdx = t.reporter[i];
    const reporterId =
      reporterIdx >= 0 ? officers[reporterIdx].id : source === 'citizen' ? 'U-citizen' : 'U-system';
    const village = villages.get(grid.villageCode);
    const town = towns.get(grid.townCode);
    const base: Case = {
      id: `${idPrefix}${i}`,
      state: 'reported',
      categoryCode: minor.code,
      priority,
      source,
      description: `${minor.nameZh}（历史数据导入）`,
      address: `${town?.name ?? ''}${village?.shortName ?? ''}`,
      lon: t.lon[i] / 1e6,
      lat: t.lat[i] / 1e6,
      gridCode: grid.code,
      villageCode: grid.villageCode,
      townCode: grid.townCode,
      holderCode: source === 'higher_level' ? grid.townCode : grid.villageCode,
      reporterId,
      assignee: null,
      assignedBy: null,
      assignedAt: null,
      handlerId: null,
      selfHandled: false,
      supervised: false,
      reworkCount: t.rework[i],
      photos: [],
      afterPhotos: [],
      suspensions: [],
      stateBeforeSuspend: null,
      reportedAt: reportedAt + shiftMs,
      registeredAt: null,
      dispatchedAt: null,
      dueAt: null,
      feedbackAt: null,
      closedAt: null,
      voidedAt: null,
      version: 1,
    };
    if (t.selfHandled[i] === 1) {
      out.push({
        ...base,
        state: 'feedback',
        selfHandled: true,
        handlerId: reporterId,
        feedbackAt: base.reportedAt,
        version: 2,
      });
      continue;
    }
    if (dispatchAt >= refMs) {
      const registered = refMs - reportedAt > 10 * 60_000;
      out.push(
        registered
          ? { ...base, state: 'registered', registeredAt: base.reportedAt + 5 * 60_000, version: 2 }
          : base,
      );
      continue;
    }
    // Dispatched before the end of the history: to the grid's officers when the grid centre
    // handles it, otherwise to the responsible department.
    const depIdx = t.department[i];
    const depCode = depIdx === NO_DEPARTMENT ? 'grid' : departments[depIdx].code;
    const gridTeam = (gridOfficers.get(grid.code) ?? []).filter((id) => id !== reporterId);
    const assignee =
      depCode === 'grid' && gridTeam.length > 0
        ? { kind: 'officer' as const, id: gridTeam[i % gridTeam.length] }
        : { kind: 'department' as const, id: depCode };
    const deptHandlers = handlersByDept.get(depCode) ?? [];
    const handlerId =
      assignee.kind === 'officer'
        ? assignee.id
        : (deptHandlers[i % Math.max(1, deptHandlers.length)] ?? null);
    const dispatchedAt = dispatchAt + shiftMs;
    // the deadline on the calendar of the history's own dates (as the generator worked), moved
    const dueUnshifted = dueAt({ startMs: dispatchAt, limit: minor.timeLimit, suspensions: [] }, calendar);
    const due = dueUnshifted === null ? null : dueUnshifted + shiftMs;
    const dispatched: Case = {
      ...base,
      state: 'dispatched',
      registeredAt: base.reportedAt + Math.min(5 * 60_000, dispatchAt - reportedAt),
      dispatchedAt,
      dueAt: due,
      assignee,
      assignedBy: `U-${grid.townCode}-dispatcher`,
      assignedAt: dispatchedAt,
      version: 3,
    };
    // A row that closes on time although after its deadline, or is still open longer past it
    // than a late row of its limit ever overruns (three limits, at most LATE_OVERRUN_MAX_MIN:
    // the generator's rule), had its clock paused by an approved 缓办: it is suspended now, not
    // overdue. (Measured against the cut, not the history's end: a first start cuts before it.)
    const plannedCloseMs =
      t.closed[i] === 1 ? (t.reportedAt[i] + t.dispatchDelay[i] + t.handlingDuration[i]) * 60_000 : null;
    const maxOverrunMs =
      dueUnshifted === null ? 0 : Math.min(3 * (dueUnshifted - dispatchAt), LATE_OVERRUN_MAX_MIN * 60_000);
    const pausedRow =
      dueUnshifted !== null &&
      (plannedCloseMs === null
        ? dueUnshifted < refMs - maxOverrunMs
        : t.onTime[i] === 1 && plannedCloseMs > dueUnshifted);
    // states of the open dispatched cases: a fifth not yet signed for, most in handling, some
    // with feedback awaiting the check, ≈ 2 % suspended with approval (never a 特急 case: 缓办
    // is refused for them), ≈ 3 % returned
    const suspendSlot = i % 100 >= 95 && i % 100 < 97;
    const spread = pausedRow ? 95 : suspendSlot && priority === 'emergency' ? 50 : i % 100;
    if (spread < 20 || handlerId === null) out.push(dispatched);
    else if (spread < 80) out.push({ ...dispatched, state: 'handling', handlerId, version: 4 });
    else if (spread < 95)
      out.push({
        ...dispatched,
        state: 'feedback',
        handlerId,
        feedbackAt: Math.min(refMs + shiftMs, dispatchedAt + 3_600_000),
        version: 5,
      });
    else if (spread < 97) {
      const from = Math.min(refMs + shiftMs, dispatchedAt + 1_800_000);
      out.push({
        ...dispatched,
        state: 'suspended',
        handlerId,
        stateBeforeSuspend: 'handling',
        suspensions: [{ fromMs: from, toMs: null, reason: '等待相关部门协调' }],
        dueAt: null,
        version: 5,
      });
    } else out.push({ ...dispatched, state: 'returned', assignee: null, handlerId: null, version: 5 });
  }
  return out;
}
