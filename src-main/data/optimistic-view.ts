// The optimistic view: what the operator sees of a case while this console has actions queued
// for it. One rule for every reader (case detail, the cases list, desk rows, map columns):
//
//   the newest pending prediction is shown while its version is at least the server's copy's;
//   once the server's copy is newer (someone else acted meanwhile), the server's copy is shown.
//
// A prediction is made on the version the operator saw (baseVersion + 1), so a server copy with
// a higher version holds changes the prediction knows nothing of; showing the prediction would
// hide them and let two panes of the same console disagree about one case.
import type { Case } from '../../src-shared/protocol/entities';
import type { OutboxEntry } from './outbox-store';

/** Per case with pending actions: the newest prediction among them (null: none predicted). */
export type PendingOverlay = ReadonlyMap<string, Case | null>;

/** The overlay of the pending entries (oldest first, as the outbox lists them). */
export function pendingOverlay(pending: readonly OutboxEntry[]): PendingOverlay {
  const overlay = new Map<string, Case | null>();
  // A later prediction replaces an earlier one; an entry without one keeps what was there.
  for (const e of pending) overlay.set(e.caseId, e.optimistic ?? overlay.get(e.caseId) ?? null);
  return overlay;
}

/** Whether a prediction is what the operator should see, given the server copy's version. */
export function predictionShown(
  predicted: Pick<Case, 'version'> | null | undefined,
  serverVersion: number | null | undefined,
): predicted is Case {
  return (
    !!predicted &&
    (serverVersion === null || serverVersion === undefined || predicted.version >= serverVersion)
  );
}

/** The case as the operator should see it. */
export function shownCase(server: Case | null, predicted: Case | null | undefined): Case | null {
  return predictionShown(predicted, server?.version) ? predicted : server;
}
