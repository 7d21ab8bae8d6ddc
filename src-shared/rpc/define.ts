import type { z } from 'zod';
import type { AppErrorShape } from './errors';

/** One RPC method: what the renderer may send and what it gets back. */
export interface MethodDef<I extends z.ZodType = z.ZodType, O extends z.ZodType = z.ZodType> {
  input: I;
  output: O;
}

export const method = <I extends z.ZodType, O extends z.ZodType>(input: I, output: O): MethodDef<I, O> => ({
  input,
  output,
});

/** Every reply crosses the process boundary as an envelope, never as a thrown error (Electron keeps only `message` of those). */
export type Envelope<T> = { ok: true; value: T } | { ok: false; error: AppErrorShape };

export const ok = <T>(value: T): Envelope<T> => ({ ok: true, value });
export const fail = (error: AppErrorShape): Envelope<never> => ({ ok: false, error });
