/**
 * The smallest key the app signs with. RSA-1024 has been breakable by a determined attacker for
 * years and NCA RK issues 2048-bit keys; a document signed today must stay provable for years.
 * Only signing is refused: verifying an old RSA-1024 signature still reports on it.
 */
import { AppError } from '../rpc/errors';
import type { CertificateFacts } from './cert-facts';

export const MIN_RSA_SIGNING_BITS = 2048;

/** Refuses an RSA certificate whose modulus is under 2048 bits (or cannot be measured). */
export function assertKeyStrongEnough(facts: Pick<CertificateFacts, 'algorithm' | 'rsaKeyBits'>): void {
  if (facts.algorithm !== 'RSA') return;
  const bits = facts.rsaKeyBits ?? 0;
  if (bits < MIN_RSA_SIGNING_BITS) {
    throw new AppError('signing_key_too_weak', 'RSA keys under 2048 bits are not used for signing', { bits, min: MIN_RSA_SIGNING_BITS });
  }
}
