// The video wall: a frame uploaded as a case photo (queued as addPhoto; video.ts).
import { unwrap } from '../../../src-shared/util/result';
import { feature } from '../pipeline';

export const videoHandlers = feature((s) => ({
  'video.snapshot': async (caseId, base64, caption) =>
    unwrap(await s.video.snapshot(caseId, base64, caption)),
}));
