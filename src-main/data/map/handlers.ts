// The situation map: reference lists (as JSON text), typed columns of cases, officers and
// cameras, changed rows, recorded tracks and the managed places.
import { preEncoded, type ReferenceView } from '../../../src-shared/ipc/contract';
import { unwrap } from '../../../src-shared/util/result';
import { feature } from '../pipeline';

export const mapHandlers = feature((s) => ({
  'map.reference': () => preEncoded<ReferenceView>(s.referenceJson()),
  'map.positions': () => s.positions(),
  'map.snapshot': () => s.mapSnapshot(),
  'map.cases': (ids) => s.mapCases(ids),
  'map.tracks': (officerIds, fromMs, toMs) => s.tracks(officerIds, fromMs, toMs),
  'map.places': async (bbox) => unwrap(await s.places(bbox ?? null)),
}));
