// Inspections: coverage, work orders, the re-grading queue and decisions, the map's place flags
// (read from the server, the last copy offline).
import { unwrap } from '../../../src-shared/util/result';
import { feature } from '../pipeline';

export const inspectionsHandlers = feature((s) => ({
  'inspections.coverage': async (month, by, scope) => unwrap(await s.inspectionsCoverage(month, by, scope)),
  'inspections.orders': async (filter) => unwrap(await s.inspectionsOrders(filter)),
  'inspections.regrades': async (status) => unwrap(await s.inspectionsRegrades(status)),
  'inspections.placeFlags': async () => unwrap(await s.inspectionsPlaceFlags()),
  'inspections.decide': async (id, approve, note) => unwrap(await s.inspectionsDecide(id, approve, note)),
}));
