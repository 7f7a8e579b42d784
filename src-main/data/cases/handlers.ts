// Cases as the operator sees them (server copy overlaid with this console's queued actions),
// queueing and undoing actions, and the conflicts the server refused.
import { unwrap } from '../../../src-shared/util/result';
import { feature } from '../pipeline';

export const casesHandlers = feature((s) => ({
  'cases.list': (filter) => s.cases(filter ?? {}),
  'cases.get': (id) => s.caseDetailWithHistory(id),
  'cases.act': (type, payload, baseVersion, holdMs) =>
    unwrap(s.queue(type, payload, baseVersion, holdMs ?? 0)),
  'cases.undo': (commandId) => s.undo(commandId),
  'conflicts.list': () => s.conflicts(),
  'conflicts.acknowledge': (commandId) => s.acknowledgeConflict(commandId),
  'overview.counts': () => s.overviewCounts(),
}));
