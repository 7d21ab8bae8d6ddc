/**
 * The documents feature's handler table, composed of its parts: inspection and package checks,
 * stamping, signing. Each part lives in its own module and gets the same dependencies.
 */
import type { Handlers } from '../../src-shared/rpc/dispatch';
import type { DocumentHandlerDeps } from './deps';
import { inspectHandlers } from './inspect-handlers';
import { signHandlers } from './sign-handlers';
import { stampHandlers } from './stamp-handlers';

type DocumentHandlers<Ctx> = Pick<Handlers<Ctx>, Extract<keyof Handlers<Ctx>, `documents.${string}`>>;

export function documentHandlers<Ctx>(deps: DocumentHandlerDeps): { handlers: DocumentHandlers<Ctx>; close(): void } {
  const { close, ...sign } = signHandlers<Ctx>(deps);
  return { handlers: { ...inspectHandlers<Ctx>(deps), ...stampHandlers<Ctx>(deps), ...sign }, close };
}
