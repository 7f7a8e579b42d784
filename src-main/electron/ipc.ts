// Binds every call of the contract to ipcMain, refusing channels outside our prefix and
// senders that are not the main frame of one of our windows showing our own origin
// (app://console, exactly — not a prefix, not file:, not a subframe).
import { BrowserWindow, ipcMain, type IpcMainInvokeEvent } from 'electron';
import {
  CALLS,
  callChannel,
  eventChannel,
  type CallName,
  type ConsoleHandlers,
  type EventName,
  type EventPayload,
} from '../../src-shared/ipc/contract';
import { routeCall } from '../app/call-router';

import { APP_HOST, APP_ORIGIN, APP_SCHEME } from './app-protocol';

export function trustedSender(event: IpcMainInvokeEvent): boolean {
  const frame = event.senderFrame;
  if (!frame || frame.parent !== null) return false;
  // The sender's own main frame (same renderer process and frame), not a frame of another page.
  const main = event.sender.mainFrame;
  if (frame !== main && (frame.processId !== main.processId || frame.routingId !== main.routingId))
    return false;
  if (frame.origin !== APP_ORIGIN) return false;
  let url: URL;
  try {
    url = new URL(frame.url);
  } catch {
    return false;
  }
  return url.protocol === `${APP_SCHEME}:` && url.host === APP_HOST;
}

export function registerIpc(handlers: ConsoleHandlers): void {
  for (const name of Object.keys(CALLS) as CallName[]) {
    ipcMain.handle(callChannel(name), async (event, args: unknown) => {
      if (!trustedSender(event)) {
        return { ok: false, error: { code: 'FORBIDDEN', message: 'untrusted sender frame' } };
      }
      return routeCall(handlers, name, args);
    });
  }
}

/** Push an event of the contract to every window. */
export function broadcast<K extends EventName>(name: K, payload: EventPayload<K>): void {
  for (const win of BrowserWindow.getAllWindows()) {
    if (!win.isDestroyed()) win.webContents.send(eventChannel(name), payload);
  }
}
