// The case desk's hook-in to the selection bus: a case the operator opens is announced to the
// other windows (map wall, video wall); a case selected elsewhere is opened here.
import { useEffect, useRef } from 'react';
import { publishSelection, useSelectionBus } from './use-selection-bus';

export function useDeskSelectionBus(chosenId: string | null, open: (id: string) => void): void {
  const fromBus = useRef<string | null>(null);
  useSelectionBus((change) => {
    if (change.kind !== 'case') return;
    fromBus.current = change.id;
    open(change.id);
  }, true);
  useEffect(() => {
    if (chosenId && chosenId !== fromBus.current) void publishSelection({ kind: 'case', id: chosenId });
  }, [chosenId]);
}
