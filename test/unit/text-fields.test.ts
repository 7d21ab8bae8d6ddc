/**
 * Issue 15: every string of every synced mutation's arguments, of the portal's
 * request bodies and of the app's RPC inputs is either strict (an id, a hash,
 * a date) or safeText. Found by walking the schemas (test/helpers/zod-text),
 * so a new mutation or method is covered without touching this file.
 * Property: text that parses is storable; a free-text field refuses
 * unstorable text with `invalid_text`, and refuses clean text never with it.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { z } from 'zod';
import { mutationRegistry } from '../../src-shared/sync/registry';
import { rpcMethods } from '../../src-shared/rpc/contract';
import * as S from '../../src-shared/portal-api/schemas';
import { EdsChallengeRequestSchema, EdsProofSchema } from '../../src-shared/ncalayer/eds-auth';
import { MutationSchema, PushRequestSchema } from '../../src-shared/sync/protocol';
import { hasUnstorableString, isStorableText, SECRET_TEXT } from '../../src-shared/domain/text';
import { RegisterEmployeeArgs } from '../../src-shared/accounts/employee-mutations';
import { fieldErrors } from '../../src-renderer/ui/errors';
import { translate } from '../../src-shared/i18n';
import type { TFunction } from 'i18next';
import { nastyText, hasLoneSurrogateOrNul, textLeaves } from '../helpers/zod-text';

/** Request bodies and query strings the portal validates (the routes' `body:`/`querystring:` schemas with text). */
const REST_REQUESTS: Record<string, z.ZodType> = {
  SignInSchema: S.SignInSchema,
  PasswordChangeSchema: S.PasswordChangeSchema,
  RegisterEmployeeSchema: S.RegisterEmployeeSchema,
  UserSearchQuerySchema: S.UserSearchQuerySchema,
  CreateUploadSchema: S.CreateUploadSchema,
  CreateAttachmentSchema: S.CreateAttachmentSchema,
  EdsChallengeRequestSchema,
  EdsProofSchema,
  // A mutation's name, like its args, is answered per mutation by the portal (unknown_method; a NUL in it:
  // test/portal-sync/unstorable.test.ts), never by refusing the whole batch; the rest of the envelope is checked here.
  PushRequestSchema: PushRequestSchema.extend({ mutations: z.array(MutationSchema.omit({ name: true })).min(1) }),
};

const FREE_TEXT_PROBE = 'Тест';
const issueMessages = (r: { success: boolean; error?: { issues: { message: string }[] } }) => (r.error?.issues ?? []).map((i) => i.message);

function checkSchema(name: string, schema: z.ZodType, numRuns: number): number {
  const leaves = textLeaves(schema);
  for (const leaf of leaves) {
    const freeText = leaf.schema.safeParse(FREE_TEXT_PROBE).success;
    fc.assert(
      fc.property(nastyText, (s) => {
        const where = `${name} ${leaf.path} ${JSON.stringify(s)}`;
        const own = leaf.schema.safeParse(s);
        // A secret (password) keeps every character it can hash: only a lone surrogate or NUL is refused.
        if (leaf.schema.description === SECRET_TEXT) {
          expect(own.success, where).toBe(!hasLoneSurrogateOrNul(s));
          return;
        }
        if (own.success) expect(isStorableText(own.data as string, true), where).toBe(true);
        // (Trimmed fields may drop a trailing control character and keep the rest: the output is what counts.)
        if (hasLoneSurrogateOrNul(s) || !isStorableText(s.trim(), true)) expect(own.success, where).toBe(false);
        if (freeText && !isStorableText(s.trim(), true)) expect(issueMessages(own), where).toContain('invalid_text');
        if (isStorableText(s, false)) expect(issueMessages(own), where).not.toContain('invalid_text');
        // In place, with the rest of the value around it: what parses holds no unstorable string.
        const whole = schema.safeParse(leaf.place(s));
        if (whole.success) expect(hasUnstorableString(whole.data), where).toBe(false);
        if (hasLoneSurrogateOrNul(s)) expect(whole.success, where).toBe(false);
      }),
      { numRuns },
    );
  }
  return leaves.length;
}

describe('every text field is storable text or a strict format', () => {
  it('every synced mutation\'s arguments (the registry)', () => {
    let n = 0;
    for (const [name, def] of Object.entries(mutationRegistry)) n += checkSchema(name, def.args, 10);
    expect(Object.keys(mutationRegistry).length).toBeGreaterThanOrEqual(20);
    expect(n).toBeGreaterThan(60);
  }, 120_000);

  it('the portal\'s request bodies', () => {
    for (const [name, schema] of Object.entries(REST_REQUESTS)) checkSchema(name, schema, 20);
  }, 120_000);

  it('every RPC method\'s input (renderer → app back end)', () => {
    for (const [name, def] of Object.entries(rpcMethods)) checkSchema(name, def.input as z.ZodType, 5);
  }, 120_000);

  it('a form that validates locally shows invalid_text at its field (the employee registration form)', () => {
    const t = ((key: string) => translate('ru', key)) as unknown as TFunction;
    const parsed = RegisterEmployeeArgs.omit({ membershipId: true }).safeParse({
      organizationId: '0190f0e2-0000-7000-8000-000000000000', iin: '880715300039', fullName: 'Сәрсенов\u0007Арман', email: 'a@example.kz', roles: ['organizer'],
    });
    expect(parsed.success).toBe(false);
    const errors = fieldErrors(t, parsed.error!.issues);
    expect(errors.fullName).toBe(translate('ru', 'errors.invalid_text'));
    expect(errors.fullName).not.toBe(translate('ru', 'errors.invalid_input'));
  }, 120_000);
});
