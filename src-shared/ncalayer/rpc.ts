/**
 * RPC methods for NCALayer and EDS sign-in. The key file password crosses the
 * boundary once, for this one call, and is never stored by the back end.
 */
import { z } from 'zod';
import { safeText, secretText } from '../domain/text';
import { method } from '../rpc/define';
import { FileHandleSchema } from '../rpc/file-methods';
import { AuthStatusSchema } from '../accounts/rpc';
import { EdsLinkSchema } from './eds-auth';

/** Where NCALayer should look for the key; 'any' lets the user choose in NCALayer's own dialog. */
export const NcaStorageSchema = z.enum(['any', 'file', 'kaztoken', 'idCard', 'etoken', 'jacarta', 'akey']);
export type NcaStorage = z.infer<typeof NcaStorageSchema>;

export const EdsKeyInputSchema = z.discriminatedUnion('source', [
  z.object({ source: z.literal('ncalayer'), storage: NcaStorageSchema.default('any') }).strict(),
  z.object({ source: z.literal('file'), handle: FileHandleSchema, password: secretText(200) }).strict(),
]);
export type EdsKeyInput = z.input<typeof EdsKeyInputSchema>;

export const NcaLayerStatusSchema = z.object({
  running: z.boolean(),
  product: z.enum(['NCALayer', 'KAZTOKEN desktop']).nullable(),
  version: z.string().nullable(),
  /** Why it is not usable (ncalayer_not_running, ncalayer_tls_untrusted…). */
  error: z.string().nullable(),
});
export type NcaLayerStatus = z.infer<typeof NcaLayerStatusSchema>;

export const ncalayerMethods = {
  'ncalayer.status': method(z.object({}).strict(), NcaLayerStatusSchema),
  /** Signs the portal's challenge with an AUTH key and opens the linked account, like a password sign-in. */
  'auth.edsSignIn': method(EdsKeyInputSchema, AuthStatusSchema),
  /**
   * First EDS use: password sign-in, then link the certificate; the account opens only when
   * both succeeded (a link failure leaves the user signed out, with the reason).
   */
  'auth.signInAndLinkEds': method(
    z.object({ login: safeText({ max: 200, min: 1 }), password: secretText(200), key: EdsKeyInputSchema }).strict(),
    z.object({ status: AuthStatusSchema, link: EdsLinkSchema }),
  ),
  /** Signed in: links the AUTH certificate that signs a fresh challenge to this account (needed once). */
  'auth.edsLink': method(EdsKeyInputSchema, EdsLinkSchema),
  /** Signed in: the certificates linked to this account (portal `GET /api/me/eds`; needs the connection). */
  'auth.edsLinks': method(z.object({}).strict(), z.object({ links: z.array(EdsLinkSchema) })),
};
