// The desk's data, kept live: the reference (categories, officers, grids, cameras…), the queue
// rows (compact columns from `desk.queue`, then only the changed ids through `desk.rows` on
// `cases.changed`, debounced), the conflicts list and the seat's figures. New reported cases
// are returned in `fresh` (with the time they arrived) so the desk can highlight and announce them.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { ActionView, ReferenceView, SeatView } from '../../../src-shared/ipc/contract';
import type { DeskFiguresView } from '../../../src-shared/desk/figures';
import { decodeDeskRows, type DeskRow } from '../../../src-shared/desk/queue-data';
import { mergeRows } from '../../../src-shared/desk/queue';
import { bridge } from '../platform/bridge';

const CHANGES_DEBOUNCE_MS = 300;
const CHUNK = 8_000;
const MAX_RETRY_MS = 5_000;
const FRESH_MS = 60_000;
// The figures are the server's (it reads the period's history rows and keeps an answer 30 s):
// after changes they are refreshed at most this often, not per change.
const FIGURES_AFTER_CHANGE_MS = 20_000;

export interface DeskData {
  state: 'loading' | 'ready' | 'error';
  error: string | null;
  reference: ReferenceView | null;
  rows: ReadonlyMap<string, DeskRow>;
  /** Bumped on every change of `rows` (the map is mutated in place). */
  version: number;
  fresh: ReadonlyMap<string, number>;
  conflicts: ActionView[];
  /** The seat's figures as the server computed them (the last copy offline). */
  figures: DeskFiguresView | null;
  /** Ids changed by the last update (the open detail reloads when its case is among them). */
  changed: { ids: ReadonlySet<string>; seq: number };
  outboxSeq: number;
  /** Dismiss a conflict (it stays in the outbox's history). */
  acknowledge: (commandId: string) => void;
}

export function useDeskData(seat: SeatView, onFresh: (rows: DeskRow[]) => void): DeskData {
  const [reference, setReference] = useState<ReferenceView | null>(null);
  const [state, setState] = useState<DeskData['state']>('loading');
  const [error, setError] = useState<string | null>(null);
  const [version, setVersion] = useState(0);
  const [conflicts, setConflicts] = useState<ActionView[]>([]);
  const [figures, setFigures] = useState<DeskFiguresView | null>(null);
  const [changed, setChanged] = useState<DeskData['changed']>({ ids: new Set(), seq: 0 });
  const [outboxSeq, setOutboxSeq] = useState(0);
  // Mutable holders kept for the component's life: the queue map is updated in place (80k rows
  // are not copied per change) and `version` tells React it changed.
  const [store] = useState(() => ({ rows: new Map<string, DeskRow>(), fresh: new Map<string, number>() }));
  const announce = useRef(onFresh);
  useEffect(() => {
    announce.current = onFresh;
  }, [onFresh]);

  useEffect(() => {
    const api = bridge();
    let alive = true;
    let loaded = false;
    let pendingIds = new Set<string>();
    let timer: ReturnType<typeof setTimeout> | null = null;
    let retryDelay = CHANGES_DEBOUNCE_MS;
    let busy = false;
    let figuresTimer: ReturnType<typeof setTimeout> | null = null;

    const loadReference = async (): Promise<void> => {
      const r = await api.call('map.reference');
      if (alive && r.ok) setReference(r.data);
    };
    const loadQueue = async (): Promise<void> => {
      const q = await api.call('desk.queue');
      if (!alive) return;
      if (!q.ok) {
        setError(q.error.message);
        setState('error');
        return;
      }
      const map = new Map<string, DeskRow>();
      for (const r of decodeDeskRows(q.data.rows)) map.set(r.id, r);
      store.rows.clear();
      for (const [id, r] of map) store.rows.set(id, r);
      loaded = true;
      setState('ready');
      setVersion((v) => v + 1);
      // Changes that arrived while the queue was being read wait for it: read them now (the
      // queue may already hold them; reading a row twice is harmless, missing one is not).
      if (pendingIds.size > 0 && !timer) timer = setTimeout(() => void flush(), CHANGES_DEBOUNCE_MS);
    };
    const loadConflicts = async (): Promise<void> => {
      const c = await api.call('conflicts.list');
      if (alive && c.ok) setConflicts(c.data);
    };
    const loadFigures = async (): Promise<void> => {
      const f = await api.call('desk.figures');
      if (alive && f.ok) setFigures(f.data);
    };
    const figuresSoon = (): void => {
      if (figuresTimer) return;
      figuresTimer = setTimeout(() => {
        figuresTimer = null;
        void loadFigures();
      }, FIGURES_AFTER_CHANGE_MS);
    };

    const flush = async (): Promise<void> => {
      timer = null;
      if (busy || !loaded) return;
      busy = true;
      const ids = [...pendingIds];
      pendingIds = new Set();
      try {
        const newRows: DeskRow[] = [];
        for (let i = 0; i < ids.length; i += CHUNK) {
          const chunk = ids.slice(i, i + CHUNK);
          const r = await api.call('desk.rows', chunk);
          if (!alive) return;
          if (!r.ok) {
            // Not read (the host busy or reconnecting): keep the ids for the next flush, never
            // drop them — a row left stale would show a case in the wrong tab until it changes again.
            for (const id of chunk) pendingIds.add(id);
            retryDelay = Math.min(retryDelay * 2, MAX_RETRY_MS);
            continue;
          }
          retryDelay = CHANGES_DEBOUNCE_MS;
          const decoded = decodeDeskRows(r.data.rows);
          for (const id of mergeRows(store.rows, decoded, r.data.removed)) {
            const row = store.rows.get(id);
            if (row?.state === 'reported') newRows.push(row);
          }
        }
        if (!alive) return;
        const now = Date.now();
        for (const [id, at] of store.fresh) if (now - at > FRESH_MS) store.fresh.delete(id);
        for (const r of newRows) store.fresh.set(r.id, now);
        setVersion((v) => v + 1);
        setChanged((c) => ({ ids: new Set(ids), seq: c.seq + 1 }));
        if (newRows.length > 0) announce.current(newRows);
      } finally {
        busy = false;
        if (pendingIds.size > 0 && alive && !timer) timer = setTimeout(() => void flush(), retryDelay);
      }
    };

    void loadReference();
    void loadQueue();
    void loadConflicts();
    void loadFigures();
    const offs = [
      api.on('cases.changed', ({ ids }) => {
        for (const id of ids) pendingIds.add(id);
        if (!timer) timer = setTimeout(() => void flush(), CHANGES_DEBOUNCE_MS);
        figuresSoon();
      }),
      api.on('outbox.changed', () => {
        void loadConflicts();
        setOutboxSeq((s) => s + 1);
      }),
      api.on('reference.changed', () => {
        void loadReference();
        void loadQueue();
      }),
    ];
    const figuresInterval = setInterval(() => void loadFigures(), 60_000);
    return () => {
      alive = false;
      offs.forEach((off) => off());
      if (timer) clearTimeout(timer);
      if (figuresTimer) clearTimeout(figuresTimer);
      clearInterval(figuresInterval);
    };
  }, [seat.seatId, store]);

  const acknowledge = useCallback((commandId: string): void => {
    void bridge()
      .call('conflicts.acknowledge', commandId)
      .then((r) => {
        if (r.ok) setConflicts((list) => list.filter((c) => c.commandId !== commandId));
      });
  }, []);

  return {
    acknowledge,
    state,
    error,
    reference,
    rows: store.rows,
    version,
    fresh: store.fresh,
    conflicts,
    figures,
    changed,
    outboxSeq,
  };
}
