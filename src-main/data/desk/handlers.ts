// The case desk: the queue as columns, changed rows, officers ranked for a dispatch, the seat's
// figures and case photos (desk.ts).
import { unwrap } from '../../../src-shared/util/result';
import { feature } from '../pipeline';

export const deskHandlers = feature((s) => ({
  'desk.queue': () => s.desk.queue(),
  'desk.rows': (ids) => s.desk.rows(ids),
  'desk.recommend': (caseId, limit) => s.desk.recommend(caseId, limit),
  'desk.figures': () => s.desk.figures(),
  'desk.supervision': () => s.desk.supervisionList(),
  'cases.photo': async (hash) => unwrap(await s.desk.casePhoto(hash)),
}));
