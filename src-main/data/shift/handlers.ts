// The dispatcher's shift: what is open at handover, logging out with a note, the workstation's
// record of who held the seat, and the alert feed (shift.ts).
import { unwrap } from '../../../src-shared/util/result';
import { feature } from '../pipeline';

export const shiftHandlers = feature((s) => ({
  'session.shift': () => s.shift.summary(),
  'session.logout': (note) => s.shift.logout(note),
  'session.shiftLog': (limit) => s.shift.log(limit),
  'alerts.list': () => s.shift.alerts(),
  'alerts.ack': async (id) => unwrap(await s.shift.ackAlert(id)),
}));
