import { basename, join } from 'node:path';
import { readFileSync } from 'node:fs';
import { fileNameWithSerial, newSerial } from '../../src-shared/documents/serial';
import { isValidIinBin } from '../../src-shared/domain/identity';
import { DEFAULT_EGOV_REGISTRY_URL, stampFile, type QrTarget } from '../documents/stamp';
import { STAMP_CLI_LABELS, STAMP_NOTES } from '../documents/stamp/texts';
import { EXIT, UsageError, optionalString, requireString, type CliCommand } from './registry';

const QR: readonly QrTarget[] = ['portal', 'egov', 'none'];

export const stampCommand: CliCommand = {
  name: 'stamp',
  summary: 'anti-forgery stamp of an unsigned PDF: serial (Info, XMP, file name), QR, Code 128, logo watermark',
  usage:
    'stamp --in FILE.pdf (--out FILE.pdf | --out-dir DIR) [--bin BIN] [--qr portal|egov|none] [--portal-url URL] [--logo FILE.png|jpg] [--opacity 0.03..0.5] [--restamp] [--json]\n' +
    '  --qr portal (default) points to <portal-url>/verify/<serial>; --portal-url defaults to $SERIKTES_PORTAL_URL.\n' +
    `  --qr egov points to $SERIKTES_EGOV_REGISTRY_URL ({bin} replaced; default ${DEFAULT_EGOV_REGISTRY_URL}) and needs --bin.\n` +
    '  --out-dir names the output <name>_<serial>.pdf. Stamp first, then sign: signed PDFs are refused.\n' +
    '  --restamp replaces the serial of a PDF stamped before. Text under the QR follows --lang.',
  options: {
    in: { type: 'string' },
    out: { type: 'string' },
    'out-dir': { type: 'string' },
    bin: { type: 'string' },
    qr: { type: 'string' },
    'portal-url': { type: 'string' },
    logo: { type: 'string' },
    opacity: { type: 'string' },
    restamp: { type: 'boolean' },
  },
  async run(v, io) {
    const inPath = requireString(v, 'in');
    const out = optionalString(v, 'out');
    const outDir = optionalString(v, 'out-dir');
    if (!out === !outDir) throw new UsageError('give exactly one of --out or --out-dir');
    const qr = (optionalString(v, 'qr') ?? 'portal') as QrTarget;
    if (!QR.includes(qr)) throw new UsageError('--qr must be portal, egov or none');
    const bin = optionalString(v, 'bin');
    if (bin !== undefined && !isValidIinBin(bin)) throw new UsageError('--bin must be a valid 12-digit BIN/IIN');
    if (qr === 'egov' && !bin) throw new UsageError('--qr egov needs --bin');
    const portalUrl = optionalString(v, 'portal-url') ?? io.env.SERIKTES_PORTAL_URL ?? '';
    if (qr === 'portal' && !/^https?:\/\/[^\s/]+/.test(portalUrl)) throw new UsageError('--qr portal needs --portal-url http(s)://… (or $SERIKTES_PORTAL_URL)');
    const opacityArg = optionalString(v, 'opacity');
    const opacity = opacityArg === undefined ? 0.12 : Number(opacityArg);
    if (!(opacity >= 0.03 && opacity <= 0.5)) throw new UsageError('--opacity must be between 0.03 and 0.5');
    const logoPath = optionalString(v, 'logo');

    const serial = newSerial();
    const outPath = out ?? join(outDir!, fileNameWithSerial(basename(inPath), serial));
    const egovTemplate = io.env.SERIKTES_EGOV_REGISTRY_URL;
    const r = await stampFile(inPath, outPath, {
      serial,
      qr,
      portalUrl,
      language: io.lang,
      opacity,
      ...(bin ? { bin } : {}),
      ...(egovTemplate ? { egovTemplate } : {}),
      ...(logoPath ? { logo: new Uint8Array(readFileSync(logoPath)) } : {}),
      ...(v.restamp === true ? { restamp: true } : {}),
    });
    if (io.json) {
      io.out(JSON.stringify({ serial: r.serial, out: outPath, bytes: r.bytes, qrUrl: r.qrUrl ?? null, previousSerial: r.previousSerial ?? null, notes: r.notes, geometry: r.geometry }, null, 2));
    } else {
      const l = STAMP_CLI_LABELS[io.lang];
      io.out(`${l.serial}: ${r.serial}`);
      io.out(`${l.file}: ${outPath}`);
      if (r.qrUrl) io.out(`${l.qr}: ${r.qrUrl}`);
      if (r.notes.length) {
        io.out(`${l.notes}:`);
        for (const n of r.notes) io.out(`  - ${STAMP_NOTES[io.lang][n]}`);
      }
    }
    return EXIT.ok;
  },
};
