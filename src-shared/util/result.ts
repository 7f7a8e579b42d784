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
