// Everything the data worker answers: the feature handler objects (src-main/data/<feature>/
// handlers.ts) composed into one map. The type says every data call of the contract is here;
// tests/unit/call-pipeline.test.ts says no two features answer the same call.
import type { DataService } from './data-service';
import type { WorkerHandlers } from './pipeline';
import { briefingHandlers } from './briefing/handlers';
import { casesHandlers } from './cases/handlers';
import { deskHandlers } from './desk/handlers';
import { inspectionsHandlers } from './inspections/handlers';
import { mapHandlers } from './map/handlers';
import { sessionHandlers } from './session/handlers';
import { shiftHandlers } from './shift/handlers';
import { videoHandlers } from './video/handlers';

/** The features, in the order their calls are listed; each a function of the worker's DataService. */
export const FEATURES = {
  session: sessionHandlers,
  shift: shiftHandlers,
  cases: casesHandlers,
  map: mapHandlers,
  desk: deskHandlers,
  briefing: briefingHandlers,
  inspections: inspectionsHandlers,
  video: videoHandlers,
} as const;

export function workerHandlers(service: DataService): WorkerHandlers {
  return {
    ...FEATURES.session(service),
    ...FEATURES.shift(service),
    ...FEATURES.cases(service),
    ...FEATURES.map(service),
    ...FEATURES.desk(service),
    ...FEATURES.briefing(service),
    ...FEATURES.inspections(service),
    ...FEATURES.video(service),
    // Not a window call: the media proxy (web host /media, shell app://console/media).
    'media.fetch': (cameraId, file, range) => service.video.fetch(cameraId, file, range),
  };
}
