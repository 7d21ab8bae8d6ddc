import { ipcMain, type IpcMainInvokeEvent, type WebContents } from 'electron';
import { isTrustedSender } from './policy';
import type { Envelope } from '../../src-shared/rpc/define';

export const RPC_CHANNEL = 'seriktes:rpc';
export const EVENT_CHANNEL = 'seriktes:event';

/**
 * The only ipcMain.handle in the app (cf. VS Code's validatedIpcMain): it
 * refuses any sender that is not the top frame of app://seriktes before the
 * request reaches the handler table, which then validates the input with zod.
 */
export function serveRpc(handle: (method: unknown, input: unknown, sender: WebContents) => Promise<Envelope<unknown>>): void {
  ipcMain.handle(RPC_CHANNEL, async (event: IpcMainInvokeEvent, method: unknown, input: unknown) => {
    const frame = event.senderFrame;
    if (!frame || !isTrustedSender(frame.url, frame === event.sender.mainFrame)) {
      return { ok: false, error: { code: 'forbidden', message: 'Untrusted sender' } } satisfies Envelope<never>;
    }
    return handle(method, input, event.sender);
  });
}

export function pushEvent(target: WebContents, event: string, payload: unknown): void {
  if (!target.isDestroyed()) target.send(EVENT_CHANNEL, event, payload);
}
