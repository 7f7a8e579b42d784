// Who may see which case (docs/threat-model.md). One rule, used on every path that hands a case
// or an event out: command answers (a rejection's `current`), snapshots, catch-up, live pushes,
// photos. Seats see the cases located in their jurisdiction; field actors see only what concerns
// them: a grid officer its own grid and what it reported, handles or was dispatched; a department
// handler what was dispatched to its department or to itself; the citizen app its own reports.
import type { Role } from '../../src-shared/domain/case-model';
import { SEAT_ROLES } from '../../src-shared/domain/case-model';
import { isWithin, levelOf } from '../../src-shared/domain/codes';
import type { Case, CaseEvent, Department } from '../../src-shared/protocol/entities';

export interface Viewer {
  userId: string;
  officerId: string | null;
  role: Role;
  scopeCode: string;
  departmentCode: string | null;
}

export const isSeatRole = (role: Role): boolean => (SEAT_ROLES as readonly Role[]).includes(role);

/**
 * True when the viewer reads its scope's feed (scope rooms, scope catch-up): seats, and grid
 * officers for their own grid. Everyone else gets a personal feed filtered case by case.
 */
export function readsScopeFeed(v: Viewer): boolean {
  return (
    isSeatRole(v.role) || v.role === 'system' || (v.role === 'officer' && levelOf(v.scopeCode) === 'grid')
  );
}

type CaseFacts = Pick<Case, 'gridCode' | 'reporterId' | 'handlerId' | 'assignee' | 'coUnits'>;

/**
 * The viewer reported, handles or was dispatched this case (itself or its department), or its
 * unit is a co-unit of the case's joint handling 联合执法.
 */
export function isInvolved(v: Viewer, c: CaseFacts): boolean {
  const me = v.officerId ?? v.userId;
  if (c.reporterId === me || c.handlerId === me) return true;
  if (v.role === 'handler' && v.departmentCode !== null && c.coUnits?.includes(v.departmentCode)) return true;
  if (!c.assignee) return false;
  if (c.assignee.kind === 'officer') return c.assignee.id === me;
  return v.role === 'handler' && v.departmentCode !== null && c.assignee.id === v.departmentCode;
}

export function canSeeCase(v: Viewer, c: CaseFacts): boolean {
  switch (v.role) {
    case 'system':
      return true;
    case 'officer':
      return (levelOf(v.scopeCode) === 'grid' && isWithin(c.gridCode, v.scopeCode)) || isInvolved(v, c);
    case 'handler':
    case 'citizen':
      return isInvolved(v, c);
    default:
      return isSeatRole(v.role) && isWithin(c.gridCode, v.scopeCode);
  }
}

/**
 * Handling units (handling-units.ts): city bureaus are public; a town department or village
 * committee is seen by the seats whose jurisdiction holds it or lies inside it (a village seat
 * sees its own committee and its town's departments, never another village's committee), by a
 * grid officer of its area, and by its own handlers.
 */
export function canSeeUnit(v: Viewer, d: Pick<Department, 'code' | 'scopeCode'>): boolean {
  if (d.scopeCode === undefined || v.role === 'system') return true;
  if (v.departmentCode === d.code) return true;
  if (isSeatRole(v.role) || (v.role === 'officer' && levelOf(v.scopeCode) === 'grid'))
    return isWithin(d.scopeCode, v.scopeCode) || isWithin(v.scopeCode, d.scopeCode);
  return false;
}

/** Things placed in a grid (cameras, streams): seats in their scope, a grid officer in its grid. */
export function canSeeGrid(v: Viewer, gridCode: string): boolean {
  if (isSeatRole(v.role) || v.role === 'system') return isWithin(gridCode, v.scopeCode);
  return v.role === 'officer' && levelOf(v.scopeCode) === 'grid' && gridCode === v.scopeCode;
}

/** What of its scope a viewer reads: a seat all of it, a grid officer its grid, others nothing. */
export function reachOf(v: Viewer): 'scope' | 'grid' | 'personal' {
  if (isSeatRole(v.role) || v.role === 'system') return 'scope';
  return v.role === 'officer' && levelOf(v.scopeCode) === 'grid' ? 'grid' : 'personal';
}

/**
 * What of a case it may see the viewer receives. The citizen app gets its own report — not the
 * reports of others merged into it (一事多报): their photos, reporters and numbers stay with the
 * seats and handlers. Everyone else gets the case whole.
 */
export function caseFor(v: Viewer, c: Case): Case {
  if (v.role !== 'citizen' || !c.mergedFrom?.length) return c;
  const others = new Set(c.mergedFrom.flatMap((m) => m.photos));
  const { mergedFrom: _merged, ...own } = c;
  return { ...own, photos: c.photos.filter((p) => !others.has(p)) };
}

/** An event of a case the viewer may see, with its case (and facts) as `caseFor` gives them. */
export function eventFor(v: Viewer, e: CaseEvent): CaseEvent {
  if (v.role !== 'citizen') return e;
  const { duplicateNumber: _other, ...facts } = e.payload;
  const k = e.payload.case as Case | undefined;
  return { ...e, payload: k ? { ...facts, case: caseFor(v, k) } : facts };
}
