// Validates a call from any window (Electron IPC or the web host's WebSocket) against the
// contract before it reaches a handler: unknown names, wrong arity and wrong types are refused
// with a clear error, and a handler's own failure comes back as a value, never a crash.
import { CALLS, isCallName, type CallAnswer, type ConsoleHandlers } from '../../src-shared/ipc/contract';
import { CallError } from '../../src-shared/util/result';

/** A refusal with a stable code, thrown by a handler and answered as a value. */
export { CallError };

export async function routeCall(
  handlers: ConsoleHandlers,
  name: unknown,
  args: unknown,
): Promise<CallAnswer<unknown>> {
  if (!isCallName(name)) {
    return {
      ok: false,
      error: { code: 'UNKNOWN_CALL', message: `unknown call: ${String(name).slice(0, 80)}` },
    };
  }
  const parsed = CALLS[name].args.safeParse(args);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    return {
      ok: false,
      error: {
        code: 'BAD_REQUEST',
        message: `invalid arguments for ${name}: ${first ? `${first.path.join('.') || '(args)'}: ${first.message}` : 'malformed'}`,
      },
    };
  }
  try {
    const handler = handlers[name] as (...a: unknown[]) => Promise<unknown>;
    const data = await handler(...(parsed.data as unknown[]));
    return { ok: true, data };
  } catch (e) {
    const code =
      e instanceof CallError
        ? e.code
        : typeof (e as { code?: unknown })?.code === 'string'
          ? String((e as { code: string }).code)
          : 'INTERNAL';
    return { ok: false, error: { code, message: e instanceof Error ? e.message : String(e) } };
  }
}
