/**
 * EDS sign-in (issue 8): the portal issues a challenge; the app signs its exact
 * text with an AUTH key (NCALayer or a local .p12) and sends the CMS back.
 * The challenge names the portal's origin, so the app refuses to sign a
 * challenge relayed from another site, and the portal refuses a CMS over a
 * challenge it did not issue, already used, or older than 5 minutes.
 */
import { z } from 'zod';

export const EDS_CHALLENGE_PURPOSE = 'seriktes-eds-sign-in';
export const EDS_CHALLENGE_TTL_MS = 5 * 60_000;
/** A CMS with a certificate chain and a timestamp stays well under this. */
export const EDS_MAX_CMS_BASE64 = 64 * 1024;

export const EdsChallengeTextSchema = z
  .object({
    purpose: z.literal(EDS_CHALLENGE_PURPOSE),
    /** A sign-in challenge cannot link a certificate, and a link challenge cannot sign in. */
    use: z.enum(['sign-in', 'link']),
    origin: z.string().max(300),
    nonce: z.string().regex(/^[A-Za-z0-9_-]{32,64}$/),
    issuedAt: z.string(),
    expiresAt: z.string(),
  })
  .strict();
export type EdsChallengeText = z.infer<typeof EdsChallengeTextSchema>;

export const EdsChallengeUseSchema = z.enum(['sign-in', 'link']);
export type EdsChallengeUse = z.infer<typeof EdsChallengeUseSchema>;
export const EdsChallengeRequestSchema = z.object({ use: EdsChallengeUseSchema }).strict();

export const EdsChallengeSchema = z.object({
  challengeId: z.string().uuid(),
  /** Sign exactly these UTF-8 bytes. */
  challenge: z.string().max(1000),
  expiresAt: z.string(),
});
export type EdsChallenge = z.infer<typeof EdsChallengeSchema>;

export const EdsProofSchema = z
  .object({
    challengeId: z.string().uuid(),
    /** DER CMS (detached over the challenge text, or attaching it), base64. */
    cms: z.string().min(1).max(EDS_MAX_CMS_BASE64).regex(/^[A-Za-z0-9+/]+=*$/, 'base64'),
  })
  .strict();
export type EdsProof = z.infer<typeof EdsProofSchema>;

export const EdsLinkSchema = z.object({
  iin: z.string(),
  bin: z.string().nullable(),
  subject: z.string(),
  linkedAt: z.string(),
  /** The certificate's validity (ISO); given when the link is made (the portal does not store it). */
  validFrom: z.string().optional(),
  validTo: z.string().optional(),
});
export type EdsLink = z.infer<typeof EdsLinkSchema>;

/** The app's check before it lets any key sign: our purpose, our portal, not expired. */
export function checkChallengeText(text: string, expectedOrigin: string, now: Date, use: EdsChallengeUse): EdsChallengeText | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return null;
  }
  const r = EdsChallengeTextSchema.safeParse(parsed);
  if (!r.success) return null;
  if (r.data.origin !== expectedOrigin || r.data.use !== use) return null;
  if (!(Date.parse(r.data.expiresAt) > now.getTime() - 60_000)) return null; // one minute of clock skew
  return r.data;
}

/** `http://Host:port` of a base URL, as the portal writes it into challenges. */
export const originOf = (url: string): string => new URL(url).origin;
