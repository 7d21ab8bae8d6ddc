import { loadTrustAnchors } from '../signing/trust-store';
import { verifyFile } from '../signing/verify-file';
import { renderReport } from './render';
import { EXIT, optionalString, requireString, type CliCommand } from './registry';

export const verifyCommand: CliCommand = {
  name: 'verify',
  summary: 'verify a signed PDF or a CMS (+ its content); exit 0 only when valid',
  usage:
    'verify --in FILE [--content FILE] [--trust CA.pem]... [--trust-dir DIR] [--trust-test-roots] [--offline] [--expect-iin IIN] [--expect-bin BIN] [--json]\n' +
    '  Trust: production roots from --trust-dir or $SERIKTES_TRUST_DIR; NCA RK test roots only with --trust-test-roots (report says TEST).\n' +
    '  Revocation (OCSP/CRL from the certificate) is checked over the network unless --offline; offline is never "valid".\n' +
    '  Exit codes: 0 valid, 1 invalid, 2 indeterminate, 3 usage, 4 error.',
  options: {
    in: { type: 'string' },
    content: { type: 'string' },
    trust: { type: 'string', multiple: true },
    'trust-dir': { type: 'string' },
    'trust-test-roots': { type: 'boolean' },
    offline: { type: 'boolean' },
    'expect-iin': { type: 'string' },
    'expect-bin': { type: 'string' },
  },
  async run(v, io) {
    const inPath = requireString(v, 'in');
    const contentPath = optionalString(v, 'content');
    const trustDir = optionalString(v, 'trust-dir');
    const anchors = loadTrustAnchors({
      ...(trustDir ? { productionDir: trustDir } : {}),
      trustTestRoots: v['trust-test-roots'] === true,
      customFiles: (v.trust as string[] | undefined) ?? [],
    });
    const expectedIin = optionalString(v, 'expect-iin');
    const expectedBin = optionalString(v, 'expect-bin');
    const report = await verifyFile({
      inPath,
      ...(contentPath ? { contentPath } : {}),
      anchors,
      online: v.offline !== true,
      ...(expectedIin ? { expectedIin } : {}),
      ...(expectedBin ? { expectedBin } : {}),
    });
    io.out(io.json ? JSON.stringify(report, null, 2) : renderReport(report, io.lang));
    return report.verdict === 'valid' ? EXIT.ok : report.verdict === 'invalid' ? EXIT.invalid : EXIT.indeterminate;
  },
};
