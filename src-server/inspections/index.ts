// Periodic inspections: the service of a running server, found by its store.
// server.ts registers the service under its anchor; the field simulator looks it up by the
// server's db (the DispatchServer interface is left as it is).
import type { Db } from '../store/database';
import type { InspectionService } from './inspection-service';

const byDb = new WeakMap<Db, InspectionService>();

export function registerInspections(db: Db, service: InspectionService): void {
  byDb.set(db, service);
}

export function inspectionsOf(db: Db): InspectionService | null {
  return byDb.get(db) ?? null;
}

export { InspectionService } from './inspection-service';
export { InspectionRounds } from './inspection-rounds';
