import type { z } from 'zod';
import { AppError, toErrorShape } from './errors';
import { fail, ok, type Envelope } from './define';
import { inputErrorCode } from '../domain/text';
import { isMethodName, rpcMethods, type MethodName, type MethodOutput, type MethodParsedInput } from './contract';

export type Handler<K extends MethodName, Ctx> = (
  input: MethodParsedInput<K>,
  ctx: Ctx,
) => Promise<MethodOutput<K>> | MethodOutput<K>;

export type Handlers<Ctx> = { [K in MethodName]: Handler<K, Ctx> };

/** Turns zod issues into `{path, code}` pairs the renderer can pin to fields. */
export function zodDetails(error: z.ZodError): Record<string, unknown> {
  return {
    issues: error.issues.map((i) => ({ path: i.path.map(String).join('.'), code: i.code, message: i.message })),
  };
}

/**
 * Validates the method name and its input, runs the handler, validates the
 * output against the contract, and always answers with an envelope. Both
 * hosts call exactly this, so they refuse exactly the same things.
 */
export async function dispatch<Ctx>(
  handlers: Handlers<Ctx>,
  name: unknown,
  rawInput: unknown,
  ctx: Ctx,
  onInternalError?: (method: string, err: unknown) => void,
): Promise<Envelope<unknown>> {
  if (!isMethodName(name)) {
    return fail({ code: 'unknown_method', message: 'Unknown method' });
  }
  const def = rpcMethods[name];
  const parsed = def.input.safeParse(rawInput ?? {});
  if (!parsed.success) {
    return fail({ code: inputErrorCode(parsed.error.issues), message: 'Invalid input', details: zodDetails(parsed.error) });
  }
  try {
    const handler = handlers[name] as (input: unknown, ctx: Ctx) => unknown;
    const value = await handler(parsed.data, ctx);
    const checked = def.output.safeParse(value);
    if (!checked.success) {
      onInternalError?.(name, checked.error);
      return fail({ code: 'internal', message: 'Internal error' });
    }
    return ok(checked.data);
  } catch (err) {
    if (!(err instanceof AppError)) onInternalError?.(name, err);
    return fail(toErrorShape(err));
  }
}

export { AppError };
