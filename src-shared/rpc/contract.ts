/**
 * The one contract between the renderer and the app back end. Both hosts —
 * Electron IPC and the browser host's WebSocket — serve exactly this table,
 * and the renderer's client is typed from it. Feature folders contribute
 * their own method groups (`src-shared/<feature>/rpc.ts`) which are spread in here.
 */
import type { z } from 'zod';
import { method, type MethodDef } from './define';
import { appMethods, appEvents } from './app-methods';
import { fileMethods } from './file-methods';
import { accountMethods } from '../accounts/rpc';
import { akiMethods } from '../aki/rpc';
import { competitionMethods } from '../competition/rpc';
import { ncalayerMethods } from '../ncalayer/rpc';
import { documentMethods, documentEvents } from '../documents/rpc';
import { notificationMethods } from '../notifications/rpc';

export const rpcMethods = {
  ...appMethods,
  ...fileMethods,
  ...accountMethods,
  ...akiMethods,
  ...competitionMethods,
  ...ncalayerMethods,
  ...documentMethods,
  ...notificationMethods,
} satisfies Record<string, MethodDef>;

/** Events the back end pushes to every open window. */
export const rpcEvents = {
  ...appEvents,
  ...documentEvents,
} satisfies Record<string, z.ZodType>;

export type RpcMethods = typeof rpcMethods;
export type MethodName = keyof RpcMethods;
export type MethodInput<K extends MethodName> = z.input<RpcMethods[K]['input']>;
export type MethodParsedInput<K extends MethodName> = z.output<RpcMethods[K]['input']>;
export type MethodOutput<K extends MethodName> = z.output<RpcMethods[K]['output']>;

export type RpcEvents = typeof rpcEvents;
export type EventName = keyof RpcEvents;
export type EventPayload<K extends EventName> = z.output<RpcEvents[K]>;

export const isMethodName = (name: unknown): name is MethodName =>
  typeof name === 'string' && Object.prototype.hasOwnProperty.call(rpcMethods, name);

export { method };
