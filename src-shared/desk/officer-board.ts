// The officer board (issue 18): every officer of the seat's scope with status, current cases,
// time in status, last fix age and a contact number, filtered and sorted — pure, so the desk's
// panel and the tests agree. Inputs are what the console already holds: the reference officers,
// the latest fixes (telemetry) and the desk's queue rows (assignee `officer:<id>`).
import type { OfficerStatus } from '../domain/case-model';
import type { Officer, OfficerFix } from '../protocol/entities';
import type { DeskRow } from './queue-data';

/** A fix older than this is stale: the officer's status is not believed (the offline threshold). */
export const BOARD_STALE_MS = 10 * 60_000;

export interface BoardRow {
  officer: Officer;
  /** null when no fix arrived yet. */
  status: OfficerStatus | null;
  /** Status is from a fix older than BOARD_STALE_MS. */
  stale: boolean;
  fixAt: number | null;
  /** Since when this console has seen the current status (null = no fix). */
  statusSince: number | null;
  /** statusSince is only when this console first saw the officer: the status may be older. */
  sinceAtLeast: boolean;
  /** Open cases assigned to the officer, most urgent first. */
  cases: DeskRow[];
  contact: { phone: string; intercom: string };
}

export const BOARD_SORTS = ['status', 'load', 'fixAge', 'number'] as const;
export type BoardSort = (typeof BOARD_SORTS)[number];

export interface BoardFilter {
  status?: OfficerStatus | 'stale' | 'free' | null;
  /** Matches name, number, or grid code. */
  text?: string | null;
}

/**
 * Demo contact numbers: the dataset carries no phone or intercom numbers, so each officer gets a
 * stable made-up mobile in the 138 0769 block (0769 = Dongguan's area code) and an intercom
 * number from the digits of the officer number. Marked as demo data on screen.
 */
export function demoContact(o: Pick<Officer, 'id' | 'number'>): { phone: string; intercom: string } {
  let h = 2166136261;
  for (let i = 0; i < o.id.length; i++) h = Math.imul(h ^ o.id.charCodeAt(i), 16777619) >>> 0;
  const digits = o.number.replace(/\D/g, '');
  return {
    phone: `138-0769-${String(h % 10_000).padStart(4, '0')}`,
    intercom: `9${digits.slice(-4).padStart(4, '0')}`,
  };
}

const STATUS_ORDER: Record<OfficerStatus, number> = {
  sos: 0,
  on_duty: 1,
  patrol: 2,
  handling: 3,
  off_duty: 4,
  offline: 5,
};

/** Tracks since when each officer has had its current status, as fixes arrive. */
export class StatusClock {
  private readonly seen = new Map<string, { status: OfficerStatus; since: number; first: boolean }>();

  observe(fixes: readonly OfficerFix[]): void {
    for (const f of fixes) {
      const prev = this.seen.get(f.officerId);
      if (!prev) this.seen.set(f.officerId, { status: f.status, since: f.at, first: true });
      else if (prev.status !== f.status)
        this.seen.set(f.officerId, { status: f.status, since: f.at, first: false });
    }
  }

  of(officerId: string): { since: number; atLeast: boolean } | null {
    const s = this.seen.get(officerId);
    return s ? { since: s.since, atLeast: s.first } : null;
  }
}

export function boardRows(
  officers: readonly Officer[],
  fixes: ReadonlyMap<string, OfficerFix>,
  rows: Iterable<DeskRow>,
  clock: StatusClock,
  now: number,
  filter: BoardFilter = {},
  sort: BoardSort = 'status',
): BoardRow[] {
  const casesOf = new Map<string, DeskRow[]>();
  for (const r of rows) {
    if (!r.assignee?.startsWith('officer:')) continue;
    const id = r.assignee.slice(8);
    const list = casesOf.get(id);
    if (list) list.push(r);
    else casesOf.set(id, [r]);
  }
  const text = filter.text?.trim().toLowerCase() || null;
  const out: BoardRow[] = [];
  for (const o of officers) {
    const fix = fixes.get(o.id) ?? null;
    const stale = fix !== null && now - fix.at > BOARD_STALE_MS;
    const since = clock.of(o.id);
    const cases = (casesOf.get(o.id) ?? []).sort((a, b) => (a.dueAt ?? Infinity) - (b.dueAt ?? Infinity));
    const row: BoardRow = {
      officer: o,
      status: fix?.status ?? null,
      stale,
      fixAt: fix?.at ?? null,
      statusSince: since?.since ?? null,
      sinceAtLeast: since?.atLeast ?? false,
      cases,
      contact: demoContact(o),
    };
    if (filter.status) {
      if (
        filter.status === 'stale'
          ? !(stale || fix === null)
          : filter.status === 'free'
            ? !isFree(row)
            : row.status !== filter.status || stale
      )
        continue;
    }
    if (
      text &&
      !o.name.toLowerCase().includes(text) &&
      !o.number.toLowerCase().includes(text) &&
      !o.gridCodes.some((g) => g.includes(text))
    )
      continue;
    out.push(row);
  }
  const fixAge = (r: BoardRow): number => (r.fixAt === null ? Infinity : now - r.fixAt);
  const statusKey = (r: BoardRow): number => (r.status === null || r.stale ? 9 : STATUS_ORDER[r.status]);
  const byNumber = (a: BoardRow, b: BoardRow): number => a.officer.number.localeCompare(b.officer.number);
  const cmp: Record<BoardSort, (a: BoardRow, b: BoardRow) => number> = {
    status: (a, b) => statusKey(a) - statusKey(b) || a.cases.length - b.cases.length || byNumber(a, b),
    load: (a, b) => a.cases.length - b.cases.length || statusKey(a) - statusKey(b) || byNumber(a, b),
    fixAge: (a, b) => fixAge(a) - fixAge(b) || byNumber(a, b),
    number: byNumber,
  };
  return out.sort(cmp[sort]);
}

/** On duty or on patrol with a live fix and no case in hand: can take a case now. */
export function isFree(r: Pick<BoardRow, 'status' | 'stale' | 'cases'>): boolean {
  return !r.stale && (r.status === 'on_duty' || r.status === 'patrol') && r.cases.length === 0;
}
