// Session calls: log in (online, or offline against the stored verifier), resume the last seat,
// who holds the seat, and the link's state (DataService: the seat's lifecycle).
import { OFFLINE_STATE } from '../../../src-shared/ipc/contract';
import { unwrap } from '../../../src-shared/util/result';
import { feature } from '../pipeline';

export const sessionHandlers = feature((s) => ({
  'session.login': async (userName, password) => unwrap(await s.login(userName, password)),
  'session.resume': async () => unwrap(await s.resume()),
  'session.current': () => s.currentSeat,
  'connection.state': () => s.connection() ?? OFFLINE_STATE,
}));
