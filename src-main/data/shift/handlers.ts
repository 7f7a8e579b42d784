// The dispatcher's shift: what is open at handover, logging out with a note, the workstation's
// record of who held the seat, and the alert feed.
import { unwrap } from '../../../src-shared/util/result';
import { feature } from '../pipeline';

export const shiftHandlers = feature((s) => ({
  'session.shift': () => s.shiftSummary(),
  'session.logout': (note) => s.logout(note),
  'session.shiftLog': (limit) => s.shiftLog(limit),
  'alerts.list': () => s.alerts(),
  'alerts.ack': async (id) => unwrap(await s.ackAlert(id)),
}));
