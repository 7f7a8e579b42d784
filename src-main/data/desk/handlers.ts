// The case desk: the queue as columns, changed rows, officers ranked for a dispatch, the seat's
// figures and case photos.
import { unwrap } from '../../../src-shared/util/result';
import { feature } from '../pipeline';

export const deskHandlers = feature((s) => ({
  'desk.queue': () => s.deskQueue(),
  'desk.rows': (ids) => s.deskRows(ids),
  'desk.recommend': (caseId, limit) => s.deskRecommend(caseId, limit),
  'desk.figures': () => s.deskFigures(),
  'desk.supervision': () => s.supervisionList(),
  'cases.photo': async (hash) => unwrap(await s.casePhoto(hash)),
}));
