// Human case numbers 案件编号 for the places that hold only a case's id (alerts, the handover's
// unsent actions, conflicts, the undo toast, the video wall, inspection orders): asked of the
// data worker in one call (`cases.numbers`), asked again when cases change (a provisional
// number becomes the server's once the report is confirmed).
import { useCallback, useEffect, useState } from 'react';
import { unknownCaseRef } from '../../../src-shared/domain/case-number';
import { bridge } from '../platform/bridge';

/** A function naming each of `ids` by its number (a short reference until it is known). */
export function useCaseNumbers(ids: readonly (string | null | undefined)[]): (id: string) => string {
  const wanted = [...new Set(ids.filter((x): x is string => !!x))].sort().slice(0, 500);
  const key = wanted.join('\n');
  const [known, setKnown] = useState<Record<string, string>>({});
  useEffect(() => {
    if (key === '') return;
    const list = key.split('\n');
    let alive = true;
    const ask = (): void => {
      void bridge()
        .call('cases.numbers', list)
        .then((r) => {
          if (alive && r.ok) setKnown((k) => ({ ...k, ...r.data }));
        });
    };
    ask();
    const off = bridge().on('cases.changed', ({ ids: changed }) => {
      if (changed.some((id) => list.includes(id))) ask();
    });
    return () => {
      alive = false;
      off();
    };
  }, [key]);
  return useCallback((id: string) => known[id] ?? unknownCaseRef(id), [known]);
}
