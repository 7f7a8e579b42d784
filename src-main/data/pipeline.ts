// The data side of the one call pipeline (docs/architecture.md, "One call pipeline"): a window's
// call is validated by the call router against the contract, forwarded by its contract name to
// the data worker, and answered there by one feature's handler object. The handler types are
// derived from the contract, so a missing handler, a wrong argument or a wrong answer is a type
// error from the renderer's `call('desk.rows', ids)` down to the method that answers it.
//
// Adding a data call: one entry in CALLS (src-shared/ipc/contract.ts) and one method in the
// feature's `handlers.ts` under src-main/data/<feature>/. Nothing else names it.
import type { Answer, CallArgs, DataCallName } from '../../src-shared/ipc/contract';
import type { Result } from '../../src-shared/util/result';
import type { DataService } from './data-service';
import type { MediaAnswer } from './video-media';

/** The handler of one data call: the contract's argument tuple in, the contract's result out. */
export type DataHandler<K extends DataCallName> = (...args: CallArgs<K>) => Answer<K> | Promise<Answer<K>>;

export type DataHandlers = { [K in DataCallName]: DataHandler<K> };

/**
 * Calls main makes of the worker that are not window calls: the media proxy of the video wall
 * (the web host's /media and the shell's app://console/media), answered as a Result value.
 */
export interface InternalHandlers {
  'media.fetch': (cameraId: string, file: string, range: string | null) => Promise<Result<MediaAnswer>>;
}

/** Everything the data worker answers, by name. */
export type WorkerHandlers = DataHandlers & InternalHandlers;
export type WorkerCallName = keyof WorkerHandlers;
export type WorkerArgs<K extends WorkerCallName> = Parameters<WorkerHandlers[K]>;
export type WorkerAnswer<K extends WorkerCallName> = Awaited<ReturnType<WorkerHandlers[K]>>;

/**
 * One feature's handlers, checked against the contract: `feature(service => ({ 'desk.rows':
 * (ids) => … }))`. The keys must be data calls; each method's arguments and answer are the
 * contract's. A refusal is thrown as a CallError (or `unwrap` of a Result): its code reaches the
 * window as `{ ok: false, error: { code, message } }`.
 */
export function feature<K extends DataCallName>(
  build: (service: DataService) => { [P in K]: DataHandler<P> },
): (service: DataService) => { [P in K]: DataHandler<P> } {
  return build;
}
