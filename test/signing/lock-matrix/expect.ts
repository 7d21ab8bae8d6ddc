/** What "accepted" and "refused" mean for the three judges (soft: one row reports every judge that disagrees). */
import { expect } from 'vitest';
import type { Verdicts } from './judges';

const REFUSALS = ['document_modified_after_signing', 'document_signature_invalid'];

/** Every judge says the document is locked and every signature valid. */
export function expectAccepted(row: string, v: Verdicts, signatures: number): void {
  expect.soft(v.cli.signatures.length, `${row}: cli verify finds ${signatures} signature(s)`).toBe(signatures);
  expect.soft({ code: v.cli.code, verdict: v.cli.verdict, signatures: v.cli.signatures }, `${row}: cli verify says valid (exit 0)`).toMatchObject({
    code: 0,
    verdict: 'valid',
    signatures: v.cli.signatures.map(() => ({ verdict: 'valid', reasons: [] })),
  });
  expect.soft(v.pkg, `${row}: check-package says locked, no error`).toEqual({ lockState: 'locked', errors: [] });
  expect.soft(v.portal, `${row}: the portal accepts the upload`).toEqual({ status: 200, code: null });
}

/** Every judge refuses: the supplier's (first) signature is not valid, the package has a lock error, the portal answers 422. */
export function expectRefused(row: string, v: Verdicts): void {
  expect.soft(v.cli.code, `${row}: cli verify exit code (0 = valid)`).not.toBe(0);
  expect.soft(v.cli.signatures[0]?.verdict, `${row}: cli verify, the supplier's signature`).not.toBe('valid');
  expect.soft(['modified_after_signing', 'signature_invalid'], `${row}: check-package lock state ${v.pkg.lockState}`).toContain(v.pkg.lockState);
  expect.soft(v.pkg.errors.filter((e) => e === 'modified_after_signing' || e === 'signature_invalid'), `${row}: check-package lock error`).toHaveLength(1);
  expect.soft(v.portal.status, `${row}: the portal's upload status`).toBe(422);
  expect.soft(REFUSALS, `${row}: the portal's refusal code ${v.portal.code}`).toContain(v.portal.code);
}
