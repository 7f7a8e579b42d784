// The situation map: reference lists (as JSON text), typed columns of cases, officers and
// cameras, changed rows, recorded tracks and the managed places (map.ts).
import { preEncoded, type MapBaseView, type ReferenceView } from '../../../src-shared/ipc/contract';
import { unwrap } from '../../../src-shared/util/result';
import { feature } from '../pipeline';

export const mapHandlers = feature((s) => ({
  'map.reference': () => preEncoded<ReferenceView>(s.map.referenceJson()),
  'map.base': () => preEncoded<MapBaseView>(s.map.baseJson()),
  'map.positions': () => s.map.positions(),
  'map.snapshot': () => s.map.snapshot(),
  'map.cases': (ids) => s.map.cases(ids),
  'map.tracks': (officerIds, fromMs, toMs) => s.map.tracks(officerIds, fromMs, toMs),
  'map.places': async (bbox) => unwrap(await s.map.places(bbox ?? null)),
}));
