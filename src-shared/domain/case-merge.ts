// 一事多报: several reports of one problem are merged into one case. A seat closes the
// newer report (the duplicate) as merged into the primary; the primary keeps the duplicate's
// reporter, source, time and photos in `mergedFrom` (shown on its timeline), and un-merge
// restores both exactly. One command changes two cases, so the evaluation answers the
// duplicate's next case plus the primary's in `also`; the server stores both in the command's
// transaction and appends one event per case.
//
// The link crosses the two cases by case NUMBER, never by id: the duplicate's reporter (a
// citizen, an officer) keeps seeing the duplicate and learns only the number it was merged
// into; the primary's viewers learn the duplicate's number and reporter, and its photos become
// the primary's (so they are served to whoever may see the primary). That is why both must lie in
// the same base grid (MERGE_OTHER_GRID): everyone who may see the primary may see the duplicate,
// so a merge never moves a report across a jurisdiction line (a grid officer's, a village's, a
// town's). Two reports of one problem on either side of a grid line are handled apart, or the
// later one is voided as a repeat with its reason.
import type { CommandOf } from '../protocol/commands';
import type { Case, MergedReport } from '../protocol/entities';
import type { CaseState } from './case-model';
import { FINAL_STATES } from './case-model';
import type { CommandActor, CommandEnv, Evaluation } from './case-commands';
import { isWithin } from './codes';
import { provisionalNumber } from './case-number';

/** States in which a report may be merged away: nobody is working on it yet. */
export const MERGEABLE_STATES: ReadonlySet<CaseState> = new Set<CaseState>([
  'reported',
  'registered',
  'returned',
]);
export const MAX_MERGED = 64;
const MAX_PHOTOS = 32;

/** What a merge needs to find the other case (the server's store, a console's optimistic view). */
export interface MergeLookup {
  caseById?(id: string): Case | null;
  caseByNumber?(number: string): Case | null;
}

const MERGING_ROLES = new Set(['dispatcher', 'village_operator']);

function refuse(
  code: 'NOT_FOUND' | 'FORBIDDEN' | 'OUT_OF_SCOPE' | 'INVALID_TRANSITION' | 'CASE_CLOSED' | 'BAD_REQUEST',
  rule: string,
  reason: string,
  current: Case | null,
): Evaluation {
  return { ok: false, code, rule, reason, current };
}

const numberOf = (c: Case): string => c.number ?? provisionalNumber(c.id);

export function evaluateMerge(
  current: Case | null,
  command: CommandOf<'merge'> | CommandOf<'unmerge'>,
  actor: CommandActor,
  env: CommandEnv & MergeLookup,
): Evaluation {
  if (!current) return refuse('NOT_FOUND', 'NOT_FOUND', `no case ${command.payload.caseId}`, null);
  if (!MERGING_ROLES.has(actor.role))
    return refuse('FORBIDDEN', 'FORBIDDEN', `a ${actor.role} may not merge reports`, current);
  if (!isWithin(current.holderCode, actor.scopeCode))
    return refuse(
      'OUT_OF_SCOPE',
      'OUT_OF_SCOPE',
      `case ${current.id} is held by ${current.holderCode}, outside ${actor.scopeCode}`,
      current,
    );
  return command.type === 'merge'
    ? merge(current, command, actor, env)
    : unmerge(current, command, actor, env);
}

function merge(
  dup: Case,
  command: CommandOf<'merge'>,
  actor: CommandActor,
  env: CommandEnv & MergeLookup,
): Evaluation {
  const { primaryId, reason } = command.payload;
  if (primaryId === dup.id)
    return refuse('BAD_REQUEST', 'MERGE_SELF', 'a case cannot be merged into itself', dup);
  const primary = env.caseById?.(primaryId) ?? null;
  // A primary outside the seat's scope is answered like a missing one (ids cannot be probed).
  if (!primary || !isWithin(primary.holderCode, actor.scopeCode))
    return refuse('NOT_FOUND', 'NOT_FOUND', `no case ${primaryId}`, dup);
  if (primary.gridCode !== dup.gridCode)
    return refuse(
      'INVALID_TRANSITION',
      'MERGE_OTHER_GRID',
      `case ${numberOf(dup)} lies in grid ${dup.gridCode}, case ${numberOf(primary)} in another grid: only reports of one grid can be merged`,
      dup,
    );
  if (FINAL_STATES.has(dup.state))
    return refuse(
      'CASE_CLOSED',
      'CASE_CLOSED',
      `case ${numberOf(dup)} is ${dup.state}: its record is final`,
      dup,
    );
  if (!MERGEABLE_STATES.has(dup.state))
    return refuse(
      'INVALID_TRANSITION',
      'DUPLICATE_IN_HAND',
      `case ${numberOf(dup)} is ${dup.state}: only a report nobody is handling yet can be merged away`,
      dup,
    );
  if ((dup.mergedFrom?.length ?? 0) > 0)
    return refuse(
      'INVALID_TRANSITION',
      'HAS_DUPLICATES',
      `case ${numberOf(dup)} has reports merged into it: un-merge them first`,
      dup,
    );
  if (FINAL_STATES.has(primary.state))
    return refuse(
      'CASE_CLOSED',
      'PRIMARY_FINAL',
      `case ${numberOf(primary)} is ${primary.state}: nothing can be merged into it`,
      dup,
    );
  if (!primary.number)
    return refuse(
      'INVALID_TRANSITION',
      'PRIMARY_UNCONFIRMED',
      'the primary case is not confirmed by the server yet',
      dup,
    );
  const merged = primary.mergedFrom ?? [];
  if (merged.length >= MAX_MERGED)
    return refuse(
      'BAD_REQUEST',
      'TOO_MANY_MERGED',
      `case ${primary.number} holds ${MAX_MERGED} merged reports`,
      dup,
    );
  const room = Math.max(0, MAX_PHOTOS - primary.photos.length);
  const added = [...new Set(dup.photos)].filter((p) => !primary.photos.includes(p)).slice(0, room);
  const entry: MergedReport = {
    number: numberOf(dup),
    reporterId: dup.reporterId,
    source: dup.source,
    reportedAt: dup.reportedAt,
    photos: added,
    mergedAt: env.now,
    mergedBy: actor.id,
  };
  return {
    ok: true,
    noop: false,
    eventType: 'case.merged',
    next: {
      ...dup,
      state: 'voided',
      voidedAt: env.now,
      mergedInto: primary.number,
      stateBeforeMerge: dup.state,
      version: dup.version + 1,
    },
    facts: { reason, primaryNumber: primary.number },
    also: [
      {
        eventType: 'case.duplicate_merged',
        next: {
          ...primary,
          photos: [...primary.photos, ...added],
          mergedFrom: [...merged, entry],
          version: primary.version + 1,
        },
        facts: { reason, duplicateNumber: entry.number },
      },
    ],
  };
}

function unmerge(
  dup: Case,
  command: CommandOf<'unmerge'>,
  actor: CommandActor,
  env: CommandEnv & MergeLookup,
): Evaluation {
  const { reason } = command.payload;
  if (dup.state !== 'voided' || !dup.mergedInto)
    return refuse(
      'INVALID_TRANSITION',
      'NOT_MERGED',
      `case ${numberOf(dup)} is not merged into another`,
      dup,
    );
  const restored: Case = {
    ...dup,
    state: dup.stateBeforeMerge ?? 'reported',
    voidedAt: null,
    mergedInto: null,
    stateBeforeMerge: null,
    version: dup.version + 1,
  };
  const facts = { reason, primaryNumber: dup.mergedInto };
  const primary = env.caseByNumber?.(dup.mergedInto) ?? null;
  if (!primary) {
    // A console that does not hold the primary predicts the duplicate's side only; the server
    // always holds it.
    if (!env.caseByNumber)
      return { ok: true, noop: false, eventType: 'case.unmerged', next: restored, facts };
    return refuse('NOT_FOUND', 'NOT_FOUND', `no case ${dup.mergedInto}`, dup);
  }
  if (!isWithin(primary.holderCode, actor.scopeCode))
    return refuse(
      'OUT_OF_SCOPE',
      'PRIMARY_OUT_OF_SCOPE',
      `case ${dup.mergedInto} is now held outside ${actor.scopeCode}`,
      dup,
    );
  if (FINAL_STATES.has(primary.state))
    return refuse(
      'CASE_CLOSED',
      'PRIMARY_FINAL',
      `case ${dup.mergedInto} is ${primary.state}: its record is final`,
      dup,
    );
  const own = dup.number ?? provisionalNumber(dup.id);
  const entry = (primary.mergedFrom ?? []).find((m) => m.number === own);
  const taken = new Set(entry?.photos ?? []);
  return {
    ok: true,
    noop: false,
    eventType: 'case.unmerged',
    next: restored,
    facts,
    also: [
      {
        eventType: 'case.duplicate_unmerged',
        next: {
          ...primary,
          photos: primary.photos.filter((p) => !taken.has(p)),
          mergedFrom: (primary.mergedFrom ?? []).filter((m) => m.number !== own),
          version: primary.version + 1,
        },
        facts: { reason, duplicateNumber: own },
      },
    ],
  };
}
