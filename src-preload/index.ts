// Sandboxed preload: exposes the typed contract as `window.gridConsole` and nothing else. No
// Node, no raw ipcRenderer in the page; channel names are built from the contract's keys.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import {
  CALLS,
  EVENTS,
  callChannel,
  eventChannel,
  type CallAnswer,
  type CallArgs,
  type CallName,
  type CallResult,
  type ConsoleBridge,
  type EventName,
  type EventPayload,
} from '../src-shared/ipc/contract';

const bridge = {
  call<K extends CallName>(name: K, ...args: CallArgs<K>): Promise<CallAnswer<CallResult<K>>> {
    if (!Object.prototype.hasOwnProperty.call(CALLS, name)) {
      return Promise.resolve({
        ok: false,
        error: { code: 'UNKNOWN_CALL', message: `unknown call: ${String(name)}` },
      });
    }
    return ipcRenderer.invoke(callChannel(name), args) as Promise<CallAnswer<CallResult<K>>>;
  },
  on<K extends EventName>(name: K, listener: (payload: EventPayload<K>) => void): () => void {
    if (!Object.prototype.hasOwnProperty.call(EVENTS, name)) return () => undefined;
    const channel = eventChannel(name);
    const wrapped = (_e: IpcRendererEvent, payload: EventPayload<K>): void => listener(payload);
    ipcRenderer.on(channel, wrapped);
    return () => ipcRenderer.removeListener(channel, wrapped);
  },
} satisfies ConsoleBridge;

contextBridge.exposeInMainWorld('gridConsole', bridge);
