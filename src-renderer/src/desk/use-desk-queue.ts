// The queue as the dispatcher sees it: tab, filters and sort over every open row of the seat,
// the tab counts, the selected row (null = the first row as the queue stands) and the rows
// ticked for a bulk dispatch. Re-sorted when rows change and every 30 s (deadlines move).
import { useCallback, useMemo, useState } from 'react';
import type { WorkingCalendar } from '../../../src-shared/domain/calendar';
import {
  DESK_TABS,
  selectRows,
  tabCounts,
  type DeskFilter,
  type DeskSort,
} from '../../../src-shared/desk/queue';
import type { Names } from './format';
import type { DeskData } from './use-desk-data';

export function useDeskQueue(data: DeskData, names: Names, now: number, calendar: WorkingCalendar) {
  const [filter, setFilter] = useState<DeskFilter>({ tab: 'all' });
  const [sort, setSort] = useState<DeskSort>('deadline');
  // null = the first row of the queue as it stands.
  const [chosenId, setSelectedId] = useState<string | null>(null);
  const [bulk, setBulk] = useState<Set<string>>(() => new Set());

  const coarseNow = Math.floor(now / 30_000) * 30_000;
  const allRows = useMemo(() => [...data.rows.values()], [data.rows, data.version]); // eslint-disable-line react-hooks/exhaustive-deps
  const counts = useMemo(() => tabCounts(allRows, coarseNow), [allRows, coarseNow]);
  const shown = useMemo(
    () =>
      selectRows(allRows, filter, sort, {
        now: coarseNow,
        calendar,
        limitOf: (code) => names.category.get(code)?.timeLimit,
      }),
    [allRows, filter, sort, coarseNow, calendar, names],
  );
  const selectedId = chosenId ?? shown[0]?.id ?? null;
  const activeIndex = selectedId ? shown.findIndex((r) => r.id === selectedId) : -1;
  const bulkRows = useMemo(
    () => allRows.filter((r) => bulk.has(r.id) && (r.state === 'registered' || r.state === 'returned')),
    [allRows, bulk],
  );

  const move = useCallback(
    (delta: number) => {
      if (shown.length === 0) return;
      const i = activeIndex < 0 ? 0 : Math.max(0, Math.min(shown.length - 1, activeIndex + delta));
      setSelectedId(shown[i].id);
    },
    [shown, activeIndex],
  );
  const cycleTab = useCallback((delta: number) => {
    setFilter((f) => {
      const i = DESK_TABS.indexOf(f.tab);
      return { ...f, tab: DESK_TABS[(i + delta + DESK_TABS.length) % DESK_TABS.length] };
    });
    setSelectedId(null);
  }, []);
  /** A filter change starts again from the first row. */
  const refine = useCallback((patch: Partial<DeskFilter>): void => {
    setFilter((f) => ({ ...f, ...patch }));
    setSelectedId(null);
  }, []);
  const toggleBulk = useCallback((id: string) => {
    setBulk((b) => {
      const next = new Set(b);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
  }, []);
  const clearBulk = useCallback(() => setBulk(new Set()), []);

  return {
    filter,
    refine,
    sort,
    setSort,
    chosenId,
    setSelectedId,
    selectedId,
    activeIndex,
    allRows,
    shown,
    counts,
    bulk,
    bulkRows,
    toggleBulk,
    clearBulk,
    move,
    cycleTab,
  };
}

export type DeskQueue = ReturnType<typeof useDeskQueue>;
