// The name of a case drawn on the map: its human number 案件编号, or the provisional one while
// the case is only in this console's outbox (src-shared/domain/case-number.ts).
import { caseNumberText } from '../domain/case-number';
import type { MapCases } from '../ipc/map-data';

export function mapCaseNumber(cases: Pick<MapCases, 'ids' | 'numbers' | 'pending'>, i: number): string {
  return caseNumberText({ id: cases.ids[i], number: cases.numbers[i] || null }, cases.pending[i] === 1);
}
