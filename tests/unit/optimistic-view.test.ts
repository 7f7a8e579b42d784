// The optimistic view's one rule (src-main/data/optimistic-view.ts).
import { describe, expect, it } from 'vitest';
import type { Case } from '../../src-shared/protocol/entities';
import type { OutboxEntry } from '../../src-main/data/outbox-store';
import { pendingOverlay, predictionShown, shownCase } from '../../src-main/data/optimistic-view';

const c = (id: string, version: number, state = 'registered'): Case =>
  ({ id, version, state }) as unknown as Case;
const entry = (caseId: string, optimistic: Case | null): OutboxEntry =>
  ({ caseId, optimistic, status: 'pending' }) as unknown as OutboxEntry;

describe('optimistic view', () => {
  it('shows a prediction at least as new as the server copy, else the server copy', () => {
    expect(shownCase(c('A', 3), c('A', 4, 'dispatched'))?.state).toBe('dispatched');
    expect(shownCase(c('A', 4), c('A', 4, 'dispatched'))?.state).toBe('dispatched');
    expect(shownCase(c('A', 5, 'handling'), c('A', 4, 'dispatched'))?.state).toBe('handling');
    expect(shownCase(null, c('A', 1, 'reported'))?.state).toBe('reported');
    expect(shownCase(c('A', 2), null)?.version).toBe(2);
    expect(shownCase(null, undefined)).toBeNull();
    expect(predictionShown(null, 1)).toBe(false);
    expect(predictionShown(c('A', 1), undefined)).toBe(true);
  });

  it('takes the newest prediction per case; an entry without one keeps the earlier', () => {
    const overlay = pendingOverlay([
      entry('A', c('A', 2)),
      entry('B', null),
      entry('A', c('A', 3)),
      entry('A', null),
      entry('C', c('C', 7)),
    ]);
    expect(overlay.get('A')?.version).toBe(3);
    expect(overlay.has('B')).toBe(true);
    expect(overlay.get('B')).toBeNull();
    expect(overlay.get('C')?.version).toBe(7);
    expect([...overlay.keys()]).toEqual(['A', 'B', 'C']);
  });
});
