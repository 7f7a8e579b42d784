// The selection bus between windows (src-main/app/selection-bus.ts): numbering, no echo loops,
// late windows, and the contract's validation of a selection.
import { describe, expect, it } from 'vitest';
import type { SelectionChange } from '../../src-shared/ipc/contract';
import { Selection } from '../../src-shared/ipc/contract';
import { SelectionBus } from '../../src-main/app/selection-bus';
import { consoleService } from '../../src-main/app/console-service';
import { routeCall } from '../../src-main/app/call-router';

describe('selection bus', () => {
  it('broadcasts each new selection once, numbered, and drops a re-selection of the same thing', () => {
    const sent: SelectionChange[] = [];
    let now = 1_000;
    const bus = new SelectionBus(
      (c) => sent.push(c),
      () => now++,
    );
    expect(bus.last()).toBeNull();
    const a = bus.set({ kind: 'case', id: 'C-1', origin: 'desk' });
    expect(a).toMatchObject({ kind: 'case', id: 'C-1', origin: 'desk', seq: 1, at: 1_000 });
    // The map wall reacts by selecting the same case: no second broadcast (no ping-pong).
    expect(bus.set({ kind: 'case', id: 'C-1', origin: 'map' })).toBeNull();
    // The same id of another kind is another thing.
    expect(bus.set({ kind: 'camera', id: 'C-1', origin: 'video' })?.seq).toBe(2);
    expect(bus.set({ kind: 'case', id: 'C-1', origin: 'desk' })?.seq).toBe(3);
    expect(sent.map((c) => `${c.seq}:${c.kind}:${c.origin}`)).toEqual([
      '1:case:desk',
      '2:camera:video',
      '3:case:desk',
    ]);
    expect(bus.last()?.seq).toBe(3);
  });

  it('is reached through the contract: selection.set validates, selection.current answers late windows', async () => {
    const sent: SelectionChange[] = [];
    const service = consoleService({
      host: 'web',
      version: 't',
      platform: 'test',
      data: null,
      selection: new SelectionBus((c) => sent.push(c)),
    });
    const ok = await routeCall(service, 'selection.set', [
      { kind: 'grid', id: '441900003500005', origin: 'w1' },
    ]);
    expect(ok.ok).toBe(true);
    expect(sent).toHaveLength(1);
    const bad = await routeCall(service, 'selection.set', [{ kind: 'planet', id: 'x', origin: 'w1' }]);
    expect(bad.ok).toBe(false);
    const extra = await routeCall(service, 'selection.set', [
      { kind: 'case', id: 'x', origin: 'w1', evil: 1 },
    ]);
    expect(extra.ok).toBe(false);
    const current = await routeCall(service, 'selection.current', []);
    expect(current).toMatchObject({ ok: true, data: { kind: 'grid', seq: 1 } });
    expect(Selection.safeParse({ kind: 'case', id: 'C', origin: 'o', lon: 200 }).success).toBe(false);
  });
});
