import type { RpcTransport } from '../../src-shared/rpc/client';
import type { Envelope } from '../../src-shared/rpc/define';

/** What the preload exposes through contextBridge: two functions, no Node, no ipcRenderer. */
export interface PreloadBridge {
  invoke(method: string, input: unknown): Promise<Envelope<unknown>>;
  subscribe(listener: (event: string, payload: unknown) => void): () => void;
}

declare global {
  interface Window {
    seriktes?: PreloadBridge;
  }
}

export function electronTransport(bridge: PreloadBridge): RpcTransport {
  return { invoke: (m, i) => bridge.invoke(m, i), subscribe: (l) => bridge.subscribe(l) };
}
