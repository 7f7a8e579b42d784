// Where the map's data comes from: the contract's column calls through the bridge
// (`map.snapshot`, `map.cases`, `map.tracks`, `map.places`, event `positions.batch`). When main
// cannot answer `map.snapshot` the columns are built here from the object calls instead
// (src-shared/map/columns.ts), so the map still opens.
import { CASE_STATES, FINAL_STATES } from '../../../src-shared/domain/case-model';
import type { CallAnswer, ConsoleBridge, MapBaseView, ReferenceView } from '../../../src-shared/ipc/contract';
import type {
  MapCases,
  MapPlaces,
  MapSnapshot,
  OfficerTrack,
  PositionBatch,
} from '../../../src-shared/ipc/map-data';
import { mergeCaseChanges, snapshotFromReference } from '../../../src-shared/map/columns';

export const OPEN_STATES = CASE_STATES.filter((s) => !FINAL_STATES.has(s));

export class MapSourceError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

function unwrap<T>(a: { ok: true; data: T } | { ok: false; error: { code: string; message: string } }): T {
  if (!a.ok) throw new MapSourceError(a.error.code, a.error.message);
  return a.data;
}

export async function loadReference(api: ConsoleBridge): Promise<ReferenceView> {
  return unwrap(await api.call('map.reference'));
}

/** What the map's first frame needs of the reference (no officers' or cameras' objects). */
export async function loadBase(api: ConsoleBridge): Promise<MapBaseView> {
  return unwrap(await api.call('map.base'));
}

/** The columns from the object calls: the way to open the map when `map.snapshot` fails. */
async function snapshotFromObjects(api: ConsoleBridge, scopeCode: string): Promise<MapSnapshot> {
  const [ref, rows, fixes] = await Promise.all([
    loadReference(api),
    api.call('cases.list', { states: [...OPEN_STATES] }).then(unwrap),
    api.call('map.positions').then(unwrap),
  ]);
  return snapshotFromReference({
    scopeCode,
    grids: ref.grids,
    officers: ref.officers,
    cameras: ref.cameras,
    categories: ref.categories,
    cases: rows.map((r) => r.case),
    fixes,
    pendingCaseIds: new Set(rows.filter((r) => r.pending.length > 0).map((r) => r.case.id)),
  });
}

export async function loadSnapshot(
  api: ConsoleBridge,
  scopeCode: string,
  /** The answer, when it was already asked for. */
  asked?: Promise<CallAnswer<MapSnapshot>>,
): Promise<MapSnapshot> {
  const answer = await (asked ?? api.call('map.snapshot'));
  if (answer.ok) return answer.data;
  if (answer.error.code === 'NO_SESSION') throw new MapSourceError(answer.error.code, answer.error.message);
  return snapshotFromObjects(api, scopeCode);
}

/** `map.cases` asks at most this many ids at a time (the web host's frame limit). */
export const CASE_IDS_PER_CALL = 20_000;

/** The open cases after `cases.changed` named `ids`, merged into `current`. */
export async function updateCases(
  api: ConsoleBridge,
  current: MapCases,
  ids: readonly string[],
): Promise<MapCases> {
  let cases = current;
  for (let i = 0; i < ids.length; i += CASE_IDS_PER_CALL) {
    const changes = unwrap(await api.call('map.cases', ids.slice(i, i + CASE_IDS_PER_CALL)));
    cases = mergeCaseChanges(cases, changes);
  }
  return cases;
}

export async function loadTracks(
  api: ConsoleBridge,
  officerIds: string[],
  from: number,
  to: number,
): Promise<OfficerTrack[]> {
  return unwrap(await api.call('map.tracks', officerIds, Math.floor(from), Math.ceil(to)));
}

export async function loadPlaces(api: ConsoleBridge): Promise<MapPlaces> {
  return unwrap(await api.call('map.places'));
}

export function subscribePositions(api: ConsoleBridge, onBatch: (batch: PositionBatch) => void): () => void {
  return api.on('positions.batch', onBatch);
}
