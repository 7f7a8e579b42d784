// Cases as the operator sees them (server copy overlaid with this console's queued actions),
// queueing and undoing actions, and the conflicts the server refused (cases.ts).
import { CallError, unwrap } from '../../../src-shared/util/result';
import { feature } from '../pipeline';
import { caseNumberText } from '../../../src-shared/domain/case-number';

export const casesHandlers = feature((s) => ({
  'cases.list': (filter) => s.cases.list(filter ?? {}),
  'cases.get': (id) => s.cases.detailWithHistory(id),
  'cases.act': (type, payload, baseVersion, holdMs) =>
    unwrap(s.cases.queue(type, payload, baseVersion, holdMs ?? 0)),
  'cases.undo': (commandId) => s.cases.undo(commandId),
  'conflicts.list': () => s.cases.conflicts(),
  'outbox.pending': () => {
    const outbox = s.outboxStore;
    if (!outbox) throw new CallError('NO_SESSION', 'no seat is logged in');
    return outbox.pending();
  },
  'cases.numbers': (ids) => {
    const cache = s.cacheStore;
    const outbox = s.outboxStore;
    if (!cache || !outbox) throw new CallError('NO_SESSION', 'no seat is logged in');
    const local = new Set([...outbox.pending(), ...outbox.conflicts()].map((e) => e.caseId));
    const out: Record<string, string> = {};
    for (const [id, number] of cache.caseNumbers(ids)) out[id] = number;
    for (const id of ids) if (!(id in out) && local.has(id)) out[id] = caseNumberText({ id }, true);
    return out;
  },
  'conflicts.acknowledge': (commandId) => s.cases.acknowledgeConflict(commandId),
  'overview.counts': () => s.cases.overviewCounts(),
}));
