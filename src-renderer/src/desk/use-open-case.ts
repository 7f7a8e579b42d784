// The case open in the desk's detail: read (`cases.get`) shortly after the selection settles,
// again when it changed or one of our actions settled; the actions this seat may take on it;
// and, when it can be dispatched, the officers recommended for it (`desk.recommend`).
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { CaseDetailView, SeatView } from '../../../src-shared/ipc/contract';
import type { RankedOfficer } from '../../../src-shared/desk/recommend';
import { bridge } from '../platform/bridge';
import { seatActions } from './CaseDetail';
import type { DeskData } from './use-desk-data';

export function useOpenCase(selectedId: string | null, data: DeskData, seat: SeatView) {
  const [detail, setDetail] = useState<CaseDetailView | null>(null);
  const [loading, setLoading] = useState(false);
  const [ranked, setRanked] = useState<{ key: string; list: RankedOfficer[] } | null>(null);

  const loadDetail = useCallback(async (id: string): Promise<void> => {
    setLoading(true);
    const r = await bridge().call('cases.get', id);
    setLoading(false);
    if (r.ok) setDetail(r.data);
  }, []);
  useEffect(() => {
    if (!selectedId) return;
    const timer = setTimeout(() => void loadDetail(selectedId), 80);
    return () => clearTimeout(timer);
  }, [selectedId, loadDetail]);
  // Reload the open case when it changed or when one of our actions settled.
  const selectedRef = useRef(selectedId);
  useEffect(() => {
    selectedRef.current = selectedId;
  }, [selectedId]);
  useEffect(() => {
    const id = selectedRef.current;
    if (id && data.changed.ids.has(id)) void loadDetail(id);
  }, [data.changed, loadDetail]);
  useEffect(() => {
    const id = selectedRef.current;
    if (id && data.outboxSeq > 0) void loadDetail(id);
  }, [data.outboxSeq, loadDetail]);

  const shownCase = detail?.case && detail.case.id === selectedId ? detail : null;
  const actions = useMemo(() => seatActions(shownCase, seat), [shownCase, seat]);
  const canDispatch = actions.includes('dispatch');
  const recommendKey =
    shownCase?.case && canDispatch ? `${shownCase.case.id}:${shownCase.case.version}` : null;
  const recommended = useMemo(
    () => (ranked && ranked.key === recommendKey ? ranked.list : []),
    [ranked, recommendKey],
  );
  useEffect(() => {
    if (!recommendKey) return;
    let alive = true;
    void bridge()
      .call('desk.recommend', recommendKey.slice(0, recommendKey.lastIndexOf(':')), 5)
      .then((r) => alive && r.ok && setRanked({ key: recommendKey, list: r.data }));
    return () => {
      alive = false;
    };
  }, [recommendKey]);

  return { detail, loading, shownCase, actions, canDispatch, recommended };
}
