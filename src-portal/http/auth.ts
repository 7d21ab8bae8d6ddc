/**
 * Session resolution. Every route declares `config: { auth: 'public' | 'user' }`;
 * an onRequest hook (before body validation) resolves the bearer token and
 * refuses `user` routes without a valid session. Handlers then check
 * permissions with the src-shared rule for that route, in one place.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError } from '../../src-shared/rpc/errors';
import type { MembershipView } from '../../src-shared/accounts/permissions';
import { isRole, type Role } from '../../src-shared/accounts/roles';
import type { PortalContext } from '../context';
import type { Queryable } from '../db/schema';
import { tokenHash } from '../accounts/passwords';

export interface AuthUser {
  id: string;
  fullName: string;
  email: string;
  preferredLanguage: string;
  memberships: MembershipView[];
}

declare module 'fastify' {
  interface FastifyRequest {
    auth: AuthUser | null;
  }
  interface FastifyContextConfig {
    auth?: 'public' | 'user';
  }
}

export const parseRoles = (json: string): Role[] => {
  const v = JSON.parse(json) as unknown;
  return Array.isArray(v) ? v.filter(isRole) : [];
};

export async function membershipsOf(db: Queryable, userId: string): Promise<MembershipView[]> {
  const rows = await db.selectFrom('memberships').select(['organization_id', 'roles_json']).where('user_id', '=', userId).execute();
  return rows.map((r) => ({ organizationId: r.organization_id, roles: parseRoles(r.roles_json) }));
}

export function installAuth(app: FastifyInstance, ctx: PortalContext): void {
  app.decorateRequest('auth', null);
  app.addHook('onRequest', async (req) => {
    const mode = req.routeOptions.config?.auth ?? 'public';
    const header = req.headers.authorization;
    const token = typeof header === 'string' && header.startsWith('Bearer ') ? header.slice(7).trim() : null;
    if (token) {
      const row = await ctx.db
        .selectFrom('sessions')
        .innerJoin('users', 'users.id', 'sessions.user_id')
        .select(['sessions.token_hash', 'sessions.expires_at', 'users.id', 'users.full_name', 'users.email', 'users.preferred_language'])
        .where('sessions.token_hash', '=', tokenHash(token))
        .executeTakeFirst();
      if (row && row.expires_at > ctx.nowIso()) {
        req.auth = { id: row.id, fullName: row.full_name, email: row.email, preferredLanguage: row.preferred_language, memberships: await membershipsOf(ctx.db, row.id) };
      } else if (mode === 'user') {
        throw new AppError(row ? 'session_expired' : 'unauthorized', row ? 'Session expired' : 'Sign-in required');
      }
    }
    if (mode === 'user' && !req.auth) throw new AppError('unauthorized', 'Sign-in required');
  });
  // A route that declares no body refuses one, rather than silently acting on a request it did not understand.
  app.addHook('preValidation', async (req) => {
    if (!req.routeOptions.url) return; // unknown route: the not-found handler answers
    const schema = req.routeOptions.schema as { body?: unknown } | undefined;
    if (!schema?.body && req.body !== undefined) throw new AppError('invalid_input', 'This request takes no body');
  });
}

/** For handlers of `auth: 'user'` routes: the hook guarantees a user. */
export function userOf(req: FastifyRequest): AuthUser {
  if (!req.auth) throw new AppError('unauthorized', 'Sign-in required');
  return req.auth;
}
