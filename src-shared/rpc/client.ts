import { AppError, isErrorCode } from './errors';
import type { Envelope } from './define';
import type { EventName, EventPayload, MethodInput, MethodName, MethodOutput } from './contract';

/** How a host carries calls and events; Electron's preload and the browser host's WebSocket both implement it. */
export interface RpcTransport {
  invoke(method: string, input: unknown): Promise<Envelope<unknown>>;
  subscribe(listener: (event: string, payload: unknown) => void): () => void;
}

export interface RpcClient {
  call<K extends MethodName>(method: K, input: MethodInput<K>): Promise<MethodOutput<K>>;
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void;
}

export function createRpcClient(transport: RpcTransport): RpcClient {
  return {
    async call(method, input) {
      const reply = await transport.invoke(method, input);
      if (reply.ok) return reply.value as never;
      const code = isErrorCode(reply.error.code) ? reply.error.code : 'internal';
      throw new AppError(code, reply.error.message, reply.error.details);
    },
    on(event, listener) {
      return transport.subscribe((name, payload) => {
        if (name === event) listener(payload as never);
      });
    },
  };
}
