// Maps the data worker's changes onto the contract's events, for any host.
import type { EventName, EventPayload } from '../../src-shared/ipc/contract';
import type { SyncChange } from '../data/sync-engine';

export type Emit = <K extends EventName>(name: K, payload: EventPayload<K>) => void;

export function forwardChange(emit: Emit, change: SyncChange): void {
  switch (change.kind) {
    case 'connection':
      return emit('connection.changed', change.state);
    case 'cases':
      return emit('cases.changed', { ids: change.ids });
    case 'outbox':
      return emit('outbox.changed', { commandIds: change.commandIds });
    case 'reference':
      return emit('reference.changed', {});
    case 'positions':
      return emit('positions.batch', change.batch);
    case 'places':
      return emit('places.changed', {});
    case 'session':
      return emit('session.changed', { seat: change.seat });
  }
}
