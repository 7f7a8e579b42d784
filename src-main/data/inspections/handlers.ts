// Inspections: coverage, work orders, the re-grading queue and decisions, the map's place flags
// (read from the server, the last copy offline: inspections-client.ts).
import { unwrap } from '../../../src-shared/util/result';
import { feature } from '../pipeline';

export const inspectionsHandlers = feature((s) => ({
  'inspections.coverage': async (month, by, scope) =>
    unwrap(await s.inspections.client().coverage(month, by, scope)),
  'inspections.orders': async (filter) => unwrap(await s.inspections.client().orders(filter)),
  'inspections.regrades': async (status) => unwrap(await s.inspections.client().regrades(status)),
  'inspections.placeFlags': async () => unwrap(await s.inspections.client().placeFlags()),
  'inspections.decide': async (id, approve, note) =>
    unwrap(await s.inspections.client().decide(id, approve, note)),
}));
