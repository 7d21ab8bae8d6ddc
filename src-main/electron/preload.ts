/**
 * Sandboxed preload (bundled to one CommonJS file): exposes exactly two
 * functions to the page. The page never gets ipcRenderer, Node or paths.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';

const RPC_CHANNEL = 'seriktes:rpc';
const EVENT_CHANNEL = 'seriktes:event';

contextBridge.exposeInMainWorld('seriktes', {
  invoke: (method: string, input: unknown) => ipcRenderer.invoke(RPC_CHANNEL, method, input),
  subscribe: (listener: (event: string, payload: unknown) => void) => {
    const fn = (_e: IpcRendererEvent, event: string, payload: unknown) => listener(event, payload);
    ipcRenderer.on(EVENT_CHANNEL, fn);
    return () => {
      ipcRenderer.removeListener(EVENT_CHANNEL, fn);
    };
  },
});
