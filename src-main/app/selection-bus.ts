// The selection bus: one window selects a case, officer, grid or camera; main numbers it and
// broadcasts `selection.changed` to every window (Electron: every BrowserWindow; web host: every
// WebSocket client, i.e. every browser window/tab). Echo loops are cut twice: each window ignores
// changes whose origin is itself, and a window that reacts to a change by selecting the same
// thing again is not re-broadcast (same kind and id as the current selection → null).
import type { Selection, SelectionChange } from '../../src-shared/ipc/contract';

export class SelectionBus {
  private current: SelectionChange | null = null;
  private seq = 0;

  constructor(
    private readonly broadcast: (change: SelectionChange) => void,
    private readonly now: () => number = Date.now,
  ) {}

  set(selection: Selection): SelectionChange | null {
    const held = this.current;
    if (held && held.kind === selection.kind && held.id === selection.id) return null;
    const change: SelectionChange = { ...selection, seq: ++this.seq, at: this.now() };
    this.current = change;
    this.broadcast(change);
    return change;
  }

  last(): SelectionChange | null {
    return this.current;
  }

  /** Forget the selection (a logout: the next seat starts with nothing selected). */
  clear(): void {
    this.current = null;
  }
}
