// The video wall: a frame uploaded as a case photo (queued as addPhoto).
import { unwrap } from '../../../src-shared/util/result';
import { feature } from '../pipeline';

export const videoHandlers = feature((s) => ({
  'video.snapshot': async (caseId, base64, caption) => unwrap(await s.videoSnapshot(caseId, base64, caption)),
}));
