// The one typed contract between renderer windows and the main side (STYLE.md §1). The same
// contract is implemented by the Electron preload (contextBridge + ipcRenderer) and by the web
// host (a WebSocket on 127.0.0.1), so the renderer never knows which one it runs on.
// Adding a call = one entry in CALLS (schemas) + one handler in the main side's ConsoleService.
import { z } from 'zod';

export const UI_LOCALES = ['zh-CN', 'en'] as const;
export type UiLocale = (typeof UI_LOCALES)[number];

export const AppInfo = z.object({
  name: z.string(),
  version: z.string(),
  /** Which host the renderer runs in: the Electron shell or the web host in a browser. */
  host: z.enum(['electron', 'web']),
  platform: z.string(),
  protocolVersion: z.number().int(),
  timeZone: z.literal('Asia/Shanghai'),
});
export type AppInfo = z.infer<typeof AppInfo>;

export const ConnectionState = z.object({
  status: z.enum(['online', 'offline', 'syncing']),
  queueLength: z.number().int().nonnegative(),
  lastSyncAt: z.number().int().nullable(),
});
export type ConnectionState = z.infer<typeof ConnectionState>;

/** Calls: name → argument tuple schema and result schema. */
export const CALLS = {
  'app.info': { args: z.tuple([]), result: AppInfo },
  'app.ping': { args: z.tuple([z.string().max(64)]), result: z.string() },
  'connection.state': { args: z.tuple([]), result: ConnectionState },
} as const;
export type CallName = keyof typeof CALLS;
export type CallArgs<K extends CallName> = z.infer<(typeof CALLS)[K]['args']>;
export type CallResult<K extends CallName> = z.infer<(typeof CALLS)[K]['result']>;

/** Events pushed from main to every window. */
export const EVENTS = {
  'connection.changed': ConnectionState,
} as const;
export type EventName = keyof typeof EVENTS;
export type EventPayload<K extends EventName> = z.infer<(typeof EVENTS)[K]>;

/** The service the main side implements; a missing handler is a type error. */
export type ConsoleHandlers = { [K in CallName]: (...args: CallArgs<K>) => Promise<CallResult<K>> };

/** Channel names on the wire are prefixed so main can refuse anything else. */
export const CHANNEL_PREFIX = 'gc:';
export const callChannel = (name: CallName): string => `${CHANNEL_PREFIX}call:${name}`;
export const eventChannel = (name: EventName): string => `${CHANNEL_PREFIX}event:${name}`;

export function isCallName(name: unknown): name is CallName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(CALLS, name);
}

/** The envelope of a call answer: errors are values (STYLE.md §5). */
export type CallAnswer<T> = { ok: true; data: T } | { ok: false; error: { code: string; message: string } };

/** What the preload exposes as `window.gridConsole` and the web bridge implements too. */
export interface ConsoleBridge {
  call<K extends CallName>(name: K, ...args: CallArgs<K>): Promise<CallAnswer<CallResult<K>>>;
  on<K extends EventName>(name: K, listener: (payload: EventPayload<K>) => void): () => void;
}
