/**
 * The portal-wide body guard (issue 15): a JSON body holding a lone UTF-16
 * surrogate or NUL anywhere — keys included — is refused with 400
 * `invalid_text` before any schema or handler sees it. JSON.parse turns a
 * "\ud800" escape into a lone surrogate, so the parsed body is what is checked.
 * Such text cannot be stored (PostgreSQL refuses NUL; the RFC 8785 audit
 * encoder refuses lone surrogates) and would fail the same way on every retry.
 *
 * A route may narrow what the guard checks (`config.textGuard`): the sync
 * push checks its envelope here and each mutation's arguments itself, so one
 * bad mutation is refused for that mutation alone and the batch goes on.
 */
import type { FastifyInstance } from 'fastify';
import { hasUnstorableString } from '../../src-shared/domain/text';
import { AppError } from '../../src-shared/rpc/errors';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The part of the parsed body the guard checks (default: all of it). */
    textGuard?: (body: unknown) => unknown;
  }
}

export function installTextGuard(app: FastifyInstance): void {
  app.addHook('preValidation', async (req) => {
    const body: unknown = req.body;
    // Raw uploads (Buffer) and empty bodies are not JSON text.
    if (body === null || body === undefined || typeof body !== 'object' || Buffer.isBuffer(body)) return;
    const select = req.routeOptions.config?.textGuard;
    if (hasUnstorableString(select ? select(body) : body)) {
      throw new AppError('invalid_text', 'The request holds text that cannot be stored (a lone surrogate or NUL)');
    }
  });
}
