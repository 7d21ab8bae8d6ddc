/**
 * What the portal signs for its audit head (issue 15 §5), shared so the
 * portal, the app and verify-audit sign and check the very same bytes.
 */
export const auditHeadMessage = (seq: number, hash: string): string => `seriktes-audit-head/1\n${seq}\n${hash}`;
