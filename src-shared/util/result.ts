// Errors are values at every boundary (STYLE.md §5): IPC and socket handlers answer
// `{ ok: true, data }` or `{ ok: false, error: { code, message } }` with a stable code.

export interface AppError {
  /** Stable UPPER_SNAKE code the UI translates, e.g. ALREADY_ASSIGNED. */
  code: string;
  /** Human-readable explanation naming the offending input. */
  message: string;
  /** Optional structured details (who won a race, the current state, the failing field). */
  details?: Record<string, unknown>;
}

export type Result<T> = { ok: true; data: T } | { ok: false; error: AppError };

export const ok = <T>(data: T): Result<T> => ({ ok: true, data });

export const err = (code: string, message: string, details?: Record<string, unknown>): Result<never> => ({
  ok: false,
  error: details ? { code, message, details } : { code, message },
});

/**
 * A refusal thrown by a call handler (main side or data worker): the call router answers it as
 * `{ ok: false, error: { code, message } }`, the data worker passes the code through to main.
 */
export class CallError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** A Result's data, or its error thrown as a CallError (for handlers answering a Result-returning store). */
export function unwrap<T>(r: Result<T>): T {
  if (!r.ok) throw new CallError(r.error.code, r.error.message);
  return r.data;
}
